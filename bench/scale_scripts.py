"""Scale with script size: `up`, a no-change `preview` and `destroy` of N `CoveoExtension`s whose scripts are
0.5, 5, 20 or 50 KB, given inline (`content`) or as a file (`script_path`), beside N no-ops, on two backends.

The second part of the scale benchmark (bench/scale.py holds the first: Coveo + Elastic at two latencies).
Every cell runs at 0 ms injected latency against one emulator, one stack per cell, through the Automation
API and the real CLI:

- axes: N (50, 200, 500) x script size (0.5, 5, 20, 50 KB) x input (`content`, `script_path`), and the
  no-op baseline (N `NoopResource`s) at each N;
- backends: the file backend (a local directory) and an S3-compatible object store on loopback (moto's
  server mode, `moto_server`, from the `bench` extra), where every checkpoint is an upload of the whole state;
- state size: the exported deployment after `up` (total, and per extension: the JSON of one resource).

Each script is valid Python (it must pass `check`) and unique per resource, so no layer can share it.
`PULUMI_SKIP_CHECKPOINTS=true` (`--skip-checkpoints`) makes the engine write the state once at the end
instead of after every step. Nothing here asserts anything about time: the tables say whether the issue's
ratio targets were met in this run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import StackFactory, Table, api_calls, load_average, remove, scratch_dir, seconds, timed

N_VALUES = (50, 200, 500)
QUICK_N_VALUES = (50,)
SIZES_KB = (0.5, 5.0, 20.0, 50.0)
INPUTS = ("content", "script_path")
BACKENDS = ("file", "s3")
OPERATIONS = ("up", "preview", "destroy")
BUCKET = "pulumi-state"

# The targets (ratios in one run).
FILE_INPUT_SIZE_RATIO = 1.1  # script_path, N = 200: up and destroy at 20 KB within 1.1 x of 0.5 KB
STATE_PER_SCRIPT_BYTE = 1.2  # content: state per resource <= 1.2 x script size + a small constant
NOOP_RATIO_SLACK = 0.1  # up vs no-op at N = 500 <= the same at N = 50 + 0.1


def script_text(size_bytes: int, index: int) -> str:
    """A valid Python 3 extension script of about `size_bytes`, unique per `index`."""
    head = (
        f"# Bench extension {index}: tags every document with the length of its title.\n"
        'title = document.get_meta_data_value("title")\n'
        f'document.add_meta_data({{"bench_{index}": [len(title[0]) if title else 0]}})\n'
    )
    lines = [head]
    total = len(head)
    line_number = 0
    while total < size_bytes:
        line = f"LOOKUP_{line_number} = {{'key': 'value {index}-{line_number}', 'weight': {line_number % 97}}}\n"
        lines.append(line)
        total += len(line)
        line_number += 1
    return "".join(lines)[: max(size_bytes, len(head))].rsplit("\n", 1)[0] + "\n"


@dataclass
class Cell:
    """One operation of one stack: (backend, kind, input, N, size)."""

    backend: str
    kind: str  # "noop" or "ext"
    input: str  # "content", "script_path" or "-" (no-op)
    n: int
    size_kb: float
    op: str
    seconds: float
    api_calls: int
    state_bytes: int = 0  # after up: the whole exported deployment
    bytes_per_resource: int = 0  # after up: mean JSON size of one extension (or no-op) resource
    changes: dict[str, int] = field(default_factory=dict)


def _changes(result: Any) -> dict[str, int]:
    summary = getattr(result, "change_summary", None)
    if summary is None:
        summary = getattr(getattr(result, "summary", None), "resource_changes", None)
    return {str(k): int(v) for k, v in (summary or {}).items()}


def _state_size(stack: Any) -> tuple[int, int]:
    """(bytes of the whole deployment, mean bytes of one custom resource that is not a provider)."""
    deployment = stack.export_stack().deployment
    resources = [
        r
        for r in deployment.get("resources", [])
        if r.get("custom") and not str(r.get("type", "")).startswith("pulumi:providers:")
    ]
    per_resource = sum(len(json.dumps(r)) for r in resources) // max(1, len(resources))
    return len(json.dumps(deployment)), per_resource


def program_for(
    kind: str, input_kind: str, n: int, scripts: Sequence[str], paths: Sequence[Path]
) -> Callable[[], None]:
    """The inline program of a cell: N no-ops, or N Coveo extensions with their script inline or as a file."""

    def program() -> None:
        if kind == "noop":
            from support.smoke import NoopResource

            for index in range(n):
                NoopResource(f"noop-{index}", value=f"value-{index}")
            return
        from pulumi_search_extensions import CoveoExtension

        for index in range(n):
            source: dict[str, Any] = (
                {"content": scripts[index]} if input_kind == "content" else {"script_path": str(paths[index])}
            )
            CoveoExtension(f"coveo-{index}", description=f"bench extension {index}", **source)

    return program


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def object_store(root: Path) -> Iterator[str]:
    """moto's S3 server on loopback with one bucket; yields the `pulumi login` URL of that bucket."""
    import requests

    port = _free_port()
    log = (root / "moto.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # moto does not check signatures: a plain path-style PUT creates the bucket.
                requests.put(f"http://127.0.0.1:{port}/{BUCKET}", timeout=5).raise_for_status()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"moto_server did not start (see {root / 'moto.log'})") from None
                time.sleep(0.2)
        yield (f"s3://{BUCKET}?endpoint=http://127.0.0.1:{port}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def backend_env(backend: str, url: str | None) -> dict[str, str]:
    """Environment of a backend: nothing for the file backend; the bucket URL and dummy credentials for S3."""
    if backend == "file" or url is None:
        return {}
    return {
        "PULUMI_BACKEND_URL": url,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench-secret",
        "AWS_REGION": "us-east-1",
    }


def _run_cell(
    stacks: StackFactory,
    emulator: Any,
    backend: str,
    kind: str,
    input_kind: str,
    n: int,
    size_kb: float,
    scripts: Sequence[str],
    paths: Sequence[Path],
) -> list[Cell]:
    plain, secret = emulator.stack_config()
    stack = stacks(program_for(kind, input_kind, n, scripts, paths), config=plain, secrets=secret, project="bench")
    cells = []
    try:
        for op in OPERATIONS:
            emulator.admin.clear_requests()
            action = {"up": stack.up, "preview": stack.preview, "destroy": stack.destroy}[op]
            result, elapsed = timed(lambda action=action: action(color="never"))
            counts = dict(emulator.admin.requests()["counts"])
            cell = Cell(backend, kind, input_kind, n, size_kb, op, elapsed, api_calls(counts), changes=_changes(result))
            if op == "up":
                cell.state_bytes, cell.bytes_per_resource = _state_size(stack)
            cells.append(cell)
            size = f"{size_kb:g} KB" if kind == "ext" else "-"
            state = f"  state {cell.state_bytes / 1e6:.2f} MB ({cell.bytes_per_resource} B/res)" if op == "up" else ""
            print(
                f"  {backend:<4} N={n:<4} {kind:<4} {input_kind:<11} {size:>6} {op:<8} {seconds(elapsed):>9}"
                f"  {cell.api_calls:>5} calls{state}",
                flush=True,
            )
    finally:
        remove(stack)
    return cells


def run(
    *,
    n_values: Sequence[int] = N_VALUES,
    sizes_kb: Sequence[float] = SIZES_KB,
    inputs: Sequence[str] = INPUTS,
    backends: Sequence[str] = BACKENDS,
    skip_checkpoints: bool = False,
    max_total_script_kb: float | None = None,
) -> list[Cell]:
    """Every (backend, N, input, size) cell plus the no-op at each (backend, N); one emulator for all.

    `max_total_script_kb` leaves out the cells whose N x script size is above it (a reduced matrix, for a
    run that must fit in the time there is); they are printed as left out, and missing from the tables.
    """
    from pulumi_search_extensions.emulator import run_emulator

    cells: list[Cell] = []
    extra = {"PULUMI_SKIP_CHECKPOINTS": "true"} if skip_checkpoints else {}
    with scratch_dir("bench-scripts-") as root, run_emulator() as emulator:
        scripts_by_size: dict[float, tuple[list[str], list[Path]]] = {}
        for size_kb in sizes_kb:
            folder = root / f"scripts-{size_kb:g}kb"
            folder.mkdir()
            scripts = [script_text(int(size_kb * 1024), index) for index in range(max(n_values))]
            paths = []
            for index, text in enumerate(scripts):
                path = folder / f"extension_{index}.py"
                path.write_text(text, encoding="utf-8")
                paths.append(path)
            scripts_by_size[size_kb] = (scripts, paths)
        for backend in backends:
            with object_store(root) if backend == "s3" else _no_store() as url:
                stacks = StackFactory.throwaway(root / f"pulumi-{backend}", {**extra, **backend_env(backend, url)})
                if backend == "s3":
                    _login(stacks, url)
                for n in n_values:
                    started = time.perf_counter()
                    cells += _run_cell(stacks, emulator, backend, "noop", "-", n, 0.0, [], [])
                    for input_kind in inputs:
                        for size_kb in sizes_kb:
                            if max_total_script_kb is not None and n * size_kb > max_total_script_kb:
                                print(f"  {backend:<4} N={n:<4} ext  {input_kind:<11} {size_kb:>4g} KB left out")
                                continue
                            scripts, paths = scripts_by_size[size_kb]
                            cells += _run_cell(stacks, emulator, backend, "ext", input_kind, n, size_kb, scripts, paths)
                    took = seconds(time.perf_counter() - started)
                    print(f"  ({took} for {backend}, N={n}; load {load_average()})", flush=True)
    return cells


@contextmanager
def _no_store() -> Iterator[None]:
    yield None


def _login(stacks: StackFactory, url: str | None) -> None:
    """`pulumi login <url>` with the factory's environment (stacks are then created in the bucket)."""
    cli = Path(stacks.command.command)
    env = {**os.environ, **stacks.env}
    subprocess.run([str(cli), "login", str(url)], env=env, check=True, capture_output=True, timeout=120)


# ---------------------------------------------------------------------------------------------- report


def _index(cells: Sequence[Cell]) -> dict[tuple[str, str, str, int, float, str], Cell]:
    return {(c.backend, c.kind, c.input, c.n, c.size_kb, c.op): c for c in cells}


HEADERS = (
    "N",
    "input",
    "script",
    "up",
    "preview",
    "destroy",
    "up / no-op",
    "up calls",
    "state",
    "B/res",
    "preview plans",
)


def tables(cells: Sequence[Cell]) -> list[Table]:
    """Per backend: every (N, input, size) with up/preview/destroy, ratio to the no-op, state size."""
    index = _index(cells)
    out = []
    for backend in sorted({c.backend for c in cells}):
        rows = []
        for n in sorted({c.n for c in cells if c.backend == backend}):
            noop = {op: index.get((backend, "noop", "-", n, 0.0, op)) for op in OPERATIONS}
            if noop["up"]:
                up = noop["up"]
                times = [seconds(m.seconds) if m else "" for m in noop.values()]
                state = f"{up.state_bytes / 1e6:.2f} MB"
                rows.append([str(n), "no-op", "-", *times, "1.00x", "-", state, str(up.bytes_per_resource), "-"])
            for input_kind in INPUTS:
                for size_kb in sorted({c.size_kb for c in cells if c.kind == "ext"}):
                    ops = {op: index.get((backend, "ext", input_kind, n, size_kb, op)) for op in OPERATIONS}
                    up = ops["up"]
                    if up is None:
                        continue
                    ratio = f"{up.seconds / noop['up'].seconds:.2f}x" if noop["up"] else ""
                    preview = ops["preview"]
                    planned = "none" if preview and set(preview.changes) <= {"same"} else "CHANGES"
                    times = [seconds(m.seconds) if m else "" for m in ops.values()]
                    state = f"{up.state_bytes / 1e6:.2f} MB"
                    size = f"{size_kb:g} KB"
                    calls, per_resource = str(up.api_calls), str(up.bytes_per_resource)
                    rows.append([str(n), input_kind, size, *times, ratio, calls, state, per_resource, planned])
        out.append(
            Table(
                f"Script size and N, {backend} backend, 0 ms latency (N CoveoExtensions vs N no-ops)",
                HEADERS,
                rows,
                [
                    "state: the exported deployment after up; B/res: the mean JSON size of one resource in it.",
                    "preview plans: what the no-change preview after up planned (none = every resource same).",
                ],
            )
        )
    return out


def target_summary(cells: Sequence[Cell]) -> Table:
    """The issue's three ratio targets, per backend, met or not (with the measured figure)."""
    index = _index(cells)
    rows = []
    for backend in sorted({c.backend for c in cells}):
        for op in ("up", "destroy"):
            small = index.get((backend, "ext", "script_path", 200, 0.5, op))
            large = index.get((backend, "ext", "script_path", 200, 20.0, op))
            if small and large:
                ratio = large.seconds / small.seconds
                rows.append(
                    [
                        backend,
                        f"script_path, N = 200, {op}: 20 KB <= {FILE_INPUT_SIZE_RATIO} x 0.5 KB",
                        f"{seconds(large.seconds)} / {seconds(small.seconds)} = {ratio:.2f}x",
                        _verdict(ratio <= FILE_INPUT_SIZE_RATIO),
                    ]
                )
        ups = [c for c in cells if c.backend == backend and c.input == "content" and c.op == "up"]
        if len(ups) >= 2:
            # The "small constant": what a resource weighs besides its script, fitted on the smallest script.
            smallest = min(ups, key=lambda c: c.size_kb)
            constant = smallest.bytes_per_resource - smallest.size_kb * 1024
            for cell in sorted(ups, key=lambda c: (c.n, c.size_kb)):
                if cell is smallest:
                    continue
                limit = STATE_PER_SCRIPT_BYTE * cell.size_kb * 1024 + constant
                rows.append(
                    [
                        backend,
                        f"content, N = {cell.n}, {cell.size_kb:g} KB: B/res <= 1.2 x script + {constant:.0f} B",
                        f"{cell.bytes_per_resource} B vs {limit:.0f} B",
                        _verdict(cell.bytes_per_resource <= limit),
                    ]
                )
        for input_kind in INPUTS:
            for size_kb in sorted({c.size_kb for c in cells if c.kind == "ext"}):
                ratios = {}
                for n in (50, 500):
                    noop = index.get((backend, "noop", "-", n, 0.0, "up"))
                    ext = index.get((backend, "ext", input_kind, n, size_kb, "up"))
                    if noop and ext:
                        ratios[n] = ext.seconds / noop.seconds
                if len(ratios) == 2:
                    rows.append(
                        [
                            backend,
                            f"{input_kind}, {size_kb:g} KB: up/no-op at N = 500 <= at N = 50 + {NOOP_RATIO_SLACK}",
                            f"{ratios[500]:.2f}x vs {ratios[50]:.2f}x",
                            _verdict(ratios[500] <= ratios[50] + NOOP_RATIO_SLACK),
                        ]
                    )
    return Table("Script-size targets (ratios within this run)", ["backend", "target", "measured", "met"], rows)


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def as_json(cells: Sequence[Cell]) -> list[dict[str, Any]]:
    """The raw cells, for bench/results/*.json."""
    return [asdict(c) for c in cells]
