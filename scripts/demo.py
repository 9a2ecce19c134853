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
import functools
import os
import runpy
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pulumi import automation as auto

from pulumi_search_extensions._toolchain import (
    PulumiCliMissing,
    find_language_host,
    find_pulumi,
    local_backend_env,
    provider_env,
)
from pulumi_search_extensions.emulator import run_emulator

REPO_ROOT = Path(__file__).resolve().parents[1]
STATE_DIR = Path(os.environ.get("DEMO_STATE_DIR", REPO_ROOT / ".pulumi-state")).resolve()
ASSETS = REPO_ROOT / "examples" / "assets"
EMULATOR_PORT = int(os.environ.get("DEMO_EMULATOR_PORT", "18480"))
FILES_PORT = int(os.environ.get("DEMO_FILES_PORT", "18481"))
STACK = os.environ.get("DEMO_STACK", "demo")
PROJECT = "search-extensions-demo"  # the `name` in Pulumi.yaml


@contextmanager
def serve_assets(port: int) -> Iterator[str]:
    """Serves the demo's assets over HTTP on loopback (the emulator fetches `download_url` from here)."""
    handler = functools.partial(QuietHandler, directory=str(ASSETS))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def program() -> None:
    runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__")


def run_plain_cli(cli: Path, action: str, env: dict[str, str], config: dict[str, tuple[str, bool]]) -> int:
    """`pulumi <action>` in the repository root, exactly as a user types it, with the CLI's own output."""
    env = {**os.environ, **env}

    def pulumi(*args: str) -> None:
        subprocess.run([str(cli), *args], cwd=REPO_ROOT, env=env, check=True)

    pulumi("stack", "select", "--create", STACK)
    pulumi(
        "config",
        "set-all",
        *(f"--{'secret' if secret else 'plaintext'}={key}={value}" for key, (value, secret) in config.items()),
    )
    command = {"up": ["up", "--yes"], "preview": ["preview"], "refresh": ["refresh", "--yes"]}
    ran = subprocess.run([str(cli), *command.get(action, ["destroy", "--yes"])], cwd=REPO_ROOT, env=env, check=False)
    return ran.returncode


def run_inline(cli: Path, action: str, env: dict[str, str], config: dict[str, tuple[str, bool]]) -> int:
    """The same program through the Automation API (inline program: no language host needed)."""
    # An inline program needs both `program` and `project_name`; with `work_dir` alone the Automation
    # API would run Pulumi.yaml's `main` through the Python language host.
    stack = auto.create_or_select_stack(
        stack_name=STACK,
        project_name=PROJECT,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(REPO_ROOT),
            pulumi_command=auto.PulumiCommand(root=str(cli.parent.parent), skip_version_check=True),
            env_vars=env,
        ),
    )
    stack.set_all_config({key: auto.ConfigValue(value, secret=secret) for key, (value, secret) in config.items()})
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

    tools_bin = REPO_ROOT / ".tools" / "bin"
    try:
        cli = find_pulumi(tools_bin)
        env = {**provider_env(tools_bin), **local_backend_env(STATE_DIR)}
    except PulumiCliMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    language_host = find_language_host(tools_bin)

    with (
        run_emulator(port=EMULATOR_PORT, data_dir=STATE_DIR / "emulator") as emulator,
        serve_assets(FILES_PORT) as files_url,
    ):
        print(f"emulator: {emulator.url} (data in {STATE_DIR / 'emulator'})", flush=True)
        plain, secret = emulator.stack_config()
        plain["demo:bundleUrl"] = f"{files_url}/stopwords-bundle.zip"
        config = {key: (value, False) for key, value in plain.items()} | {
            key: (value, True) for key, value in secret.items()
        }
        if language_host is not None:
            print(f"running `pulumi {args.action}` in {REPO_ROOT} (stack {STACK})", flush=True)
            status = run_plain_cli(cli, args.action, env, config)
        else:
            print(
                "no Python language host (pulumi-language-python): running the program through the Automation "
                "API instead of plain `pulumi` (see README, Troubleshooting)",
                flush=True,
            )
            status = run_inline(cli, args.action, env, config)
        if status == 0 and args.action == "up":
            print("Run `make demo` again: it reports no changes. `make destroy` removes everything.")
    return status


if __name__ == "__main__":
    sys.exit(main())
