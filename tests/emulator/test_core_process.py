"""`run_emulator()` and the command line: a child process on a free port, stopped on exit."""

from __future__ import annotations

import importlib.metadata
import socket
import subprocess
import sys

import psutil
import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator


def test_the_handle_carries_the_default_credentials(emulator: EmulatorHandle) -> None:
    assert emulator.url.startswith("http://127.0.0.1:")
    assert (emulator.coveo_organization_id, emulator.coveo_api_key) == ("searchdemoorg", "xx-emulator-demo-coveo-key")
    assert (emulator.coveo_other_organization_id, emulator.coveo_other_api_key) == (
        "searchotherorg",
        "xx-emulator-other-coveo-key",
    )
    assert emulator.elastic_api_key == "emulator-demo-elastic-key"
    assert (emulator.elastic_username, emulator.elastic_password) == ("admin", "emulator-password")


def test_the_emulator_runs_in_a_separate_process(emulator: EmulatorHandle) -> None:
    child = psutil.Process(emulator.pid)
    assert emulator.pid != psutil.Process().pid
    assert "pulumi_search_extensions.emulator" in " ".join(child.cmdline())
    assert emulator.admin.health() == {"status": "ok"}


def test_it_prints_its_base_url_and_credentials(emulator: EmulatorHandle) -> None:
    banner = emulator.log_file.read_text(encoding="utf-8")
    assert f"listening on {emulator.url}" in banner
    for secret in ("xx-emulator-demo-coveo-key", "xx-emulator-other-coveo-key", "emulator-demo-elastic-key"):
        assert secret in banner


def test_the_process_stops_when_the_block_exits() -> None:
    with run_emulator() as handle:
        process = psutil.Process(handle.pid)
        url = handle.url
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_emulator/health", timeout=2)


def test_the_process_stops_when_the_block_raises() -> None:
    with pytest.raises(KeyError), run_emulator() as handle:
        process = psutil.Process(handle.pid)
        raise KeyError("boom")
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE


def test_two_emulators_get_different_ports(emulator: EmulatorHandle) -> None:
    with run_emulator(coveo_organizations={"soloorg": "solo-key"}) as other:
        assert other.url != emulator.url
        assert other.coveo_organization_id == "soloorg"
        assert other.coveo_other_organization_id is None
        response = requests.get(
            f"{other.url}/rest/organizations/soloorg/extensions",
            headers={"Authorization": "Bearer solo-key"},
            timeout=10,
        )
        assert response.status_code == 200
        # The defaults are replaced, not extended.
        response = requests.get(
            f"{other.url}/rest/organizations/searchdemoorg/extensions",
            headers={"Authorization": "Bearer xx-emulator-demo-coveo-key"},
            timeout=10,
        )
        assert response.status_code == 401


def test_a_bad_option_fails_fast_with_the_emulators_output() -> None:
    with pytest.raises(RuntimeError, match="fault-config"), run_emulator(fault_config="{not json"):
        pass


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pulumi_search_extensions.emulator", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_help_documents_every_option() -> None:
    result = _cli("--help")
    assert result.returncode == 0
    for option in (
        "--host", "--port", "--data-dir", "--coveo-org", "--elastic-api-key", "--elastic-mode", "--elastic-user",
        "--elastic-upload-limit-mb", "--latency-ms", "--jitter-ms", "--fault-config", "--seed", "--port-file",
    ):  # fmt: skip
        assert option in result.stdout
    words = result.stdout.split()
    for default in (
        "searchdemoorg=xx-emulator-demo-coveo-key,",
        "emulator-demo-elastic-key)",
        "admin:emulator-password)",
    ):
        assert default in words


@pytest.mark.parametrize(
    "arguments",
    [["--coveo-org", "no-key"], ["--elastic-user", "nopassword"], ["--elastic-mode", "cloud"], ["--port", "-1"]],
)
def test_malformed_options_are_refused_with_usage(arguments: list[str]) -> None:
    result = _cli(*arguments)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_a_port_in_use_is_reported(emulator: EmulatorHandle) -> None:
    port = emulator.url.rsplit(":", 1)[1]
    result = _cli("--port", port)
    assert result.returncode == 2
    assert "cannot bind" in result.stderr
    # One line, naming the option that changes it; no traceback.
    assert result.stderr.count("\n") == 1 and "choose another port with --port" in result.stderr, result.stderr


def test_version_prints_the_package_version() -> None:
    result = _cli("--version")
    assert result.returncode == 0
    version = importlib.metadata.version("pulumi-search-extensions")
    assert result.stdout.strip() == f"search-extensions-emulator {version}"


def test_importing_the_package_leaves_the_server_side_unimported() -> None:
    code = (
        "import sys\n"
        "from pulumi_search_extensions.emulator import EmulatorAdmin, EmulatorHandle, run_emulator\n"
        "print(sorted(name for name in ('starlette', 'uvicorn') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_a_fixed_port_can_be_asked_for() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with run_emulator(port=port) as handle:
        assert handle.url == f"http://127.0.0.1:{port}"
        assert handle.admin.health() == {"status": "ok"}
