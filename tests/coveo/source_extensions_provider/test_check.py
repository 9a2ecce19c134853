"""CoveoSourceExtensionsProvider check: every field and every condition validated at once, defaults filled in,
no API call; values not known yet pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pulumi.output import Unknown

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsProvider,
)

from .helpers import check_reasons, checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_check_fills_the_defaults_and_makes_no_api_call(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.clear_requests()
    inputs = checked(
        provider,
        source_id=" src ",
        pre_conversion=[{"extension_id": "ext-a"}],
        post_conversion=[{"extension_id": "ext-b", "condition": "%[lang] == 'en'", "version_id": "v1"}],
        item_types={"Video": {"post_conversion": [{"extension_id": "ext-c"}]}, "Empty": {}},
    )
    assert inputs["source_id"] == "src"
    assert inputs["pre_conversion"] == [
        {"extension_id": "ext-a", "condition": "", "parameters": {}, "action_on_error": "SKIP_EXTENSION"}
    ]
    assert inputs["post_conversion"][0]["version_id"] == "v1"
    assert list(inputs["item_types"]) == ["Video"]  # an item type with no extension is no declaration
    assert inputs["item_types"]["Video"]["pre_conversion"] == []
    assert (inputs["rebuild"], inputs["adopt"], inputs["allow_duplicates"]) == (False, False, False)
    assert (inputs["organization_id"], inputs["host"]) == (clean_emulator.coveo_organization_id, clean_emulator.url)
    assert "api_key" not in inputs  # from stack config: never stored
    assert clean_emulator.admin.requests()["requests"] == []


def test_a_condition_syntax_error_names_the_stage_entry_and_shows_a_caret(
    provider: CoveoSourceExtensionsProvider,
) -> None:
    [reason] = check_reasons(
        provider,
        source_id="src",
        pre_conversion=[{"extension_id": "a"}, {"extension_id": "b", "condition": '%[lang] != "en"'}],
    )
    assert reason.splitlines() == [
        "pre_conversion[1].condition: is not a valid Coveo condition: '!=' is not supported; write "
        "NOT %[meta] == 'value' (at column 9):",
        '    %[lang] != "en"',
        "            ^",
    ]


def test_check_reports_every_problem_at_once(provider: CoveoSourceExtensionsProvider) -> None:
    reasons = check_reasons(
        provider,
        pre_conversion=[
            {"extension_id": "a", "action_on_error": "FAIL"},
            {"extensionId": "b"},
            {"extension_id": "c", "parameters": {"limit": 38.0}},
        ],
        item_types={"Video": {"postConversion": []}},
        rebuild="yes",
    )
    assert any(r.startswith("source_id: is required") for r in reasons)
    assert any("pre_conversion[0].action_on_error: must be SKIP_EXTENSION or REJECT_DOCUMENT" in r for r in reasons)
    assert any("pre_conversion[1].extensionId: unknown field; did you mean `extension_id`?" in r for r in reasons)
    assert any("pre_conversion[1].extension_id: is required" in r for r in reasons)
    assert any("pre_conversion[2].parameters['limit']: must be a string" in r and "'38.0'" in r for r in reasons)
    assert any("item_types['Video'].postConversion: unknown field" in r for r in reasons)
    assert any(r.startswith("rebuild: must be true or false") for r in reasons)
    assert len(reasons) == 7


def test_values_not_known_at_preview_pass_check(provider: CoveoSourceExtensionsProvider) -> None:
    # The provider host hands unknowns over as `Unknown` objects at any depth (the wire string is accepted too).
    unknown = Unknown()
    inputs = checked(
        provider,
        source_id=unknown,
        pre_conversion=[{"extension_id": unknown, "condition": unknown, "parameters": unknown}, unknown],
        post_conversion=UNKNOWN,
        item_types={"Video": unknown, "Image": {"pre_conversion": [{"extension_id": unknown}]}},
    )
    assert inputs["source_id"] is unknown and inputs["post_conversion"] == UNKNOWN
    assert inputs["pre_conversion"][0]["extension_id"] is unknown


def test_an_extension_listed_twice_in_one_stage_prints_a_warning_unless_allowed(
    provider: CoveoSourceExtensionsProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = [{"extension_id": "a"}, {"extension_id": "b"}, {"extension_id": "a"}]
    checked(provider, source_id="src", pre_conversion=twice, post_conversion=[{"extension_id": "a"}])
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("warning: pre_conversion lists extension a 2 times (positions 0, 2)")
    assert "allow_duplicates=True" in line
    checked(provider, source_id="src", pre_conversion=twice, allow_duplicates=True)
    assert capsys.readouterr().out == ""


def test_missing_connection_settings_fail_check(clean_emulator: EmulatorHandle) -> None:
    reasons = check_reasons(CoveoSourceExtensionsProvider(), source_id="src")
    assert any("coveo:organizationId" in r and "COVEO_ORGANIZATION_ID" in r for r in reasons)
    assert any("coveo:apiKey" in r and "COVEO_API_KEY" in r for r in reasons)


def test_an_extension_this_process_knows_by_id_is_warned_about_before_conversion() -> None:
    # Through the plugin, ids are strings: the CoveoExtension's diff or create recorded its streams.
    from pulumi_search_extensions.coveo import stages
    from pulumi_search_extensions.coveo.source_extensions_provider.check import preview_warnings

    stages.remember("org-tagger", "tagger", ["BODY_TEXT", "DOCUMENT_DATA"])
    stages.remember("org-reader", "reader", ["DOCUMENT_DATA"])
    entries = [{"extension_id": "org-reader"}, {"extension_id": "org-tagger"}, {"extension_id": UNKNOWN}]

    [message] = preview_warnings({"pre_conversion": entries, "post_conversion": [{"extension_id": "org-tagger"}]})
    assert message.startswith("pre_conversion[1]: CoveoExtension 'tagger' requires BODY_TEXT, which does not exist")
    [per_type] = preview_warnings({"pre_conversion": [], "item_types": {"pdf": {"pre_conversion": entries[1:2]}}})
    assert per_type.startswith("item_types['pdf'].pre_conversion[0]: CoveoExtension 'tagger' requires BODY_TEXT")
    assert preview_warnings({"pre_conversion": [{"extension_id": "org-unknown-to-this-process"}]}) == []
