"""Plain `pulumi` in every program folder, with the commands its README gives, as a user types them.

Each program (the root demo and every example) runs in a copy of the repository's files, so no stack
config is written into the checkout: the README's walkthrough (`readme_walkthrough.py`) runs as one bash
script after `source scripts/env.sh`, against the session's emulator and a loopback file server. Every
command goes through the real CLI and Pulumi's Python language host, with the `virtualenv` option of the
program's `Pulumi.yaml` and its `__main__.py`.

These tests need the program's language host (`pulumi-language-python`, or `pulumi-language-yaml` for the
YAML example); without it they skip and say how to get it. The Automation API tests (`test_examples.py`,
`test_demo.py`, `tests/plugin/test_examples.py`) cover the same programs then.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pulumi_search_extensions.emulator import EmulatorHandle
from support.servers import serve_directory
from support.stacks import REPO_ROOT

from .readme_walkthrough import script, step_outputs, walkthrough
from .user_shell import left_on_the_service, user_env
from .user_shell import user_checkout as make_user_checkout

pytestmark = pytest.mark.e2e

PROGRAMS = {
    ".": REPO_ROOT / "README.md",
    **{path.parent.name: path for path in sorted((REPO_ROOT / "examples").glob("*/README.md"))},
}


@pytest.fixture
def user_checkout(tmp_path: Path) -> Path:
    """What a user's clone holds for running programs: the programs, env.sh, and the built .venv/.tools."""
    return make_user_checkout(tmp_path)


@pytest.fixture
def files_url(user_checkout: Path) -> Iterator[str]:
    """`examples/assets` over HTTP on loopback: the file server a README starts on port 8000."""
    with serve_directory(user_checkout / "examples" / "assets") as url:
        yield url


def runtime_of(program: str) -> str:
    """The `runtime` of the program's Pulumi.yaml (`python` or `yaml`)."""
    runtime = yaml.safe_load((PROGRAMS[program].parent / "Pulumi.yaml").read_text())["runtime"]
    return str(runtime["name"] if isinstance(runtime, dict) else runtime)


@pytest.mark.parametrize("program", sorted(PROGRAMS), ids=lambda p: "root" if p == "." else p)
def test_the_readme_walkthrough_runs_with_plain_pulumi_in_the_program_folder(
    program: str,
    request: pytest.FixtureRequest,
    clean_emulator: EmulatorHandle,
    user_checkout: Path,
    files_url: str,
    tmp_path: Path,
) -> None:
    # The one optional tool each program needs: its language host (the test skips, saying so, without it).
    request.getfixturevalue({"python": "language_host", "yaml": "yaml_language_host"}[runtime_of(program)])
    steps = walkthrough(PROGRAMS[program])
    env = user_env(tmp_path / "state")

    run = subprocess.run(
        ["bash", "-c", script(steps, emulator_url=clean_emulator.url, files_url=files_url)],
        cwd=user_checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    output = run.stdout + run.stderr
    outputs = step_outputs(run.stdout, len(steps.commands))
    failed_at = steps.commands[len(outputs) - 1] if outputs else "(before the first command)"
    assert run.returncode == 0, f"README command failed: {failed_at}\n{output[-6000:]}"
    assert "Python language host" not in output and "language plugin" not in output
    assert "from $PATH" not in output  # every plugin and host came from where the project puts them
    first_up = steps.index("pulumi up")
    assert "created" in outputs[first_up], outputs[first_up]
    edit_up = outputs[steps.edit_up]
    assert "updated" in edit_up or "replaced" in edit_up, f"the README's edit changed nothing:\n{edit_up}"
    assert "deleted" in outputs[steps.index("pulumi destroy")]
    if program == "elastic-deployment-url":
        # Its edit is a new file with on_file_change="replace": a new extension, the plan moved, the old one deleted.
        assert "replaced" in edit_up and "1 to replace" in outputs[steps.edit_up - 1], edit_up
        before = outputs[steps.index("pulumi stack output url")].strip()
        after = outputs[steps.index("pulumi stack output url", steps.edit_up)].strip()
        assert before.startswith("repo://") and after.startswith("repo://") and before != after, (before, after)
    assert left_on_the_service(clean_emulator) == []
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "state").rglob("*.json*") if p.is_file())
    for key in (clean_emulator.coveo_api_key, clean_emulator.elastic_api_key, "xx-emulator-other-coveo-key"):
        assert key not in written, "an API key was written into the state in plain text"
