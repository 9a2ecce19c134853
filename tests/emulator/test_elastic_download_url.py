"""download_url: the emulator really fetches the file (http/https, no redirects) before answering."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle
from support.servers import QuietHandler, loopback_server, url_of

from .elastic_api import ElasticApi, error_codes

BUNDLE_BYTES = b"PK\x03\x04" + b"synonyms bundle " * 4096
SLOW_PATH = "/slow.zip"


class _ExtensionFiles(QuietHandler):
    """Serves a directory; `SLOW_PATH` sends half a file, then waits for the test to release it."""

    server: _FileServer

    def do_GET(self) -> None:
        if self.path != SLOW_PATH:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(BUNDLE_BYTES)))
        self.end_headers()
        half = len(BUNDLE_BYTES) // 2
        self.wfile.write(BUNDLE_BYTES[:half])
        self.wfile.flush()
        self.server.slow_download_started.set()
        self.server.slow_download_released.wait(timeout=30)
        self.wfile.write(BUNDLE_BYTES[half:])


class _FileServer(ThreadingHTTPServer):
    slow_download_started: threading.Event
    slow_download_released: threading.Event


@dataclass
class FileServer:
    """A local HTTP server the emulator downloads from."""

    url: str
    directory: Path
    server: _FileServer


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileServer]:
    """`bundle.zip` and `other.zip` on 127.0.0.1, plus a sub-directory (which answers with a redirect)."""
    directory = tmp_path_factory.mktemp("served")
    (directory / "bundle.zip").write_bytes(BUNDLE_BYTES)
    (directory / "other.zip").write_bytes(b"PK other")
    (directory / "folder").mkdir()
    with loopback_server(partial(_ExtensionFiles, directory=str(directory)), server_class=_FileServer) as server:
        yield FileServer(url_of(server), directory, server)


@pytest.fixture
def elastic(emulator: EmulatorHandle) -> Iterator[ElasticApi]:
    """The extensions API with the emulator's API key."""
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        yield api


def _refusing_url() -> str:
    """A loopback URL on a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/bundle.zip"


def test_create_with_download_url_copies_the_file(
    elastic: ElasticApi, emulator: EmulatorHandle, file_server: FileServer
) -> None:
    download_url = f"{file_server.url}/bundle.zip"

    created = elastic.create(download_url=download_url)

    assert created["download_url"] == download_url
    assert created["file_metadata"]["size"] == len(BUNDLE_BYTES)
    assert requests.get(created["file_metadata"]["url"], timeout=30).content == BUNDLE_BYTES
    [dumped] = emulator.admin.dump()["elastic"]["extensions"]
    assert dumped["file_sha256"] == hashlib.sha256(BUNDLE_BYTES).hexdigest()


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("/missing.zip", id="404"),
        pytest.param("/folder", id="redirect-not-followed"),
    ],
)
def test_create_fails_with_request_execution_failed_and_creates_nothing(
    elastic: ElasticApi, emulator: EmulatorHandle, file_server: FileServer, target: str
) -> None:
    body = {"name": "b", "extension_type": "bundle", "version": "*", "download_url": file_server.url + target}

    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == ["extensions.request_execution_failed"]
    assert emulator.admin.dump()["elastic"]["extensions"] == []


def test_a_redirect_is_reported_with_its_status(elastic: ElasticApi, file_server: FileServer) -> None:
    body = {"name": "b", "extension_type": "bundle", "version": "*", "download_url": f"{file_server.url}/folder"}

    response = elastic.call("POST", json=body, expect=400)

    assert "HTTP 301" in response.json()["errors"][0]["message"]


def test_create_fails_when_nothing_listens_at_the_url(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    body = {"name": "b", "extension_type": "bundle", "version": "*", "download_url": _refusing_url()}

    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == ["extensions.request_execution_failed"]
    assert emulator.admin.dump()["elastic"]["extensions"] == []


def test_update_with_a_new_download_url_replaces_the_file(elastic: ElasticApi, file_server: FileServer) -> None:
    created = elastic.create(download_url=f"{file_server.url}/bundle.zip")
    other_url = f"{file_server.url}/other.zip"

    body = {"name": "b", "extension_type": "bundle", "version": "*", "download_url": other_url}
    updated = elastic.call("POST", f"/{created['id']}", json=body, expect=200, definition="Extension").json()

    assert updated["id"] == created["id"]
    assert updated["download_url"] == other_url
    assert requests.get(updated["file_metadata"]["url"], timeout=30).content == b"PK other"


def test_a_failed_download_on_update_leaves_the_extension_unchanged(
    elastic: ElasticApi, file_server: FileServer
) -> None:
    created = elastic.create(download_url=f"{file_server.url}/bundle.zip")

    body = {"name": "renamed", "extension_type": "bundle", "version": "*", "download_url": _refusing_url()}
    response = elastic.call("POST", f"/{created['id']}", json=body, expect=400)

    assert error_codes(response) == ["extensions.request_execution_failed"]
    assert elastic.call("GET", f"/{created['id']}", expect=200, definition="Extension").json() == created


def test_the_emulator_keeps_answering_while_it_downloads(
    elastic: ElasticApi, emulator: EmulatorHandle, file_server: FileServer
) -> None:
    file_server.server.slow_download_started = threading.Event()
    file_server.server.slow_download_released = threading.Event()
    creator = ElasticApi(emulator.url, api_key=emulator.elastic_api_key)
    with creator, ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(creator.create, download_url=file_server.url + SLOW_PATH)
        try:
            assert file_server.server.slow_download_started.wait(timeout=30)
            # Half the file has arrived and the rest is held back: the download is in progress,
            # the extension does not exist yet, and other requests are served meanwhile.
            listed = elastic.call("GET", expect=200, definition="Extensions", timeout=5).json()
            assert listed == {"extensions": []}
        finally:
            file_server.server.slow_download_released.set()
        created = pending.result(timeout=30)

    assert created["file_metadata"]["size"] == len(BUNDLE_BYTES)
