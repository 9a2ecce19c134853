"""The shared HTTP layer (`_http.HttpClient`) against the real emulator, with faults injected by the emulator.

What users rely on: idempotent calls survive 429, 5xx and dropped connections; `Retry-After` is honoured;
a call never runs past its time budget nor past its retry count; a create POST is sent exactly once;
connections are reused; and no error, log line or repr ever shows the credential.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import logging
import socket
import threading
import time
import traceback
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import psutil
import pytest

from pulumi_search_extensions._http import ApiError, HttpClient, HttpSettings
from pulumi_search_extensions.coveo.client import parse_coveo_error
from pulumi_search_extensions.elastic.client import parse_elastic_error
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import fault_rule, logged_requests
from support.remote import coveo_extensions, elastic_extensions
from support.servers import loopback_server, url_of

COVEO_LIST = "/rest/organizations/{organizationId}/extensions"
COVEO_ONE = "/rest/organizations/{organizationId}/extensions/{extensionId}"
ELASTIC_ONE = "/api/v1/deployments/extensions/{extension_id}"
SCRIPT = "document.add_meta_data({'checked': True})\n"

# Small back-off so that retried calls take milliseconds, not seconds (Retry-After waits are the exception).
FAST = HttpSettings(timeout=10.0, retry_budget=20.0, max_retries=4, backoff_factor=0.01)


def _settings(**changes: Any) -> HttpSettings:
    return dataclasses.replace(FAST, **changes)


def _coveo(emulator: EmulatorHandle, settings: HttpSettings = FAST, key: str | None = None) -> HttpClient:
    return HttpClient(
        service="Coveo",
        base_url=emulator.url,
        auth_header=f"Bearer {key or emulator.coveo_api_key}",
        settings=settings,
        parse_error=parse_coveo_error,
    )


def _extensions_path(emulator: EmulatorHandle) -> str:
    return f"/rest/organizations/{emulator.coveo_organization_id}/extensions"


def _new_extension_body(name: str = "http-layer") -> dict[str, Any]:
    return {"name": name, "description": "", "content": SCRIPT, "requiredDataStreams": [], "apiVersion": "v1"}


# -- retries of idempotent calls ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["429", "500", "503"])
def test_an_idempotent_call_is_retried_after_a_retryable_status_until_it_succeeds(
    clean_emulator: EmulatorHandle, status: str
) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={status: 1.0}, max_faults=2, retry_after_s=0))

    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert response.status_code == 200 and response.json() == []
    assert [r["fault"] for r in logged_requests(clean_emulator, "GET", COVEO_LIST)] == [status, status, None]


def test_an_idempotent_call_is_retried_after_a_dropped_connection(clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"drop": 1.0}, max_faults=2))

    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert response.status_code == 200
    assert [r["fault"] for r in logged_requests(clean_emulator, "GET", COVEO_LIST)] == ["drop", "drop", None]


def test_a_put_applied_but_unanswered_is_sent_again_and_the_second_answer_is_returned(
    clean_emulator: EmulatorHandle,
) -> None:
    client = _coveo(clean_emulator)
    created = client.request(
        "POST", _extensions_path(clean_emulator), idempotent=False, expected=(201,), json=_new_extension_body()
    ).json()
    clean_emulator.admin.set_faults(fault_rule("PUT", COVEO_ONE, faults={"fail_after_commit": 1.0}, max_faults=1))

    body = {**_new_extension_body(), "description": "changed"}
    response = client.request("PUT", f"{_extensions_path(clean_emulator)}/{created['id']}", idempotent=True, json=body)

    assert response.json()["description"] == "changed"
    assert [r["fault"] for r in logged_requests(clean_emulator, "PUT", COVEO_ONE)] == ["fail_after_commit", None]
    [stored] = coveo_extensions(clean_emulator)
    assert stored["description"] == "changed"


def test_a_streamed_upload_is_rewound_and_sent_whole_when_retried(
    clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("dictionaries/synonyms.txt", "laptop, notebook\n" * 200)
    elastic = HttpClient(
        "Elastic", f"{clean_emulator.url}/api/v1", f"ApiKey {clean_emulator.elastic_api_key}", FAST, parse_elastic_error
    )
    created = elastic.request(
        "POST",
        "/deployments/extensions",
        idempotent=False,
        expected=(200, 201),
        json={"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""},
    ).json()
    # The first upload is stored, then its answer is lost: the retry must send the whole file again, not
    # the empty rest of an already-read stream.
    clean_emulator.admin.set_faults(fault_rule("PUT", ELASTIC_ONE, faults={"fail_after_commit": 1.0}, max_faults=1))

    with open(archive, "rb") as data:
        elastic.request(
            "PUT",
            f"/deployments/extensions/{created['id']}",
            idempotent=True,
            data=data,
            headers={"Content-Type": "application/zip"},
        )

    assert len(logged_requests(clean_emulator, "PUT", ELASTIC_ONE)) == 2
    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()


# -- waits, budget and retry count -------------------------------------------------------------------------


def test_retry_after_is_waited_for_before_each_retry(clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"429": 1.0}, max_faults=2, retry_after_s=1))

    started = time.monotonic()
    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    # Two waits of Retry-After: 1 s each; the back-off alone (0.01 s base) would take a few milliseconds.
    assert 2.0 <= elapsed < 3.5, elapsed


def test_a_retry_after_longer_than_the_budget_is_not_waited_for_and_is_reported(
    clean_emulator: EmulatorHandle,
) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"429": 1.0}, retry_after_s=30))

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator, _settings(retry_budget=2.0)).request(
            "GET", _extensions_path(clean_emulator), idempotent=True
        )
    elapsed = time.monotonic() - started

    assert elapsed < 1.0, elapsed
    assert raised.value.status == 429 and raised.value.retry_after == 30
    assert len(logged_requests(clean_emulator, "GET", COVEO_LIST)) == 1


def test_the_time_budget_ends_a_call_that_keeps_failing(clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"503": 1.0}))
    settings = _settings(retry_budget=1.5, max_retries=1000, backoff_factor=0.1)

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator, settings).request("GET", _extensions_path(clean_emulator), idempotent=True)
    elapsed = time.monotonic() - started

    assert raised.value.status == 503
    assert elapsed <= settings.retry_budget + 0.5, elapsed
    attempts = len(logged_requests(clean_emulator, "GET", COVEO_LIST))
    assert 3 <= attempts < 20, attempts  # it did retry, with growing waits, and stopped at the budget


def test_the_retry_count_ends_a_call_that_keeps_failing(clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"500": 1.0}))

    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator, _settings(max_retries=3)).request(
            "GET", _extensions_path(clean_emulator), idempotent=True
        )

    assert raised.value.status == 500 and raised.value.code == "UNEXPECTED_EXCEPTION"
    assert len(logged_requests(clean_emulator, "GET", COVEO_LIST)) == 4  # the first attempt and 3 retries


def test_a_slow_service_is_cut_by_the_per_attempt_timeout_and_the_call_by_its_budget(
    clean_emulator: EmulatorHandle,
) -> None:
    latency_s = 1.5
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, latency_ms=latency_s * 1000))
    settings = _settings(timeout=0.4, retry_budget=1.0, max_retries=50)

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator, settings).request("GET", _extensions_path(clean_emulator), idempotent=True)
    elapsed = time.monotonic() - started
    time.sleep(latency_s + 0.3)  # the abandoned attempts end in the service: not in the next test's request log

    assert raised.value.status is None and raised.value.is_connection_error
    assert "no answer within the time limit" in raised.value.message
    # At most the budget plus the one attempt in flight when it ran out.
    assert elapsed <= settings.retry_budget + settings.timeout + 0.5, elapsed


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the socket is closed


def test_a_refused_connection_is_reported_as_such_not_as_a_timeout() -> None:
    client = HttpClient(
        "Coveo", f"http://127.0.0.1:{_closed_port()}", "Bearer xx-refused", _settings(max_retries=2), parse_coveo_error
    )

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        client.request("GET", "/rest/organizations/o/extensions", idempotent=True)

    assert time.monotonic() - started < 5.0
    assert raised.value.is_connection_error and raised.value.never_sent
    assert "connection was refused" in raised.value.message and "time limit" not in raised.value.message


@pytest.mark.parametrize("idempotent", [True, False])
@pytest.mark.parametrize(
    ("base_url", "says"),
    [
        ("http://no-such-host.invalid", "the name no-such-host.invalid does not resolve"),
        ("http://127.0.0.1:{closed}", "the connection was refused"),
    ],
)
def test_a_request_that_never_left_the_machine_fails_in_seconds_with_one_line_and_cannot_have_been_applied(
    base_url: str, says: str, idempotent: bool
) -> None:
    # The defaults would retry a transient failure for five minutes; a connection that cannot be made is not one.
    url = base_url.format(closed=_closed_port())
    client = HttpClient("Coveo", url, "Bearer xx-nowhere", HttpSettings(), parse_coveo_error)

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        client.request("POST", "/rest/organizations/o/extensions", idempotent=idempotent, json={})

    assert time.monotonic() - started < 10.0
    error = raised.value
    assert error.never_sent and not error.may_have_been_applied
    assert says in error.message and error.base_url == url
    assert "\n" not in str(error) and "urllib3" not in str(error) and "HTTPConnection" not in str(error)


def test_a_tls_handshake_failure_never_left_the_machine_and_says_why() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def answer_plain_http() -> None:  # not TLS: the client's handshake fails
        connection, _ = server.accept()
        connection.recv(1024)
        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    threading.Thread(target=answer_plain_http, daemon=True).start()
    client = HttpClient("Elastic", f"https://127.0.0.1:{port}", "ApiKey xx-tls", FAST, parse_coveo_error)
    try:
        with pytest.raises(ApiError) as raised:
            client.request("POST", "/api/v1/deployments/extensions", idempotent=False, json={})
    finally:
        server.close()

    assert raised.value.never_sent and not raised.value.may_have_been_applied
    assert raised.value.message.startswith("TLS handshake with 127.0.0.1 failed: ")
    assert "urllib3" not in raised.value.message


def test_an_answer_that_never_came_may_have_been_applied(clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}))

    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator).request(
            "POST", _extensions_path(clean_emulator), idempotent=False, expected=(201,), json=_new_extension_body()
        )

    assert not raised.value.never_sent and raised.value.may_have_been_applied
    assert "dropped before the answer arrived" in raised.value.message


# -- calls sent exactly once -------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "fail_after_commit"])
def test_a_non_idempotent_post_is_sent_exactly_once_whatever_happens(
    clean_emulator: EmulatorHandle, fault: str
) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={fault: 1.0}, retry_after_s=0))

    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator).request(
            "POST", _extensions_path(clean_emulator), idempotent=False, expected=(201,), json=_new_extension_body()
        )

    assert len(logged_requests(clean_emulator, "POST", COVEO_LIST)) == 1
    applied = fault == "fail_after_commit"
    assert raised.value.is_connection_error == (fault in ("drop", "fail_after_commit"))
    assert len(coveo_extensions(clean_emulator)) == (1 if applied else 0)


# -- connection reuse --------------------------------------------------------------------------------------


def _connections_to(port: int) -> set[int]:
    """Local ports of this process's TCP connections to `port` on loopback."""
    return {c.laddr.port for c in psutil.Process().net_connections(kind="tcp") if c.raddr and c.raddr.port == port}


def test_calls_of_several_clients_reuse_one_connection(clean_emulator: EmulatorHandle) -> None:
    port = int(clean_emulator.url.rsplit(":", 1)[1])
    settings = _settings(timeout=13.25)  # settings of their own: a pool no other test has used
    before = _connections_to(port)

    for _ in range(5):  # one client per provider operation, as the providers build them
        client = _coveo(clean_emulator, settings)
        client.request("GET", _extensions_path(clean_emulator), idempotent=True)
        client.request("GET", _extensions_path(clean_emulator), idempotent=True)

    opened = _connections_to(port) - before
    assert len(opened) == 1, opened
    assert len(logged_requests(clean_emulator, "GET", COVEO_LIST)) == 10


# -- the credential never shows ----------------------------------------------------------------------------


def _everything_shown(exc: BaseException) -> str:
    """All a user or a log could see of an exception: its text, repr, attributes and formatted traceback."""
    attributes = json.dumps(vars(exc), default=str)
    return "\n".join([str(exc), repr(exc), attributes, "".join(traceback.format_exception(exc))])


def test_the_key_is_not_in_the_error_of_a_rejected_key(clean_emulator: EmulatorHandle) -> None:
    wrong = "xx-wrong-key-0123456789"
    with pytest.raises(ApiError) as raised:
        _coveo(clean_emulator, key=wrong).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert raised.value.status == 401
    assert wrong not in _everything_shown(raised.value)


def test_the_key_is_not_in_a_transport_error_nor_in_the_debug_log(
    clean_emulator: EmulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    clean_emulator.admin.set_faults(fault_rule("GET", COVEO_LIST, faults={"drop": 1.0}))
    client = _coveo(clean_emulator, _settings(max_retries=2))

    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as raised:
        client.request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert raised.value.is_connection_error
    key = clean_emulator.coveo_api_key
    assert key not in _everything_shown(raised.value)
    assert caplog.records and key not in caplog.text  # urllib3 did log the retries, never the key
    assert key not in repr(client)


class _EchoingHandler(BaseHTTPRequestHandler):
    """A service (or proxy) that puts the request's Authorization header in its error body."""

    def do_GET(self) -> None:
        auth = self.headers.get("Authorization", "")
        body = json.dumps(
            {"message": f"rejected header {auth}", "errorCode": f"BAD {auth}", "echo": {"headers": [auth]}}
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def echoing_server() -> Iterator[str]:
    """A loopback HTTP server that echoes the credential back; yields its base URL."""
    with loopback_server(_EchoingHandler) as server:
        yield url_of(server)


@pytest.mark.parametrize(
    ("auth_header", "secrets"),
    [
        ("Bearer xx-coveo-secret-key", ["xx-coveo-secret-key"]),
        ("ApiKey elastic-secret-key", ["elastic-secret-key"]),
        (
            "Basic " + base64.b64encode(b"admin:s3cret-password").decode(),
            [base64.b64encode(b"admin:s3cret-password").decode(), "s3cret-password"],
        ),
    ],
    ids=["bearer", "apikey", "basic"],
)
def test_a_credential_echoed_by_the_service_is_masked_in_the_error(
    echoing_server: str, auth_header: str, secrets: list[str]
) -> None:
    client = HttpClient("Coveo", echoing_server, auth_header, FAST, parse_coveo_error)

    with pytest.raises(ApiError) as raised:
        client.request("GET", "/anything", idempotent=True)

    shown = _everything_shown(raised.value)
    assert raised.value.status == 400 and "rejected header" in raised.value.message
    for secret in secrets:
        assert secret not in shown
    assert "***" in raised.value.message and "***" in json.dumps(raised.value.body)
