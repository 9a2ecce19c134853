"""Bad input is rejected at preview, with a message that names the field and the fix, and no API call.

The whole table goes through each provider's `check()` (what the engine calls at every preview), one case
per test; a handful of programs, each declaring several faults at once, go through the real CLI and engine.
Every case asserts, with the emulator's request log, that nothing was sent. Wrong credentials pass preview
(they can only be known by calling) and must fail `up` with one clear error.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi import automation as auto
from pulumi.dynamic import CheckResult

from pulumi_search_extensions import CoveoExtension, ElasticExtension
from pulumi_search_extensions.coveo.extension_provider.provider import CoveoExtensionProvider
from pulumi_search_extensions.elastic.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.files import make_plugin_zip
from support.providers import configured_provider
from support.stacks import flat_stack_config, quiet

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'checked': True})\n"
UNREADABLE_FILE = "/proc/self/mem"  # a regular file whose first byte cannot be read, even by root


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Malformed files by kind, for the `{...}` placeholders of the table."""
    root = tmp_path_factory.mktemp("bad-files")
    (root / "a-directory.zip").mkdir()
    (root / "notes.txt").write_text("not a zip archive\n")
    (root / "empty.zip").write_bytes(b"")
    big = root / "big.zip"
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("padding.bin", os.urandom(96 * 1024))
    plugin = make_plugin_zip(root / "plugin.zip")  # a valid classic plugin, built for Elasticsearch 8.15.0
    older = make_plugin_zip(root / "older.zip", extra={"elasticsearch/analysis.jar": b"x"})
    escaping = make_plugin_zip(root / "escaping.zip", extra={"../../etc/cron.d/job": "* * * * * root sh"})
    return {
        "plugin": str(plugin),
        "older": str(older),
        "escaping": str(escaping),
        "missing": str(root / "missing.zip"),
        "directory": str(root / "a-directory.zip"),
        "not_zip": str(root / "notes.txt"),
        "empty": str(root / "empty.zip"),
        "big": str(big),
        "unreadable": UNREADABLE_FILE,
    }


@dataclass(frozen=True)
class Case:
    """One malformed input: the arguments and stack config that differ from a valid resource, and the verdict.

    Attributes:
        resource: "coveo" or "elastic".
        args: resource arguments replacing the valid ones (None removes one); `{kind}` strings name a file.
        config: stack config replacing the emulator's (None removes a key).
        field: the property the failure is reported on ("" for a stack-config-only setting).
        says: what the message must contain besides the field: the problem and the fix.
    """

    resource: str
    args: Mapping[str, Any]
    field: str
    says: tuple[str, ...]
    config: Mapping[str, Any] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # -- CoveoExtension: the script ----------------------------------------------------------------------
    "coveo-content-empty": Case("coveo", {"content": ""}, "content", ("is empty", "give the Python script")),
    "coveo-content-blank": Case("coveo", {"content": "  \n\t\n"}, "content", ("is empty",)),
    "coveo-content-missing": Case("coveo", {"content": None}, "content", ("is required", "Python script")),
    "coveo-content-not-text": Case("coveo", {"content": 42}, "content", ("must be the script's text", "int")),
    "coveo-content-syntax-error": Case(
        "coveo", {"content": "x = 1\ndef broken(:\n    pass\n"}, "content", ("line 2", "def broken(:", "fix the script")
    ),
    "coveo-content-python2": Case(
        "coveo", {"content": "print 'hello'\n"}, "content", ("does not parse as Python 3", "line 1")
    ),
    "coveo-content-nul-byte": Case("coveo", {"content": "x = 1\x00\n"}, "content", ("null bytes",)),
    # -- CoveoExtension: the other fields ----------------------------------------------------------------
    "coveo-name-empty": Case("coveo", {"name": ""}, "name", ("must not be empty", "give the extension a name")),
    "coveo-name-not-text": Case("coveo", {"name": 12}, "name", ("must be a string", "int")),
    "coveo-description-not-text": Case("coveo", {"description": ["a"]}, "description", ("must be a string",)),
    "coveo-unknown-data-stream": Case(
        "coveo",
        {"required_data_streams": ["BODY_TXT"]},
        "required_data_streams",
        ("'BODY_TXT'", "use only BODY_TEXT", "DOCUMENT_DATA"),
    ),
    "coveo-data-streams-not-a-list": Case(
        "coveo", {"required_data_streams": "BODY_TEXT"}, "required_data_streams", ("must be a list",)
    ),
    "coveo-enabled-not-bool": Case("coveo", {"enabled": "yes"}, "enabled", ("must be true or false", "'yes'")),
    "coveo-api-version": Case("coveo", {"api_version": "v3"}, "api_version", ("must be one of v1, v2", "'v3'")),
    "coveo-timeout-zero": Case("coveo", {"execution_timeout": 0}, "execution_timeout", ("positive", "default is 5")),
    "coveo-timeout-fraction": Case("coveo", {"execution_timeout": 2.5}, "execution_timeout", ("whole number",)),
    "coveo-timeout-text": Case("coveo", {"execution_timeout": "10"}, "execution_timeout", ("whole number", "'10'")),
    "coveo-adopt-id-blank": Case("coveo", {"adopt_id": "  "}, "adopt_id", ("id of an existing extension",)),
    # -- CoveoExtension: where and how to call -----------------------------------------------------------
    "coveo-wrong-region": Case(
        "coveo",
        {},
        "region",
        ("'mars' is not a Coveo region", "us, eu, au, ca, hipaa", "coveo:region"),
        config={"coveo:host": None, "coveo:region": "mars"},
    ),
    "coveo-host-no-scheme": Case(
        "coveo", {"host": "platform.cloud.coveo.com"}, "host", ("is not an http(s) URL", "https://platform")
    ),
    "coveo-host-other-scheme": Case("coveo", {"host": "ftp://coveo.example"}, "host", ("is not an http(s) URL",)),
    "coveo-host-with-query": Case(
        "coveo", {"host": "https://platform.cloud.coveo.com/?org=x"}, "host", ("without a query",)
    ),
    "coveo-host-and-region": Case(
        "coveo", {"host": "https://platform.cloud.coveo.com", "region": "eu"}, "region", ("either `host` or `region`",)
    ),
    "coveo-missing-organization": Case(
        "coveo",
        {},
        "organization_id",
        ("no Coveo organization id", "coveo:organizationId", "$COVEO_ORGANIZATION_ID"),
        config={"coveo:organizationId": None},
    ),
    "coveo-empty-organization": Case(
        "coveo",
        {"organization_id": ""},
        "organization_id",
        ("no Coveo organization id",),
        config={"coveo:organizationId": None},
    ),
    "coveo-missing-key": Case(
        "coveo",
        {},
        "api_key",
        ("no Coveo API key", "coveo:apiKey", "$COVEO_API_KEY", "as a secret"),
        config={"coveo:apiKey": None},
    ),
    "coveo-empty-key": Case(
        "coveo", {}, "api_key", ("no Coveo API key", "`api_key` resource argument"), config={"coveo:apiKey": "   "}
    ),
    "coveo-timeout-setting": Case(
        "coveo", {}, "timeout", ("coveo:timeout", "must be a number", "1m30s"), config={"coveo:timeout": "soon"}
    ),
    # -- ElasticExtension: metadata ----------------------------------------------------------------------
    "elastic-name-with-space": Case(
        "elastic", {"name": "my synonyms"}, "name", ("not a valid extension name", "ASCII letters, digits")
    ),
    "elastic-name-non-ascii": Case("elastic", {"name": "synonymes-épicés"}, "name", ("not a valid extension name",)),
    "elastic-name-empty": Case("elastic", {"name": ""}, "name", ("not a valid extension name",)),
    "elastic-unknown-type": Case(
        "elastic", {"extension_type": "plug"}, "extension_type", ("'plug' is not valid", "'bundle' or 'plugin'")
    ),
    "elastic-plugin-wildcard-version": Case(
        "elastic", {"extension_type": "plugin", "version": "8.*"}, "version", ("not valid for a plugin", "x.y.z")
    ),
    "elastic-bundle-bad-version": Case("elastic", {"version": "latest"}, "version", ("not valid for a bundle", "8.*")),
    "elastic-version-missing": Case("elastic", {"version": ""}, "version", ("is required", "Elasticsearch version")),
    "elastic-version-number": Case("elastic", {"version": 8}, "version", ("must be a string", "8.*")),
    "elastic-description-not-text": Case("elastic", {"description": 5}, "description", ("must be a string",)),
    # -- ElasticExtension: the file ----------------------------------------------------------------------
    "elastic-url-other-scheme": Case(
        "elastic", {"download_url": "ftp://example.com/x.zip"}, "download_url", ("is not valid", "http:// or https://")
    ),
    "elastic-url-not-a-url": Case("elastic", {"download_url": "synonyms.zip"}, "download_url", ("is not valid",)),
    "elastic-url-and-path": Case(
        "elastic",
        {"download_url": "https://example.com/x.zip", "file_path": "{not_zip}"},
        "download_url",
        ("either download_url", "not both"),
    ),
    "elastic-file-missing": Case(
        "elastic", {"file_path": "{missing}"}, "file_path", ("does not exist", "path of the extension's zip file")
    ),
    "elastic-file-is-a-directory": Case(
        "elastic", {"file_path": "{directory}"}, "file_path", ("is not a regular file",)
    ),
    "elastic-file-not-zip": Case(
        "elastic", {"file_path": "{not_zip}"}, "file_path", ("is not a zip archive", "uploaded as .zip files")
    ),
    "elastic-file-empty": Case("elastic", {"file_path": "{empty}"}, "file_path", ("is not a zip archive",)),
    "elastic-file-unreadable": Case(
        "elastic", {"file_path": "{unreadable}"}, "file_path", ("cannot be read", "fix its permissions")
    ),
    "elastic-file-over-limit": Case(
        "elastic",
        {"file_path": "{big}"},
        "file_path",
        ("over the upload limit", "download_url", "ec:uploadLimitMb"),
        config={"ec:uploadLimitMb": "0.05"},
    ),
    # -- ElasticExtension: the archive, as Elasticsearch installs it (elastic/archive.py) ----------------
    "elastic-plugin-other-version": Case(
        "elastic",
        {"extension_type": "plugin", "version": "8.14.0", "file_path": "{plugin}"},
        "version",
        ("elasticsearch.version=8.15.0", "installs only on that exact version", "set version='8.15.0'"),
    ),
    "elastic-plugin-older-structure": Case(
        "elastic",
        {"extension_type": "plugin", "version": "8.15.0", "file_path": "{older}"},
        "file_path",
        ("older plugin structure", "move that folder's content to the zip's root"),
    ),
    "elastic-plugin-path-escaping-root": Case(
        "elastic",
        {"extension_type": "plugin", "version": "8.15.0", "file_path": "{escaping}"},
        "file_path",
        ("resolves outside the plugin's folder", "relative paths"),
    ),
    "elastic-bundle-holding-a-plugin": Case(
        "elastic", {"file_path": "{plugin}"}, "extension_type", ("so it is a plugin", "extension_type='plugin'")
    ),
    # -- ElasticExtension: where and how to call ---------------------------------------------------------
    "elastic-endpoint-no-scheme": Case(
        "elastic", {"endpoint": "api.elastic-cloud.com"}, "endpoint", ("not an http(s) URL", "https://api.elastic")
    ),
    "elastic-endpoint-credentials": Case(
        "elastic", {"endpoint": "https://user:pw@api.elastic-cloud.com"}, "endpoint", ("must not carry credentials",)
    ),
    "elastic-endpoint-bad-port": Case(
        "elastic", {"endpoint": "https://api.elastic-cloud.com:99999"}, "endpoint", ("invalid port",)
    ),
    "elastic-missing-credentials": Case(
        "elastic",
        {},
        "api_key",
        ("no Elastic credentials", "ec:apikey", "$EC_API_KEY", "username and password"),
        config={"ec:apikey": None},
    ),
    "elastic-empty-key": Case("elastic", {"api_key": ""}, "api_key", ("no Elastic credentials",), {"ec:apikey": ""}),
    "elastic-user-without-password": Case(
        "elastic",
        {"username": "admin"},
        "password",
        ("needs both a username and a password", "ec:password"),
        config={"ec:apikey": None},
    ),
    "elastic-timeout-setting": Case(
        "elastic", {}, "", ("ec:timeout", "must be a number", "1m30s"), config={"ec:timeout": "soon"}
    ),
    "elastic-upload-limit-setting": Case(
        "elastic", {}, "", ("ec:uploadLimitMb", "positive number"), config={"ec:uploadLimitMb": "-5"}
    ),
}


def _valid_args(resource: str) -> dict[str, Any]:
    if resource == "coveo":
        return {"name": "clean", "content": SCRIPT}
    return {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""}


def _merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def _checked(case: Case, emulator: EmulatorHandle, files: Mapping[str, str]) -> CheckResult:
    """Runs the provider's `check()` the way the engine does: `configure()` with the stack config first."""
    args = {
        key: value.format(**files) if isinstance(value, str) and value.startswith("{") else value
        for key, value in _merged(_valid_args(case.resource), case.args).items()
    }
    provider_class = CoveoExtensionProvider if case.resource == "coveo" else ElasticExtensionProvider
    provider = configured_provider(provider_class, flat_stack_config(emulator, case.config))
    return provider.check({}, args)


def test_the_table_covers_at_least_thirty_inputs_of_both_resources() -> None:
    kinds = [case.resource for case in CASES.values()]
    assert len(CASES) >= 30 and kinds.count("coveo") >= 15 and kinds.count("elastic") >= 15


@pytest.mark.parametrize("name", list(CASES))
def test_check_rejects_the_input_naming_the_field_and_the_fix_without_any_api_call(
    name: str, clean_emulator: EmulatorHandle, files: dict[str, str]
) -> None:
    case = CASES[name]

    result = _checked(case, clean_emulator, files)

    on_field = [f for f in result.failures if f.property == case.field]
    assert on_field, f"no failure on {case.field!r}: {[(f.property, f.reason) for f in result.failures]}"
    reason = " ".join(f.reason for f in on_field)
    if case.field:
        assert reason.startswith(f"{case.field}: "), reason  # the message names the field first
    for words in case.says:
        assert words in reason, f"{words!r} not in {reason!r}"
    assert vendor_calls(clean_emulator) == {}


def test_the_valid_inputs_the_table_starts_from_pass_check(
    clean_emulator: EmulatorHandle, files: dict[str, str]
) -> None:
    for resource in ("coveo", "elastic"):
        result = _checked(Case(resource, {}, "", ()), clean_emulator, files)
        assert result.failures == [], result.failures


# -- through the real CLI and engine -----------------------------------------------------------------------


PREVIEWS: dict[str, tuple[Any, dict[str, str], tuple[str, ...]]] = {
    # name: (resource factory, stack config replacing the emulator's ("" removes), messages the preview shows)
    "coveo-fields": (
        lambda files: CoveoExtension(
            "bad-script",
            content="def broken(:\n    pass\n",
            required_data_streams=["BODY_TXT"],
            api_version="v3",
            execution_timeout=0,
        ),
        {},
        (
            "content: does not parse as Python 3",
            "line 1, column",
            "required_data_streams: unknown data stream(s) 'BODY_TXT'",
            "api_version: must be one of v1, v2",
            "execution_timeout: must be a positive number of seconds",
        ),
    ),
    "coveo-connection": (
        lambda files: CoveoExtension("nowhere", content=SCRIPT),
        {"coveo:organizationId": "", "coveo:apiKey": "", "coveo:host": "", "coveo:region": "mars"},
        (
            "organization_id: no Coveo organization id given",
            "api_key: no Coveo API key given",
            "'mars' is not a Coveo region",
        ),
    ),
    "elastic-fields": (
        lambda files: ElasticExtension(
            "bad metadata",
            name="my synonyms",
            extension_type="plugin",
            version="8.*",
            download_url="ftp://example.com/x.zip",
        ),
        {},
        (
            "name: 'my synonyms' is not a valid extension name",
            "version: '8.*' is not valid for a plugin",
            "download_url: 'ftp://example.com/x.zip' is not valid",
        ),
    ),
    "elastic-archive": (
        lambda files: ElasticExtension("bad-plugin", extension_type="plugin", version="8.*", file_path=files["older"]),
        {},
        (
            "version: '8.*' is not valid for a plugin: plugins need the exact Elasticsearch version, and the "
            "archive's plugin-descriptor.properties says 8.15.0",
            "file_path: the archive has the older plugin structure",
        ),
    ),
    "elastic-file-and-connection": (
        lambda files: ElasticExtension("bad-file", extension_type="bundle", version="8.*", file_path=files["not_zip"]),
        {"ec:endpoint": "api.elastic-cloud.com", "ec:apikey": ""},
        (
            "file_path:",
            "is not a zip archive",
            "endpoint: 'api.elastic-cloud.com' is not an http(s) URL",
            "api_key: no Elastic credentials were found",
        ),
    ),
}


@pytest.mark.parametrize("name", list(PREVIEWS))
def test_the_cli_preview_fails_with_every_message_and_no_api_call(
    name: str, new_stack: Any, clean_emulator: EmulatorHandle, files: dict[str, str]
) -> None:
    declare, config_changes, messages = PREVIEWS[name]
    config = flat_stack_config(clean_emulator, config_changes)
    stack: auto.Stack = new_stack(lambda: declare(files), config=config)

    with pytest.raises(auto.errors.CommandError) as raised:
        stack.preview(on_output=quiet)

    output = str(raised.value)
    for message in messages:
        assert message in output, f"{message!r} not in the preview output:\n{output}"
    assert vendor_calls(clean_emulator) == {}


@pytest.mark.parametrize(
    ("resource", "rejection"),
    [("coveo", "Coveo rejected the API key"), ("elastic", "Elastic rejected the credentials")],
)
def test_wrong_credentials_fail_up_with_one_clear_error_and_no_stack_trace(
    resource: str, rejection: str, new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    wrong_key = f"xx-wrong-{resource}-key-5551212"
    config = flat_stack_config(clean_emulator)
    del config["coveo:apiKey"], config["ec:apikey"]
    secrets = {"coveo:apiKey": wrong_key} if resource == "coveo" else {"ec:apikey": wrong_key}

    def program() -> None:
        if resource == "coveo":
            CoveoExtension("guarded", content=SCRIPT)
        else:
            ElasticExtension("guarded", extension_type="bundle", version="8.*")

    stack: auto.Stack = new_stack(program, config=config, secrets=secrets)
    stack.preview(on_output=quiet)  # the key cannot be checked without calling: preview passes
    assert vendor_calls(clean_emulator) == {}

    errors: list[str] = []

    def on_event(event: auto.EngineEvent) -> None:
        diagnostic = event.diagnostic_event
        if diagnostic and diagnostic.severity == "error" and (diagnostic.urn or "").endswith("::guarded"):
            errors.append(diagnostic.message)

    with pytest.raises(auto.errors.CommandError) as raised:
        stack.up(on_output=quiet, on_event=on_event)

    output = str(raised.value)
    assert len(errors) == 1 and rejection in errors[0], errors  # one error for the resource, and it says why
    assert wrong_key not in output and wrong_key not in errors[0]
    assert "Traceback (most recent call last)" not in output, errors[0]
    dump = clean_emulator.admin.dump()
    assert dump["coveo"][clean_emulator.coveo_organization_id]["extensions"] == []
    assert dump["elastic"]["extensions"] == []
