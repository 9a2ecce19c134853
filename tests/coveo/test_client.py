"""CoveoClient against the emulator: one test per operation, Coveo errors, retries and the time budget."""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

import pytest
import requests

from pulumi_search_extensions._http import ApiError, HttpSettings
from pulumi_search_extensions.coveo.client import CoveoClient, Extension, SourceUse, parse_coveo_error
from pulumi_search_extensions.coveo.connection import CoveoConnection
from support.calls import fault_rule, vendor_calls

from .console_calls import ConsoleCalls
from .helpers import SCRIPT

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

EXTENSIONS = "/rest/organizations/{organizationId}/extensions"
EXTENSION = EXTENSIONS + "/{extensionId}"


def body(**fields: object) -> dict[str, object]:
    return {"name": "cleaner", "content": SCRIPT, "description": "", "language": "PYTHON3", **fields}


def test_create_get_list_update_and_delete_round_trip(client: CoveoClient) -> None:
    created = client.post_extension(body(requiredDataStreams=["BODY_TEXT"]))
    assert created.id.startswith("searchdemoorg-") and created.required_data_streams == ("BODY_TEXT",)
    assert [e.id for e in client.list_extensions()] == [created.id]
    assert client.list_extensions()[0].used_by is None  # the list leaves `usedBy` out
    assert client.get_extension(created.id).used_by == ()
    updated = client.put_extension(created.id, body(content="log('v2')\n"))
    assert updated.content == "log('v2')\n" and updated.version_id != created.version_id
    client.delete_extension(created.id)
    assert client.list_extensions() == []


def test_enable_disable_and_timeout_and_the_script_as_the_console_sees_it(
    client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    extension_id = client.post_extension(body()).id
    client.post_extension_disable(extension_id, "maintenance")
    disabled = client.get_extension(extension_id)
    assert disabled.enabled is False and disabled.status["disabledStatus"]["reason"] == "maintenance"
    client.post_extension_enable(extension_id)
    assert client.get_extension(extension_id).enabled is True
    assert ConsoleCalls(clean_emulator).get_extension_code(extension_id) == SCRIPT
    client.put_extension_timeouts(extension_id, 12)
    assert client.get_extension(extension_id).timeout == 12


def test_a_put_makes_a_version_listed_newest_first_and_each_can_be_read(
    client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    console = ConsoleCalls(clean_emulator)
    extension_id = client.post_extension(body()).id
    client.put_extension(extension_id, body(content="log('v2')\n"))
    versions = console.get_extension_versions(extension_id)
    assert len(versions) == 2
    assert console.get_extension_version(extension_id, versions[-1]["id"])["content"] == SCRIPT
    assert console.get_extension_version(extension_id, versions[0]["id"])["content"] == "log('v2')\n"


def test_compile_reports_the_line_of_a_syntax_error(clean_emulator: EmulatorHandle) -> None:
    console = ConsoleCalls(clean_emulator)
    assert console.post_extension_compile(SCRIPT)["successful"] is True
    result = console.post_extension_compile("x = (\n")
    assert result["successful"] is False and result["error"]["line"] == 1


def test_source_extension_map_round_trip(client: CoveoClient, clean_emulator: EmulatorHandle) -> None:
    extension_id = client.post_extension(body()).id
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "Docs")
    extension_map = {
        "common": {"preConversionExtensions": [{"extensionId": extension_id}], "postConversionExtensions": []},
        "items": {},
    }
    client.put_source_extensions(source["id"], extension_map, rebuild=True)
    stored = client.get_source_extensions(source["id"])
    assert stored["common"]["preConversionExtensions"][0]["extensionId"] == extension_id
    assert client.get_extension(extension_id).used_by == (SourceUse(source["id"], "Docs"),)


def test_a_coveo_error_carries_status_error_code_message_and_request_id(client: CoveoClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.get_extension("searchdemoorg-doesnotexist")
    error = caught.value
    assert (error.status, error.code) == (404, "EXTENSION_NOT_FOUND")
    assert "does not exist" in error.message and error.request_id
    assert f"request id {error.request_id}" in str(error) and "EXTENSION_NOT_FOUND" in str(error)


def test_a_wrong_key_is_a_401_whose_message_never_shows_the_key(clean_emulator: EmulatorHandle) -> None:
    wrong = CoveoClient(CoveoConnection(clean_emulator.coveo_organization_id, clean_emulator.url, "xx-wrong-key"))
    with pytest.raises(ApiError) as caught:
        wrong.list_extensions()
    assert caught.value.status == 401 and "xx-wrong-key" not in str(caught.value)
    assert "xx-wrong-key" not in repr(wrong)


def test_a_non_json_error_body_becomes_the_message_and_the_header_gives_the_request_id() -> None:
    response = requests.Response()
    response.status_code = 502
    response._content = b"<html>Bad gateway</html>"
    response.headers["X-Request-ID"] = "req-123"
    assert parse_coveo_error(response) == (None, "<html>Bad gateway</html>", "req-123")


def test_idempotent_calls_are_retried_on_503_then_succeed(client: CoveoClient, clean_emulator: EmulatorHandle) -> None:
    extension_id = client.post_extension(body()).id
    clean_emulator.admin.set_faults(fault_rule("GET", EXTENSION, faults={"503": 1.0}, max_faults=2))
    assert client.get_extension(extension_id).id == extension_id
    assert vendor_calls(clean_emulator)[f"GET {EXTENSION}"] == 3


def test_a_429_is_retried_after_the_wait_the_service_asks_for(
    client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", EXTENSIONS, faults={"429": 1.0}, max_faults=1, retry_after_s=1))
    started = time.monotonic()
    assert client.list_extensions() == []
    assert time.monotonic() - started >= 0.9
    assert vendor_calls(clean_emulator)[f"GET {EXTENSIONS}"] == 2


def test_the_create_post_is_sent_once_even_on_a_503(client: CoveoClient, clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS, faults={"503": 1.0}, max_faults=1))
    with pytest.raises(ApiError) as caught:
        client.post_extension(body())
    assert caught.value.status == 503
    assert vendor_calls(clean_emulator)[f"POST {EXTENSIONS}"] == 1


def test_retries_stop_within_the_time_budget(clean_emulator: EmulatorHandle) -> None:
    settings = HttpSettings(retry_budget=1.5, max_retries=50)
    impatient = CoveoClient(
        CoveoConnection(
            clean_emulator.coveo_organization_id, clean_emulator.url, clean_emulator.coveo_api_key, settings
        )
    )
    clean_emulator.admin.set_faults(fault_rule("GET", EXTENSIONS, faults={"503": 1.0}))
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        impatient.list_extensions()
    assert caught.value.status == 503 and time.monotonic() - started < 5


def test_an_unreachable_host_is_a_connection_error_without_the_key() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block exits: nothing listens there
    settings = HttpSettings(retry_budget=1.0, max_retries=1, timeout=2.0)
    unreachable = CoveoClient(CoveoConnection("org", f"http://127.0.0.1:{port}", "xx-secret", settings))
    with pytest.raises(ApiError) as caught:
        unreachable.list_extensions()
    assert caught.value.is_connection_error and "xx-secret" not in str(caught.value)


def test_an_extension_model_reads_absent_fields_as_their_empty_values_and_keeps_used_by_unknown() -> None:
    model = Extension.from_api({"id": "org-1", "name": "x", "content": "log()\n", "timeout": 7, "enabled": False})
    assert (model.description, model.required_data_streams, model.api_version) == ("", (), None)
    assert (model.timeout, model.enabled, model.status, model.created_date) == (7, False, {}, None)
    assert model.used_by is None  # not said (a list entry or a POST answer), which differs from no source
    used = Extension.from_api({"id": "org-1", "usedBy": [{"sourceId": "s", "sourceName": "Docs"}]})
    assert used.used_by == (SourceUse("s", "Docs"),)
