"""Which parts of the environment the HTTP layer trusts: proxies yes, `~/.netrc` credentials no.

Users behind a corporate proxy set `HTTPS_PROXY` / `HTTP_PROXY` (and `NO_PROXY` for what bypasses it), as
for curl or the Elastic Terraform provider. A forward proxy here is a real loopback server that relays each
call to the emulator and remembers what it relayed.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import requests

from pulumi_search_extensions._http import HttpClient, HttpSettings
from pulumi_search_extensions.emulator import EmulatorHandle
from support.servers import loopback_server, url_of

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
SETTINGS = HttpSettings(timeout=10.0, retry_budget=5.0, max_retries=1, backoff_factor=0.01)


@dataclass
class ForwardProxy:
    url: str
    relayed: list[str] = field(default_factory=list)


def _relaying_handler(proxy: ForwardProxy) -> type[BaseHTTPRequestHandler]:
    class Relay(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            proxy.relayed.append(self.path)  # a forward proxy receives the absolute URL
            target = urllib.parse.urlsplit(self.path)
            upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
            headers = {name: value for name, value in self.headers.items() if name.lower() != "proxy-connection"}
            upstream.request("GET", f"{target.path}?{target.query}" if target.query else target.path, headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            upstream.close()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Relay


@pytest.fixture
def forward_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    proxy = ForwardProxy(url="")
    with loopback_server(_relaying_handler(proxy)) as server:
        proxy.url = url_of(server)
        yield proxy


def _plain_error(response: requests.Response) -> tuple[str | None, str, str | None]:
    return None, response.text, None


def _coveo(emulator: EmulatorHandle) -> HttpClient:
    return HttpClient("Coveo", emulator.url, f"Bearer {emulator.coveo_api_key}", SETTINGS, _plain_error)


def _extensions_path(emulator: EmulatorHandle) -> str:
    return f"/rest/organizations/{emulator.coveo_organization_id}/extensions"


def test_calls_go_through_the_proxy_the_environment_names(
    clean_emulator: EmulatorHandle, forward_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)

    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert response.status_code == 200
    assert forward_proxy.relayed == [clean_emulator.url + _extensions_path(clean_emulator)]


def test_a_host_named_in_no_proxy_is_called_directly(
    clean_emulator: EmulatorHandle, forward_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")

    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert response.status_code == 200
    assert forward_proxy.relayed == []


def test_a_netrc_entry_for_the_host_never_replaces_the_api_key(
    clean_emulator: EmulatorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password not-the-api-key\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    # What requests would send, with the environment trusted:
    assert requests.utils.get_netrc_auth(clean_emulator.url) == ("someone", "not-the-api-key")

    response = _coveo(clean_emulator).request("GET", _extensions_path(clean_emulator), idempotent=True)

    assert response.status_code == 200  # Basic someone:not-the-api-key would be refused with 401
