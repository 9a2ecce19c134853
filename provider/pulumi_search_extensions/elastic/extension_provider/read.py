"""read (refresh): the extension as the service has it, with drift in its metadata and its file."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import ReadResult

from ..._service_errors import clear_errors
from .. import connection
from .errors import explain, get_or_none
from .schema import file_drift, inputs_of, outputs


@clear_errors(partial(explain, action="Reading the Elastic extension"))
def read(extension_id: str, props: Mapping[str, Any]) -> ReadResult:
    """Reads the extension; an empty id means it is gone (404, or 403 on Elastic Cloud).

    `props` are the stored outputs. Name, version, description and URL come from the service, so a
    change made behind Pulumi's back shows in the next preview. A file whose size or date differs from
    what the provider last uploaded gets a `file_sha256` that no program declares: a planned re-upload.
    """
    client = connection.client_for(props)
    # `pulumi import` (provider plugin) reads with nothing recorded: record where it lives, as `check` does.
    props = {"endpoint": connection.resolve_endpoint(props), **props}
    remote = get_or_none(client, extension_id)
    if remote is None:
        return ReadResult("", {})
    outs = outputs(props, remote)
    drift = file_drift(props, remote)
    if drift is not None:
        outs["file_sha256"] = drift
    return ReadResult(extension_id, outs, inputs_of(outs))
