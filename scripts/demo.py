"""Runs the root Pulumi program (`__main__.py`) against the bundled emulator: `make demo` / `make destroy`.

What it does, in order:
1. starts the emulator on a fixed loopback port with its data in `.pulumi-state/emulator`, so a second
   run finds the same extensions (and reports no changes);
2. serves `examples/assets` on another fixed port, for the bundle the service fetches by `download_url`;
3. selects (or creates) the stack `demo` on the local file backend in `.pulumi-state` (set
   PULUMI_BACKEND_URL to use your own backend), sets its config to the emulator's address and keys;
4. runs the program with a real `pulumi up` (or `preview` / `destroy`) through the Automation API and
   prints the outputs.

The Automation API drives the real CLI and engine with an inline program, so no Python language host is
needed (see README, "Troubleshooting"). With the official Pulumi install, `pulumi up` in the repository
root runs the same program.
"""

from __future__ import annotations

import argparse
import functools
import os
import runpy
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pulumi import automation as auto

from pulumi_search_extensions._toolchain import PulumiCliMissing, find_pulumi, local_backend_env, provider_env
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "preview", "refresh", "destroy"], nargs="?", default="up")
    args = parser.parse_args()

    try:
        cli = find_pulumi(REPO_ROOT / ".tools" / "bin")
        env = {**provider_env(REPO_ROOT / ".tools" / "bin"), **local_backend_env(STATE_DIR)}
    except PulumiCliMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    with (
        run_emulator(port=EMULATOR_PORT, data_dir=STATE_DIR / "emulator") as emulator,
        serve_assets(FILES_PORT) as files_url,
    ):
        print(f"emulator: {emulator.url} (data in {STATE_DIR / 'emulator'})")
        # An inline program needs both `program` and `project_name`; with `work_dir` alone the Automation
        # API would run Pulumi.yaml's `main` through the Python language host, which may not be installed.
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
        plain, secret = emulator.stack_config()
        plain["demo:bundleUrl"] = f"{files_url}/stopwords-bundle.zip"
        stack.set_all_config(
            {k: auto.ConfigValue(v) for k, v in plain.items()}
            | {k: auto.ConfigValue(v, secret=True) for k, v in secret.items()}
        )

        if args.action == "preview":
            stack.preview(on_output=print)
            return 0
        if args.action == "refresh":
            stack.refresh(on_output=print)
            return 0
        if args.action == "destroy":
            stack.destroy(on_output=print)
            return 0
        result = stack.up(on_output=print)  # the CLI's own output, outputs included
        print(f"Resources: {result.summary.resource_changes}")
        print("Run `make demo` again: it reports no changes. `make destroy` removes everything.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
