"""What an API failure means for a resource: gone, rejected credentials, or an error to pass on."""

from __future__ import annotations

from ..._http import ApiError
from ..client import ElasticClient, Extension


class ElasticExtensionError(Exception):
    """An operation failed for a reason the message explains, with what to do about it."""


def is_gone(client: ElasticClient, extension_id: str, error: ApiError) -> bool:
    """Whether `error` from a call on `extension_id` means the extension no longer exists.

    404 always does. Elastic Cloud answers 403 for an unknown or deleted id, but 403 can also mean the
    key lacks a privilege: the extension counts as gone only when the same credentials can list
    extensions and it is not among them, so a permission problem never drops a live object from state.
    """
    if error.status == 404:
        return True
    if error.status != 403:
        return False
    try:
        listed = client.list_extensions()
    except ApiError:
        return False
    return all(extension.id != extension_id for extension in listed)


def get_or_none(client: ElasticClient, extension_id: str) -> Extension | None:
    """The extension with the deployments using it, or None when it is gone."""
    try:
        return client.get_extension(extension_id, include_deployments=True)
    except ApiError as error:
        if is_gone(client, extension_id, error):
            return None
        raise explained(error) from None


def explained(error: ApiError) -> Exception:
    """The error to raise: rejected credentials get one clear message naming where they come from."""
    if error.status == 401:
        return ElasticExtensionError(
            f"{error}\nElastic rejected the credentials. Check the API key (the `api_key` argument, stack config "
            "`ec:apikey` or $EC_API_KEY; on ECE, username and password: `ec:username`/`ec:password` or "
            "$EC_USERNAME/$EC_PASSWORD), and that the endpoint is the installation the key belongs to."
        )
    return error
