"""An `up` of many resources interrupted by SIGINT or SIGKILL, then the documented recovery (docs/TROUBLESHOOTING.md).

The `up` runs in a driver process (this module run with `python -m e2e.test_interrupted_runs drive ...`),
whose Automation API spawns the real `pulumi` CLI; the test signals that `pulumi` process mid-update, then
recovers in its own process on the same stack (same backend, passphrase and project) and asserts that the
emulator holds exactly what the state says: no duplicate, no orphan.

The emulator slows the follow-up step of every create (the Coveo time-out, the Elastic upload) so that the
signal lands while creates are half done: the POST applied, the follow-up not yet.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psutil
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension, ElasticExtension
from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.remote import coveo_extensions, elastic_extensions
from support.stacks import StackFactory, quiet
from support.state import managed_resources
from support.state_vs_emulator import assert_state_matches_emulator, state_differences

pytestmark = pytest.mark.e2e

PROJECT = "e2e"
PER_SERVICE = 8  # resources of each kind: 16 in all
TESTS_DIR = Path(__file__).resolve().parents[1]
SLOW_FOLLOW_UP_MS = 1200
WAIT_LIMIT_S = 90.0


def coveo_name(index: int) -> str:
    """The name (resource and extension) of the index-th Coveo extension."""
    return f"coveo-{index}"


def elastic_name(index: int) -> str:
    """The name (resource and extension) of the index-th Elastic extension."""
    return f"elastic-{index}"


def program(bundle: str, adopt: Mapping[str, str] | None = None) -> auto.PulumiFn:
    """The program: PER_SERVICE Coveo extensions with a follow-up call, PER_SERVICE Elastic bundles to upload.

    `adopt` maps resource names to the id of an existing extension to take over (the recovery's step).
    """
    adopt = dict(adopt or {})

    def declare() -> None:
        for index in range(PER_SERVICE):
            CoveoExtension(
                coveo_name(index),
                content=f"document.add_meta_data({{'interrupted': {index}}})\n",
                execution_timeout=7,  # not the service's default: a create needs a follow-up call
                adopt_id=adopt.get(coveo_name(index)),
            )
            ElasticExtension(
                elastic_name(index),
                extension_type="bundle",
                version="8.*",
                description=f"bundle {index}",
                file_path=bundle,
                adopt_id=adopt.get(elastic_name(index)),
            )

    return declare


def _drive(work_dir: str, stack_name: str, bundle: str) -> None:
    """The driver process: `pulumi up` of the program on an existing stack (the test signals its CLI)."""
    stack = StackFactory({}, Path(work_dir))(
        program(bundle), project=PROJECT, name=stack_name, work_dir=Path(work_dir), select=True
    )
    stack.up(on_output=lambda line: print(line, end="", flush=True))


# -- helpers of the tests ----------------------------------------------------------------------------------


def _bundle(tmp_path: Path) -> str:
    return str(make_zip(tmp_path / "synonyms.zip"))


def _remote(emulator: EmulatorHandle) -> dict[str, list[dict[str, Any]]]:
    return {"coveo": coveo_extensions(emulator), "elastic": elastic_extensions(emulator)}


def _remote_count(emulator: EmulatorHandle) -> int:
    return sum(len(extensions) for extensions in _remote(emulator).values())


def _slow_follow_ups(emulator: EmulatorHandle) -> None:
    emulator.admin.set_faults(
        {
            "latency_ms": 50,
            "rules": [
                {"method": "PUT", "route": "*/extensions/*/timeouts", "latency_ms": SLOW_FOLLOW_UP_MS},
                {"method": "PUT", "route": "/api/v1/deployments/extensions/*", "latency_ms": SLOW_FOLLOW_UP_MS},
            ],
        }
    )


def _wait_for(condition: Any, what: str, limit: float = WAIT_LIMIT_S) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def _interrupt_up(
    stack: auto.Stack, emulator: EmulatorHandle, pulumi_env: Mapping[str, str], bundle: str, sig: signal.Signals
) -> tuple[str, list[psutil.Process]]:
    """Runs `up` in a driver process and sends `sig` to its `pulumi` CLI once a few objects exist.

    Returns the driver's output and the processes the CLI had started (its provider plugin), which may outlive it.
    """
    driver = subprocess.Popen(
        [sys.executable, "-m", "e2e.test_interrupted_runs", "drive", stack.workspace.work_dir, stack.name, bundle],
        cwd=TESTS_DIR,
        env={**os.environ, **pulumi_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: _remote_count(emulator) >= 4 or driver.poll() is not None, "the first creates")
        assert driver.poll() is None, f"the up ended before it could be interrupted:\n{driver.communicate()[0]}"
        _wait_for(lambda: "pulumi" in _names(psutil.Process(driver.pid).children(recursive=True)).values(), "the CLI")
        descendants = _names(psutil.Process(driver.pid).children(recursive=True))
        [cli] = [p for p, name in descendants.items() if name == "pulumi"]
        assert _remote_count(emulator) < 2 * PER_SERVICE  # mid-update
        cli.send_signal(sig)
        output, _ = driver.communicate(timeout=WAIT_LIMIT_S)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.communicate()
    assert driver.returncode != 0, output
    plugins = [p for p, name in descendants.items() if name != "pulumi"]
    return output, plugins


def _names(processes: list[psutil.Process]) -> dict[psutil.Process, str]:
    """Each process and its name (read now: a process that ends has no name to read)."""
    named = {}
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            named[process] = process.name()
    return named


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _stop_leftovers(plugins: list[psutil.Process]) -> list[psutil.Process]:
    """Kills the plugin processes the interrupted CLI left running (by pid); returns those that were running."""
    running = [p for p in plugins if _alive(p)]
    for process in running:
        process.kill()
    psutil.wait_procs(running, timeout=10)
    return running


def _wait_until_quiet(emulator: EmulatorHandle) -> None:
    """Waits until requests still in flight in the service have landed (the remote state stops changing)."""
    last, stable_since = _remote(emulator), time.monotonic()
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() - stable_since < SLOW_FOLLOW_UP_MS / 1000 + 1.0:
        assert time.monotonic() < deadline, "the remote state kept changing"
        time.sleep(0.2)
        current = _remote(emulator)
        if current != last:
            last, stable_since = current, time.monotonic()


def _pending_creates(stack: auto.Stack) -> list[dict[str, Any]]:
    deployment = stack.export_stack().deployment or {}
    return [op["resource"] for op in deployment.get("pending_operations") or [] if op["type"] == "creating"]


def _ids_in_state(stack: auto.Stack) -> set[str]:
    return {str(r["id"]) for r in (stack.export_stack().deployment or {}).get("resources") or [] if r.get("id")}


def _orphans_of_pending_creates(
    emulator: EmulatorHandle, pending: list[dict[str, Any]], managed: set[str]
) -> dict[str, str]:
    """What the user looks up in the console: for each interrupted create, the object it made, if any.

    Names are unique in this program, so the extension with the declared name that no resource manages is
    the one the interrupted create made. Returns {resource name: extension id}.
    """
    remote = _remote(emulator)
    found = {}
    for resource in pending:
        name = str(resource["urn"]).rsplit("::", 1)[-1]
        kind = "coveo" if "/coveo:" in resource["type"] else "elastic"
        candidates = [e["id"] for e in remote[kind] if e["name"] == name and e["id"] not in managed]
        assert len(candidates) <= 1, candidates
        if candidates:
            found[name] = candidates[0]
    return found


def _assert_converged(stack: auto.Stack, emulator: EmulatorHandle) -> None:
    resources = assert_state_matches_emulator(stack, emulator)
    assert sorted(r["name"] for r in resources) == sorted(
        [coveo_name(i) for i in range(PER_SERVICE)] + [elastic_name(i) for i in range(PER_SERVICE)]
    )
    assert _remote_count(emulator) == 2 * PER_SERVICE
    assert {e["timeout"] for e in _remote(emulator)["coveo"]} == {7}
    assert all(e["file_sha256"] for e in _remote(emulator)["elastic"])


def _assert_converged_then_destroy(stack: auto.Stack, emulator: EmulatorHandle) -> None:
    """The run converged; then a destroy leaves nothing behind on either service."""
    _assert_converged(stack, emulator)
    stack.destroy(on_output=quiet)
    assert _remote_count(emulator) == 0


def _new_interruptible_stack(new_stack: Any, emulator: EmulatorHandle, bundle: str) -> auto.Stack:

    config, secrets = emulator.stack_config()
    stack: auto.Stack = new_stack(program(bundle), config=config, secrets=secrets, project=PROJECT)
    return stack


def _killed_mid_up(
    new_stack: Any, emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> tuple[auto.Stack, str, list[psutil.Process]]:
    """A stack whose `up` had its CLI killed (SIGKILL) mid-way; its provider plugins stopped, the emulator quiet.

    Returns the stack, its bundle and the provider plugins that had outlived the CLI (stopped by now).
    """
    bundle = _bundle(tmp_path)
    stack = _new_interruptible_stack(new_stack, emulator, bundle)
    _slow_follow_ups(emulator)
    _, plugins = _interrupt_up(stack, emulator, pulumi_env, bundle, signal.SIGKILL)
    leftovers = _stop_leftovers(plugins)
    _wait_until_quiet(emulator)
    emulator.admin.clear_faults()
    return stack, bundle, leftovers


# -- the tests ---------------------------------------------------------------------------------------------


def test_after_sigint_the_cli_finishes_what_it_started_and_refresh_then_up_converge(
    new_stack: Any, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path)
    stack = _new_interruptible_stack(new_stack, clean_emulator, bundle)
    _slow_follow_ups(clean_emulator)

    output, plugins = _interrupt_up(stack, clean_emulator, pulumi_env, bundle, signal.SIGINT)

    assert "^C received; cancelling" in output and "update canceled" in output
    _wait_for(lambda: not any(_alive(p) for p in plugins), "the CLI to stop its provider plugin")
    clean_emulator.admin.clear_faults()
    # A graceful cancel waits for the operations in flight: nothing is pending, nothing is locked, and what
    # exists remotely is exactly what the state holds.
    assert _pending_creates(stack) == []
    assert_state_matches_emulator(stack, clean_emulator)

    stack.refresh(on_output=quiet)
    stack.up(on_output=quiet)

    _assert_converged_then_destroy(stack, clean_emulator)


def test_after_sigkill_cancel_clear_pending_creates_adopt_the_leftovers_and_up_converge(
    new_stack: Any, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    stack, bundle, leftovers = _killed_mid_up(new_stack, clean_emulator, pulumi_env, tmp_path)
    # The provider plugin outlives a killed CLI and may still finish the calls it had started.
    assert leftovers, "the provider plugin of the killed CLI was expected to be still running"

    # Step 1: the killed CLI left its lock; the CLI says to run `pulumi cancel`.
    with pytest.raises(auto.errors.CommandError) as locked:
        stack.refresh(on_output=quiet)
    assert "the stack is currently locked" in str(locked.value) and "pulumi cancel" in str(locked.value)
    stack.cancel()

    # Step 2: note the interrupted creates, then clear them with the refresh.
    pending = _pending_creates(stack)
    assert pending, "the kill was expected to interrupt creates"
    stack.refresh(clear_pending_creates=True, on_output=quiet)
    assert _pending_creates(stack) == []

    # Step 3: the objects those creates made are orphans now; find them and adopt them with adopt_id.
    adopt = _orphans_of_pending_creates(clean_emulator, pending, _ids_in_state(stack))
    assert adopt, "the kill was expected to leave objects of interrupted creates behind"
    problems = state_differences(managed_resources(stack.export_stack().deployment), clean_emulator.admin.dump())
    # Exactly the objects found are orphans, and nothing else is wrong.
    assert all(p.startswith("orphan") and any(i in p for i in adopt.values()) for p in problems), problems
    assert all(any(i in p for p in problems) for i in adopt.values()), problems

    # Step 4: up adopts them instead of creating duplicates, and finishes their half-done creates.
    stack.workspace.program = program(bundle, adopt)
    stack.up(on_output=quiet)
    _assert_converged(stack, clean_emulator)
    in_state = {r["urn"].rsplit("::", 1)[-1]: r.get("id") for r in stack.export_stack().deployment["resources"]}
    assert all(in_state[name] == extension_id for name, extension_id in adopt.items())

    # Step 5: adopt_id can go once adopted: nothing changes.
    stack.workspace.program = program(bundle)
    again = stack.up(on_output=quiet)
    assert set(again.summary.resource_changes or {}) == {"same"}, again.summary.resource_changes
    _assert_converged_then_destroy(stack, clean_emulator)


def test_after_sigkill_importing_the_interrupted_creates_into_the_state_then_refresh_and_up_converge(
    new_stack: Any, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    stack, _, _ = _killed_mid_up(new_stack, clean_emulator, pulumi_env, tmp_path)
    stack.cancel()

    # What `pulumi refresh --import-pending-creates URN ID` is meant to do, done with `stack export/import`
    # (the flag drops the entries instead in CLI v3.259): each interrupted create whose object exists
    # becomes a resource with that id; the others are dropped.
    exported = stack.export_stack()
    deployment = exported.deployment
    pending = [op["resource"] for op in deployment.get("pending_operations") or [] if op["type"] == "creating"]
    adopt = _orphans_of_pending_creates(clean_emulator, pending, _ids_in_state(stack))
    assert adopt, "the kill was expected to leave objects of interrupted creates behind"
    for resource in pending:
        name = str(resource["urn"]).rsplit("::", 1)[-1]
        if name in adopt:
            imported = copy.deepcopy(resource)
            imported["id"] = adopt[name]
            imported["outputs"] = copy.deepcopy(resource["inputs"])
            deployment["resources"].append(imported)
    deployment["pending_operations"] = [op for op in deployment["pending_operations"] if op["type"] != "creating"]
    stack.import_stack(exported)

    stack.refresh(on_output=quiet)
    stack.up(on_output=quiet)

    _assert_converged_then_destroy(stack, clean_emulator)


if __name__ == "__main__" and sys.argv[1:2] == ["drive"]:
    _drive(*sys.argv[2:5])
