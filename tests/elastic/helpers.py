"""What only the Elastic tests need: zip files, a client of the emulator, its extensions, valid inputs.

The shared scaffolding (configured providers, stack config, call counts, fault rules, a file server) is in
`tests/support`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi.dynamic import ResourceProvider

from pulumi_search_extensions._http import HttpSettings
from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.emulator import EmulatorHandle
from support import providers

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


def emulator_client(emulator: EmulatorHandle, **settings: Any) -> ElasticClient:
    """A client of the emulator's Elastic API, for arranging and inspecting state behind the provider."""
    return ElasticClient(emulator.url, f"ApiKey {emulator.elastic_api_key}", HttpSettings(**settings))


def elastic_extensions(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    """The emulator's Elastic extensions (with `deployments` and `file_sha256`)."""
    extensions: list[dict[str, Any]] = emulator.admin.dump()["elastic"]["extensions"]
    return extensions


def checked(provider: ResourceProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a bundle `synonyms` (overridden by `inputs`), asserting check passes."""
    news: dict[str, Any] = {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""}
    return providers.checked(provider, {**news, **inputs})
