"""ElasticBackend apart from HTTP: snapshot and restore, reset, change notifications; and a restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from pulumi_search_extensions.emulator import run_emulator
from pulumi_search_extensions.emulator.elastic import ElasticApiError, ElasticBackend
from pulumi_search_extensions.emulator.elastic.models import ExtensionFields

from .elastic_api import ElasticApi


class ChangeCounter:
    """An `on_change` callback that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def _backend(files_dir: Path, on_change: ChangeCounter | None = None, mode: str = "ess") -> ElasticBackend:
    return ElasticBackend(
        files_dir=files_dir,
        mode=mode,
        api_key="key",
        username="user",
        password="password",
        upload_limit_bytes=1024,
        on_change=on_change or ChangeCounter(),
    )


def _with_file(backend: ElasticBackend, extension_id: str, content: bytes) -> None:
    with backend.open_upload() as sink:
        sink.write(content)
        backend.attach_file(extension_id, sink)


def _populated(files_dir: Path) -> ElasticBackend:
    backend = _backend(files_dir)
    bundle = backend.create_extension(ExtensionFields("bundle", "bundle", "8.*", description="with a file"))
    plugin = backend.create_extension(ExtensionFields("plugin", "plugin", "8.11.3"))
    _with_file(backend, bundle.id, b"PK bundle")
    backend.create_deployment("search-prod", [bundle.id, plugin.id])
    return backend


def test_a_snapshot_is_json_and_restores_every_extension_deployment_and_stamp(tmp_path: Path) -> None:
    original = _populated(tmp_path)
    snapshot = json.loads(json.dumps(original.snapshot()))

    restored = _backend(tmp_path)
    restored.restore(snapshot)

    assert restored.dump() == original.dump()
    assert restored.snapshot() == snapshot
    assert restored.list_extensions() == original.list_extensions()


def test_files_stay_on_disk_and_are_served_after_a_restore(tmp_path: Path) -> None:
    original = _populated(tmp_path)
    bundle_id = original.dump()["extensions"][0]["id"]

    restored = _backend(tmp_path)
    restored.restore(original.snapshot())

    found = restored.stored_file(bundle_id)
    assert found is not None
    path, stored = found
    assert path.read_bytes() == b"PK bundle"
    assert stored.size == len(b"PK bundle")


def test_restored_rules_still_hold(tmp_path: Path) -> None:
    original = _populated(tmp_path)
    bundle_id = original.dump()["extensions"][0]["id"]
    restored = _backend(tmp_path)
    restored.restore(original.snapshot())

    with pytest.raises(ElasticApiError) as refused:
        restored.delete_extension(bundle_id)

    assert refused.value.codes == ["extensions.extension_in_use"]


def test_restoring_an_empty_mapping_means_no_state(tmp_path: Path) -> None:
    backend = _populated(tmp_path)

    backend.restore({})

    assert backend.dump() == {"extensions": [], "deployments": []}


def test_reset_forgets_everything_and_removes_the_files(tmp_path: Path) -> None:
    backend = _populated(tmp_path)
    (tmp_path / "not-ours.txt").write_text("kept")

    backend.reset()

    assert backend.dump() == {"extensions": [], "deployments": []}
    assert [path.name for path in tmp_path.iterdir()] == ["not-ours.txt"]


def test_every_change_is_reported_and_reads_are_not(tmp_path: Path) -> None:
    changes = ChangeCounter()
    backend = _backend(tmp_path, changes)

    extension = backend.create_extension(ExtensionFields("b", "bundle", "*"))
    backend.update_extension(extension.id, ExtensionFields("c", "bundle", "*"))
    _with_file(backend, extension.id, b"PK")
    deployment = backend.create_deployment("d", [extension.id])
    backend.update_deployment(deployment.id, "e", [])
    backend.delete_deployment(deployment.id)
    backend.delete_extension(extension.id)
    backend.reset()
    assert changes.calls == 8

    backend.list_extensions()
    backend.snapshot()
    backend.dump()
    assert changes.calls == 8


def test_a_refused_change_is_not_reported(tmp_path: Path) -> None:
    changes = ChangeCounter()
    backend = _backend(tmp_path, changes)

    with pytest.raises(ElasticApiError):
        backend.delete_extension("1234567890")
    with pytest.raises(ElasticApiError):
        backend.create_deployment("d", ["1234567890"])

    assert changes.calls == 0


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ess"):
        _backend(tmp_path, mode="cloud")


def test_extensions_and_their_files_survive_an_emulator_restart(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as first, ElasticApi(first.url, api_key=first.elastic_api_key) as api:
        created = api.create()
        uploaded = api.upload(created["id"], b"PK persisted")
        first.admin.create_deployment("search-prod", [created["id"]])
        before = first.admin.dump()["elastic"]

    with run_emulator(data_dir=tmp_path) as second, ElasticApi(second.url, api_key=second.elastic_api_key) as api:
        fetched = api.call("GET", f"/{created['id']}", expect=200, definition="Extension").json()
        link = fetched["file_metadata"]["url"]
        assert requests.get(link, timeout=30).content == b"PK persisted"
        assert second.admin.dump()["elastic"] == before
        api.call("DELETE", f"/{created['id']}", expect=400)  # still used by the restored deployment

    assert {key: value for key, value in fetched.items() if key != "file_metadata"} == {
        key: value for key, value in uploaded.items() if key != "file_metadata"
    }
    assert fetched["file_metadata"]["size"] == uploaded["file_metadata"]["size"]
