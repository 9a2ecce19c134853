"""read: the extension as Coveo has it now (`pulumi refresh`); 404 means it is gone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import ReadResult

from ..._http import ApiError
from ..client import CoveoClient
from ..connection import resolve_connection
from .errors import clear_errors
from .schema import inputs_from_remote, outputs


def is_gone(exc: ApiError) -> bool:
    """A 404 about the extension itself (an unknown organization is a configuration problem, not a deletion)."""
    return exc.status == 404 and exc.code != "ORGANIZATION_NOT_FOUND"


@clear_errors("Reading the Coveo extension")
def read(extension_id: str, props: Mapping[str, Any]) -> ReadResult:
    """GETs the extension; returns the outputs and the inputs as the service now has them, or no id when gone."""
    client = CoveoClient(resolve_connection(props))
    try:
        model = client.get_extension(extension_id)
    except ApiError as exc:
        if is_gone(exc):
            return ReadResult("", {})
        raise
    return ReadResult(extension_id, outputs(props, model), inputs_from_remote(props, model))
