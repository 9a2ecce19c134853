"""The core admin API (health, reset, dump) and consistency under concurrent requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from pulumi_search_extensions.emulator import EmulatorHandle

from .coveo_api import CoveoApi
from .spec_validation import validate_coveo


def test_health_is_ok(emulator: EmulatorHandle) -> None:
    response = requests.get(f"{emulator.url}/_emulator/health", timeout=10)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_dump_holds_every_organization_with_models_and_sources(
    emulator: EmulatorHandle, coveo: CoveoApi, other_coveo: CoveoApi
) -> None:
    mine = coveo.create()
    other_coveo.create()
    source = emulator.admin.create_source("searchdemoorg", "Docs")
    coveo.apply(source["id"], {"common": {"preConversionExtensions": [{"extensionId": mine["id"]}]}})
    dump = emulator.admin.dump()
    assert set(dump) == {"coveo", "elastic"}
    assert set(dump["coveo"]) == {"searchdemoorg", "searchotherorg"}
    organization = dump["coveo"]["searchdemoorg"]
    validate_coveo("ExtensionModel[]", organization["extensions"])
    assert organization["extensions"][0]["usedBy"] == [{"sourceId": source["id"], "sourceName": "Docs"}]
    (dumped_source,) = organization["sources"]
    assert (dumped_source["id"], dumped_source["name"]) == (source["id"], "Docs")
    validate_coveo("SourceExtensionsMap", dumped_source["extensions"])
    assert dumped_source["extensions"]["common"]["preConversionExtensions"][0]["extensionId"] == mine["id"]
    assert len(dump["coveo"]["searchotherorg"]["extensions"]) == 1


def test_reset_forgets_data_faults_and_the_request_log(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    coveo.create()
    emulator.admin.create_source("searchdemoorg", "Docs")
    emulator.admin.set_faults({"latency_ms": 5})
    emulator.admin.reset()
    assert emulator.admin.dump()["coveo"]["searchdemoorg"] == {"extensions": [], "sources": []}
    assert emulator.admin.faults()["config"]["latency_ms"] == 0
    assert emulator.admin.requests() == {"requests": [], "counts": {}}


def test_concurrent_creates_all_succeed_with_distinct_ids(coveo: CoveoApi) -> None:
    def create(index: int) -> str:
        with requests.Session() as session:
            session.headers.update(coveo.session.headers)
            response = session.post(coveo.url(), json={"name": f"e{index}", "content": "pass"}, timeout=30)
            assert response.status_code == 201
            return str(response.json()["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(120)))
    assert len(set(ids)) == 120
    listed = coveo.call("GET", expect=200, schema="ExtensionModel[]").json()
    assert sorted(extension["id"] for extension in listed) == sorted(ids)


def test_concurrent_updates_leave_one_version_per_distinct_script(coveo: CoveoApi) -> None:
    extension = coveo.create(content="start")

    def update(index: int) -> int:
        with requests.Session() as session:
            session.headers.update(coveo.session.headers)
            body = {"name": "n", "content": f"script {index}"}
            return session.put(coveo.url(f"/{extension['id']}"), json=body, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(update, range(40))) == {200}
    versions = coveo.call(
        "GET", f"/{extension['id']}/versions", expect=200, schema="ExtensionContentVersionModel[]"
    ).json()
    assert len(versions) == 41
    current = coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel").json()
    assert current["versionId"] == versions[0]["id"]
