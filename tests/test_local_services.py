"""`scripts/local-services.sh`: the README's by-hand emulator and file server, each port chosen, stopped together.

Run as a user runs it (bash, a separate process); its process ids and logs go to a folder of the test's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "scripts" / "local-services.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def services(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The script's environment, its state in `tmp_path`; whatever it started is stopped afterwards."""
    env = {**os.environ, "LOCAL_SERVICES_DIR": str(tmp_path / "services")}
    yield env
    subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=60, check=False)


def run(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *arguments], env=env, capture_output=True, text=True, timeout=120)


def test_start_serves_both_on_the_ports_given_and_one_stop_stops_both(services: dict[str, str]) -> None:
    emulator_port, files_port = free_port(), free_port()
    started = run(services, "start", "--emulator-port", str(emulator_port), "--files-port", str(files_port))
    assert started.returncode == 0, started.stderr
    assert requests.get(f"http://127.0.0.1:{emulator_port}/_emulator/health", timeout=5).ok
    assert requests.get(f"http://127.0.0.1:{files_port}/stopwords-bundle.zip", timeout=5).ok
    pids = [int(word) for word in (Path(services["LOCAL_SERVICES_DIR"]) / "pids").read_text().split()[::2]]

    stopped = run(services, "stop")

    assert stopped.returncode == 0, stopped.stderr
    assert f"port {emulator_port}" in stopped.stdout and f"port {files_port}" in stopped.stdout
    assert not [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    for port in (emulator_port, files_port):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)


def test_the_ports_can_come_from_the_environment(services: dict[str, str]) -> None:
    emulator_port, files_port = free_port(), free_port()
    env = {**services, "EMULATOR_PORT": str(emulator_port), "FILES_PORT": str(files_port)}
    started = run(env, "start")
    assert started.returncode == 0, started.stderr
    assert f"http://127.0.0.1:{emulator_port}" in started.stdout and f"http://127.0.0.1:{files_port}" in started.stdout


@pytest.mark.parametrize(("option", "variable"), [("--emulator-port", "EMULATOR_PORT"), ("--files-port", "FILES_PORT")])
def test_a_busy_port_fails_in_one_line_naming_the_option_and_the_variable_and_starts_nothing(
    option: str, variable: str, services: dict[str, str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        other = "--files-port" if option == "--emulator-port" else "--emulator-port"
        started = run(services, "start", option, str(busy), other, str(free_port()))

    assert started.returncode == 2
    assert started.stderr.count("\n") == 1 and "Traceback" not in started.stderr, started.stderr
    assert f"port {busy} is in use ({option} / {variable})" in started.stderr, started.stderr
    assert not (Path(services["LOCAL_SERVICES_DIR"]) / "pids").exists()


READMES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "examples").glob("*/README.md"))]


@pytest.mark.parametrize("readme", READMES, ids=lambda p: p.parent.name if p.parent != REPO_ROOT else "root")
def test_every_readme_starts_its_services_with_this_script_and_says_how_to_stop_and_move_them(readme: Path) -> None:
    from e2e.readme_walkthrough import walkthrough

    setup = walkthrough(readme).setup
    assert "scripts/local-services.sh start" in setup, setup
    assert not [line for line in setup.splitlines() if line.split("#")[0].rstrip().endswith("&")], setup
    text = readme.read_text(encoding="utf-8")
    assert "scripts/local-services.sh stop" in text and "--emulator-port" in text
