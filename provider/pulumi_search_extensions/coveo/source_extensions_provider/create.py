"""create: refuse to overwrite a map nobody declared (unless `adopt`), PUT, re-read; undo on failure."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import CreateResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient
from ..connection import resolve_connection
from .errors import CoveoSourceExtensionsError, describe, explain, is_gone
from .schema import applied_extension_ids, describe_applied, from_api_map, outputs, source_id_of, to_api_map


def _current_map(client: CoveoClient, source_id: str) -> dict[str, Any]:
    try:
        return client.get_source_extensions(source_id)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoSourceExtensionsError(
                f"Source {source_id!r} does not exist in Coveo organization {client.organization_id} ({exc}). "
                f"Check `source_id` (the id shown in the console's Sources page)."
            ) from None
        raise


def _may_have_been_applied(exc: ApiError) -> bool:
    return exc.is_connection_error or (exc.status is not None and exc.status >= 500)


def _put_or_restore(
    client: CoveoClient, source_id: str, body: dict[str, Any], rebuild: bool, restore: dict[str, Any]
) -> dict[str, Any]:
    """PUTs `body` and re-reads the map; when that fails after the PUT may have been applied, puts `restore` back.

    Left in place, a map no state records would bind extensions that then could not be deleted.
    """
    try:
        client.put_source_extensions(source_id, body, rebuild)
        return client.get_source_extensions(source_id)
    except ApiError as exc:
        put_refused = exc.method == "PUT" and not _may_have_been_applied(exc)
        if put_refused:
            raise  # refused as a whole (e.g. 400 unknown extension): nothing to undo
        try:
            client.put_source_extensions(source_id, restore, False)
        except ApiError as restore_exc:
            raise CoveoSourceExtensionsError(
                f"Applying extensions to source {source_id} failed: {describe(exc)}\nPutting its previous extension "
                f"map back also failed ({restore_exc}): the source may now run extensions no Pulumi state records. "
                f"Check its extensions in the console, then run `pulumi up` again (with adopt=True to keep them)."
            ) from None
        raise CoveoSourceExtensionsError(
            f"Applying extensions to source {source_id} failed: {describe(exc)}. Its previous extension map was "
            f"put back: nothing was left behind."
        ) from None


@clear_errors(partial(explain, action="Applying the extensions to the Coveo source"))
def create(props: Mapping[str, Any]) -> CreateResult:
    """Applies the declared map to the source (recording the existing one with `adopt`); leaves nothing on failure."""
    client = CoveoClient(resolve_connection(props))
    source_id = source_id_of("", props)
    body = to_api_map(props)
    current = _current_map(client, source_id)
    current_declared = from_api_map(current)
    already_applied = bool(applied_extension_ids(current_declared))
    previous_map: dict[str, Any] | None = None
    if props.get("adopt"):
        previous_map = current
    elif already_applied and current_declared != from_api_map(body):
        raise CoveoSourceExtensionsError(
            f"Source {source_id} already runs {describe_applied(current_declared)}, which this program does not "
            f"declare. Set adopt=True to take the source over (its current extensions are put back when the "
            f"resource is destroyed), or remove them in the console first. Nothing was changed."
        )
    extension_map = _put_or_restore(client, source_id, body, bool(props.get("rebuild")), current)
    return CreateResult(source_id, outputs(props, extension_map, previous_map))
