"""update: PUT the full model, then bring `enabled` and the execution timeout to what is declared."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pulumi.dynamic import UpdateResult

from ..._http import ApiError
from ..._service_errors import clear_errors
from ..client import CoveoClient, Extension
from ..connection import resolve_connection
from .errors import CoveoExtensionError, describe, explain, is_gone
from .schema import SENT_FIELDS, declared_from_model, edit_model, outputs

DISABLED_REASON = "Disabled by Pulumi: the program declares enabled=False."


def converge(client: CoveoClient, extension_id: str, current: Extension, props: Mapping[str, Any]) -> Extension:
    """The follow-up calls: enable or disable, set the time limit, when `current` differs; then the model.

    After a follow-up call the extension is read again, so the outputs match what a refresh would see.
    Without one, `current` is returned as it is when it is a complete model (it has `used_by`): reading
    it again would only cost a call.
    """
    remote = declared_from_model(current)
    followed_up = False
    if remote["enabled"] != props["enabled"]:
        if props["enabled"]:
            client.post_extension_enable(extension_id)
        else:
            client.post_extension_disable(extension_id, DISABLED_REASON)
        followed_up = True
    if remote["execution_timeout"] != props["execution_timeout"]:
        client.put_extension_timeouts(extension_id, int(props["execution_timeout"]))
        followed_up = True
    if not followed_up and current.used_by is not None:
        return current
    return client.get_extension(extension_id)


def put_if_changed(
    client: CoveoClient, extension_id: str, remote: Mapping[str, Any], props: Mapping[str, Any]
) -> Extension:
    """PUTs the full EditExtensionModel when a declared field differs from `remote` (declared fields, snake_case);
    otherwise GETs. Returns the current extension either way.
    """
    if any(remote.get(key) != props.get(key) for key in (*SENT_FIELDS, "enabled")):
        return client.put_extension(extension_id, edit_model(props))
    return client.get_extension(extension_id)


@clear_errors(partial(explain, action="Updating the Coveo extension"))
def update(extension_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> UpdateResult:
    """Applies the declared state to the extension and returns the refreshed outputs."""
    client = CoveoClient(resolve_connection(news))
    try:
        # olds are the outputs of the last create/update/refresh: the remote state as Pulumi last saw it.
        current = put_if_changed(client, extension_id, olds, news)
        model = converge(client, extension_id, current, news)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoExtensionError(
                f"Updating the Coveo extension failed: {describe(exc)}. It was deleted outside Pulumi: run "
                f"`pulumi refresh` to forget it, then `pulumi up` to create it again."
            ) from None
        raise
    return UpdateResult(outputs(news, model))
