"""read: the map as Coveo has it now (console changes show as drift), or no id when the source is gone."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import ReadResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient
from ..connection import resolve_connection
from .errors import explain, is_gone
from .schema import KEPT_FIELDS, from_api_map, outputs, source_id_of


@clear_errors(partial(explain, action="Reading the Coveo source's extensions"))
def read(id_: str, props: Mapping[str, Any]) -> ReadResult:
    """GETs the map; outputs and inputs as the service now has them (drift shows in the next preview), or no id."""
    client = CoveoClient(resolve_connection(props))
    try:
        extension_map = client.get_source_extensions(source_id_of(id_, props))
    except ApiError as exc:
        if is_gone(exc):
            return ReadResult("", {})
        raise
    outs = outputs(props, extension_map, props.get("previous_map"))
    inputs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    inputs.update(from_api_map(extension_map))
    return ReadResult(id_, outs, inputs)
