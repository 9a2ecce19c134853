"""create: POST once (reconciling an ambiguous failure), then the follow-up calls as one transaction.

With `adopt_id`, nothing is created: the existing extension is read and brought to the declared state
(the stand-in for `pulumi import`, which dynamic resources cannot use).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from pulumi.dynamic import CreateResult

from ..._create import Found, Identity, claim_adopted, create_once, found, note_existing, undo_on_failure
from ..._http import ApiError
from ..._service_errors import clear_errors
from .. import stages
from ..client import CoveoClient, Extension
from ..connection import resolve_connection, resolve_organization_id
from .errors import CoveoExtensionError, describe, explain, is_gone
from .schema import SENT_FIELDS, declared_from_model, edit_model, iso_from_epoch_ms, outputs
from .update import converge

ACTION = "Creating the Coveo extension"


def _created_since(client: CoveoClient, body: Mapping[str, Any], since: float) -> list[Extension]:
    """Extensions that match the POST's name, script and description and appeared after `since` (epoch s)."""
    return [
        model
        for model in client.list_extensions()
        if (model.name, model.content, model.description) == (body["name"], body["content"], body["description"])
        and model.created_date is not None
        and model.created_date >= since * 1000
    ]


def _scope(organization_id: str) -> str:
    """Where extension ids are unique (an id names its organization, whatever the host)."""
    return f"Coveo organization {organization_id}"


def note_existing_extension(extension_id: str, olds: Mapping[str, Any]) -> None:
    """At diff: the resource's id is taken, for the creates of this run (see `_create.note_existing`)."""
    organization_id = resolve_organization_id(olds)
    if extension_id and isinstance(organization_id, str) and organization_id:
        note_existing(_scope(organization_id), extension_id)


def _describe(model: Extension) -> str:
    return f"{model.id} (created {iso_from_epoch_ms(model.created_date)})"


def _identity(client: CoveoClient, body: Mapping[str, Any]) -> Identity[Extension]:
    # What _created_since matches on: creates with these fields equal run one at a time.
    return Identity(
        _scope(client.organization_id),
        (body["name"], body["content"], body["description"]),
        lambda model: model.id,
    )


def look_up(props: Mapping[str, Any], since: float) -> Found:
    """The extensions the create of checked inputs `props` may have made since `since` (epoch seconds): the
    look-up of an ambiguous create, for `search-extensions recover`."""
    client = CoveoClient(resolve_connection(props))
    body = edit_model(props)
    return found(_identity(client, body), _created_since(client, body, since), _describe)


def _post_once(client: CoveoClient, body: dict[str, Any]) -> Extension:
    return create_once(
        post=lambda: client.post_extension(body),
        find_created=lambda since: _created_since(client, body, since),
        describe=_describe,
        settings=client.settings,
        what=f"Coveo extension {body['name']!r}",
        adopt_hint="the `adopt_id` argument of CoveoExtension",
        identity=_identity(client, body),
    )


def _create_new(client: CoveoClient, props: Mapping[str, Any]) -> CreateResult:
    created = _post_once(client, edit_model(props))
    extension_id = created.id
    try:
        model = undo_on_failure(
            extension_id,
            # A just-created extension is used by no source: the POST's model is complete.
            lambda: converge(client, extension_id, replace(created, used_by=()), props),
            lambda: client.delete_extension(extension_id),
            what="Coveo extension",
        )
    except ApiError as exc:
        # undo_on_failure re-raises the step's own error only once the undo succeeded.
        raise CoveoExtensionError(
            f"{ACTION} failed after it was created: {describe(exc)}. The new extension {extension_id} was "
            f"deleted again: nothing was left behind."
        ) from None
    except RuntimeError as exc:  # the undo failed too: the message names the id left behind
        raise CoveoExtensionError(f"{ACTION} failed: {exc}") from None
    return CreateResult(extension_id, outputs(props, model))


def _adopt(client: CoveoClient, adopt_id: str, props: Mapping[str, Any]) -> CreateResult:
    claim_adopted(_scope(client.organization_id), adopt_id, "Coveo extension")
    try:
        current = client.get_extension(adopt_id)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoExtensionError(
                f"Cannot adopt Coveo extension {adopt_id!r}: it does not exist in organization "
                f"{client.organization_id} ({exc}). Check `adopt_id` (an id from the console or `GET /extensions`)."
            ) from None
        raise
    remote = declared_from_model(current)
    if any(remote[key] != props.get(key) for key in (*SENT_FIELDS, "enabled")):
        current = client.put_extension(adopt_id, edit_model(props))
    model = converge(client, adopt_id, current, props)
    return CreateResult(adopt_id, outputs(props, model))


@clear_errors(partial(explain, action=ACTION))
def create(props: Mapping[str, Any]) -> CreateResult:
    """Creates the extension (or adopts `adopt_id`) and returns its id and outputs; leaves nothing on failure."""
    client = CoveoClient(resolve_connection(props))
    adopt_id = props.get("adopt_id")
    result = _adopt(client, str(adopt_id).strip(), props) if adopt_id else _create_new(client, props)
    stages.remember(result.id, props.get("name"), props.get("required_data_streams"))  # for the plugin's check
    return result
