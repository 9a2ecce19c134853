"""The script of an extension, given inline (`content`) or as a file (`script_path`), and its SHA-256.

The state keeps the script at most once: in the inputs when the program gives `content`, not at all with
`script_path` (the path and the hash only). Outputs carry `content_sha256`, the hash of the script as the
service stores it, which is what `diff` and `update` compare.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any

from ..._paths import local_path

SCRIPT_ENCODING = "utf-8"


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the script's UTF-8 bytes (the same on every machine, whatever the file's line endings)."""
    return hashlib.sha256(text.encode(SCRIPT_ENCODING)).hexdigest()


def read_script(path: str) -> str:
    """The text of the script file, decoded as UTF-8 (the file is read as it is: no newline translation)."""
    with open(local_path(path), encoding=SCRIPT_ENCODING, newline="") as file:
        return file.read()


def script_file_problem(path: Any) -> str | None:
    """Why `script_path` cannot be read as a script, or None (the text itself is checked by the caller)."""
    if not isinstance(path, str) or not path.strip():
        return f"must be the path of the script file (a non-empty string), got {path!r}"
    if not os.path.exists(local_path(path)):
        where = "" if os.path.isabs(path) else f" (looked for at {local_path(path)}, from the project's folder)"
        return f"{path!r} does not exist{where}: give the path of the extension's Python script"
    if not os.path.isfile(local_path(path)):
        return f"{path!r} is not a regular file: give the path of the extension's Python script"
    try:
        read_script(path)
    except UnicodeDecodeError as exc:
        return f"{path!r} is not UTF-8 text ({exc.reason} at byte {exc.start}): save the script as UTF-8"
    except OSError as exc:
        return f"{path!r} cannot be read ({exc.strerror}): fix its permissions"
    return None


def script_of(props: Mapping[str, Any]) -> str:
    """The script to send: `content`, or the text of `script_path` read now (create and update only)."""
    content = props.get("content")
    if content is not None:
        return str(content)
    return read_script(str(props["script_path"]))
