"""upload: send the extension's zip file from `file_path` (PUT), streamed from disk."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..._paths import local_path
from ..._service_errors import clear_errors
from ..client import ElasticClient, Extension
from .errors import explain


def needs_upload(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether `news` declares a file whose hash differs from the one last uploaded (or a drifted file)."""
    return bool(news.get("file_path")) and olds.get("file_sha256") != news.get("file_sha256")


@clear_errors(partial(explain, action="Uploading the Elastic extension's file"))  # a step of create and update
def upload(client: ElasticClient, extension_id: str, props: Mapping[str, Any]) -> Extension:
    """Uploads the file at `props["file_path"]` as the extension's file; the service has stored it on return."""
    file_path = str(props["file_path"])
    try:
        return client.put_extension_file(extension_id, local_path(file_path))
    except OSError as error:
        raise OSError(f"cannot read {file_path!r} to upload it ({error.strerror}): fix the file and retry") from None
