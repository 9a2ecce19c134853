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
