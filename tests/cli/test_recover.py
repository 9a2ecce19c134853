"""`search-extensions recover`: a `pulumi up` killed (SIGKILL) while calls are in flight, then
`search-extensions recover --yes` and `pulumi up`, end with the services holding exactly what the state says.

The program declares 24 extensions, half dynamic resources and half served by the provider plugin (Coveo and
Elastic each way). The `up` runs in a driver process (this module, `python -m cli.test_recover drive ...`)
whose Automation API spawns the real `pulumi` CLI; the test kills that CLI once `KILL_AFTER` objects exist on
the emulator, which slows every call so that creates are in flight at the kill (their POST sent, or their
follow-up: the Coveo time-out, the Elastic upload). Nothing else is done by hand: the leftover provider
processes, the lock and the pending creates are left to `recover`.
"""

from __future__ import annotations

import contextlib
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

from plugin.programs import COVEO_EXTENSION, ELASTIC_EXTENSION, plugin_stack_config, resource
from pulumi_search_extensions import CoveoExtension, ElasticExtension
from pulumi_search_extensions._inflight import in_flight
from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.remote import coveo_api, coveo_extensions, elastic_extensions
from support.stacks import StackFactory, quiet
from support.state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

PROJECT = "recover"
PER_KIND = 6  # of each of the four kinds (Coveo, Elastic) x (dynamic, plugin): 24 resources
TESTS_DIR = Path(__file__).resolve().parents[1]
RECOVER = [str(Path(sys.executable).parent / "search-extensions"), "recover"]
WAIT_LIMIT_S = 120.0
SCRIPT = "document.add_meta_data({{'recovered': {index}}})\n"


def names() -> list[str]:
    """Every resource name of the program."""
    kinds = ("coveo", "elastic", "plugin-coveo", "plugin-elastic")
    return [f"{kind}-{index}" for kind in kinds for index in range(PER_KIND)]


def program(bundle: str) -> auto.PulumiFn:
    """24 extensions whose creates need a follow-up call (a Coveo time-out, an Elastic upload)."""

    def declare() -> None:
        for index in range(PER_KIND):
            CoveoExtension(f"coveo-{index}", content=SCRIPT.format(index=index), execution_timeout=7)
            ElasticExtension(
                f"elastic-{index}", extension_type="bundle", version="8.*", description=f"{index}", file_path=bundle
            )
            resource(
                COVEO_EXTENSION,
                f"plugin-coveo-{index}",
                {"content": SCRIPT.format(index=100 + index), "executionTimeout": 7},
            )
            resource(
                ELASTIC_EXTENSION,
                f"plugin-elastic-{index}",
                {"extensionType": "bundle", "version": "8.*", "description": f"plugin {index}", "filePath": bundle},
            )

    return declare


def _drive(work_dir: str, stack_name: str, bundle: str) -> None:
    """The driver process: `pulumi up` of the program on an existing stack (the test kills its CLI)."""
    stack = StackFactory({}, Path(work_dir))(
        program(bundle), project=PROJECT, name=stack_name, work_dir=Path(work_dir), select=True
    )
    stack.up(on_output=lambda line: print(line, end="", flush=True))


# -- helpers -----------------------------------------------------------------------------------------------


def _remote(emulator: EmulatorHandle) -> dict[str, list[dict[str, Any]]]:
    return {"coveo": coveo_extensions(emulator), "elastic": elastic_extensions(emulator)}


def _remote_count(emulator: EmulatorHandle) -> int:
    return sum(len(extensions) for extensions in _remote(emulator).values())


def _slow_calls(emulator: EmulatorHandle) -> None:
    """Every call takes a while, creates and their follow-ups longer: a kill lands with calls in flight."""
    emulator.admin.set_faults(
        {
            "latency_ms": 100,
            "rules": [
                {"method": "POST", "route": "*/extensions", "latency_ms": 600},
                {"method": "POST", "route": "/api/v1/deployments/extensions", "latency_ms": 600},
                {"method": "PUT", "route": "*/extensions/*/timeouts", "latency_ms": 1200},
                {"method": "PUT", "route": "/api/v1/deployments/extensions/*", "latency_ms": 1200},
            ],
        }
    )


def _wait_for(condition: Any, what: str, limit: float = WAIT_LIMIT_S) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _descendants(pid: int) -> dict[psutil.Process, str]:
    named = {}
    with contextlib.suppress(psutil.NoSuchProcess):
        for process in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                named[process] = process.name()
    return named


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _kill_up(
    stack: auto.Stack,
    emulator: EmulatorHandle,
    pulumi_env: Mapping[str, str],
    bundle: str,
    kill_after: int,
    whole_run: bool = False,
) -> tuple[list[psutil.Process], int]:
    """Runs `up` in a driver process and SIGKILLs its `pulumi` CLI once `kill_after` objects exist; with
    `whole_run`, its provider processes too (a CI runner killing the job's processes): creates stay half done.

    Returns the processes the CLI had started (its provider plugins) and the number of calls they had in
    flight at the kill.
    """
    driver = subprocess.Popen(
        [sys.executable, "-m", "cli.test_recover", "drive", stack.workspace.work_dir, stack.name, bundle],
        cwd=TESTS_DIR,
        env={**os.environ, **pulumi_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: _remote_count(emulator) >= kill_after or driver.poll() is not None, "the first creates")
        assert driver.poll() is None, f"the up ended before it could be killed:\n{driver.communicate()[0]}"
        descendants = _descendants(driver.pid)
        [cli] = [p for p, name in descendants.items() if name == "pulumi"]
        plugins = [p for p, name in descendants.items() if name != "pulumi"]
        in_flight_at_kill = sum(in_flight(p.pid) for p in plugins)
        for process in [cli, *plugins] if whole_run else [cli]:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        output, _ = driver.communicate(timeout=WAIT_LIMIT_S)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.communicate()
    assert driver.returncode != 0, output
    return plugins, in_flight_at_kill


def _recover(stack: auto.Stack, pulumi_env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RECOVER, "--stack", stack.name, "--cwd", stack.workspace.work_dir, *args],
        env={**os.environ, **pulumi_env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _pending_creates(stack: auto.Stack) -> list[str]:
    deployment = stack.export_stack().deployment or {}
    return [op["resource"]["urn"] for op in deployment.get("pending_operations") or [] if op["type"] == "creating"]


def _killed_stack(
    new_stack: Any,
    emulator: EmulatorHandle,
    pulumi_env: dict[str, str],
    tmp_path: Path,
    kill_after: int,
    whole_run: bool = False,
) -> tuple[auto.Stack, str, list[psutil.Process], int]:
    bundle = str(make_zip(tmp_path / "synonyms.zip"))
    plain, secrets = emulator.stack_config()
    plugin_plain, plugin_secrets = plugin_stack_config(emulator)
    stack: auto.Stack = new_stack(
        program(bundle), config={**plain, **plugin_plain}, secrets={**secrets, **plugin_secrets}, project=PROJECT
    )
    _slow_calls(emulator)
    plugins, in_flight_at_kill = _kill_up(stack, emulator, pulumi_env, bundle, kill_after, whole_run)
    return stack, bundle, plugins, in_flight_at_kill


def _assert_converged(stack: auto.Stack, emulator: EmulatorHandle) -> None:
    resources = assert_state_matches_emulator(stack, emulator)
    assert sorted(r["name"] for r in resources) == sorted(names())
    assert _remote_count(emulator) == 4 * PER_KIND
    assert {e["timeout"] for e in _remote(emulator)["coveo"]} == {7}
    assert all(e["file_sha256"] for e in _remote(emulator)["elastic"])


def _forget(new_stack: Any, stack: auto.Stack) -> None:
    """Removes the stack without a destroy (the emulator is reset after each test): 24 deletes saved."""
    stack.workspace.remove_stack(stack.name, force=True)
    new_stack.made.remove(stack)


# -- the tests ---------------------------------------------------------------------------------------------

KILLS = ((3, False), (11, True), (19, False))
"""When the run is killed (objects on the emulator, of 24: early, mid-way, late), and whether its provider
processes die with the CLI (a CI runner killing the whole job: creates stay half done) or outlive it."""


@pytest.mark.parametrize(
    ("kill_after", "whole_run"), KILLS, ids=[f"after-{n}-objects-{'whole-run' if w else 'cli'}" for n, w in KILLS]
)
def test_recover_then_up_converge_after_a_sigkill_with_calls_in_flight(
    kill_after: int,
    whole_run: bool,
    new_stack: Any,
    clean_emulator: EmulatorHandle,
    pulumi_env: dict[str, str],
    tmp_path: Path,
) -> None:
    stack, bundle, plugins, in_flight_at_kill = _killed_stack(
        new_stack, clean_emulator, pulumi_env, tmp_path, kill_after, whole_run
    )
    pending = _pending_creates(stack)
    print(f"\nkilled after {kill_after} objects: {in_flight_at_kill} call(s) in flight, {len(pending)} pending creates")
    assert in_flight_at_kill > 0 and pending
    if not whole_run:
        assert any(_alive(p) for p in plugins), "the provider processes were expected to outlive the CLI"

    preview = _recover(stack, pulumi_env)
    assert preview.returncode == 3, preview.stdout + preview.stderr  # repairs to make, none made
    assert "that run is gone; will unlock" in preview.stdout, preview.stdout

    recovered = _recover(stack, pulumi_env, "--yes")
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    left = [f"{p.pid} {' '.join(p.cmdline())}" for p in plugins if _alive(p)]
    assert left == [], f"recover ends the leftover provider processes\n{recovered.stdout}{recovered.stderr}"
    assert _pending_creates(stack) == []
    clean_emulator.admin.clear_faults()
    remote = _remote(clean_emulator)
    half_done = [e["name"] for e in remote["coveo"] if e["timeout"] != 7]
    half_done += [e["name"] for e in remote["elastic"] if not e["file_sha256"]]
    print(f"recovered: {len(half_done)} half-done object(s) for `up` to finish: {sorted(half_done)}")

    stack.workspace.program = program(bundle)
    stack.up(on_output=quiet)
    _assert_converged(stack, clean_emulator)

    if kill_after == KILLS[0][0]:  # once is enough: what a CI job sees when it runs it before every `up`
        again = _recover(stack, pulumi_env, "--yes")
        assert (again.returncode, again.stdout.strip()) == (0, "search-extensions recover: nothing to repair")
    _forget(new_stack, stack)


def _pending_coveo_create(stack: auto.Stack) -> dict[str, Any]:
    """The first interrupted create of a Coveo extension (dynamic or plugin), inputs decrypted."""
    deployment = stack.export_stack().deployment or {}
    for op in deployment.get("pending_operations") or []:
        if op["type"] == "creating" and op["resource"]["type"].endswith("coveo:Extension"):
            return dict(op["resource"])
    raise AssertionError("the kill was expected to interrupt a Coveo create")


def test_recover_stops_and_lists_both_candidates_when_two_objects_could_be_one_create(
    new_stack: Any, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    stack, bundle, plugins, _ = _killed_stack(new_stack, clean_emulator, pulumi_env, tmp_path, 6)
    _wait_for(lambda: sum(in_flight(p.pid) for p in plugins if _alive(p)) == 0, "the calls in flight to land")
    interrupted = _pending_coveo_create(stack)
    inputs, name = interrupted["inputs"], interrupted["urn"].rsplit("::", 1)[-1]
    held = {r.get("id") for r in (stack.export_stack().deployment or {}).get("resources") or []}
    made = [e["id"] for e in coveo_extensions(clean_emulator) if e["name"] == name and e["id"] not in held]
    # Another tool (or a teammate) created a look-alike during the run: two candidates for one create.
    body = {"name": name, "content": inputs["content"], "description": inputs.get("description") or ""}
    for _ in range(2 - len(made)):
        made.append(coveo_api(clean_emulator, "POST", "/extensions", json={**body, "language": "PYTHON3"})["id"])

    stopped = _recover(stack, pulumi_env, "--yes")

    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "A decision is needed" in stopped.stderr and name in stopped.stderr, stopped.stderr
    assert all(f"candidate {extension_id}" in stopped.stderr for extension_id in made), stopped.stderr
    assert interrupted["urn"] in _pending_creates(stack)  # the state is left as it was

    # The user decides: one of the two goes; recover then takes the other over, and up converges.
    coveo_api(clean_emulator, "DELETE", f"/extensions/{made[1]}")
    recovered = _recover(stack, pulumi_env, "--yes")
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert f"{name}: take over {made[0]}" in recovered.stdout, recovered.stdout
    clean_emulator.admin.clear_faults()
    stack.workspace.program = program(bundle)
    stack.up(on_output=quiet)
    _assert_converged(stack, clean_emulator)
    _forget(new_stack, stack)


def test_a_lock_of_another_machine_stops_recover_until_the_user_says_that_run_is_gone(
    new_stack: Any, pulumi_env: dict[str, str]
) -> None:
    stack: auto.Stack = new_stack(lambda: None, project=PROJECT)
    stack.up(on_output=quiet)
    backend = Path(pulumi_env["PULUMI_BACKEND_URL"].removeprefix("file://"))
    lock = backend / ".pulumi" / "locks" / "organization" / PROJECT / stack.name / "from-ci.json"
    lock.parent.mkdir(parents=True, exist_ok=True)  # the folder the CLI keeps its locks in
    lock.write_text('{"pid": 4242, "username": "ci", "hostname": "runner-7", "timestamp": "2026-12-03T14:00:13Z"}')

    stopped = _recover(stack, pulumi_env, "--yes")
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "ci@runner-7 (pid 4242)" in stopped.stderr and "--unlock" in stopped.stderr, stopped.stderr
    assert lock.exists()

    unlocked = _recover(stack, pulumi_env, "--unlock", "--yes")
    assert unlocked.returncode == 0, unlocked.stdout + unlocked.stderr
    assert not lock.exists()
    stack.up(on_output=quiet)  # not locked any more


if __name__ == "__main__" and sys.argv[1:2] == ["drive"]:
    _drive(*sys.argv[2:5])
