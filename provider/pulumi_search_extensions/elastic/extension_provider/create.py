"""create: POST the metadata exactly once, then upload the file; a failed upload deletes what was created.

With `adopt_id`, nothing is created: the existing extension is brought to the declared state and
managed from then on (dynamic resources cannot use `pulumi import`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from pulumi.dynamic import CreateResult

from ..._create import Found, Identity, claim_adopted, create_once, found, note_existing, undo_on_failure
from ..._http import ApiError
from ..._service_errors import clear_errors
from .. import connection
from ..client import ElasticClient, Extension, ExtensionRequest, api_base_url
from .errors import ElasticExtensionError, explain, get_or_none, is_gone
from .schema import extension_request, outputs
from .upload import upload

ACTION = "Creating the Elastic extension"


@clear_errors(partial(explain, action=ACTION))
def create(props: Mapping[str, Any]) -> CreateResult:
    """Creates (or adopts) the extension declared by the checked inputs `props`."""
    client = connection.client_for(props)
    if props.get("adopt_id") and (_scope(client.base_url), str(props["adopt_id"])) not in _REPLACED:
        return _adopt(client, str(props["adopt_id"]), props)
    request = extension_request(props)
    created = create_once(
        lambda: client.post_extension(request),
        lambda since: _created_since(client, request, since),
        _describe,
        client.settings,
        what=f"Elastic extension {request.name!r}",
        adopt_hint="adopt_id=<id>",
        identity=_identity(client, request),
    )
    outs = undo_on_failure(
        created.id,
        lambda: _finish(client, created.id, props),
        lambda: _delete_quietly(client, created.id),
        what="Elastic extension",
    )
    return CreateResult(created.id, outs)


def _identity(client: ElasticClient, request: ExtensionRequest) -> Identity[Extension]:
    # What _created_since matches on (Extension.matches): creates with these equal run one at a time.
    return Identity(
        _scope(client.base_url),
        (request.name, request.extension_type, request.version, request.description),
        lambda extension: extension.id,
    )


def look_up(props: Mapping[str, Any], since: float) -> Found:
    """The extensions the create of checked inputs `props` may have made since `since` (epoch seconds): the
    look-up of an ambiguous create, for `search-extensions recover`."""
    client = connection.client_for(props)
    request = extension_request(props)
    return found(_identity(client, request), _created_since(client, request, since), _describe)


def _describe(extension: Extension) -> str:
    return f"{extension.id} ({extension.name})"


_REPLACED: set[tuple[str, str]] = set()
"""(scope, id) of adopted extensions whose diff planned a replacement in this run: their `adopt_id` is spent."""


def note_replaced_adoption(extension_id: str, olds: Mapping[str, Any]) -> None:
    """At diff: the resource adopted `extension_id` and is being replaced, so its create makes a new extension.

    `adopt_id` is only read at creation; the replacement's create must not take the old extension over again
    (which would fail: it is the replaced resource's own id).
    """
    endpoint = olds.get("endpoint")
    if extension_id and isinstance(endpoint, str) and endpoint:
        _REPLACED.add((_scope(api_base_url(connection.normalize_endpoint(endpoint))), extension_id))


def _scope(base_url: str) -> str:
    """Where extension ids are unique: one Elastic Cloud (or ECE) API."""
    return f"Elastic {base_url}"


def note_existing_extension(extension_id: str, olds: Mapping[str, Any]) -> None:
    """At diff: the resource's id is taken, for the creates of this run (see `_create.note_existing`)."""
    endpoint = olds.get("endpoint")
    if extension_id and isinstance(endpoint, str) and endpoint:
        # As connection.client_for builds the client of this resource's calls.
        note_existing(_scope(api_base_url(connection.normalize_endpoint(endpoint))), extension_id)


@clear_errors(partial(explain, action=ACTION))  # explained here, so that a failed clean-up names what failed first
def _finish(client: ElasticClient, extension_id: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """The steps after the POST: upload the file if any; the outputs come from the service's model.

    The upload's answer is the whole extension with its new file, and a new extension is in no deployment,
    so it needs no second read. Without an upload the extension is read back: the create may have been
    reconciled from the list, whose entries are not guaranteed to carry the file.
    """
    if props.get("file_path"):
        return outputs(props, upload(client, extension_id, props))
    current = get_or_none(client, extension_id)
    if current is None:
        raise ElasticExtensionError(f"Elastic extension {extension_id} was created but cannot be read back")
    return outputs(props, current)


def _delete_quietly(client: ElasticClient, extension_id: str) -> None:
    """The undo of a create: delete, counting an already gone extension as deleted."""
    try:
        client.delete_extension(extension_id)
    except ApiError as error:
        if not is_gone(client, extension_id, error):
            raise


def _created_since(client: ElasticClient, request: ExtensionRequest, since: float) -> list[Extension]:
    """Extensions with the declared fields that appeared after `since` (epoch seconds).

    The list has no creation date, so each candidate is read once for its `x-cloud-resource-created`
    header; an older identical extension is never mistaken for the one this create made.
    """
    found = []
    for candidate in client.list_extensions():
        if not candidate.matches(request):
            continue
        created = client.get_extension(candidate.id).created
        if created is None or _epoch(created) >= since:
            found.append(candidate)
    return found


def _epoch(iso_utc: str) -> float:
    # Python 3.10's fromisoformat does not accept a trailing "Z".
    return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).timestamp()


def _adopt(client: ElasticClient, adopt_id: str, props: Mapping[str, Any]) -> CreateResult:
    claim_adopted(_scope(client.base_url), adopt_id, "Elastic extension")
    current = get_or_none(client, adopt_id)
    if current is None:
        raise ElasticExtensionError(
            f"adopt_id: Elastic extension {adopt_id} does not exist at {client.base_url} (or these credentials "
            "cannot see it): check the id (`ecctl deployment extension list`) or remove adopt_id to create one"
        )
    if current.extension_type != props.get("extension_type"):
        raise ElasticExtensionError(
            f"adopt_id: Elastic extension {adopt_id} is a {current.extension_type}, but extension_type is "
            f"{props.get('extension_type')!r}; the type cannot change after creation: declare "
            f"extension_type={current.extension_type!r}, or remove adopt_id to create a new extension"
        )
    request = extension_request(props)
    if not current.matches(request) or current.download_url != request.download_url:
        client.post_extension_metadata(adopt_id, request)
    if props.get("file_path"):
        # What the adopted extension holds is unknown: upload the declared file.
        upload(client, adopt_id, props)
    adopted = get_or_none(client, adopt_id)
    if adopted is None:
        raise ElasticExtensionError(f"Elastic extension {adopt_id} disappeared while it was being adopted")
    return CreateResult(adopt_id, outputs(props, adopted))
