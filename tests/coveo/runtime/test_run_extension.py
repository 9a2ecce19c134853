"""`run_extension`: Coveo's extension runtime, offline, checked against the behaviours the reference lists
(`coveo-extension-runtime.md`, section 7) and the test API's shapes."""

from __future__ import annotations

import base64
import io
import os
import re
import zlib
from typing import Any

import pytest

from pulumi_search_extensions.coveo.runtime import _worker, run_extension


def crawled(**values: Any) -> dict[str, Any]:
    """A mock document whose metadata comes from the crawler."""
    return {"metadata": [{"origin": "crawler", "values": values}]}


def metadata_of(report: dict[str, Any], origin: str) -> dict[str, Any] | None:
    return next((e["values"] for e in report["document"]["metadata"] if e["origin"] == origin), None)


def test_log_gives_one_normal_entry() -> None:
    report = run_extension("log('m')\n", {})
    assert report["logs"] == [{"severity": "NORMAL", "comment": "m"}]
    assert report["result"] == {"status": "SUCCESS"}


def test_log_severity_is_case_insensitive() -> None:
    assert run_extension("log('m', 'warning')\n", {})["logs"] == [{"severity": "WARNING", "comment": "m"}]


def test_an_unknown_severity_is_an_execution_error() -> None:
    report = run_extension("log('m', 'loud')\n", {})
    assert report["result"]["status"] == "EXECUTION_ERROR"
    assert "severity must be one of" in report["result"]["reason"]


def test_logs_beyond_about_4k_characters_are_truncated_then_dropped() -> None:
    report = run_extension("for i in range(10):\n    log('x' * 1000)\n", {})
    assert [entry["comment"] for entry in report["logs"]] == ["x" * 1000] * 4 + ["truncated..."]


def test_additions_carry_the_extension_name_as_origin() -> None:
    report = run_extension("document.add_meta_data({'websiteSection': 'intranet'})\n", {}, name="X")
    assert report["document"]["metadata"] == [{"origin": "X", "values": {"websiteSection": ["intranet"]}}]


def test_an_absent_metadata_is_an_empty_list_and_a_single_value_a_one_item_list() -> None:
    script = "log(repr(document.get_meta_data_value('absent')))\nlog(repr(document.get_meta_data_value('title')))\n"
    report = run_extension(script, crawled(title="t"))
    assert [entry["comment"] for entry in report["logs"]] == ["[]", "['t']"]


def test_post_conversion_look_up_takes_the_latest_stage_and_an_origin_picks_its_own() -> None:
    document = {
        "metadata": [
            {"origin": "converter", "values": {"a": ["2"]}},  # listed first: the stage order still holds
            {"origin": "crawler", "values": {"a": ["1"]}},
        ]
    }
    script = "log(repr(document.get_meta_data_value('a')))\nlog(repr(document.get_meta_data_value('a', 'crawler')))\n"
    report = run_extension(script, document, stage="post_conversion")
    assert [entry["comment"] for entry in report["logs"]] == ["['2']", "['1']"]


def test_pre_conversion_sees_only_the_crawler_origin() -> None:
    document = {
        "metadata": [
            {"origin": "crawler", "values": {"a": ["1"]}},
            {"origin": "mapping", "values": {"a": ["3"]}},
        ]
    }
    script = "log(repr(document.get_meta_data_value('a')))\nlog(repr([m.origin for m in document.get_meta_data()]))\n"
    report = run_extension(script, document, stage="pre_conversion")
    assert [entry["comment"] for entry in report["logs"]] == ["['1']", "['crawler']"]


def test_reverse_false_takes_the_oldest_origin_and_own_additions_are_the_newest() -> None:
    script = (
        "document.add_meta_data({'a': 'mine'})\n"
        "log(repr(document.get_meta_data_value('a')))\n"
        "log(repr(document.get_meta_data_value('a', reverse=False)))\n"
    )
    report = run_extension(script, crawled(a=["1"]), name="X")
    assert [entry["comment"] for entry in report["logs"]] == ["['mine']", "['1']"]


def test_parameters_fill_the_parameters_global() -> None:
    script = "document.add_meta_data({parameters['metadataName']: 'intranet'})\n"
    report = run_extension(script, {}, parameters={"metadataName": "websiteSection"}, name="X")
    assert metadata_of(report, "X") == {"websiteSection": ["intranet"]}


def test_an_empty_value_unsets_the_metadata() -> None:
    script = "document.add_meta_data({'a': ''})\nlog(repr(document.get_meta_data_value('a')))\n"
    report = run_extension(script, crawled(a=["1"]), name="X")
    assert report["logs"][0]["comment"] == "[]"
    assert metadata_of(report, "X") == {"a": []}


def test_dictionary_values_need_api_v2() -> None:
    script = "document.add_meta_data({'prices': {'': '10', 'eu': '9'}})\n"
    assert run_extension(script, {}, api_version="v1")["result"]["status"] == "EXECUTION_ERROR"
    report = run_extension(script, {}, api_version="v2", name="X")
    assert metadata_of(report, "X") == {"prices": {"": "10", "eu": "9"}}


def test_reject_stops_the_script_and_reports_rejected() -> None:
    report = run_extension("document.reject()\nlog('never')\n", {})
    assert report["result"]["status"] == "REJECTED"
    assert report["logs"] == []


def test_a_caught_rejection_still_rejects() -> None:
    script = "try:\n    document.reject()\nexcept BaseException:\n    pass\nlog('went on')\n"
    assert run_extension(script, {})["result"]["status"] == "REJECTED"


def test_an_exception_is_an_execution_error_with_the_script_line_and_no_change_kept() -> None:
    script = "document.add_meta_data({'a': 'changed'})\nlog('before')\nraise ValueError('x')\n"
    report = run_extension(script, crawled(a=["1"]), name="cleaner")
    assert report["result"]["status"] == "EXECUTION_ERROR"
    reason = report["result"]["reason"]
    assert reason.startswith("Coveo::PythonScriptException: Traceback (most recent call last):\n")
    assert 'File "cleaner", line 3, in <module>' in reason
    assert "raise ValueError('x')" in reason and reason.rstrip().endswith("ValueError: x")
    assert "_worker" not in reason  # the runtime's own frames are not the script's
    assert report["document"]["metadata"] == [{"origin": "crawler", "values": {"a": ["1"]}}]
    assert report["logs"] == [{"severity": "NORMAL", "comment": "before"}]  # kept: they explain the failure


def test_a_syntax_error_is_an_execution_error_naming_the_line() -> None:
    report = run_extension("x = 1\nif x\n", {}, name="broken")
    assert report["result"]["status"] == "EXECUTION_ERROR"
    assert 'File "broken", line 2' in report["result"]["reason"]
    assert "SyntaxError" in report["result"]["reason"]


def test_sys_exit_is_an_execution_error() -> None:
    assert run_extension("import sys\nsys.exit(0)\n", {})["result"]["status"] == "EXECUTION_ERROR"


def test_a_script_over_its_time_limit_times_out_and_keeps_no_change() -> None:
    script = "import time\ndocument.add_meta_data({'a': 'changed'})\nlog('started')\ntime.sleep(30)\n"
    report = run_extension(script, crawled(a=["1"]), timeout=0.5)
    assert report["result"]["status"] == "TIMEOUT"
    assert "0.5 s" in report["result"]["reason"]
    assert report["document"]["metadata"] == [{"origin": "crawler", "values": {"a": ["1"]}}]
    assert report["logs"] == [{"severity": "NORMAL", "comment": "started"}]
    assert 0.5 <= report["duration"] < 5


def test_a_script_that_swallows_its_time_out_still_times_out() -> None:
    script = "import time\nwhile True:\n    try:\n        time.sleep(30)\n    except BaseException:\n        break\n"
    assert run_extension(script, {}, timeout=0.3)["result"]["status"] == "TIMEOUT"


def test_only_declared_data_streams_are_readable() -> None:
    document = {"dataStreams": [{"origin": "converter", "values": {"BODY_TEXT": {"inlineContent": "hello"}}}]}
    script = "stream = document.get_data_stream('body_text')\nlog(repr(stream.read() if stream else None))\n"
    assert run_extension(script, document)["logs"][0]["comment"] == "None"
    declared = run_extension(script, document, required_data_streams=["BODY_TEXT"])
    assert declared["logs"][0]["comment"] == "b'hello'"


def test_bodies_do_not_exist_before_conversion() -> None:
    document = {"dataStreams": [{"origin": "crawler", "values": {"BODY_TEXT": {"inlineContent": "hello"}}}]}
    script = "log(repr(document.get_data_stream('body_text')))\n"
    report = run_extension(script, document, stage="pre_conversion", required_data_streams=["BODY_TEXT"])
    assert report["logs"][0]["comment"] == "None"


def test_document_data_is_bytes_and_a_written_stream_replaces_it() -> None:
    original = base64.b64encode(zlib.compress(b"%PDF original")).decode()
    document = {
        "dataStreams": [
            {"origin": "crawler", "values": {"DOCUMENT_DATA": {"inlineContent": original, "compressionType": "ZLIB"}}}
        ]
    }
    script = (
        "data = document.get_data_stream('documentdata').read()\n"
        "log(repr(data))\n"
        "stream = document.DataStream('documentdata')\n"
        "stream.write(data.decode().upper())\n"
        "document.add_data_stream(stream)\n"
        "log(repr(document.get_data_stream('documentdata').read()))\n"
    )
    report = run_extension(script, document, stage="pre_conversion", required_data_streams=["DOCUMENT_DATA"], name="X")
    assert [entry["comment"] for entry in report["logs"]] == ["b'%PDF original'", "b'%PDF ORIGINAL'"]
    written = report["document"]["dataStreams"][-1]
    assert written == {
        "origin": "X",
        "values": {"DOCUMENT_DATA": {"inlineContent": "%PDF ORIGINAL", "compressionType": "UNCOMPRESSED"}},
    }


def test_clear_then_add_allowed_leaves_one_allowed_group() -> None:
    document = {
        "permissions": [
            {
                "name": "level",
                "permissionSets": [
                    {
                        "name": "set",
                        "anonymousAllowed": True,
                        "permissions": [{"allowed": True, "identityType": "USER", "identity": "a@b.c"}],
                    }
                ],
            }
        ]
    }
    script = (
        "document.clear_permissions()\ndocument.add_allowed('*@mycompany.com', 'group', 'Email Security Provider')\n"
    )
    report = run_extension(script, document)
    sets = [s for level in report["document"]["permissions"] for s in level["permissionSets"]]
    permissions = [p for s in sets for p in s["permissions"]]
    assert len(permissions) == 1
    assert permissions[0]["allowed"] is True
    assert permissions[0]["identityType"] == "GROUP"


def test_add_denied_adds_a_denied_identity_after_the_allowed_ones() -> None:
    script = (
        "document.add_allowed('*@mycompany.com', 'group', 'Email Security Provider')\n"
        "document.add_denied('intern@mycompany.com', 'user', 'Email Security Provider', {'reason': 'contract'})\n"
    )
    report = run_extension(script, {})
    permissions = [
        p for level in report["document"]["permissions"] for s in level["permissionSets"] for p in s["permissions"]
    ]
    assert [(p["allowed"], p["identityType"], p["identity"]) for p in permissions] == [
        (True, "GROUP", "*@mycompany.com"),
        (False, "USER", "intern@mycompany.com"),
    ]
    assert permissions[0]["identity"] == "*@mycompany.com"


def test_get_permissions_reads_the_mock_model() -> None:
    document = {
        "permissions": [
            {
                "name": "level",
                "permissionSets": [
                    {"name": "s", "permissions": [{"allowed": False, "identityType": "GROUP", "identity": "g"}]}
                ],
            }
        ]
    }
    script = (
        "level = document.get_permissions()[0]\nlog(level.permission_sets[0].denied_permissions[0].identity_type)\n"
    )
    assert run_extension(script, document)["logs"][0]["comment"] == "group"


def test_the_uri_is_the_mock_document_id() -> None:
    assert run_extension("log(document.uri)\n", {"id": "https://example.com/a"})["logs"][0]["comment"] == (
        "https://example.com/a"
    )


def test_the_script_sees_none_of_the_callers_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVEO_API_KEY", "xx-secret")
    report = run_extension("import os\nlog(repr(os.environ.get('COVEO_API_KEY')))\n", {})
    assert report["logs"][0]["comment"] == "None"


def test_the_script_runs_in_another_process() -> None:
    report = run_extension("import os\nlog(str(os.getpid()))\n", {})
    assert int(report["logs"][0]["comment"]) != os.getpid()


def test_prints_do_not_disturb_the_report() -> None:
    report = run_extension("print('{\"end\": 1}')\nlog('m')\n", {})
    assert report["result"] == {"status": "SUCCESS"}
    assert report["logs"] == [{"severity": "NORMAL", "comment": "m"}]


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"document": []}, "document"),
        ({"document": {"metadata": [{"origin": 3}]}}, "document.metadata[0].origin"),
        ({"document": {"dataStreams": [{"values": {"BODY": {}}}]}}, "document.dataStreams[0].values.BODY"),
        ({"stage": "indexing"}, "stage"),
        ({"api_version": "v3"}, "api_version"),
        ({"timeout": 0}, "timeout"),
        ({"parameters": {"a": 3}}, "parameters.a"),
        ({"required_data_streams": ["BODY"]}, "required_data_streams"),
    ],
)
def test_bad_arguments_are_refused_naming_them(kwargs: dict[str, Any], named: str) -> None:
    arguments: dict[str, Any] = {"document": {}, **kwargs}
    document = arguments.pop("document")
    with pytest.raises(ValueError, match="^" + re.escape(named) + ": "):
        run_extension("pass\n", document, **arguments)


def test_text_beyond_ascii_travels_both_ways() -> None:
    script = (
        "title = document.get_meta_data_value('title')[0]\ndocument.add_meta_data({'titre': title + ' ✓'})\nlog('é')\n"
    )
    report = run_extension(script, crawled(title=["Café"]), name="X")
    assert metadata_of(report, "X") == {"titre": ["Café ✓"]}
    assert report["logs"][0]["comment"] == "é"


def test_what_a_script_prints_is_capped_so_a_print_loop_cannot_fill_the_callers_memory() -> None:
    sink = io.StringIO()
    capped = _worker._Capped(sink)
    for _ in range(20):
        capped.write("x" * 10_000)
    assert len(sink.getvalue()) == _worker.PRINT_LIMIT
    report = run_extension("while True:\n    print('x' * 10000)\n", {}, timeout=1)
    assert report["result"]["status"] == "TIMEOUT"


def test_document_log_does_not_exist_log_is_a_global() -> None:
    report = run_extension("document.log('m')\n", {})
    assert report["result"]["status"] == "EXECUTION_ERROR"
    assert "AttributeError" in report["result"]["reason"]


def test_get_meta_data_lists_each_origin_with_its_values() -> None:
    script = "document.add_meta_data({'b': 'x'})\nlog(repr([(m.origin, m.values) for m in document.get_meta_data()]))\n"
    report = run_extension(script, crawled(a=["1"]), name="X")
    assert report["logs"][0]["comment"] == "[('crawler', {'a': ['1']}), ('X', {'b': ['x']})]"
