"""update: POST the full metadata when it changed, re-upload only when the file hash changed."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import UpdateResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from .. import connection
from .errors import ElasticExtensionError, explain, get_or_none, is_gone
from .schema import SENT_FIELDS, extension_request, normalized, outputs
from .upload import needs_upload, upload


@clear_errors(partial(explain, action="Updating the Elastic extension"))
def update(extension_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> UpdateResult:
    """Brings the extension to `news` (checked inputs); `olds` are the stored outputs.

    A change of credentials or `insecure` alone sends nothing: the new values are only recorded.
    """
    client = connection.client_for(news)
    try:
        if _metadata_changed(olds, news) or _refetch_needed(olds, news):
            # The service copies download_url again on every update that carries one.
            client.post_extension_metadata(extension_id, extension_request(news))
        if needs_upload(olds, news):
            upload(client, extension_id, news)
    except (ApiError, ElasticExtensionError) as error:  # the upload step explains its own failure
        if is_gone(client, extension_id, error):
            raise _gone(extension_id) from None
        raise
    current = get_or_none(client, extension_id)
    if current is None:
        raise _gone(extension_id)
    return UpdateResult(outputs(news, current))


def _gone(extension_id: str) -> ElasticExtensionError:
    return ElasticExtensionError(
        f"Elastic extension {extension_id} no longer exists: run `pulumi refresh` so Pulumi forgets it, "
        "then `pulumi up` creates it again"
    )


def _metadata_changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    return any(normalized(key, olds.get(key)) != normalized(key, news.get(key)) for key in SENT_FIELDS)


def _refetch_needed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """With download_url, a drifted file (see read) is repaired by having the service fetch it again."""
    return bool(news.get("download_url")) and olds.get("file_sha256") != news.get("file_sha256")
