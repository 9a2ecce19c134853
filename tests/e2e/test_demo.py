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

from pulumi_search_extensions._toolchain import find_language_host
from support.stacks import TOOLS_BIN

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


def demo(action: str, env: dict[str, str]) -> str:
    """Runs `scripts/demo.py <action>` and returns its output; a failed run fails the test with that output."""
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "demo.py"), action],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, f"demo.py {action} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


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

    second = demo("up", demo_env)
    assert "4 unchanged" in second, second

    destroyed = demo("destroy", demo_env)
    assert "4 deleted" in destroyed, destroyed
    # Nothing of the demo's secrets is written in plain text into its state folder.
    state = Path(demo_env["DEMO_STATE_DIR"]) / "backend"
    written = "".join(path.read_text(errors="replace") for path in state.rglob("*") if path.is_file())
    assert "search-extensions-demo" in written  # the stack was saved here
    for key in ("xx-emulator-demo-coveo-key", "emulator-demo-elastic-key"):
        assert key not in written
