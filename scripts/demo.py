"""Runs the root Pulumi program (`__main__.py`) against the bundled emulator: `make demo` / `make destroy`.

What it does, in order:
1. starts the emulator on a fixed loopback port with its data in `.pulumi-state/emulator`, so a second
   run finds the same extensions (and reports no changes);
2. serves `examples/assets` on another fixed port, for the bundle the service fetches by `download_url`;
3. selects (or creates) the stack `demo` on the local file backend in `.pulumi-state` (set
   PULUMI_BACKEND_URL to use your own backend), sets its config to the emulator's address and keys;
4. runs plain `pulumi up` (or `preview` / `refresh` / `destroy`) in the repository root, as a user
   types it: the CLI runs `Pulumi.yaml` (`runtime: python`, `virtualenv: .venv`) through the Python
   language host.

When the language host is missing (`scripts/install-pulumi.sh` could not provide it), step 4 runs the same
program through the Automation API as an inline program instead, which drives the same CLI and engine
without a language host, and says so in one line.
"""

from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
from pathlib import Path

from pulumi_search_extensions._toolchain import (
    PulumiCliMissing,
    find_language_host,
    find_pulumi,
    local_backend_env,
    provider_env,
)
from pulumi_search_extensions.emulator import run_emulator

REPO_ROOT = Path(__file__).resolve().parents[1]
# The stack factory and the file server are the tests' own (`tests/support`, plain Python: no pytest needed).
sys.path.insert(0, str(REPO_ROOT / "tests"))
from support.servers import serve_directory  # noqa: E402
from support.stacks import TOOLS_BIN, StackFactory, pulumi_command  # noqa: E402

STATE_DIR = Path(os.environ.get("DEMO_STATE_DIR", REPO_ROOT / ".pulumi-state")).resolve()
ASSETS = REPO_ROOT / "examples" / "assets"
EMULATOR_PORT = int(os.environ.get("DEMO_EMULATOR_PORT", "18480"))
FILES_PORT = int(os.environ.get("DEMO_FILES_PORT", "18481"))
STACK = os.environ.get("DEMO_STACK", "demo")
PROJECT = "search-extensions-demo"  # the `name` in Pulumi.yaml


def program() -> None:
    runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__")


Config = dict[str, str]
"""Stack config (`"coveo:host": ...`): the plain values and the secrets are passed apart."""


def run_plain_cli(cli: Path, action: str, env: Config, plain: Config, secrets: Config) -> int:
    """`pulumi <action>` in the repository root, exactly as a user types it, with the CLI's own output."""
    env = {**os.environ, **env}

    def pulumi(*args: str) -> None:
        subprocess.run([str(cli), *args], cwd=REPO_ROOT, env=env, check=True)

    pulumi("stack", "select", "--create", STACK)
    pulumi(
        "config",
        "set-all",
        *(f"--plaintext={key}={value}" for key, value in plain.items()),
        *(f"--secret={key}={value}" for key, value in secrets.items()),
    )
    command = {"up": ["up", "--yes"], "preview": ["preview"], "refresh": ["refresh", "--yes"]}
    ran = subprocess.run([str(cli), *command.get(action, ["destroy", "--yes"])], cwd=REPO_ROOT, env=env, check=False)
    return ran.returncode


def run_inline(cli: Path, action: str, env: Config, plain: Config, secrets: Config) -> int:
    """The same program through the Automation API (inline program: no language host needed)."""
    # An inline program needs both `program` and `project_name`; with `work_dir` alone the Automation
    # API would run Pulumi.yaml's `main` through the Python language host. The repository's own work
    # directory and the demo's stack: selected when it exists, so a second run finds the same state.
    stacks = StackFactory(env, REPO_ROOT, pulumi_command(cli.parent))
    stack = stacks(program, plain, secrets=secrets, project=PROJECT, name=STACK, work_dir=REPO_ROOT, select=True)
    if action == "preview":
        stack.preview(on_output=print)
    elif action == "refresh":
        stack.refresh(on_output=print)
    elif action == "destroy":
        stack.destroy(on_output=print)
    else:
        stack.up(on_output=print)  # the CLI's own output, outputs and summary included
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "preview", "refresh", "destroy"], nargs="?", default="up")
    args = parser.parse_args()

    tools_bin = TOOLS_BIN  # <repo>/.tools/bin, or the tools folder SEARCH_EXTENSIONS_TOOLS names
    try:
        cli = find_pulumi(tools_bin)
        env = {**provider_env(tools_bin), **local_backend_env(STATE_DIR)}
    except PulumiCliMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    language_host = find_language_host(tools_bin)

    with (
        run_emulator(port=EMULATOR_PORT, data_dir=STATE_DIR / "emulator") as emulator,
        serve_directory(ASSETS, FILES_PORT) as files_url,
    ):
        print(f"emulator: {emulator.url} (data in {STATE_DIR / 'emulator'})", flush=True)
        plain, secret = emulator.stack_config()
        plain["demo:bundleUrl"] = f"{files_url}/stopwords-bundle.zip"
        if language_host is not None:
            print(f"running `pulumi {args.action}` in {REPO_ROOT} (stack {STACK})", flush=True)
            status = run_plain_cli(cli, args.action, env, plain, secret)
        else:
            print(
                "no Python language host (pulumi-language-python): running the program through the Automation "
                "API instead of plain `pulumi` (see README, Troubleshooting)",
                flush=True,
            )
            status = run_inline(cli, args.action, env, plain, secret)
        if status == 0 and args.action == "up":
            print("Run `make demo` again: it reports no changes. `make destroy` removes everything.")
    return status


if __name__ == "__main__":
    sys.exit(main())
