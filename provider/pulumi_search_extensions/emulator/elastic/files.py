"""Extension archives on disk: receiving one in constant memory, moving it into place, naming it.

Each extension's archive is `<files_dir>/<extension id>.zip`; a file still arriving is written to
a `.incoming-*` partial file first, so a failed or refused transfer never replaces an archive.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

_FILE_SUFFIX = ".zip"
_PARTIAL_PREFIX = ".incoming-"


def file_download_path(extension_id: str) -> str:
    """The emulator path serving an extension's archive (the temporary link in file_metadata)."""
    return f"/_emulator/elastic/files/{extension_id}"


class FileSink:
    """Receives one extension file chunk by chunk: written to a partial file, hashed on the way.

    Past `limit_bytes` it stops writing but keeps counting, so the caller can read the rest of the
    request body and still answer with a clean error.  Use it as a context manager: a sink that was
    not handed to the backend removes its partial file on exit.
    """

    def __init__(self, partial_path: Path, limit_bytes: int) -> None:
        self.partial_path = partial_path
        self.limit_bytes = limit_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self._handle: IO[bytes] = partial_path.open("wb")

    @property
    def too_large(self) -> bool:
        """Whether more than `limit_bytes` arrived."""
        return self.size > self.limit_bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of what was received."""
        return self._hash.hexdigest()

    def write(self, chunk: bytes) -> None:
        """Append a chunk (ignored, only counted, once the limit is passed)."""
        self.size += len(chunk)
        if self.too_large:
            self._close_and_remove()
            return
        self._hash.update(chunk)
        self._handle.write(chunk)

    def finish(self) -> None:
        """Flush and close the partial file (it stays on disk for the backend to move)."""
        if not self._handle.closed:
            self._handle.close()

    def _close_and_remove(self) -> None:
        self.finish()
        self.partial_path.unlink(missing_ok=True)

    def __enter__(self) -> FileSink:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Once the backend has adopted the file the partial path is gone and this is a no-op.
        self._close_and_remove()


class FileStore:
    """The directory holding every extension's archive (and the partial files of transfers)."""

    def __init__(self, files_dir: Path) -> None:
        self.files_dir = files_dir
        files_dir.mkdir(parents=True, exist_ok=True)

    def path(self, extension_id: str) -> Path:
        """Where the extension's archive lives (whether or not it exists)."""
        if not extension_id.isdigit():
            raise ValueError(f"not an extension id: {extension_id!r}")
        return self.files_dir / f"{extension_id}{_FILE_SUFFIX}"

    def new_sink(self, limit_bytes: int) -> FileSink:
        """A sink writing to a fresh partial file."""
        return FileSink(self.files_dir / f"{_PARTIAL_PREFIX}{uuid.uuid4().hex}", limit_bytes)

    def adopt(self, extension_id: str, sink: FileSink) -> None:
        """Move a finished sink's file into place as the extension's archive."""
        os.replace(sink.partial_path, self.path(extension_id))

    def remove(self, extension_id: str) -> None:
        """Delete the extension's archive, if any."""
        self.path(extension_id).unlink(missing_ok=True)

    def clear(self) -> None:
        """Delete every archive and partial file of this store (nothing else in the directory)."""
        for path in self._owned_files():
            path.unlink(missing_ok=True)

    def _owned_files(self) -> Iterable[Path]:
        for path in self.files_dir.iterdir():
            if path.name.startswith(_PARTIAL_PREFIX) or (path.suffix == _FILE_SUFFIX and path.stem.isdigit()):
                yield path
