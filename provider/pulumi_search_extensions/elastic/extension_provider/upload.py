"""upload: send the extension's zip file from `file_path` (PUT), streamed from disk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._paths import local_path
from ..client import ElasticClient, Extension


def needs_upload(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether `news` declares a file whose hash differs from the one last uploaded (or a drifted file)."""
    return bool(news.get("file_path")) and olds.get("file_sha256") != news.get("file_sha256")


def upload(client: ElasticClient, extension_id: str, file_path: str) -> Extension:
    """Uploads `file_path` as the extension's file; the service has stored it when this returns."""
    try:
        return client.put_extension_file(extension_id, local_path(file_path))
    except OSError as error:
        raise OSError(f"cannot read {file_path!r} to upload it ({error.strerror}): fix the file and retry") from None
