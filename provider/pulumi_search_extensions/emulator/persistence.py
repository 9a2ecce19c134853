"""Optional `--data-dir` persistence: one JSON snapshot of every backend, replaced atomically.

The snapshot is rewritten after each change (write to a temporary file in the same directory,
then `os.replace`), so a restart, or even a killed process, with the same data directory finds
the last acknowledged state. Uploaded files live next to it, under `elastic-files/`.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

STATE_FILE_NAME = "state.json"
ELASTIC_FILES_DIR_NAME = "elastic-files"
SNAPSHOT_FORMAT = 1


class SnapshotStore:
    """Reads and atomically writes `<data dir>/state.json`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.state_file = data_dir / STATE_FILE_NAME
        self._lock = threading.Lock()
        data_dir.mkdir(parents=True, exist_ok=True)

    def read(self) -> dict[str, Any] | None:
        """The saved snapshot, or None when there is none yet."""
        try:
            text = self.state_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"{self.state_file} is not an emulator snapshot (format {SNAPSHOT_FORMAT})")
        return data

    def write(self, take_snapshot: Callable[[], dict[str, Any]]) -> None:
        """Take a snapshot and replace the file with it.

        The snapshot is taken under the store's lock so that concurrent writers cannot replace a
        newer state with an older one.
        """
        with self._lock:
            data = {"format": SNAPSHOT_FORMAT, **take_snapshot()}
            descriptor, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=self.data_dir)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, separators=(",", ":"))
                os.replace(temporary, self.state_file)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
