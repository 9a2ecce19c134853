"""update: PUT the declared map, re-read it; the adoption record is kept."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import UpdateResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient
from ..connection import resolve_connection
from .errors import CoveoSourceExtensionsError, describe, explain, is_gone
from .schema import outputs, source_id_of, to_api_map


@clear_errors(partial(explain, action="Updating the Coveo source's extensions"))
def update(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> UpdateResult:
    """PUTs the declared map and returns the refreshed outputs (the adoption record is kept)."""
    client = CoveoClient(resolve_connection(news))
    source_id = source_id_of(id_, news)
    try:
        client.put_source_extensions(source_id, to_api_map(news), bool(news.get("rebuild")))
        extension_map = client.get_source_extensions(source_id)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoSourceExtensionsError(
                f"Updating the Coveo source's extensions failed: {describe(exc)}. The source was deleted outside "
                f"Pulumi: run `pulumi refresh` to forget this resource."
            ) from None
        raise
    return UpdateResult(outputs(news, extension_map, olds.get("previous_map")))
