"""A document pushed to an emulated source goes through its pipeline: `POST/GET
/_emulator/coveo/organizations/{org}/sources/{sourceId}/documents`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator

from .coveo_api import CoveoApi


def _documents_url(emulator: EmulatorHandle, source_id: str) -> str:
    return (
        f"{emulator.url}/_emulator/coveo/organizations/{emulator.coveo_organization_id}/sources/{source_id}/documents"
    )


def _push(emulator: EmulatorHandle, source_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(_documents_url(emulator, source_id), json=body, timeout=60)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def _page(uri: str, html: str, **crawled: list[str]) -> dict[str, Any]:
    return {
        "document": {
            "id": uri,
            "metadata": [{"origin": "crawler", "values": crawled}],
            "dataStreams": [{"origin": "crawler", "values": {"DOCUMENT_DATA": {"inlineContent": html}}}],
        }
    }


def _entry(extension_id: str, **fields: Any) -> dict[str, Any]:
    return {"extensionId": extension_id, **fields}


def test_pre_and_post_conversion_extensions_run_around_the_conversion(
    emulator: EmulatorHandle, coveo: CoveoApi
) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    pre = coveo.create(
        name="pre", content="document.add_meta_data({'lang': 'en'})\n", requiredDataStreams=["DOCUMENT_DATA"]
    )
    post = coveo.create(
        name="post",
        content="text = document.get_data_stream('body_text').read()\n"
        "lang = document.get_meta_data_value('lang')\n"
        "document.add_meta_data({'words': str(len(text.split())), 'seen_lang': lang})\n",
        requiredDataStreams=["BODY_TEXT"],
    )
    coveo.apply(
        source["id"],
        {"common": {"preConversionExtensions": [_entry(pre["id"])], "postConversionExtensions": [_entry(post["id"])]}},
    )
    item = _push(
        emulator,
        source["id"],
        _page("https://x/1", "<html><title>Home</title><body><p>three small words</p></body></html>"),
    )
    assert item["rejected"] is False
    assert item["fields"]["title"] == ["Home"]  # the conversion's
    assert item["fields"]["words"] == ["3"]
    assert item["fields"]["seen_lang"] == ["en"]  # the pre-conversion addition, mapped
    assert [(run["stage"], run["name"], run["status"]) for run in item["extensions"]] == [
        ("pre_conversion", "pre", "SUCCESS"),
        ("post_conversion", "post", "SUCCESS"),
    ]
    listed = requests.get(_documents_url(emulator, source["id"]), timeout=30).json()
    assert listed == {"items": [item]}


def test_a_condition_that_does_not_match_skips_the_extension(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(name="tagger", content="document.add_meta_data({'tagged': 'yes'})\n")
    condition = '%[filetype] == "html"'
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [_entry(tagger["id"], condition=condition)]}})
    html_page = _push(emulator, source["id"], _page("https://x/1", "<p>a</p>", filetype=["html"]))
    pdf = _push(emulator, source["id"], _page("https://x/2", "%PDF", filetype=["pdf"]))
    assert html_page["fields"]["tagged"] == ["yes"]
    assert "tagged" not in pdf["fields"]
    assert pdf["extensions"] == [
        {"stage": "post_conversion", "extensionId": tagger["id"], "name": "tagger", "status": "SKIPPED"}
    ]


def test_a_list_condition_matches_in_any_order(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(name="tagger", content="document.add_meta_data({'tagged': 'yes'})\n")
    condition = '%[m] == ["v1","v2"]'
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [_entry(tagger["id"], condition=condition)]}})
    assert _push(emulator, source["id"], _page("https://x/1", "a", m=["v2", "v1"]))["fields"]["tagged"] == ["yes"]


def test_parameters_reach_the_script(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(content="document.add_meta_data({parameters['field']: parameters['value']})\n")
    entry = _entry(tagger["id"], parameters={"field": "section", "value": "intranet"})
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [entry]}})
    assert _push(emulator, source["id"], _page("https://x/1", "a"))["fields"]["section"] == ["intranet"]


def test_on_error_skip_goes_on_without_the_changes_and_reject_drops_the_item(
    emulator: EmulatorHandle, coveo: CoveoApi
) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    failing = coveo.create(name="failing", content="document.add_meta_data({'half': 'done'})\nraise ValueError('x')\n")
    after = coveo.create(name="after", content="document.add_meta_data({'after': 'ran'})\n")
    skip = [_entry(failing["id"]), _entry(after["id"])]
    coveo.apply(source["id"], {"common": {"postConversionExtensions": skip}})
    skipped = _push(emulator, source["id"], _page("https://x/1", "a"))
    assert skipped["rejected"] is False
    assert "half" not in skipped["fields"] and skipped["fields"]["after"] == ["ran"]
    assert skipped["extensions"][0]["status"] == "EXECUTION_ERROR"
    assert "ValueError: x" in skipped["extensions"][0]["reason"]
    reject = [_entry(failing["id"], actionOnError="REJECT_DOCUMENT"), _entry(after["id"])]
    coveo.apply(source["id"], {"common": {"postConversionExtensions": reject}})
    dropped = _push(emulator, source["id"], _page("https://x/2", "a"))
    assert dropped["rejected"] is True
    assert [run["name"] for run in dropped["extensions"]] == ["failing"]  # no further extension ran


def test_a_rejecting_script_drops_the_item(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    rejecter = coveo.create(content="document.reject()\n")
    coveo.apply(source["id"], {"common": {"preConversionExtensions": [_entry(rejecter["id"])]}})
    item = _push(emulator, source["id"], _page("https://x/1", "a"))
    assert item["rejected"] is True and item["extensions"][0]["status"] == "REJECTED"


def test_item_type_lists_run_only_for_their_item_type(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(content="document.add_meta_data({'typed': 'yes'})\n")
    coveo.apply(source["id"], {"items": {"Page": {"postConversionExtensions": [_entry(tagger["id"])]}}})
    page = _push(emulator, source["id"], {**_page("https://x/1", "a"), "itemType": "Page"})
    other = _push(emulator, source["id"], {**_page("https://x/2", "a"), "itemType": "File"})
    assert page["fields"]["typed"] == ["yes"] and "typed" not in other["fields"]


def test_an_unknown_source_is_404_and_a_bad_body_400(emulator: EmulatorHandle) -> None:
    assert requests.post(_documents_url(emulator, "nope"), json={}, timeout=30).status_code == 404
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    assert requests.post(_documents_url(emulator, source["id"]), data=b"x", timeout=30).status_code == 400
    bad = {"document": {"metadata": "x"}}
    assert requests.post(_documents_url(emulator, source["id"]), json=bad, timeout=30).status_code == 400


def test_a_time_out_follows_action_on_error(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    slow = coveo.create(name="slow", content="document.add_meta_data({'slow': 'yes'})\nimport time\ntime.sleep(30)\n")
    coveo.call("PUT", f"/{slow['id']}/timeouts", json={"executionTimeout": 1}, expect=204)
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [_entry(slow["id"])]}})
    skipped = _push(emulator, source["id"], _page("https://x/1", "a"))
    assert skipped["rejected"] is False and "slow" not in skipped["fields"]
    assert skipped["extensions"][0]["status"] == "TIMEOUT"
    entry = _entry(slow["id"], actionOnError="REJECT_DOCUMENT")
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [entry]}})
    assert _push(emulator, source["id"], _page("https://x/2", "a"))["rejected"] is True


def test_a_disabled_extension_does_not_run(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(content="document.add_meta_data({'tagged': 'yes'})\n", enabled=False)
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [_entry(tagger["id"])]}})
    item = _push(emulator, source["id"], _page("https://x/1", "a"))
    assert "tagged" not in item["fields"] and item["extensions"][0]["status"] == "DISABLED"


def test_a_reset_forgets_the_items_with_their_source(emulator: EmulatorHandle) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    _push(emulator, source["id"], _page("https://x/1", "a"))
    assert len(emulator.admin.documents(emulator.coveo_organization_id, source["id"])) == 1
    emulator.admin.reset()
    assert requests.get(_documents_url(emulator, source["id"]), timeout=30).status_code == 404


def test_pushed_items_are_kept_across_a_restart_with_the_same_data_dir(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as first:
        org = first.coveo_organization_id
        source = first.admin.create_source(org, "web")
        item = first.admin.push_document(org, source["id"], _page("https://x/1", "a")["document"])
    with run_emulator(data_dir=tmp_path) as second:
        assert second.admin.documents(org, source["id"]) == [item]


def test_an_entrys_own_item_type_restricts_it_to_that_type(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    source = emulator.admin.create_source(emulator.coveo_organization_id, "web")
    tagger = coveo.create(content="document.add_meta_data({'typed': 'yes'})\n")
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [_entry(tagger["id"], itemType="Page")]}})
    page = _push(emulator, source["id"], {**_page("https://x/1", "a"), "itemType": "Page"})
    untyped = _push(emulator, source["id"], _page("https://x/2", "a"))
    assert page["fields"]["typed"] == ["yes"]
    assert "typed" not in untyped["fields"] and untyped["extensions"] == []
