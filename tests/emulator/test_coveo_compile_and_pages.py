"""`POST /test/compile` and the paged listings (`/page`, `/ids`, `/project`)."""

from __future__ import annotations

from typing import Any

import pytest

from .coveo_api import CoveoApi


def _compile(coveo: CoveoApi, code: str) -> dict[str, Any]:
    result: dict[str, Any] = coveo.call(
        "POST",
        "/test/compile",
        json={"code": code, "language": "PYTHON3"},
        expect=200,
        schema="ExtensionCompileResultModel",
    ).json()
    return result


def test_valid_python3_compiles(coveo: CoveoApi) -> None:
    assert _compile(coveo, "title = document.get_meta_data_value('title')\nlog(title)\n") == {"successful": True}


def test_a_syntax_error_reports_type_line_offset_and_message(coveo: CoveoApi) -> None:
    result = _compile(coveo, "x = 1\nif x\n    pass\n")
    assert result["successful"] is False
    assert result["error"]["type"] == "SyntaxError"
    assert result["error"]["line"] == 2
    assert result["error"]["offset"] > 0
    assert result["error"]["message"]


def test_python2_print_statement_does_not_compile_under_python3(coveo: CoveoApi) -> None:
    result = _compile(coveo, "print 'hello'\n")
    assert result["successful"] is False
    assert result["error"]["line"] == 1


def test_bad_indentation_is_reported_as_such(coveo: CoveoApi) -> None:
    result = _compile(coveo, "def f():\nreturn 1\n")
    assert result["error"]["type"] == "IndentationError"


def test_compiling_never_runs_the_script(coveo: CoveoApi) -> None:
    assert _compile(coveo, "raise SystemExit(1)\n") == {"successful": True}
    assert coveo.call("GET", expect=200, schema="ExtensionModel[]").json() == []


@pytest.mark.parametrize(
    "body", [{"language": "PYTHON3"}, {"code": 5}, {"code": "pass", "language": "PYTHON2"}, ["pass"]]
)
def test_compile_rejects_a_bad_body_with_400(coveo: CoveoApi, body: object) -> None:
    coveo.call("POST", "/test/compile", json=body, expect=400)


def test_page_slices_the_list_and_counts_pages(coveo: CoveoApi) -> None:
    ids = [coveo.create(name=f"extension {index}")["id"] for index in range(5)]
    page = coveo.call(
        "GET", "/page", params={"page": 1, "perPage": 2}, expect=200, schema="PageModelExtensionModel"
    ).json()
    assert [item["id"] for item in page["items"]] == ids[2:4]
    assert page["totalEntries"] == 5
    assert page["totalPages"] == 3


def test_page_defaults_to_the_first_hundred(coveo: CoveoApi) -> None:
    coveo.create()
    page = coveo.call("GET", "/page", expect=200, schema="PageModelExtensionModel").json()
    assert (len(page["items"]), page["totalEntries"], page["totalPages"]) == (1, 1, 1)


def test_page_beyond_the_end_is_empty(coveo: CoveoApi) -> None:
    coveo.create()
    page = coveo.call("GET", "/page", params={"page": 3}, expect=200, schema="PageModelExtensionModel").json()
    assert page["items"] == []
    assert page["totalEntries"] == 1


def test_page_filter_matches_name_or_description_ignoring_case(coveo: CoveoApi) -> None:
    coveo.create(name="Title cleaner")
    coveo.create(name="Other", description="cleans TITLES too")
    coveo.create(name="Unrelated")
    page = coveo.call("GET", "/page", params={"filter": "title"}, expect=200, schema="PageModelExtensionModel").json()
    assert sorted(item["name"] for item in page["items"]) == ["Other", "Title cleaner"]


@pytest.mark.parametrize("params", [{"page": -1}, {"perPage": 0}, {"page": "first"}])
def test_page_rejects_bad_paging_with_400(coveo: CoveoApi, params: dict[str, object]) -> None:
    coveo.call("GET", "/page", params=params, expect=400)


def test_ids_returns_the_known_ones_in_request_order(coveo: CoveoApi) -> None:
    first, second, _third = (coveo.create(name=f"e{index}")["id"] for index in range(3))
    page = coveo.call(
        "POST", "/ids", json=[second, "searchdemoorg-unknown", first], expect=200, schema="PageModelExtensionModel"
    ).json()
    assert [item["id"] for item in page["items"]] == [second, first]
    assert page["totalEntries"] == 2


def test_ids_needs_an_array_of_strings(coveo: CoveoApi) -> None:
    coveo.call("POST", "/ids", json={"ids": []}, expect=400)


def test_project_selects_extensions_by_project_id(coveo: CoveoApi) -> None:
    in_project = coveo.create(projectIds=["project-a"])
    coveo.create(projectIds=["project-b"])
    page = coveo.call(
        "GET", "/project", params={"projectId": "project-a"}, expect=200, schema="PageModelExtensionModel"
    ).json()
    assert [item["id"] for item in page["items"]] == [in_project["id"]]
    assert page["items"][0]["projectIds"] == ["project-a"]
