"""What an API failure means for an Elastic extension: gone, or one `ElasticExtensionError` naming the field and
the fix. `explain` is what the operations give `_service_errors.clear_errors`, the one error path of both vendors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._http import ApiError
from ..._service_errors import ServiceError, shaped, transient, unreachable
from ..._settings import setting_origin
from .. import connection
from ..client import ElasticClient, Extension, has_error_code

PRIVILEGE = (
    "permission to manage deployment extensions (Elastic Cloud: an API key with the Admin role, or Editor "
    "for all deployments; ECE: a platform admin or deployment manager)"
)


class ElasticExtensionError(ServiceError):
    """An ElasticExtension operation failed; the message says what to change and how.

    Carries `status` (HTTP status, None when Elastic was not reached) and `code` (Elastic's `errors[].code`).
    """


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
    """The extension with the deployments using it, or None when it is gone (any other failure is raised)."""
    try:
        return client.get_extension(extension_id, include_deployments=True)
    except ApiError as error:
        if is_gone(client, extension_id, error):
            return None
        raise


def action_of(error: ApiError) -> str:
    """The operation the failed call belongs to, from its method and path."""
    on_one = error.path.rstrip("/").count("/") >= 3  # /deployments/extensions/{id}
    if error.method == "POST":
        return "Updating the Elastic extension" if on_one else "Creating the Elastic extension"
    if error.method == "PUT":
        return "Uploading the Elastic extension's file"
    if error.method == "DELETE":
        return "Deleting the Elastic extension"
    return "Reading the Elastic extension"


def _credentials_origin(props: Mapping[str, Any]) -> str:
    if setting_origin(connection.API_KEY, props) != connection.API_KEY.sources():
        return f"the API key from {setting_origin(connection.API_KEY, props)}"
    return f"the username and password from {setting_origin(connection.USERNAME, props)}"


def fix(error: ApiError, props: Mapping[str, Any]) -> str | None:
    """The field to change and how, for the refusals users can act on (None when there is nothing to add)."""
    message = error.message or ""
    if error.status == 400 and "Could not download the extension" in message:
        url = props.get("download_url") or "the URL"
        return (
            f"download_url: Elastic could not fetch {url}; make it reachable from Elastic's servers with one GET "
            "(public http(s), no credentials, no redirect), or upload the file with file_path instead."
        )
    if error.status == 400 and "upload limit" in message:
        limit = _configured_limit_mb(props)
        return (
            "file_path: the file is over this subscription's upload limit; host it and set download_url instead "
            f"of file_path. Set stack config `{connection.UPLOAD_LIMIT_MB.config_key}` (now {limit}) to the "
            "subscription's limit, so that preview reports this before any call."
        )
    if error.status == 401:
        return (
            f"api_key: Elastic rejected the credentials ({_credentials_origin(props)}); give valid ones through "
            f"{connection.API_KEY.sources()} (on ECE, username and password: `ec:username`/`ec:password` or "
            "$EC_USERNAME/$EC_PASSWORD), and check that the endpoint is the installation the key belongs to."
        )
    if error.status == 403:
        return f"api_key: {_credentials_origin(props)} is not allowed to do this; it needs {PRIVILEGE}."
    if error.status == 404 and has_error_code(error, "extensions.no_user_id"):
        return "api_key: the key is not tied to a user; create an API key as a user of the organization."
    if error.status == 404:
        return (
            f"endpoint: {error.base_url} (from {connection.endpoint_origin(props, error.base_url)}) has no such "
            "API; check that it is the Elastic Cloud or ECE API endpoint, and the extension id."
        )
    if error.status == 409:
        return "Someone changed the extension at the same time; run the command again."
    return transient(error, "Elastic", "ec")


def _configured_limit_mb(props: Mapping[str, Any]) -> str:
    try:
        return f"{connection.upload_limit_bytes(props) / 1048576:.0f} MB"
    except ValueError:
        return "malformed"


def explain(exc: Exception, props: Mapping[str, Any]) -> ElasticExtensionError | None:
    """The error to raise for a failed call: the service's answer in one line, then the field to change and how.

    The `explain` of `clear_errors`: None for anything but an `ApiError` (a bug keeps its traceback). The
    action comes from the failed call itself (a create that fails at its upload says "Uploading ...").
    """
    if not isinstance(exc, ApiError):
        return None
    if exc.never_sent:
        hint = "check the setting and the network"
        if exc.message.startswith("TLS"):
            hint += "; for a self-signed ECE certificate set `insecure` (stack config `ec:insecure`)"
        origin = connection.endpoint_origin(props, exc.base_url)
        return ElasticExtensionError.of(f"{action_of(exc)} failed: {unreachable(exc, origin, hint)}", exc)
    return ElasticExtensionError.of(shaped(action_of(exc), exc, fix(exc, props)), exc)
