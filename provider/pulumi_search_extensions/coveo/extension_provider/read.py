"""read: the extension as Coveo has it now (`pulumi refresh`); 404 means it is gone."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import ReadResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient
from ..connection import checked_connection_inputs, resolve_connection
from .errors import explain, is_gone
from .schema import inputs_from_remote, outputs


@clear_errors(partial(explain, action="Reading the Coveo extension"))
def read(extension_id: str, props: Mapping[str, Any]) -> ReadResult:
    """GETs the extension; returns the outputs and the inputs as the service now has them, or no id when gone."""
    client = CoveoClient(resolve_connection(props))
    # `pulumi import` (provider plugin) reads with nothing recorded: record where it lives, as `check` does.
    props = {**checked_connection_inputs(props), **props}
    try:
        model = client.get_extension(extension_id)
    except ApiError as exc:
        if is_gone(exc):
            return ReadResult("", {})
        raise
    return ReadResult(extension_id, outputs(props, model), inputs_from_remote(props, model))
