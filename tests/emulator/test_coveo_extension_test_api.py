"""`POST /extensions/{id}/test`: the stored script (or a version's) run on a mock document with the local
runtime, answered as `ExtensionTestExecutionReportModel`; and the compile answer next to it."""

from __future__ import annotations

from typing import Any

from .coveo_api import CoveoApi

TAGGER = "document.add_meta_data({parameters.get('name', 'section'): 'intranet'})\nlog('tagged')\n"


def _test(coveo: CoveoApi, extension_id: str, body: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    schema = "ExtensionTestExecutionReportModel" if expect == 200 else None
    report: dict[str, Any] = coveo.call("POST", f"/{extension_id}/test", json=body, expect=expect, schema=schema).json()
    return report


def test_a_test_runs_the_stored_script_and_adds_metadata_under_the_extensions_name(coveo: CoveoApi) -> None:
    extension = coveo.create(name="addMetadataWithParameters", content=TAGGER)
    document = {"metadata": [{"origin": "Extension tester", "values": {}}], "dataStreams": [], "permissions": []}
    report = _test(coveo, extension["id"], {"document": document, "parameters": {"name": "websiteSection"}})
    assert report["result"] == {"status": "SUCCESS"}
    assert report["document"]["metadata"] == [
        {"origin": "Extension tester", "values": {}},
        {"origin": "addMetadataWithParameters", "values": {"websiteSection": ["intranet"]}},
    ]
    assert report["logs"] == [{"severity": "NORMAL", "comment": "tagged"}]
    assert report["dataStreamUris"] == []
    assert isinstance(report["duration"], float)


def test_an_empty_body_tests_on_the_default_empty_document(coveo: CoveoApi) -> None:
    extension = coveo.create(content="log('ran')\n")
    report = _test(coveo, extension["id"], {})
    assert report["document"] == {"metadata": [], "dataStreams": [], "permissions": []}
    assert report["result"]["status"] == "SUCCESS"


def test_a_failing_script_reports_the_traceback_with_the_extension_id_as_file_name(coveo: CoveoApi) -> None:
    extension = coveo.create(content="x = 1\n\nlog(docment)\n")
    report = _test(coveo, extension["id"], {"document": {}})
    assert report["result"]["status"] == "EXECUTION_ERROR"
    reason = report["result"]["reason"]
    assert reason.startswith("Coveo::PythonScriptException: Traceback (most recent call last):\n")
    assert f'File "{extension["id"]}", line 3, in <module>' in reason
    assert "NameError: name 'docment' is not defined" in reason


def test_a_rejecting_script_reports_rejected(coveo: CoveoApi) -> None:
    extension = coveo.create(content="document.reject()\n")
    assert _test(coveo, extension["id"], {})["result"]["status"] == "REJECTED"


def test_a_script_over_the_extensions_timeout_reports_timeout(coveo: CoveoApi) -> None:
    extension = coveo.create(content="import time\ntime.sleep(30)\n")
    coveo.call("PUT", f"/{extension['id']}/timeouts", json={"executionTimeout": 1}, expect=204)
    report = _test(coveo, extension["id"], {})
    assert report["result"]["status"] == "TIMEOUT"
    assert 1 <= report["duration"] < 10


def test_a_disabled_extension_reports_disabled_without_running(coveo: CoveoApi) -> None:
    extension = coveo.create(content="document.add_meta_data({'a': 'b'})\n", enabled=False)
    report = _test(coveo, extension["id"], {"document": {"metadata": []}})
    assert report["result"] == {"status": "DISABLED"}
    assert report["document"]["metadata"] == []


def test_a_version_id_tests_that_versions_script(coveo: CoveoApi) -> None:
    extension = coveo.create(content="document.add_meta_data({'v': 'one'})\n")
    first = extension["versionId"]
    coveo.put_code(extension["id"], "document.add_meta_data({'v': 'two'})\n")
    latest = _test(coveo, extension["id"], {})
    pinned = _test(coveo, extension["id"], {"versionId": first})
    assert latest["document"]["metadata"][-1]["values"] == {"v": ["two"]}
    assert pinned["document"]["metadata"][-1]["values"] == {"v": ["one"]}


def test_only_the_extensions_declared_streams_are_readable(coveo: CoveoApi) -> None:
    script = "stream = document.get_data_stream('body_text')\nlog(stream.read().decode() if stream else 'absent')\n"
    stream_set = {
        "origin": "converter",
        "values": {"BODY_TEXT": {"inlineContent": "hello", "compressionType": "UNCOMPRESSED"}},
    }
    body = {"document": {"dataStreams": [stream_set]}}
    undeclared = coveo.create(content=script)
    declared = coveo.create(content=script, requiredDataStreams=["BODY_TEXT"])
    assert _test(coveo, undeclared["id"], body)["logs"][0]["comment"] == "absent"
    assert _test(coveo, declared["id"], body)["logs"][0]["comment"] == "hello"


def test_a_written_stream_comes_back_in_the_specs_shape(coveo: CoveoApi) -> None:
    script = "s = document.DataStream('body_text')\ns.write('new text')\ndocument.add_data_stream(s)\n"
    extension = coveo.create(name="writer", content=script)
    report = _test(coveo, extension["id"], {})
    assert report["document"]["dataStreams"] == [
        {"origin": "writer", "values": {"BODY_TEXT": {"inlineContent": "new text", "compressionType": "UNCOMPRESSED"}}}
    ]


def test_permissions_changes_come_back_in_the_specs_shape(coveo: CoveoApi) -> None:
    script = (
        "document.clear_permissions()\ndocument.add_allowed('*@mycompany.com', 'group', 'Email Security Provider')\n"
    )
    extension = coveo.create(content=script)
    report = _test(coveo, extension["id"], {})
    [level] = report["document"]["permissions"]
    [permission_set] = level["permissionSets"]
    [permission] = permission_set["permissions"]
    assert permission["allowed"] is True and permission["identityType"] == "GROUP"


def test_an_unknown_extension_or_version_is_404(coveo: CoveoApi) -> None:
    missing = f"{coveo.organization_id}-aaaaaaaaaaaaaaaaaaaaaaaaaa"
    coveo.call("POST", f"/{missing}/test", json={}, expect=404)
    extension = coveo.create()
    coveo.call("POST", f"/{extension['id']}/test", json={"versionId": "nope"}, expect=404)


def test_a_malformed_mock_document_is_400_naming_the_field(coveo: CoveoApi) -> None:
    extension = coveo.create()
    response = coveo.call("POST", f"/{extension['id']}/test", json={"document": {"metadata": "x"}}, expect=400)
    assert "document.metadata" in response.json()["message"]
    coveo.call("POST", f"/{extension['id']}/test", json={"parameters": {"a": 1}}, expect=400)
    coveo.call("POST", f"/{extension['id']}/test", json=[], expect=400)


def test_compile_answers_the_compile_result_model(coveo: CoveoApi) -> None:
    ok = coveo.call(
        "POST",
        "/test/compile",
        json={"code": "log('x')\n", "language": "PYTHON3"},
        expect=200,
        schema="ExtensionCompileResultModel",
    ).json()
    assert ok == {"successful": True}


def test_a_test_needs_the_organizations_key(coveo: CoveoApi) -> None:
    extension = coveo.create()
    del coveo.session.headers["Authorization"]
    coveo.call("POST", f"/{extension['id']}/test", json={}, expect=401)


def test_a_language_other_than_python3_is_400(coveo: CoveoApi) -> None:
    extension = coveo.create()
    coveo.call("POST", f"/{extension['id']}/test", json={"language": "PYTHON2"}, expect=400)
