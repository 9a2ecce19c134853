"""Helpers shared by the benchmarks: the machine, tables, CPU meters, scratch space, test files.

Stacks on a throw-away backend come from `support.stacks` (the factory of the end-to-end tests and the demo),
re-exported here as `StackFactory` and `remove`.

Nothing here measures anything by itself; every benchmark module imports what it needs from here.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parents[1]
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"
# The stack factory and the loopback servers are the tests' own (`tests/support`), shared with the demo.
sys.path.insert(0, str(REPO_ROOT / "tests"))
from support.files import make_zip  # noqa: E402
from support.stacks import StackFactory, remove  # noqa: E402, F401 (re-exported for the benchmarks)

RESULTS_DIR = REPO_ROOT / "bench" / "results"
DOCS_DIR = REPO_ROOT / "docs"

MIB = 1024 * 1024
T = TypeVar("T")


# --------------------------------------------------------------------------------------------- machine


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or what `platform` knows elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Total RAM in GiB from /proc/meminfo, or None."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except (OSError, ValueError):
        pass
    return None


def pulumi_cli_version() -> str:
    """`pulumi version` of the CLI the benchmarks drive, or a note that it is missing."""
    from support.toolchain import PulumiCliMissing, find_pulumi

    try:
        cli = find_pulumi(TOOLS_BIN)
    except PulumiCliMissing:
        return "missing"
    result = subprocess.run([str(cli), "version"], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout.strip() or "unknown"


def machine_info() -> dict[str, str]:
    """What the figures were measured on: cores, CPU, RAM, OS, Python, Pulumi CLI and SDK."""
    from importlib.metadata import version

    memory = memory_gib()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu_model(),
        "memory": f"{memory:.1f} GiB" if memory is not None else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pulumi CLI": pulumi_cli_version(),
        "pulumi SDK": version("pulumi"),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


# ---------------------------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A titled table that renders as fixed-width text (stdout) or Markdown (docs)."""

    title: str
    headers: Sequence[str]
    rows: list[Sequence[str]]
    notes: Sequence[str] = ()

    def text(self) -> str:
        """Fixed-width text, columns padded to their widest cell."""
        widths = [max(len(str(c)) for c in column) for column in zip(self.headers, *self.rows, strict=True)]
        line = "  ".join("-" * w for w in widths)
        out = [self.title, line, "  ".join(h.ljust(w) for h, w in zip(self.headers, widths, strict=True)), line]
        out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in self.rows]
        out += [line, *self.notes]
        return "\n".join(out)

    def markdown(self) -> str:
        """A Markdown table under a bold title, notes as a list."""
        out = [f"**{self.title}**", "", "| " + " | ".join(self.headers) + " |"]
        out.append("|" + "|".join("---" for _ in self.headers) + "|")
        out += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.rows]
        if self.notes:
            out += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(out)


def machine_table(info: Mapping[str, str]) -> Table:
    """The machine description as a two-column table."""
    return Table("Machine", ["what", "value"], [[k, v] for k, v in info.items()])


def seconds(value: float) -> str:
    """A duration for a table: 3 significant figures, in s (or ms under one second)."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def median(values: Sequence[float]) -> float:
    """Median (the benchmarks repeat cheap measurements and report the median)."""
    return statistics.median(values)


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """(result, wall seconds) of one call."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


# ---------------------------------------------------------------------------------------------- CPU


def load_average() -> str:
    """The 1/5/15-minute load averages: on a shared machine, what else was running."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _own_cpu() -> tuple[float, float]:
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


class CpuMeter:
    """CPU seconds used during a block, by process.

    - `program`: this process (the inline Pulumi program and the Automation API; exact);
    - `provider`: the dynamic-provider process(es), sampled every `interval` s with psutil (so short by at
      most one interval: the process is gone before the block ends);
    - `engine`: the Pulumi CLI and engine: every process started and reaped during the block
      (RUSAGE_CHILDREN, which includes the provider process, reaped by its launcher) minus `provider`;
    - `emulator`: the emulator process (exact, psutil before and after).
    """

    def __init__(self, emulator_pid: int | None, interval: float = 0.1) -> None:
        self.emulator_pid = emulator_pid
        self.interval = interval
        self.result: dict[str, float] = {}
        self._provider_cpu: dict[int, float] = {}
        self._stop = None  # set in __enter__
        self._thread = None

    def _emulator_cpu(self) -> float:
        import psutil

        if self.emulator_pid is None:
            return 0.0
        times = psutil.Process(self.emulator_pid).cpu_times()
        return times.user + times.system

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        is_provider: dict[int, bool] = {}
        assert self._stop is not None
        while not self._stop.is_set():
            for process in me.children(recursive=True):
                try:
                    if process.pid not in is_provider:
                        is_provider[process.pid] = any(
                            "pulumi.dynamic" in part or "pulumi-resource-search-extensions" in part
                            for part in process.cmdline()
                        )
                    if is_provider[process.pid]:
                        times = process.cpu_times()
                        self._provider_cpu[process.pid] = times.user + times.system
                except psutil.Error:
                    continue
            self._stop.wait(self.interval)

    def __enter__(self) -> CpuMeter:
        import threading

        self._start = (*_own_cpu(), self._emulator_cpu())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._stop is not None and self._thread is not None
        self._stop.set()
        self._thread.join()
        own, children = _own_cpu()
        provider = sum(self._provider_cpu.values())
        self.result = {
            "program": own - self._start[0],
            "engine": max(0.0, children - self._start[1] - provider),
            "provider": provider,
            "emulator": self._emulator_cpu() - self._start[2],
        }


# ---------------------------------------------------------------------------------------------- scratch


def memory_dir(needed_bytes: int) -> str | None:
    """/dev/shm (tmpfs) when it exists and has room for `needed_bytes`, else None (the default temp dir)."""
    shm = Path("/dev/shm")
    try:
        return str(shm) if shm.is_dir() and shutil.disk_usage(shm).free > needed_bytes else None
    except OSError:
        return None


@contextmanager
def scratch_dir(prefix: str, parent: str | None = None) -> Iterator[Path]:
    """A temporary directory removed afterwards, whatever happens (the benchmarks write large files)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def api_calls(counts: Mapping[str, int]) -> int:
    """Total vendor API calls in a request-log `counts` mapping (admin calls are never logged)."""
    return sum(counts.values())


# ---------------------------------------------------------------------------------------------- files


def write_small_bundle(path: Path, index: int) -> Path:
    """A small, valid Elasticsearch bundle zip (a synonyms file of a few hundred bytes), unique per index."""
    return make_zip(path, {"dictionaries/synonyms.txt": f"bench, benchmark, run{index}\nfast, quick, rapid\n"})


def write_large_zip(path: Path, size: int, *, chunk: int = 8 * MIB, seed: int = 1) -> Path:
    """A zip of about `size` bytes: one stored (uncompressed) member of random bytes, written in chunks.

    Random bytes so no layer can compress them away; stored so the file is really `size` bytes on disk;
    written in chunks so building it never holds more than `chunk` bytes in memory.
    """
    rng = random.Random(seed)
    remaining = size - 512  # room for the local header, central directory and zip64 records
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive,
        archive.open("bundle/payload.bin", "w", force_zip64=True) as member,
    ):
        while remaining > 0:
            step = min(chunk, remaining)
            member.write(rng.randbytes(step))
            remaining -= step
    return path


def python_command() -> list[str]:
    """This interpreter (the project's venv), unbuffered, for child processes."""
    return [sys.executable, "-u"]
