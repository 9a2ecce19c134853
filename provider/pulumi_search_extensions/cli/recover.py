"""`search-extensions recover`: repair a stack after an interrupted `pulumi up`, so that the next `up` converges.

Run in the program's folder like `pulumi` (or with `--cwd`, `--stack`). In order:

1. **The lock.** A lock whose run is gone (taken on this machine by a process that no longer runs `pulumi`)
   is removed with `pulumi cancel`. A lock of another machine cannot be proved stale: the command stops and
   says so, unless `--unlock` says that run is gone (a cancelled CI job on another runner).
2. **Leftover provider processes** of a killed run (started in this folder, no `pulumi` above them) are
   ended once the calls they still run have landed (`_inflight`), at most `--wait` seconds.
3. **Each interrupted create** (`pending_operations` of type `creating`) is looked up on the service with the
   providers' own look-up (`cli/_pending.py`): one object found is taken over, none means the create never
   happened, several stop the command with the candidates.
4. **The state edit.** Each object found becomes its resource's (an entry with that id, written with
   `pulumi stack export` / `import`), the handled pending operations are dropped, and `pulumi refresh` of the
   taken-over resources reads each object as the service has it. The next `pulumi up` then finishes what
   the interruption left half done (an Elastic file not uploaded, a Coveo time-out not set) and creates what
   never happened: no duplicate, no orphan, nothing to change in the program.

Without `--yes` it prints what it would do and changes nothing. Exit status: 0 nothing to repair (or repaired
with `--yes`), 1 a decision is needed (listed), 2 an error, 3 repairs to make (run again with `--yes`).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path
from typing import Any

from .._create import CLOCK_SLACK_SECONDS
from ._leftovers import Leftover, end_leftovers, find_leftovers
from ._pending import Decision, decide, pending_creates, unfinished_takeovers
from ._pulumi import Lock, Pulumi, PulumiError, epoch

NOTHING, DECIDE, ERROR, TO_DO = 0, 1, 2, 3
SETTLE_SECONDS = 5.0  # how long after the run's last state write a request it had sent may still land
DEFAULT_WAIT_SECONDS = 360.0  # a call ends within retryBudget (300 s) plus one attempt's timeout (60 s)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `recover`."""
    parser = subparsers.add_parser(
        "recover",
        help="repair a stack after an interrupted `pulumi up`",
        description=(
            "Unlocks a stack whose run was killed, ends that run's leftover provider processes once their calls "
            "have landed, and hands each object an interrupted create made to its resource, so that the next "
            "`pulumi up` ends with the services holding exactly what the state says. Without --yes, shows what "
            "it would do. Exit status: 0 nothing to repair (or repaired), 1 a decision is needed, 2 an error, "
            "3 repairs to make (run again with --yes)."
        ),
    )
    parser.add_argument("-s", "--stack", help="the stack (default: the selected one), as for `pulumi --stack`")
    parser.add_argument("-C", "--cwd", help="the project's folder (where Pulumi.yaml is); default: this folder")
    parser.add_argument("-y", "--yes", action="store_true", help="repair without asking (CI)")
    parser.add_argument(
        "--unlock",
        action="store_true",
        help="also remove a lock taken on another machine (only when you know that run is gone)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"longest wait for leftover calls to land (default {DEFAULT_WAIT_SECONDS:g})",
    )
    parser.set_defaults(handler=_run)


def _project_dir(cwd: str | None) -> Path:
    start = Path(cwd or os.getcwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "Pulumi.yaml").is_file() or (folder / "Pulumi.yml").is_file():
            return folder
    raise PulumiError(f"no Pulumi.yaml in {start} or above: run in the program's folder, or give --cwd")


def _run(args: argparse.Namespace) -> int:
    try:
        return _recover(args)
    except PulumiError as error:
        print(f"search-extensions recover: {error}", file=sys.stderr)
        return ERROR
    except Exception as error:  # a service refused a look-up, a setting is missing: one line, not a traceback
        print(f"search-extensions recover: {type(error).__name__}: {error}", file=sys.stderr)
        return ERROR


def _since(locks: list[Lock], pulumi: Pulumi) -> float:
    """When the interrupted run began (minus the clock slack): its lock, else the end of the last update."""
    if locks:
        return min(lock.taken_at for lock in locks) - CLOCK_SLACK_SECONDS
    ended = pulumi.last_update_end()
    return ended - CLOCK_SLACK_SECONDS if ended is not None else 0.0


def _recover(args: argparse.Namespace) -> int:
    project_dir = _project_dir(args.cwd)
    os.chdir(project_dir)  # recorded paths are relative to the project's folder, as in the provider processes
    pulumi = Pulumi(project_dir, args.stack)
    locks = pulumi.locks()
    held = [lock for lock in locks if not lock.stale and not args.unlock]
    leftovers = find_leftovers(str(pulumi.program_dir()))
    deployment = pulumi.export(show_secrets=True).get("deployment") or {}
    pending = pending_creates(deployment)
    unfinished = unfinished_takeovers(deployment)

    if held:
        print(_held_message(held), file=sys.stderr)
        return DECIDE
    if not (locks or leftovers or pending or unfinished):
        print("search-extensions recover: nothing to repair")
        return NOTHING

    since = _since(locks, pulumi)
    if not args.yes:
        # A preview: what the look-up finds now (calls still in flight may add to it before the repair).
        decisions = decide(deployment, pulumi.config(), since) if pending else []
        _print_plan(locks, leftovers, decisions, unfinished, done=False)
        if any(d.action == "decide" for d in decisions):
            _print_decisions([d for d in decisions if d.action == "decide"])
            return DECIDE
        if not _confirmed():
            print("Run `search-extensions recover --yes` to repair.")
            return TO_DO
    # Calls still in flight must land before anything is looked up (a late POST, a late undo).
    for line in end_leftovers(leftovers, args.wait):
        print(f"warning: {line}: ended anyway", file=sys.stderr)
    _settle(deployment)
    if locks:
        pulumi.cancel()
    # Neither changes the state (the engine that wrote it is gone): the export above still holds.
    decisions = decide(deployment, pulumi.config(), since) if pending else []
    _print_plan(locks, [], decisions, unfinished, done=True)
    if any(d.action == "decide" for d in decisions):
        _print_decisions([d for d in decisions if d.action == "decide"])
        return DECIDE
    adopted = _edit_state(pulumi, decisions) if decisions else []
    if adopted or unfinished:
        pulumi.refresh(adopted + unfinished)
    print("Repaired: `pulumi up` now creates what never happened and finishes what was half done.")
    return NOTHING


def _settle(deployment: dict[str, Any]) -> None:
    """Waits until SETTLE_SECONDS have passed since the killed run last wrote the state: a request the service
    had received when the run died (its provider process killed with it) lands within that."""
    written = (deployment.get("manifest") or {}).get("time")
    if not written:
        return
    try:
        wait = min(SETTLE_SECONDS, epoch(str(written)) + SETTLE_SECONDS - time.time())
    except ValueError:
        return
    if wait > 0:
        time.sleep(wait)


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input("Do you want to perform this repair? [yes/no] ").strip().lower()
    return answer in ("y", "yes")


def _edit_state(pulumi: Pulumi, decisions: list[Decision]) -> list[str]:
    """Writes the decisions into the state (secrets stay encrypted); returns the URNs taken over."""
    exported = pulumi.export()
    deployment: dict[str, Any] = exported["deployment"]
    by_urn = {d.urn: d for d in decisions}
    adopted = []
    kept_ops = []
    for op in deployment.get("pending_operations") or []:
        decision = by_urn.get(str(op["resource"]["urn"])) if op.get("type") == "creating" else None
        if decision is None:
            kept_ops.append(op)
            continue
        if decision.action == "adopt" and decision.remote_id:
            resource = copy.deepcopy(op["resource"])
            resource["id"] = decision.remote_id
            # Read at once by the refresh below; until then the outputs are the declared inputs.
            resource["outputs"] = copy.deepcopy(resource.get("inputs") or {})
            deployment.setdefault("resources", []).append(resource)
            adopted.append(decision.urn)
    deployment["pending_operations"] = kept_ops
    pulumi.import_state(exported)
    return adopted


def _held_message(held: list[Lock]) -> str:
    lines = ["search-extensions recover: the stack is locked by a run that may still be going:"]
    lines += [f"  {lock.describe()} ({lock.where})" for lock in held]
    lines.append(
        "Wait for it to end. If you know it is gone (a cancelled CI job on another machine), run "
        "`search-extensions recover --unlock --yes`."
    )
    return "\n".join(lines)


def _print_plan(
    locks: list[Lock], leftovers: list[Leftover], decisions: list[Decision], unfinished: list[str], *, done: bool
) -> None:
    will = "" if done else "will "
    if locks:
        for lock in locks:
            why = "that run is gone" if lock.stale else "--unlock: you say that run is gone"
            print(f"lock: {lock.describe()}: {why}; {will}unlock")
    for leftover in leftovers:
        calls = leftover.calls_in_flight
        print(f"leftover provider process {leftover.pid} ({calls} call(s) in flight): will end it once they land")
    labels = {
        "adopt": "take over",
        "none": "nothing was made; `pulumi up` creates it",
        "rerun": "makes no object; `pulumi up` runs it again",
    }
    for decision in decisions:
        if decision.action == "adopt":
            print(f"interrupted create {decision.name}: {labels['adopt']} {decision.candidates[0]}")
        elif decision.action in labels:
            print(f"interrupted create {decision.name}: {labels[decision.action]}")
    for urn in unfinished:
        print(f"taken over by an earlier recover, not read yet: {urn.rsplit('::', 1)[-1]}: {will}refresh it")


def _print_decisions(decisions: list[Decision]) -> None:
    print("\nA decision is needed; nothing was changed in the state:", file=sys.stderr)
    for decision in decisions:
        print(f"  {decision.name} ({decision.type}): {decision.why}", file=sys.stderr)
        for candidate in decision.candidates:
            print(f"    candidate {candidate}", file=sys.stderr)
        print(f"    urn: {decision.urn}", file=sys.stderr)
    print(
        "Keep one candidate per resource: delete the others in the console (check first that no other stack's "
        "state records them: `pulumi stack export`), then run `search-extensions recover` again; or give the one "
        "to keep as `adopt_id` and clear the create with `pulumi refresh --clear-pending-creates`.",
        file=sys.stderr,
    )
