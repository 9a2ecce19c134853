"""delete: DELETE; gone counts as deleted; an extension still in use gets an explanation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..._http import ApiError
from ..._service_errors import clear_errors
from .. import connection
from ..client import ElasticClient, has_error_code
from .errors import ElasticExtensionError, explain, is_gone

ACTION = "Deleting the Elastic extension"


@clear_errors(partial(explain, action=ACTION))
def delete(extension_id: str, props: Mapping[str, Any]) -> None:
    """Deletes the extension; `props` are the stored outputs (they say where it lives)."""
    client = connection.client_for(props)
    try:
        client.delete_extension(extension_id)
    except ApiError as error:
        if is_gone(client, extension_id, error):
            return
        if has_error_code(error, "extensions.extension_in_use"):
            raise _in_use(client, extension_id, error) from None
        raise


def _in_use(client: ElasticClient, extension_id: str, error: ApiError) -> ElasticExtensionError:
    try:
        deployments = client.get_extension(extension_id, include_deployments=True).deployments or ()
    except ApiError:
        deployments = ()
    ids = f" (deployment ids: {', '.join(deployments)})" if deployments else ""
    return ElasticExtensionError.of(
        f"{ACTION} failed: {error}\n"
        f"Elastic extension {extension_id} cannot be deleted while deployments use it{ids}: remove it from "
        "those deployments' plans (user_bundles / user_plugins) and apply the plans, then run this again. To keep "
        "the extension and only stop managing it here, run `pulumi state delete <urn>`.",
        error,
    )
