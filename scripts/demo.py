"""Runs the root Pulumi program (`__main__.py`) against the bundled emulator: `make demo` / `make destroy`.

What it does, in order:
1. checks that its two loopback ports are free (`DEMO_EMULATOR_PORT`, default 18480, and `DEMO_FILES_PORT`,
   default 18481: `make demo DEMO_EMULATOR_PORT=19480` changes them) and that the stack `demo` (`DEMO_STACK`)
   is its own: a stack, or a `Pulumi.<stack>.yaml`, that the demo did not create is never touched;
2. starts the emulator with its data in `.pulumi-state/emulator`, so a second run finds the same extensions
   (and reports no changes), and serves `examples/assets`, for the bundle the service fetches by `download_url`;
3. selects (or creates) the stack on the demo's own file backend in `.pulumi-state` (`DEMO_STATE_DIR`), with
   the demo's own passphrase, whatever PULUMI_BACKEND_URL or passphrase the shell holds: stacks of real
   accounts never share them. It sets the stack's config to the emulator's address and keys, and marks the
   stack as the demo's (`demo:managedBy`);
4. runs plain `pulumi up` (or `preview` / `refresh` / `destroy`) in the repository root, as a user
   types it: the CLI runs `Pulumi.yaml` (`runtime: python`, `virtualenv: .venv`) through the Python
   language host.

When the language host is missing (`scripts/install-pulumi.sh` could not provide it), step 4 runs the same
program through the Automation API as an inline program instead, which drives the same CLI and engine
without a language host, and says so in one line.

`scripts/demo.py clean-state` (`make clean-demo-state`) deletes the demo's state and says what it deletes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# The stack factory, the file server and the toolchain look-ups are the tests' own (`tests/support`, plain
# Python: no pytest needed). They and the package are imported where used: `clean-state` runs with any
# python3, before `make setup`.
sys.path.insert(0, str(REPO_ROOT / "tests"))

STATE_DIR = Path(os.environ.get("DEMO_STATE_DIR", REPO_ROOT / ".pulumi-state")).resolve()
ASSETS = REPO_ROOT / "examples" / "assets"


def _port(variable: str, default: int) -> int:
    """The port a variable gives (`make demo DEMO_EMULATOR_PORT=19480`); a malformed one stops in one line."""
    value = os.environ.get(variable) or str(default)
    if not value.isdigit() or not 0 < int(value) < 65536:
        sys.exit(f"demo: {variable} must be a port number (1-65535), got {value!r}")
    return int(value)


EMULATOR_PORT = _port("DEMO_EMULATOR_PORT", 18480)
FILES_PORT = _port("DEMO_FILES_PORT", 18481)
STACK = os.environ.get("DEMO_STACK", "demo")
PROJECT = "search-extensions-demo"  # the `name` in Pulumi.yaml
MARKER_KEY, MARKER = "demo:managedBy", "scripts/demo.py"  # in the config of every stack the demo creates
SHELL_STATE_SETTINGS = ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")


class DemoRefused(Exception):
    """The demo will not run: the message (one line) says why and what to do."""


def port_in_use(port: int) -> bool:
    """Whether something already listens on 127.0.0.1:`port` (or the port cannot be bound)."""
    with socket.socket() as probe:
        # As the servers bind: connections of an earlier run left in TIME_WAIT do not make the port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def check_ports() -> None:
    """Refuses, naming the variable to change, when one of the demo's ports is taken."""
    for variable, port in (("DEMO_EMULATOR_PORT", EMULATOR_PORT), ("DEMO_FILES_PORT", FILES_PORT)):
        if port_in_use(port):
            raise DemoRefused(
                f"port {port} ({variable}) is in use: stop what uses it, or give the demo another port, "
                f"e.g. `make demo {variable}={port + 10}`"
            )


def stack_config_file(stack: str = STACK) -> Path:
    """The stack's config file, beside `Pulumi.yaml` (one per stack name, whatever the backend)."""
    return REPO_ROOT / f"Pulumi.{stack}.yaml"


def plain_config_value(config_file: Path, key: str) -> str | None:
    """A plain (unencrypted) value of a `Pulumi.<stack>.yaml`, or None."""
    if not config_file.exists():
        return None
    found = re.search(rf"^\s+{re.escape(key)}:\s*(\S.*?)\s*$", config_file.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1).strip("\"'") if found else None


def checkpoint(stack: str = STACK) -> Path:
    """Where the demo's file backend keeps the stack's state."""
    return STATE_DIR / "backend" / ".pulumi" / "stacks" / PROJECT / f"{stack}.json"


def deployed_resources(stack: str = STACK) -> int:
    """How many resources of the program the stack's state holds (0 when it has none or cannot be read)."""
    try:
        latest = json.loads(checkpoint(stack).read_text(encoding="utf-8"))["checkpoint"].get("latest") or {}
    except (OSError, ValueError, KeyError):
        return 0
    return sum(1 for r in latest.get("resources") or [] if r.get("type", "").startswith("pulumi-python:dynamic"))


DEMO_SETTINGS = ("coveo:host", "coveo:organizationId", "coveo:apiKey", "ec:endpoint", "ec:apikey", "demo:bundleUrl")
DEMO_ORGANIZATION = "searchdemoorg"  # the emulator's first default organization, the one the demo deploys to


def edited_settings(config_file: Path) -> list[str]:
    """Settings of the demo's stack config that the demo did not make (a user pointing it elsewhere)."""
    if not config_file.exists():
        return []
    keys = re.findall(r"^  ([^\s:]+:[^\s:]+):", config_file.read_text(encoding="utf-8"), re.MULTILINE)
    edited = [key for key in keys if key not in (*DEMO_SETTINGS, MARKER_KEY)]
    organization = plain_config_value(config_file, "coveo:organizationId")
    if organization not in (None, DEMO_ORGANIZATION):
        edited.append(f"coveo:organizationId {organization}")
    for key in ("coveo:host", "ec:endpoint"):
        value = plain_config_value(config_file, key)
        if value and not value.startswith("http://127.0.0.1:"):
            edited.append(f"{key} {value}")
    return edited


def check_stack_is_the_demos(emulator_url: str) -> None:
    """Refuses to touch a stack the demo did not create, or to move its resources to another emulator port."""
    config_file = stack_config_file()
    made_by_demo = plain_config_value(config_file, MARKER_KEY) == MARKER
    if config_file.exists() and not made_by_demo:
        raise DemoRefused(
            f"{config_file.name} was not made by the demo (no `{MARKER_KEY}: {MARKER}`): it is left as it is. "
            f"Run the demo as another stack (`DEMO_STACK=demo2 make demo`), or move that stack's config away"
        )
    if not config_file.exists() and checkpoint().exists():
        raise DemoRefused(
            f"the demo's backend holds a stack {STACK!r} without its {config_file.name}: it is left as it is. "
            f"Run the demo as another stack (`DEMO_STACK=demo2 make demo`), or `make clean-demo-state`"
        )
    edited = edited_settings(config_file)
    if edited:
        raise DemoRefused(
            f"{config_file.name} holds settings the demo did not make ({', '.join(edited)}), which every run would "
            f'undo: for real accounts make a stack of their own (README, "Going to real accounts"), then '
            f"`pulumi config rm` them here"
        )
    deployed_at = plain_config_value(config_file, "coveo:host")
    if deployed_at and deployed_at != emulator_url and deployed_resources():
        port = deployed_at.rsplit(":", 1)[-1]
        raise DemoRefused(
            f"the stack {STACK!r} was deployed with the emulator at {deployed_at}; another port would make every "
            f"extension a replacement: run with DEMO_EMULATOR_PORT={port}, or start over with `make clean-demo-state`"
        )


def running_local_services() -> bool:
    """Whether `scripts/local-services.sh start` left processes running whose ids are kept in the state folder."""
    try:
        words = (STATE_DIR / "services" / "pids").read_text().split()
    except OSError:
        return False
    for pid in words[::2]:
        try:
            os.kill(int(pid), 0)
        except (ValueError, OSError):
            continue
        return True
    return False


def clean_state() -> int:
    """`make clean-demo-state`: deletes the demo's state folder and the stack config files the demo made."""
    stacks = sorted(p.stem for p in (STATE_DIR / "backend" / ".pulumi" / "stacks").glob("*/*.json"))
    configs = sorted(p for p in REPO_ROOT.glob("Pulumi.*.yaml") if plain_config_value(p, MARKER_KEY) == MARKER)
    if running_local_services():
        print(
            "demo: the emulator and file server of scripts/local-services.sh keep their process ids in "
            f"{STATE_DIR / 'services'}: stop them first with `scripts/local-services.sh stop`",
            file=sys.stderr,
        )
        return 2
    if not STATE_DIR.exists() and not configs:
        print(f"nothing to delete: no {STATE_DIR} and no Pulumi.<stack>.yaml made by the demo")
        return 0
    if STATE_DIR.exists():
        print(f"deleting {STATE_DIR}:")
        meaning = {
            "emulator": "the demo emulator's data (the extensions `make demo` deployed there)",
            "backend": f"the local state backend and every stack in it: {', '.join(stacks) or 'none'}",
            "passphrase": "the only copy of the passphrase that decrypts those stacks' secrets",
            "services": "the logs of scripts/local-services.sh",
        }
        for entry in sorted(STATE_DIR.iterdir()):
            print(f"  {entry.name + ('/' if entry.is_dir() else ''):<12} {meaning.get(entry.name, '')}".rstrip())
    for config in configs:
        print(f"deleting {config} (the demo's stack config, encrypted with that passphrase)")
        config.unlink()
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    print("done: the next `make demo` starts from nothing")
    return 0


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
    from support.stacks import StackFactory, pulumi_command

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
    parser.add_argument(
        "action", choices=["up", "preview", "refresh", "destroy", "clean-state"], nargs="?", default="up"
    )
    args = parser.parse_args()
    if args.action == "clean-state":
        return clean_state()

    try:
        check_ports()
        check_stack_is_the_demos(f"http://127.0.0.1:{EMULATOR_PORT}")
    except DemoRefused as refused:
        print(f"demo: {refused}", file=sys.stderr)
        return 2
    from pulumi_search_extensions.emulator import run_emulator
    from support.servers import serve_directory
    from support.stacks import TOOLS_BIN
    from support.toolchain import (
        PulumiCliMissing,
        find_language_host,
        find_pulumi,
        local_backend_env,
        provider_env,
    )

    # The demo's own backend and passphrase, never the shell's: a stack of real accounts is never beside it.
    shell_state = [name for name in SHELL_STATE_SETTINGS if os.environ.pop(name, None)]
    if shell_state:
        print(f"demo: {', '.join(shell_state)} of the shell ignored: the demo keeps its stack in {STATE_DIR}")

    tools_bin = TOOLS_BIN  # <repo>/.tools/bin, or the tools folder SEARCH_EXTENSIONS_TOOLS names
    try:
        cli = find_pulumi(tools_bin)
        env = {**provider_env(tools_bin), **local_backend_env(STATE_DIR)}
    except PulumiCliMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    language_host = find_language_host(tools_bin)

    with contextlib.ExitStack() as started:
        # A port taken since the check above (a race) still ends in one line, not a traceback.
        try:
            emulator = started.enter_context(run_emulator(port=EMULATOR_PORT, data_dir=STATE_DIR / "emulator"))
        except RuntimeError as failed:
            last = str(failed).strip().splitlines()[-1:] or ["did not start"]
            print(f"demo: the emulator on port {EMULATOR_PORT} (DEMO_EMULATOR_PORT): {last[0]}", file=sys.stderr)
            return 2
        try:
            files_url = started.enter_context(serve_directory(ASSETS, FILES_PORT))
        except OSError as failed:
            print(f"demo: port {FILES_PORT} (DEMO_FILES_PORT): {failed.strerror or failed}", file=sys.stderr)
            return 2
        print(f"emulator: {emulator.url} (data in {STATE_DIR / 'emulator'})", flush=True)
        plain, secret = emulator.stack_config()
        plain["demo:bundleUrl"] = f"{files_url}/stopwords-bundle.zip"
        plain[MARKER_KEY] = MARKER
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
