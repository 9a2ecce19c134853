"""CoveoExtensionProvider.check: every bad input named with its fix, defaults filled in, no API call."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support.calls import vendor_calls
from support.providers import configured_provider

from ..helpers import SCRIPT, checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

CONFIG = {"coveo:organizationId": "searchdemoorg", "coveo:apiKey": "config-key", "coveo:host": "http://emulator:1/"}


@pytest.fixture
def offline() -> CoveoExtensionProvider:
    """A provider configured for a host nobody listens on: check must not need it."""
    return configured_provider(CoveoExtensionProvider, CONFIG)


def failures(provider: CoveoExtensionProvider, **inputs: Any) -> dict[str, str]:
    """Reasons by field: the failure's property, or the field its reason starts with (long values)."""
    result = provider.check({}, {"name": "cleaner", "content": SCRIPT, **inputs})
    return {f.property or f.reason.split(":", 1)[0]: f.reason for f in result.failures}


def test_a_failure_on_a_multi_line_script_names_no_property_so_the_engine_does_not_echo_the_script(
    offline: CoveoExtensionProvider,
) -> None:
    script = "".join(f"value_{n} = {n}\n" for n in range(300)) + "def broken(:\n"
    [failure] = offline.check({}, {"name": "cleaner", "content": script}).failures
    assert failure.property == "" and failure.reason.startswith("content: does not parse as Python 3")
    assert "line 301" in failure.reason and len(failure.reason) < 200


def test_a_failure_on_a_short_value_keeps_its_property(offline: CoveoExtensionProvider) -> None:
    [failure] = offline.check({}, {"name": "cleaner", "content": "x = (\n", "api_version": "v3"}).failures[1:]
    assert failure.property == "api_version"


def test_defaults_are_filled_in_and_the_connection_is_resolved_without_the_key(
    offline: CoveoExtensionProvider,
) -> None:
    inputs = checked(offline)
    assert inputs == {
        "name": "cleaner",
        "content": SCRIPT,
        "content_sha256": hashlib.sha256(SCRIPT.encode()).hexdigest(),
        "description": "",
        "required_data_streams": [],
        "enabled": True,
        "api_version": "v1",
        "use_vault": False,
        "execution_timeout": 5,
        "organization_id": "searchdemoorg",
        "host": "http://emulator:1",
    }


def test_a_key_given_as_argument_stays_in_the_inputs(offline: CoveoExtensionProvider) -> None:
    assert checked(offline, api_key="arg-key")["api_key"] == "arg-key"


def test_data_streams_are_sorted_and_deduplicated_and_whole_float_timeouts_become_ints(
    offline: CoveoExtensionProvider,
) -> None:
    inputs = checked(offline, required_data_streams=["THUMBNAIL", "BODY_TEXT", "THUMBNAIL"], execution_timeout=10.0)
    assert inputs["required_data_streams"] == ["BODY_TEXT", "THUMBNAIL"]
    assert inputs["execution_timeout"] == 10 and isinstance(inputs["execution_timeout"], int)


def test_a_syntax_error_names_line_and_column_and_quotes_the_line(offline: CoveoExtensionProvider) -> None:
    reason = failures(offline, content="import re\nif x = 1:\n    pass\n")["content"]
    assert "line 2, column" in reason and "`if x = 1:`" in reason and reason.startswith("content:")


def test_python_newer_than_the_coveo_runtime_is_refused(offline: CoveoExtensionProvider) -> None:
    reason = failures(offline, content="type Alias = int\n")["content"]
    assert "does not parse as Python 3" in reason


@pytest.mark.parametrize("content", ["", "  \n\t"])
def test_empty_content_is_refused(offline: CoveoExtensionProvider, content: str) -> None:
    assert "is empty" in failures(offline, content=content)["content"]


def test_content_and_name_are_required(offline: CoveoExtensionProvider) -> None:
    result = offline.check({}, {})
    assert {f.property for f in result.failures} == {"content", "name"}
    [reason] = [f.reason for f in result.failures if f.property == "content"]
    assert "script_path" in reason


def test_a_script_file_is_read_and_hashed_and_its_text_stays_out_of_the_inputs(
    offline: CoveoExtensionProvider, tmp_path: Path
) -> None:
    script = tmp_path / "cleaner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    inputs = offline.check({}, {"name": "cleaner", "script_path": str(script)}).inputs
    assert inputs["script_path"] == str(script) and "content" not in inputs
    assert inputs["content_sha256"] == hashlib.sha256(SCRIPT.encode()).hexdigest()
    script.write_text(SCRIPT + "log('edited')\n", encoding="utf-8")
    edited = offline.check({}, {"name": "cleaner", "script_path": str(script)}).inputs
    assert edited["content_sha256"] != inputs["content_sha256"]


def test_content_and_script_path_together_are_refused(offline: CoveoExtensionProvider, tmp_path: Path) -> None:
    script = tmp_path / "cleaner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    reasons = failures(offline, script_path=str(script))
    assert list(reasons) == ["script_path"] and "not both" in reasons["script_path"]


def test_a_missing_script_file_is_refused_naming_the_field_and_the_path(
    offline: CoveoExtensionProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short path: a value over 80 characters is reported without its property name (`without_long_values`),
    # and a temporary folder's path may be that long (pytest-xdist's are).
    monkeypatch.chdir(tmp_path)
    missing = Path("nowhere.py")
    result = offline.check({}, {"name": "cleaner", "script_path": str(missing)})
    reasons = {f.property: f.reason for f in result.failures}
    assert list(reasons) == ["script_path"]
    assert reasons["script_path"].startswith("script_path:") and "does not exist" in reasons["script_path"]
    assert str(missing) in reasons["script_path"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"import re\nif x = 1:\n    pass\n", "line 2, column"),
        (b"", "is empty"),
        (b"title = '\xff'\n", "not UTF-8"),
    ],
)
def test_a_bad_script_file_is_refused_naming_the_field(
    offline: CoveoExtensionProvider, tmp_path: Path, data: bytes, expected: str
) -> None:
    script = tmp_path / "bad.py"
    script.write_bytes(data)
    result = offline.check({}, {"name": "cleaner", "script_path": str(script)})
    [failure] = result.failures
    assert failure.property == "script_path" and expected in failure.reason and str(script) in failure.reason


def test_a_directory_as_script_path_is_refused(offline: CoveoExtensionProvider, tmp_path: Path) -> None:
    [failure] = offline.check({}, {"name": "cleaner", "script_path": str(tmp_path)}).failures
    assert failure.property == "script_path" and "not a regular file" in failure.reason


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", "  ", "must not be empty"),
        ("required_data_streams", ["BODY_TEXT", "FILE_BINARY_STREAM"], "DOCUMENT_DATA"),
        ("required_data_streams", "BODY_TEXT", "must be a list"),
        ("api_version", "v3", "v1, v2"),
        ("execution_timeout", 0, "positive"),
        ("execution_timeout", -3, "positive"),
        ("execution_timeout", 2.5, "whole number"),
        ("execution_timeout", "10", "whole number"),
        ("execution_timeout", True, "whole number"),
        ("enabled", "yes", "true or false"),
        ("use_vault", "yes", "true or false"),  # a plain type check, from the model
        ("region", "mars", "us, eu, au, ca, hipaa"),
        ("adopt_id", " ", "id of an existing extension"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_the_fix(
    offline: CoveoExtensionProvider, field: str, value: Any, expected: str
) -> None:
    reasons = failures(offline, **{field: value})
    assert list(reasons) == [field]
    assert reasons[field].startswith(f"{field}:")
    assert expected in reasons[field]


def test_a_malformed_host_argument_is_refused(offline: CoveoExtensionProvider) -> None:
    assert "not an http(s) URL" in failures(offline, host="platform.cloud.coveo.com")["host"]


def test_missing_credentials_are_reported_at_preview_with_all_three_ways_to_give_them() -> None:
    provider = configured_provider(CoveoExtensionProvider, {})
    reasons = failures(provider)
    assert set(reasons) == {"organization_id", "api_key"}
    for text in ("`api_key` resource argument", "coveo:apiKey", "$COVEO_API_KEY"):
        assert text in reasons["api_key"]


def test_every_problem_is_reported_at_once(offline: CoveoExtensionProvider) -> None:
    reasons = failures(offline, name="", content="def (", api_version="v9", execution_timeout=0)
    assert set(reasons) == {"name", "content", "api_version", "execution_timeout"}


def test_values_not_known_at_preview_pass(offline: CoveoExtensionProvider) -> None:
    provider = configured_provider(CoveoExtensionProvider, {"coveo:apiKey": "k"})
    result = provider.check(
        {},
        {
            "name": UNKNOWN,
            "content": UNKNOWN,
            "required_data_streams": [UNKNOWN, "BODY_TEXT"],
            "execution_timeout": UNKNOWN,
            "organization_id": UNKNOWN,
            "host": UNKNOWN,
        },
    )
    assert result.failures == []
    assert result.inputs["organization_id"] == UNKNOWN and result.inputs["host"] == UNKNOWN
    assert result.inputs["content_sha256"] == UNKNOWN


def test_a_script_path_not_known_at_preview_passes(offline: CoveoExtensionProvider) -> None:
    result = offline.check({}, {"name": "cleaner", "script_path": UNKNOWN})
    assert result.failures == [] and result.inputs["content_sha256"] == UNKNOWN


def test_check_makes_no_api_call(provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle) -> None:
    checked(provider)
    failures(provider, content="x = (")
    assert vendor_calls(clean_emulator) == {}
