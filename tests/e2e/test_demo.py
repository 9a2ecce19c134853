"""The README's demo command: `scripts/demo.py` runs the root program with a real `pulumi up`.

Run as the user runs it (a separate process, `make demo` calls exactly this), on its own ports, state
folder and stack, so it never touches a demo the developer has running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.stacks import TOOLS_BIN
from support.toolchain import find_language_host

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a demo run: a private state folder, stack name and ports."""
    stack = f"demo-test-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULUMI_", "COVEO_", "EC_"))}
    env.update(
        DEMO_STATE_DIR=str(tmp_path / "state"),
        DEMO_STACK=stack,
        DEMO_EMULATOR_PORT=str(free_port()),
        DEMO_FILES_PORT=str(free_port()),
    )
    yield env
    (REPO_ROOT / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)


def run_demo(action: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "demo.py"), action],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def demo(action: str, env: dict[str, str]) -> str:
    """Runs `scripts/demo.py <action>` and returns its output; a failed run fails the test with that output."""
    run = run_demo(action, env)
    assert run.returncode == 0, f"demo.py {action} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


def refused(action: str, env: dict[str, str]) -> str:
    """Runs `scripts/demo.py <action>`, which must refuse in one line (no traceback); returns that line."""
    run = run_demo(action, env)
    assert run.returncode == 2, f"demo.py {action} did not refuse:\n{run.stdout}\n{run.stderr}"
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    return run.stderr


def test_demo_creates_three_extensions_then_reports_no_changes_then_destroys(demo_env: dict[str, str]) -> None:
    first = demo("up", demo_env)
    # Plain `pulumi up` in the repository root when the language host is there, else the Automation API.
    if find_language_host(TOOLS_BIN) is not None:
        assert f"running `pulumi up` in {REPO_ROOT} (stack {demo_env['DEMO_STACK']})" in first, first
    else:
        assert "no Python language host (pulumi-language-python): running the program through the Automation" in first
    assert "+ 4 created" in first, first
    for output in ("coveo_extension_id", "synonyms_url", "stopwords_url"):
        assert output in first

    # Another emulator port would replace every extension (the host is part of where each one lives): refused.
    moved = refused("up", {**demo_env, "DEMO_EMULATOR_PORT": str(free_port())})
    assert f"DEMO_EMULATOR_PORT={demo_env['DEMO_EMULATOR_PORT']}" in moved and "make clean-demo-state" in moved

    # A shell pointed at another backend (a stack of real accounts) does not move the demo's stack there.
    second = demo("up", {**demo_env, "PULUMI_BACKEND_URL": "file:///nonexistent-real-backend"})
    assert "PULUMI_BACKEND_URL of the shell ignored" in second, second
    assert "4 unchanged" in second, second

    destroyed = demo("destroy", demo_env)
    assert "4 deleted" in destroyed, destroyed
    # Nothing of the demo's secrets is written in plain text into its state folder.
    state = Path(demo_env["DEMO_STATE_DIR"]) / "backend"
    written = "".join(path.read_text(errors="replace") for path in state.rglob("*") if path.is_file())
    assert "search-extensions-demo" in written  # the stack was saved here
    for key in ("xx-emulator-demo-coveo-key", "emulator-demo-elastic-key"):
        assert key not in written

    # `make clean-demo-state` says what it deletes, then deletes the state folder and the demo's stack config.
    cleaned = demo("clean-state", demo_env)
    assert demo_env["DEMO_STACK"] in cleaned and "passphrase" in cleaned and "emulator" in cleaned, cleaned
    assert not Path(demo_env["DEMO_STATE_DIR"]).exists()
    assert not (REPO_ROOT / f"Pulumi.{demo_env['DEMO_STACK']}.yaml").exists()


@pytest.mark.parametrize("variable", ["DEMO_EMULATOR_PORT", "DEMO_FILES_PORT"])
def test_a_busy_port_stops_the_demo_in_one_line_naming_the_variable_to_change(
    variable: str, demo_env: dict[str, str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = refused("up", {**demo_env, variable: str(port)})
    assert f"port {port} ({variable}) is in use" in line and f"make demo {variable}=" in line, line
    assert not Path(demo_env["DEMO_STATE_DIR"]).exists()  # nothing was started or written


def test_the_demo_leaves_a_stack_it_did_not_create_as_it_is(demo_env: dict[str, str]) -> None:
    config = REPO_ROOT / f"Pulumi.{demo_env['DEMO_STACK']}.yaml"
    mine = "config:\n  coveo:organizationId: myorg\n  coveo:region: eu\n"
    config.write_text(mine)
    line = refused("up", demo_env)
    assert config.name in line and "not made by the demo" in line and "DEMO_STACK=" in line, line
    assert config.read_text() == mine


def test_the_demo_refuses_to_undo_settings_a_user_gave_its_stack(demo_env: dict[str, str]) -> None:
    """The trap of pointing the demo's own stack at real accounts: each run would set the emulator back."""
    config = REPO_ROOT / f"Pulumi.{demo_env['DEMO_STACK']}.yaml"
    edited = "config:\n  coveo:organizationId: myorg\n  coveo:region: eu\n  demo:managedBy: scripts/demo.py\n"
    config.write_text(edited)
    line = refused("up", demo_env)
    assert "settings the demo did not make (coveo:region, coveo:organizationId myorg)" in line, line
    assert "Going to real accounts" in line
    assert config.read_text() == edited
