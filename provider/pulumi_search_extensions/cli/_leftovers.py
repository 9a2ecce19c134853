"""Provider processes a killed `pulumi` left running, and ending them once their calls have landed.

The engine starts every provider plugin in the program's folder (the project's folder, or what its `main:`
names), as a child of the CLI: the dynamic provider
host (`python -m pulumi.dynamic`, behind the `pulumi-resource-pulumi-python` shell script) and the plugin
`pulumi-resource-search-extensions`. When the CLI is killed they are not: they finish the calls they had
started, then wait forever for an engine that is gone. Such a process is recognised by its command line,
its working directory (this program's folder) and the absence of a `pulumi` process among its ancestors.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass

import psutil

from .._inflight import counts_dir, forget, in_flight

MARKS = ("pulumi.dynamic", "pulumi-resource-pulumi-python", "pulumi-resource-search-extensions")
"""What a provider host's command line holds."""


@dataclass(frozen=True)
class Leftover:
    """A provider process of a run whose `pulumi` CLI is gone."""

    pid: int
    command: str

    @property
    def calls_in_flight(self) -> int:
        """The operations it is still running (as it records them: see `_inflight`)."""
        return in_flight(self.pid)


def _cli_alive_above(process: psutil.Process) -> bool:
    try:
        return any(parent.name() in ("pulumi", "pulumi.exe") for parent in process.parents())
    except psutil.Error:
        return False


def find_leftovers(program_dir: str) -> list[Leftover]:
    """The provider processes started in `program_dir` whose `pulumi` CLI no longer runs."""
    here = os.path.realpath(program_dir)
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            command = " ".join(process.info["cmdline"] or [])
            if not any(mark in command for mark in MARKS) or process.pid == os.getpid():
                continue
            if os.path.realpath(process.cwd()) != here or _cli_alive_above(process):
                continue
        except psutil.Error:
            continue
        found.append(Leftover(process.pid, command))
    _forget_ended()
    return found


def _forget_ended() -> None:
    """Removes the count files of processes that ended without removing theirs (killed mid-call)."""
    for path in counts_dir().glob("*"):
        if path.name.isdigit() and not psutil.pid_exists(int(path.name)):
            forget(int(path.name))


def end_leftovers(leftovers: list[Leftover], wait_limit: float) -> list[str]:
    """Waits (at most `wait_limit` seconds in all) for the processes' calls to land, then ends them all.

    Returns a line per process that still had calls in flight at the limit (ended anyway).
    """
    deadline = time.monotonic() + wait_limit
    while any(_busy(leftover) for leftover in leftovers) and time.monotonic() < deadline:
        time.sleep(0.2)
    cut_short = [
        f"pid {leftover.pid}: {leftover.calls_in_flight} call(s) still in flight after {wait_limit:g} s"
        for leftover in leftovers
        if _busy(leftover)
    ]
    processes = []
    for leftover in leftovers:
        try:
            process = psutil.Process(leftover.pid)
            process.terminate()
            processes.append(process)
        except psutil.Error:
            pass
    # Together: the shell script in front of the dynamic provider host ends once its python child has.
    _, alive = psutil.wait_procs(processes, timeout=5)
    for survivor in alive:
        with contextlib.suppress(psutil.Error):
            survivor.kill()
    psutil.wait_procs(alive, timeout=5)
    for leftover in leftovers:
        forget(leftover.pid)
    return cut_short


def _busy(leftover: Leftover) -> bool:
    return leftover.calls_in_flight > 0 and psutil.pid_exists(leftover.pid)
