"""Every Elastic failure a user can act on reads the same way: the action, the service's answer, the fix.

The refusals the emulator can produce go through the provider; the others (a key without the privilege, a
key tied to no user, an endpoint without the API, a concurrent change) are statuses the live service documents,
checked on the pure function that words them.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from pulumi_search_extensions import ElasticExtensionError
from pulumi_search_extensions._http import ApiError
from pulumi_search_extensions._settings import remember_stack_config
from pulumi_search_extensions.elastic.extension_provider.errors import explain
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.providers import configured_provider, elastic_stack_config
from support.remote import elastic_extensions

from ..helpers import checked

ENDPOINT = "https://ece.example.com:12443/api/v1"


def _refusal(method: str, path: str, status: int, code: str, message: str) -> ApiError:
    return ApiError("Elastic", method, path, message, status=status, code=code, base_url=ENDPOINT)


def _explained(error: ApiError, action: str = "Creating the Elastic extension", **props: Any) -> tuple[str, str]:
    remember_stack_config(None)
    headline, fix = str(explain(error, props, action=action)).split("\n")
    return headline, fix


def test_an_unreachable_endpoint_fails_in_seconds_naming_the_url_and_the_stack_config_key(
    clean_emulator: EmulatorHandle,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}"
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:endpoint": endpoint})
    )

    started = time.monotonic()
    with pytest.raises(ElasticExtensionError) as raised:
        provider.create(checked(provider, download_url="https://downloads.example.com/a.zip"))

    assert time.monotonic() - started < 10.0
    assert str(raised.value).startswith(
        f"Creating the Elastic extension failed: could not reach {endpoint}/api/v1 (from stack config "
        "`ec:endpoint`): the connection was refused"
    )
    assert raised.value.status is None


def test_rejected_credentials_name_where_the_key_came_from(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:apikey": "xx-wrong-elastic-key"})
    )

    with pytest.raises(ElasticExtensionError) as raised:
        provider.create(checked(provider))

    headline, fix = str(raised.value).split("\n")
    assert headline.startswith("Creating the Elastic extension failed: Elastic API error 401")
    assert fix.startswith("api_key: Elastic rejected the credentials (the API key from stack config `ec:apikey`)")
    assert raised.value.status == 401 and "xx-wrong-elastic-key" not in str(raised.value)
    assert elastic_extensions(clean_emulator) == []


def test_a_key_without_the_privilege_names_the_privilege() -> None:
    error = _refusal("POST", "/deployments/extensions", 403, "root.unauthorized.rbac", "Not allowed.")

    headline, fix = _explained(error, api_key="xx")

    assert headline == (
        "Creating the Elastic extension failed: Elastic API error 403 root.unauthorized.rbac on POST "
        "/deployments/extensions: Not allowed."
    )
    assert fix.startswith("api_key: the API key from the `api_key` argument is not allowed to do this; it needs")
    assert "Admin role" in fix and "deployment manager" in fix


def test_a_key_tied_to_no_user_says_so() -> None:
    error = _refusal("POST", "/deployments/extensions", 404, "extensions.no_user_id", "No user id.")

    _, fix = _explained(error)

    assert fix.startswith("api_key: the key is not tied to a user")


def test_a_404_from_an_endpoint_without_the_api_names_the_endpoint() -> None:
    error = _refusal("GET", "/deployments/extensions", 404, "root.not_found", "Not found.")

    headline, fix = _explained(error, "Reading the Elastic extension", endpoint="https://ece.example.com:12443")

    assert headline.startswith("Reading the Elastic extension failed: Elastic API error 404")
    assert fix.startswith(f"endpoint: {ENDPOINT} (from the `endpoint` argument) has no such API")


def test_a_concurrent_change_asks_to_run_again() -> None:
    error = _refusal("POST", "/deployments/extensions/42", 409, "extensions.version_conflict", "Conflict.")

    headline, fix = _explained(error, "Updating the Elastic extension")

    assert headline.startswith("Updating the Elastic extension failed: Elastic API error 409")
    assert fix == "Someone changed the extension at the same time; run the command again."


def test_a_tls_failure_points_at_insecure_for_self_signed_ece() -> None:
    error = ApiError(
        "Elastic",
        "GET",
        "/deployments/extensions/42",
        "TLS handshake with ece.example.com failed: certificate verify failed: self-signed certificate",
        never_sent=True,
        base_url=ENDPOINT,
    )

    message = str(explain(error, {}, action="Reading the Elastic extension"))

    assert message.startswith(f"Reading the Elastic extension failed: could not reach {ENDPOINT} (from the")
    assert "set `insecure` (stack config `ec:insecure`)" in message and "\n" not in message


def test_a_failure_that_is_not_a_refusal_is_left_to_keep_its_traceback() -> None:
    assert explain(KeyError("name"), {"name": "synonyms"}, action="Creating the Elastic extension") is None
    assert (
        explain(OSError("cannot read 'a.zip' to upload it"), {}, action="Uploading the Elastic extension's file")
        is None
    )
