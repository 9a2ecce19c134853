"""Files that resources upload or point at: Elasticsearch bundle zips."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

SYNONYMS = {"dictionaries/synonyms.txt": "laptop, notebook\n"}
"""The content of the smallest valid bundle: one synonyms dictionary."""


def make_zip(path: Path, files: Mapping[str, str | bytes] | None = None, *, stored_bytes: int = 0) -> Path:
    """Writes a zip archive of `files` (a synonyms bundle by default) and returns its path.

    With `stored_bytes`, adds that many bytes of incompressible, uncompressed padding (a large upload).
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (files or SYNONYMS).items():
            archive.writestr(name, content)
        if stored_bytes:
            info = zipfile.ZipInfo("padding.bin")
            info.compress_type = zipfile.ZIP_STORED
            with archive.open(info, "w", force_zip64=True) as padding:
                block = bytes(range(256)) * 4096  # 1 MiB, written block by block
                for offset in range(0, stored_bytes, len(block)):
                    padding.write(block[: min(len(block), stored_bytes - offset)])
    return path


CLASSIC_DESCRIPTOR = {
    "description": "An analysis plugin",
    "version": "1.0.0",
    "name": "analysis-example",
    "classname": "org.example.AnalysisExamplePlugin",
    "java.version": "17",
    "elasticsearch.version": "8.15.0",
}
"""The keys of a valid classic `plugin-descriptor.properties`, built for Elasticsearch 8.15.0."""


def descriptor_text(properties: Mapping[str, str]) -> str:
    """A `.properties` file holding `properties`, as a plugin build writes it."""
    return "# Elasticsearch plugin descriptor\n" + "".join(f"{key}={value}\n" for key, value in properties.items())


def make_plugin_zip(
    path: Path,
    descriptor: Mapping[str, str] | None = None,
    *,
    stable: bool = False,
    extra: Mapping[str, str | bytes] | None = None,
) -> Path:
    """A plugin archive: a root JAR and one descriptor (classic by default, `stable` for a stable plugin).

    `descriptor` replaces the descriptor's keys (default `CLASSIC_DESCRIPTOR`, without `classname` if stable);
    `extra` adds entries.
    """
    properties = dict(descriptor if descriptor is not None else CLASSIC_DESCRIPTOR)
    if stable and descriptor is None:
        del properties["classname"]
    name = "stable-plugin-descriptor.properties" if stable else "plugin-descriptor.properties"
    return make_zip(
        path, {name: descriptor_text(properties), "analysis-example-1.0.0.jar": b"PK\x03\x04", **(extra or {})}
    )
