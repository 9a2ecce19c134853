"""`tests=[...]` of a CoveoExtension: `check` runs them on the script with the local runtime; a failing one
fails with one short message (the test's name, expected against actual, the script's line), and no API call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support.providers import configured_provider

CONFIG = {"coveo:organizationId": "searchdemoorg", "coveo:apiKey": "config-key", "coveo:host": "http://emulator:1/"}
TAGGER = (
    "section = parameters.get('section', 'public')\n"
    "if document.get_meta_data_value('filetype') == ['pdf']:\n"
    "    raise ValueError('no PDFs here')\n"
    "document.add_meta_data({'section': section})\n"
    "log('tagged ' + section)\n"
)


@pytest.fixture
def offline() -> CoveoExtensionProvider:
    """A provider configured for a host nobody listens on: the tests need no service."""
    return configured_provider(CoveoExtensionProvider, CONFIG)


def reasons(provider: CoveoExtensionProvider, tests: Any, **inputs: Any) -> list[str]:
    result = provider.check({}, {"name": "tagger", "content": TAGGER, "tests": tests, **inputs})
    return [failure.reason for failure in result.failures]


def a_test(**fields: Any) -> dict[str, Any]:
    return {"name": "tags the section", "parameters": {"section": "intranet"}, **fields}


def test_passing_tests_pass_and_stay_in_the_checked_inputs(offline: CoveoExtensionProvider) -> None:
    tests = [a_test(expect={"status": "SUCCESS", "metadata": {"section": ["intranet"]}, "logs": ["tagged"]})]
    result = offline.check({}, {"name": "tagger", "content": TAGGER, "tests": tests})
    assert result.failures == []
    assert result.inputs["tests"] == tests


def test_a_metadata_mismatch_names_the_test_and_both_values(offline: CoveoExtensionProvider) -> None:
    tests = [a_test(expect={"metadata": {"section": "public"}})]
    assert reasons(offline, tests) == [
        "tests: test 'tags the section' failed: metadata 'section': expected ['public'], got ['intranet']"
    ]


def test_a_failing_script_names_the_status_and_the_scripts_line(offline: CoveoExtensionProvider) -> None:
    document = {"metadata": [{"origin": "crawler", "values": {"filetype": ["pdf"]}}]}
    [reason] = reasons(offline, [a_test(document=document)])
    assert reason == (
        "tests: test 'tags the section' failed: expected status SUCCESS, got EXECUTION_ERROR at line 3: "
        "`raise ValueError('no PDFs here')` (ValueError: no PDFs here)"
    )


def test_an_expected_failure_passes(offline: CoveoExtensionProvider) -> None:
    document = {"metadata": [{"origin": "crawler", "values": {"filetype": ["pdf"]}}]}
    assert reasons(offline, [a_test(document=document, expect={"status": "EXECUTION_ERROR"})]) == []


def test_absent_metadata_is_expected_as_an_empty_list(offline: CoveoExtensionProvider) -> None:
    assert reasons(offline, [a_test(expect={"metadata": {"other": []}})]) == []


def test_a_missing_log_names_what_was_logged(offline: CoveoExtensionProvider) -> None:
    [reason] = reasons(offline, [a_test(expect={"logs": ["tagged intranet", "done"]})])
    assert reason == "tests: test 'tags the section' failed: expected a log containing 'done', got []"


def test_a_time_out_uses_the_extensions_execution_timeout(offline: CoveoExtensionProvider) -> None:
    script = "import time\ntime.sleep(30)\n"
    [reason] = reasons(offline, [a_test()], content=script, execution_timeout=1)
    assert "expected status SUCCESS, got TIMEOUT" in reason


def test_the_extensions_streams_and_name_apply(offline: CoveoExtensionProvider) -> None:
    script = "document.add_meta_data({'has_body': str(document.get_data_stream('body_text') is not None)})\n"
    document = {"dataStreams": [{"origin": "converter", "values": {"BODY_TEXT": {"inlineContent": "x"}}}]}
    test = a_test(document=document, expect={"metadata": {"has_body": ["True"]}})
    assert reasons(offline, [test], content=script, required_data_streams=["BODY_TEXT"]) == []
    assert len(reasons(offline, [test], content=script)) == 1  # not declared: not readable


def test_every_failing_test_is_reported(offline: CoveoExtensionProvider) -> None:
    tests = [a_test(name="one", expect={"status": "REJECTED"}), a_test(name="two", expect={"status": "TIMEOUT"})]
    assert [reason.split(" failed")[0] for reason in reasons(offline, tests)] == [
        "tests: test 'one'",
        "tests: test 'two'",
    ]


def test_tests_run_on_a_script_file(offline: CoveoExtensionProvider, tmp_path: Path) -> None:
    script = tmp_path / "tagger.py"
    script.write_text(TAGGER, encoding="utf-8")
    result = offline.check(
        {}, {"name": "tagger", "script_path": str(script), "tests": [a_test(expect={"status": "REJECTED"})]}
    )
    assert "expected status REJECTED, got SUCCESS" in result.failures[0].reason


@pytest.mark.parametrize(
    ("test", "says"),
    [
        ("x", "tests[0] must be an object"),
        ({"expect": {}}, "tests[0].name is required"),
        ({"name": "t", "stage": "indexing"}, "tests[0].stage must be one of pre_conversion, post_conversion"),
        ({"name": "t", "expected": {}}, "tests[0] has unknown key(s) expected"),
        ({"name": "t", "expect": {"status": "OK"}}, "tests[0].expect.status must be one of SUCCESS, REJECTED"),
        ({"name": "t", "document": {"metadata": "x"}}, "test 't': document.metadata: must be a list"),
    ],
)
def test_a_malformed_test_is_named_with_its_fix(offline: CoveoExtensionProvider, test: Any, says: str) -> None:
    [reason] = reasons(offline, [test])
    assert reason.startswith("tests: ") and says in reason


def test_unknown_values_at_preview_skip_the_tests_that_hold_them(offline: CoveoExtensionProvider) -> None:
    failing = a_test(expect={"status": "REJECTED"})
    assert reasons(offline, [a_test(parameters={"section": UNKNOWN}, expect={"status": "REJECTED"})]) == []
    assert reasons(offline, [failing], content=UNKNOWN) == []
    assert reasons(offline, [failing], name=UNKNOWN) == []
    assert reasons(offline, UNKNOWN) == []


def test_expected_metadata_is_looked_up_as_the_script_would(offline: CoveoExtensionProvider) -> None:
    # Listed out of stage order, and a mapping that does not exist yet at pre-conversion.
    document = {
        "metadata": [
            {"origin": "converter", "values": {"a": ["2"]}},
            {"origin": "crawler", "values": {"a": ["1"]}},
            {"origin": "mapping", "values": {"b": ["3"]}},
        ]
    }
    post = a_test(document=document, expect={"metadata": {"a": ["2"], "b": ["3"]}})
    pre = a_test(document=document, stage="pre_conversion", expect={"metadata": {"a": ["1"], "b": []}})
    assert reasons(offline, [post, pre], content="pass\n") == []


def test_changing_the_tests_plans_no_change_to_the_extension(offline: CoveoExtensionProvider) -> None:
    checked = offline.check({}, {"name": "tagger", "content": TAGGER, "tests": [a_test()]}).inputs
    outputs = {key: value for key, value in checked.items() if key not in ("content", "tests")}
    edited = offline.check({}, {"name": "tagger", "content": TAGGER, "tests": [a_test(name="renamed")]}).inputs
    result = offline.diff("searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa", outputs, edited)
    assert not result.changes
