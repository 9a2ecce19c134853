"""delete: DELETE; already gone counts as deleted; an extension sources still use is refused with their names."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient, SourceUse
from ..connection import resolve_connection
from .errors import CoveoExtensionError, explain, is_gone

IN_USE_STATUSES = frozenset({400, 409, 412, 423})  # the service's exact answer is undocumented: a 4xx


def _sources_using(client: CoveoClient, extension_id: str) -> tuple[SourceUse, ...]:
    return client.get_extension(extension_id).used_by or ()


@clear_errors(partial(explain, action="Deleting the Coveo extension"))
def delete(extension_id: str, props: Mapping[str, Any]) -> None:
    """Deletes the extension; fails, naming the sources, while sources still apply it."""
    client = CoveoClient(resolve_connection(props))
    try:
        client.delete_extension(extension_id)
    except ApiError as exc:
        if is_gone(exc):
            return
        if exc.status in IN_USE_STATUSES:
            sources = _sources_using(client, extension_id)
            if sources:
                names = ", ".join(f"{s.source_name} ({s.source_id})" for s in sources)
                raise CoveoExtensionError(
                    f"Cannot delete Coveo extension {extension_id}: it is used by source(s) {names}. Detach it "
                    f"from them first (remove it from their CoveoSourceExtensions, or in the console), then run "
                    f"the command again. ({exc})"
                ) from None
        raise
