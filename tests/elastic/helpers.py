"""Test helpers for the Elastic resource: zip files, and a tiny HTTP server the service can fetch from."""

from __future__ import annotations

import functools
import threading
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_search_extensions._http import HttpSettings
from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle

EXTENSIONS_ROUTE = "/api/v1/deployments/extensions"
EXTENSION_ROUTE = "/api/v1/deployments/extensions/{extension_id}"


def make_zip(path: Path, files: Mapping[str, str | bytes] | None = None, *, stored_bytes: int = 0) -> Path:
    """Writes a zip archive (with `stored_bytes` of incompressible padding when asked) and returns its path."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (files or {"dictionaries/synonyms.txt": "laptop, notebook\n"}).items():
            archive.writestr(name, content)
        if stored_bytes:
            info = zipfile.ZipInfo("padding.bin")
            info.compress_type = zipfile.ZIP_STORED
            with archive.open(info, "w", force_zip64=True) as padding:
                block = bytes(range(256)) * 4096  # 1 MiB, written block by block
                for offset in range(0, stored_bytes, len(block)):
                    padding.write(block[: min(len(block), stored_bytes - offset)])
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serves `directory` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def configured_provider(config: Mapping[str, Any]) -> ElasticExtensionProvider:
    """A provider configured with `config` as its stack config, the way the engine does it."""
    provider = ElasticExtensionProvider()
    provider.configure(ConfigureRequest(Config(dict(config), "proj")))
    return provider


def emulator_config(emulator: EmulatorHandle, **extra: Any) -> dict[str, Any]:
    """Stack config pointing at the emulator with its API key."""
    return {"ec:endpoint": emulator.url, "ec:apikey": emulator.elastic_api_key, **extra}


def emulator_client(emulator: EmulatorHandle, **settings: Any) -> ElasticClient:
    """A client of the emulator's Elastic API, for arranging and inspecting state behind the provider."""
    return ElasticClient(emulator.url, f"ApiKey {emulator.elastic_api_key}", HttpSettings(**settings))


def elastic_extensions(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    """The emulator's Elastic extensions (with `deployments` and `file_sha256`)."""
    extensions: list[dict[str, Any]] = emulator.admin.dump()["elastic"]["extensions"]
    return extensions


def request_counts(emulator: EmulatorHandle) -> dict[str, int]:
    """How many Elastic API calls the emulator saw, by "METHOD route"."""
    counts: dict[str, int] = emulator.admin.requests()["counts"]
    return {key: value for key, value in counts.items() if "/api/v1/" in key}


def fault_rule(method: str, route: str, **rule: Any) -> dict[str, Any]:
    """A fault configuration with one rule."""
    return {"rules": [{"method": method, "route": route, **rule}]}


def checked(provider: ElasticExtensionProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a bundle `synonyms` (overridden by `inputs`), asserting check passes."""
    news: dict[str, Any] = {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""}
    news.update(inputs)
    result = provider.check({}, news)
    assert result.failures == [], [failure.reason for failure in result.failures]
    return result.inputs
