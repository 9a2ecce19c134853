"""`run_emulator()`: the emulator as a child process on a free port, for tests and demos.

The child binds port 0 and writes the port it got to a file, so there is no race between
picking a free port and binding it; the parent then waits for `/_emulator/health`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from . import (
    DEFAULT_COVEO_ORGANIZATIONS,
    DEFAULT_ELASTIC_API_KEY,
    DEFAULT_ELASTIC_PASSWORD,
    DEFAULT_ELASTIC_USERNAME,
    DEFAULT_HOST,
)

ADMIN_TIMEOUT_SECONDS = 30.0


class EmulatorAdmin:
    """A `requests` client of the emulator's admin API (`/_emulator/...`)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = requests.Session()

    def _call(self, method: str, path: str, json: Any = None, expected: int = 200) -> Any:
        response = self._session.request(
            method, f"{self.base_url}/_emulator{path}", json=json, timeout=ADMIN_TIMEOUT_SECONDS
        )
        if response.status_code != expected:
            raise RuntimeError(
                f"emulator admin {method} {path}: expected {expected}, got {response.status_code}: {response.text}"
            )
        return response.json() if response.content else None

    def health(self) -> dict[str, Any]:
        """`{"status": "ok"}` when the emulator serves."""
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def reset(self) -> None:
        """Forget every extension, source, deployment, file, fault rule and logged request."""
        self._call("POST", "/reset")

    def dump(self) -> dict[str, Any]:
        """The whole state: `{"coveo": {org: {...}}, "elastic": {...}}`."""
        result: dict[str, Any] = self._call("GET", "/dump")
        return result

    def requests(self) -> dict[str, Any]:
        """The request log: `{"requests": [...], "counts": {"METHOD route": n}}`."""
        result: dict[str, Any] = self._call("GET", "/requests")
        return result

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "/requests", expected=204)

    def faults(self) -> dict[str, Any]:
        """The fault configuration and the counts of injected faults."""
        result: dict[str, Any] = self._call("GET", "/faults")
        return result

    def set_faults(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the fault and latency configuration (see `faults.py`)."""
        result: dict[str, Any] = self._call("PUT", "/faults", json=dict(config))
        return result

    def clear_faults(self) -> None:
        """No latency, no fault rules."""
        self._call("DELETE", "/faults", expected=204)

    def create_source(self, organization_id: str, name: str) -> dict[str, Any]:
        """Create a Coveo source; returns `{"id", "name"}`."""
        result: dict[str, Any] = self._call(
            "POST", f"/coveo/organizations/{organization_id}/sources", json={"name": name}, expected=201
        )
        return result

    def push_document(
        self, organization_id: str, source_id: str, document: dict[str, Any], item_type: str | None = None
    ) -> dict[str, Any]:
        """Push a mock document (`ExtensionTestDocumentModel`) through a source's pipeline; returns the item."""
        body: dict[str, Any] = {"document": document, **({"itemType": item_type} if item_type else {})}
        path = f"/coveo/organizations/{organization_id}/sources/{source_id}/documents"
        result: dict[str, Any] = self._call("POST", path, json=body, expected=201)
        return result

    def documents(self, organization_id: str, source_id: str) -> list[dict[str, Any]]:
        """The items pushed to a source, oldest first."""
        path = f"/coveo/organizations/{organization_id}/sources/{source_id}/documents"
        items: list[dict[str, Any]] = self._call("GET", path, expected=200)["items"]
        return items

    def delete_source(self, organization_id: str, source_id: str) -> None:
        """Delete a Coveo source (and its extension map)."""
        self._call("DELETE", f"/coveo/organizations/{organization_id}/sources/{source_id}", expected=204)

    def auto_disable(self, organization_id: str, extension_id: str, reason: str | None = None) -> dict[str, Any]:
        """Disable a Coveo extension the way the service does when it keeps timing out."""
        body = {"reason": reason} if reason is not None else {}
        result: dict[str, Any] = self._call(
            "POST", f"/coveo/organizations/{organization_id}/extensions/{extension_id}/auto-disable", json=body
        )
        return result

    def create_deployment(self, name: str, extension_ids: list[str]) -> dict[str, Any]:
        """Create an Elastic deployment whose plan references the given extensions."""
        result: dict[str, Any] = self._call(
            "POST", "/elastic/deployments", json={"name": name, "extension_ids": extension_ids}, expected=201
        )
        return result

    def update_deployment(self, deployment_id: str, name: str, extension_ids: list[str]) -> dict[str, Any]:
        """Replace an Elastic deployment's name and extension references."""
        result: dict[str, Any] = self._call(
            "PUT", f"/elastic/deployments/{deployment_id}", json={"name": name, "extension_ids": extension_ids}
        )
        return result

    def delete_deployment(self, deployment_id: str) -> None:
        """Delete an Elastic deployment (its extensions become deletable)."""
        response = self._session.delete(
            f"{self.base_url}/_emulator/elastic/deployments/{deployment_id}", timeout=ADMIN_TIMEOUT_SECONDS
        )
        if response.status_code not in (200, 204):
            raise RuntimeError(f"emulator admin DELETE deployment: {response.status_code}: {response.text}")

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()


@dataclass(frozen=True)
class EmulatorHandle:
    """A running emulator: where it listens, its credentials and an admin client."""

    url: str
    coveo_organization_id: str
    coveo_api_key: str
    coveo_other_organization_id: str | None
    coveo_other_api_key: str | None
    elastic_api_key: str
    elastic_username: str
    elastic_password: str
    pid: int
    admin: EmulatorAdmin
    data_dir: Path | None
    log_file: Path

    def stack_config(self) -> tuple[dict[str, str], dict[str, str]]:
        """(plain, secret) Pulumi stack config that points both services at this emulator.

        For `Stack.set_all_config` or `pulumi config set [--secret]`: `coveo:host`, `coveo:organizationId`
        and `ec:endpoint`; the keys `coveo:apiKey` and `ec:apikey` (set them as secrets).
        """
        plain = {"coveo:host": self.url, "coveo:organizationId": self.coveo_organization_id, "ec:endpoint": self.url}
        return plain, {"coveo:apiKey": self.coveo_api_key, "ec:apikey": self.elastic_api_key}


def _command_line(
    *,
    host: str,
    port: int,
    port_file: Path,
    coveo_organizations: Mapping[str, str],
    elastic_api_key: str,
    elastic_mode: str,
    elastic_username: str,
    elastic_password: str,
    elastic_upload_limit_mb: int | None,
    latency_ms: int | None,
    jitter_ms: int | None,
    fault_config: str | None,
    seed: int | None,
    data_dir: Path | None,
    log_level: str,
) -> list[str]:
    command = [sys.executable, "-m", "pulumi_search_extensions.emulator", "--host", host, "--port", str(port)]
    command += ["--port-file", str(port_file), "--log-level", log_level]
    for organization, key in coveo_organizations.items():
        command += ["--coveo-org", f"{organization}={key}"]
    command += ["--elastic-api-key", elastic_api_key, "--elastic-mode", elastic_mode]
    command += ["--elastic-user", f"{elastic_username}:{elastic_password}"]
    optional: list[tuple[str, object | None]] = [
        ("--elastic-upload-limit-mb", elastic_upload_limit_mb),
        ("--latency-ms", latency_ms),
        ("--jitter-ms", jitter_ms),
        ("--fault-config", fault_config),
        ("--seed", seed),
        ("--data-dir", data_dir),
    ]
    for flag, value in optional:
        if value is not None:
            command += [flag, str(value)]
    return command


def _wait_until_ready(process: subprocess.Popen[bytes], port_file: Path, host: str, deadline: float) -> str:
    """Wait for the port file, then for `/_emulator/health`; return the base URL."""
    url: str | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the emulator exited with code {process.returncode} before it was ready")
        if url is None and port_file.exists():
            text = port_file.read_text(encoding="ascii").strip()
            if text:
                url = f"http://{f'[{host}]' if ':' in host else host}:{int(text)}"
        if url is not None:
            try:
                if requests.get(f"{url}/_emulator/health", timeout=2).status_code == 200:
                    return url
            except requests.ConnectionError:
                pass
        time.sleep(0.05)
    raise TimeoutError("the emulator did not become ready in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def run_emulator(
    *,
    coveo_organizations: Mapping[str, str] | None = None,
    elastic_api_key: str = DEFAULT_ELASTIC_API_KEY,
    elastic_mode: str = "ess",
    elastic_username: str = DEFAULT_ELASTIC_USERNAME,
    elastic_password: str = DEFAULT_ELASTIC_PASSWORD,
    elastic_upload_limit_mb: int | None = None,
    latency_ms: int | None = None,
    jitter_ms: int | None = None,
    fault_config: str | Mapping[str, Any] | None = None,
    seed: int | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    host: str = DEFAULT_HOST,
    port: int = 0,
    log_level: str = "warning",
    startup_timeout_s: float = 30.0,
) -> Iterator[EmulatorHandle]:
    """Start the emulator in a child process (on a free port by default); stop it when the block exits.

    The keyword arguments mirror the command-line options (`fault_config`: a mapping, inline
    JSON or `@file`). The child's output goes to `handle.log_file` (removed after the block).
    """
    organizations = dict(coveo_organizations or DEFAULT_COVEO_ORGANIZATIONS)
    (main_org, main_key), *others = organizations.items()
    other_org, other_key = others[0] if others else (None, None)
    resolved_data_dir = Path(data_dir).resolve() if data_dir is not None else None

    with tempfile.TemporaryDirectory(prefix="emulator-run-") as run_dir:
        port_file = Path(run_dir) / "port"
        log_file = Path(run_dir) / "emulator.log"
        command = _command_line(
            host=host,
            port=port,
            port_file=port_file,
            coveo_organizations=organizations,
            elastic_api_key=elastic_api_key,
            elastic_mode=elastic_mode,
            elastic_username=elastic_username,
            elastic_password=elastic_password,
            elastic_upload_limit_mb=elastic_upload_limit_mb,
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            fault_config=fault_config
            if fault_config is None or isinstance(fault_config, str)
            else json.dumps(fault_config),
            seed=seed,
            data_dir=resolved_data_dir,
            log_level=log_level,
        )
        with open(log_file, "wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        admin: EmulatorAdmin | None = None
        try:
            try:
                url = _wait_until_ready(process, port_file, host, time.monotonic() + startup_timeout_s)
            except (RuntimeError, TimeoutError) as error:
                output = log_file.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"{error}; emulator output:\n{output}") from None
            admin = EmulatorAdmin(url)
            yield EmulatorHandle(
                url=url,
                coveo_organization_id=main_org,
                coveo_api_key=main_key,
                coveo_other_organization_id=other_org,
                coveo_other_api_key=other_key,
                elastic_api_key=elastic_api_key,
                elastic_username=elastic_username,
                elastic_password=elastic_password,
                pid=process.pid,
                admin=admin,
                data_dir=resolved_data_dir,
                log_file=log_file,
            )
        finally:
            if admin is not None:
                admin.close()
            _stop(process)
