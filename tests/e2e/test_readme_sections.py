"""The README's step to real accounts and its project of one's own, typed as a user types them.

Like `test_programs_in_folders.py`, each section runs as one bash script with the real CLI and Pulumi's Python
language host, from the README's own text (`readme_walkthrough.steps`):

- "Going to real accounts", in a copy of the repository, in a shell that had the demo's settings: the preview
  exactly as written (region, organization, keys from the shell: no API call is made), in the backend and
  with the passphrase `env.sh --real` gives, never the demo's; then, with the emulator standing in for Coveo
  and Elastic (its address instead of the region and the endpoint, its keys in the shell), up, destroy and
  stack rm.
- "In your own project", in an empty folder outside the repository: a virtualenv with the package installed
  from the clone, the two files the README shows, a backend and passphrase of the project's own, and a stack
  through preview, up, destroy and stack rm against the emulator.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle
from support.servers import serve_directory
from support.stacks import REPO_ROOT

from .readme_walkthrough import section, step_outputs, steps, typed

pytestmark = pytest.mark.e2e

README = REPO_ROOT / "README.md"
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"


def user_shell(home: Path) -> dict[str, str]:
    """A user's shell: a home of its own, none of our settings, no state backend or passphrase chosen."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULUMI_", "COVEO_", "EC_"))}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "XDG_STATE_HOME"):
        env.pop(name, None)
    home.mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(home)
    return env


def run_typed(script: str, cwd: Path, env: dict[str, str], count: int) -> tuple[list[str], str]:
    """Runs a typed script; fails naming the README command that failed. Returns each step's output and all."""
    run = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    output = run.stdout + run.stderr
    outputs = step_outputs(run.stdout, count)
    assert run.returncode == 0, f"README step {len(outputs) - 1} failed:\n{output[-6000:]}"
    assert "Python language host" not in output and "language plugin" not in output
    return outputs, output


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A user's clone, for running the root program: its files, env.sh, and the built .venv/.tools."""
    root = tmp_path / "clone"
    root.mkdir()
    shutil.copytree(REPO_ROOT / "examples", root / "examples")
    (root / "scripts").mkdir()
    shutil.copy2(REPO_ROOT / "scripts" / "env.sh", root / "scripts" / "env.sh")
    for name in ("Pulumi.yaml", "__main__.py", "README.md"):
        shutil.copy2(REPO_ROOT / name, root / name)
    for built in (".venv", ".tools"):
        (root / built).symlink_to(REPO_ROOT / built)
    return root


@pytest.fixture
def files_url(checkout: Path) -> Iterator[str]:
    with serve_directory(checkout / "examples" / "assets") as url:
        yield url


def test_going_to_real_accounts_previews_as_written_then_deploys_with_the_emulator_standing_in(
    language_host: Path, clean_emulator: EmulatorHandle, checkout: Path, files_url: str, tmp_path: Path
) -> None:
    text = section(README, "### Going to real accounts")
    to_preview = steps(text, until="pulumi preview")
    commands = [step.command for step in steps(text)]
    assert any("coveo:region" in c for c in commands) and not any("coveo:host" in c.split("#")[0] for c in commands)
    assert any(c.startswith("pulumi config set --secret coveo:apiKey") for c in commands)
    assert any(c.startswith("pulumi config set --secret ec:apikey") for c in commands)
    stack = next(c.split()[3] for c in commands if c.startswith("pulumi stack init "))
    home = tmp_path / "home"
    env = user_shell(home)
    # The shell was set up for the emulator first: `--real` must not keep the demo's backend and passphrase.
    prelude = "source scripts/env.sh"

    # 1. Exactly as written, with keys of the right shape in the shell: the preview needs no API call.
    shell = {**env, "COVEO_API_KEY": "xx00000000-0000-0000-0000-000000000000", "EC_API_KEY": "ZWxhc3RpYzpub3RyZWFs"}
    script = typed(to_preview, prelude=prelude) + f"pulumi stack rm {stack}\n"  # nothing deployed: let it go
    outputs, output = run_typed(script, checkout, shell, len(to_preview))
    assert "4 to create" in outputs[-1], outputs[-1]
    assert clean_emulator.admin.requests()["counts"] == {}

    real_state = home / ".local" / "state" / "pulumi-search-extensions"
    assert f"backend file://{real_state}/backend" in output
    assert (real_state / "passphrase").read_text() != (checkout / ".pulumi-state" / "passphrase").read_text()

    # 2. The same commands, the emulator standing in for the real services: up, then the clean-up ones.
    standing_in = {
        "coveo:region eu": f"coveo:host {clean_emulator.url}",
        "https://api.elastic-cloud.com": clean_emulator.url,
        "coveo:organizationId myorg": f"coveo:organizationId {clean_emulator.coveo_organization_id}",
        "https://example.com/stopwords-bundle.zip": f"{files_url}/stopwords-bundle.zip",
    }
    shell = {**env, "COVEO_API_KEY": clean_emulator.coveo_api_key, "EC_API_KEY": clean_emulator.elastic_api_key}
    everything = steps(text)
    script = typed(everything, standing_in, prelude=prelude)
    script += f"pulumi destroy\npulumi stack rm {stack}\n"
    outputs, output = run_typed(script, checkout, shell, len(everything))
    assert "4 created" in outputs[-1], outputs[-1]
    assert "4 deleted" in output, output[-3000:]
    dump = clean_emulator.admin.dump()
    assert dump["elastic"]["extensions"] == []
    assert dump["coveo"][clean_emulator.coveo_organization_id]["extensions"] == []

    # The stack lived in the backend of real accounts, never in the demo's.
    assert list((real_state / "backend").rglob(f"*{stack}*")), "no trace of the stack in the real-accounts backend"
    assert not list((checkout / ".pulumi-state" / "backend").rglob(f"{stack}*"))
    written = "".join(p.read_text(errors="replace") for p in real_state.rglob("*.json*") if p.is_file())
    for key in (clean_emulator.coveo_api_key, clean_emulator.elastic_api_key):
        assert key not in written, "an API key was written into the state in plain text"


def test_a_project_of_ones_own_runs_from_an_empty_folder_outside_the_repository(
    language_host: Path, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    found = steps(section(README, "## In your own project"))
    files = {step.file for step in found if step.file}
    assert {"Pulumi.yaml", "__main__.py"} <= files, files
    commands = [step.command for step in found if step.file is None]
    assert any("pip install" in c for c in commands) and any("PULUMI_BACKEND_URL" in c for c in commands)
    assert any("PULUMI_CONFIG_PASSPHRASE" in c for c in commands)
    # Only the typed block is run; `pip install build` precedes `python -m build` in the alternatives.
    alternatives = "\n".join(commands)
    assert alternatives.index("pip install build") < alternatives.index("-m build")
    typed_steps = found[: next(i for i, s in enumerate(found) if s.file is None and "stack rm" in s.command) + 1]

    work = tmp_path / "work"
    env = user_shell(tmp_path / "home")
    base_python = Path(sys.base_prefix) / "bin"
    env["PATH"] = os.pathsep.join([str(TOOLS_BIN), str(base_python), "/usr/bin", "/bin"])
    replacements = {"/path/to/pulumi-search-extensions": str(REPO_ROOT), "http://127.0.0.1:8080": clean_emulator.url}
    work.mkdir()

    outputs, _ = run_typed(typed(typed_steps, replacements), work, env, len(typed_steps))

    project = next(work.iterdir())
    assert not project.resolve().is_relative_to(REPO_ROOT)
    up = next(o for s, o in zip(typed_steps, outputs, strict=False) if s.command.startswith("pulumi up"))
    assert "2 created" in up and "warning" not in up, up
    destroyed = next(o for s, o in zip(typed_steps, outputs, strict=False) if s.command.startswith("pulumi destroy"))
    assert "2 deleted" in destroyed, destroyed
    assert (project / "state").is_dir() and (project / "passphrase").stat().st_mode & 0o077 == 0
    assert clean_emulator.admin.dump()["coveo"][clean_emulator.coveo_organization_id]["extensions"] == []
    imported = subprocess.run(
        [str(project / "venv" / "bin" / "python"), "-c", "import pulumi_search_extensions as p; print(p.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(project / "venv") in imported  # the project's own install, not this checkout
