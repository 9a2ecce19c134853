"""`--data-dir`: the state survives a restart (even a killed process); without it, nothing does."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import psutil

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator

from .coveo_api import CoveoApi


def _coveo(handle: EmulatorHandle) -> CoveoApi:
    return CoveoApi(handle.url, handle.coveo_organization_id, handle.coveo_api_key)


def _populate(handle: EmulatorHandle) -> dict[str, Any]:
    """An extension with two versions, disabled, applied to a source."""
    coveo = _coveo(handle)
    extension = coveo.create(content="v1")
    coveo.call(
        "PUT", f"/{extension['id']}", json={"name": "kept", "content": "v2"}, expect=200, schema="ExtensionModel"
    )
    coveo.call("POST", f"/{extension['id']}/disable", json={"reason": "paused"}, expect=204)
    source = handle.admin.create_source(handle.coveo_organization_id, "Docs")
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [{"extensionId": extension["id"]}]}})
    versions = coveo.call("GET", f"/{extension['id']}/versions", expect=200, schema="ExtensionContentVersionModel[]")
    return {"dump": handle.admin.dump(), "versions": versions.json(), "extension_id": extension["id"]}


def test_a_restart_with_the_same_data_dir_keeps_everything(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as first:
        saved = _populate(first)
    with run_emulator(data_dir=tmp_path) as second:
        assert second.admin.dump() == saved["dump"]
        coveo = _coveo(second)
        versions = coveo.call(
            "GET", f"/{saved['extension_id']}/versions", expect=200, schema="ExtensionContentVersionModel[]"
        )
        assert versions.json() == saved["versions"]
        # Still in use, so still protected.
        coveo.call("DELETE", f"/{saved['extension_id']}", expect=409)


def test_state_written_before_a_kill_survives_it(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as first:
        saved = _populate(first)
        os.kill(first.pid, signal.SIGKILL)
        psutil.Process(first.pid).wait(timeout=10)
    with run_emulator(data_dir=tmp_path) as second:
        assert second.admin.dump() == saved["dump"]


def test_the_snapshot_is_a_json_file_in_the_data_dir(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as handle:
        _coveo(handle).create(name="on disk")
        state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert state["format"] == 1
    assert [extension["name"] for extension in state["coveo"]["searchdemoorg"]["extensions"]] == ["on disk"]
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".state-")]


def test_a_reset_is_persisted_too(tmp_path: Path) -> None:
    with run_emulator(data_dir=tmp_path) as first:
        _populate(first)
        first.admin.reset()
    with run_emulator(data_dir=tmp_path) as second:
        assert second.admin.dump()["coveo"]["searchdemoorg"] == {"extensions": [], "sources": []}


def test_without_a_data_dir_a_new_process_starts_empty(emulator: EmulatorHandle) -> None:
    _coveo(emulator).create()
    with run_emulator() as fresh:
        assert fresh.admin.dump()["coveo"]["searchdemoorg"]["extensions"] == []
