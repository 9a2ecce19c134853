"""delete: unwire (an empty map, or the one recorded by `adopt`); a source already gone counts as done."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient
from ..connection import resolve_connection
from .errors import explain, is_gone, warn
from .schema import STAGES, empty_map, source_id_of


def _without_missing_extensions(
    client: CoveoClient, extension_map: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The map without entries whose extension no longer exists, and the ids dropped."""
    missing: list[str] = []
    groups = [extension_map.get("common") or {}, *(extension_map.get("items") or {}).values()]
    for extension_id in dict.fromkeys(
        e.get("extensionId") for g in groups for s in STAGES.values() for e in g.get(s) or []
    ):
        try:
            client.get_extension(str(extension_id))
        except ApiError as exc:
            if exc.status != 404:
                raise
            missing.append(str(extension_id))

    def kept(group: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **group,
            **{s: [e for e in group.get(s) or [] if e.get("extensionId") not in missing] for s in STAGES.values()},
        }

    items = extension_map.get("items") or {}
    return {"common": kept(extension_map.get("common") or {}), "items": {t: kept(g) for t, g in items.items()}}, missing


@clear_errors(partial(explain, action="Removing the extensions from the Coveo source"))
def delete(id_: str, props: Mapping[str, Any]) -> None:
    """Puts back an empty map (or the one recorded by `adopt`); a source that no longer exists counts as done."""
    client = CoveoClient(resolve_connection(props))
    source_id = source_id_of(id_, props)
    previous_map = props.get("previous_map")
    body = dict(previous_map) if isinstance(previous_map, Mapping) else empty_map()
    rebuild = bool(props.get("rebuild"))
    try:
        client.put_source_extensions(source_id, body, rebuild)
    except ApiError as exc:
        if is_gone(exc):
            return
        if exc.status != 400 or not isinstance(previous_map, Mapping):
            raise
        # The adopted map names an extension deleted since: restore the rest rather than block the destroy.
        body, missing = _without_missing_extensions(client, body)
        if not missing:
            raise
        warn(
            f"source {source_id}: the extension map recorded at adoption names extension(s) that no longer "
            f"exist ({', '.join(missing)}); the rest of it was restored."
        )
        client.put_source_extensions(source_id, body, rebuild)
