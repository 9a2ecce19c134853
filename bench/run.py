"""Runs the benchmarks: `bench/run.py [all|scale|scripts|streaming|startup|emulator] [--quick]` (`make bench`).

Prints the machine, then each benchmark's tables as it finishes; writes into bench/results/ (git-ignored)
the raw figures (`results-<time>.json`), the tables as Markdown (`latest.md`, also kept as
`results-<time>.md`: the source of docs/PERFORMANCE.md) and the plots (`scale.png`, `streaming.png`). A
full scale run also copies its plot to docs/bench-scale.png, the figure the README shows. Nothing here
asserts anything about time.

`--quick` runs N = 10 and 50 only, once each, a 256 MiB file instead of 1 GiB, and fewer repetitions;
`--repeat R` sets how many times the scale benchmark runs each cell (default 3; medians are reported),
`--sizes N...` its values of N; `--skip-checkpoints` and `--shaped` are diagnostics (see scale.py).
The emulator's own benchmark (bench/emulator_bench.py) runs last, when present.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from _common import DOCS_DIR, RESULTS_DIR, Table, load_average, machine_info, machine_table

BENCHMARKS = ("scale", "scripts", "streaming", "startup", "emulator")
EMULATOR_BENCH = Path(__file__).resolve().parent / "emulator_bench.py"


def _on_sigterm(_signum: int, _frame: Any) -> NoReturn:
    # A plain SystemExit unwinds the context managers: scratch files, stacks and emulators are cleaned up.
    raise SystemExit(143)


def _show(tables: list[Table], markdown: list[str]) -> None:
    for table in tables:
        print(table.text(), end="\n\n", flush=True)
        markdown.append(table.markdown())


def run_scale(args: argparse.Namespace, markdown: list[str], data: dict[str, Any]) -> None:
    """The scale benchmark, its tables and plot (copied to docs/ on a full run)."""
    import scale

    measurements = scale.run(
        quick=args.quick,
        sizes=args.sizes,
        repeat=args.repeat,
        skip_checkpoints=args.skip_checkpoints,
        shaped=args.shaped,
    )
    tables = [*scale.tables(measurements), scale.target_summary(measurements), scale.cpu_table(measurements)]
    if args.skip_checkpoints:
        for table in tables:
            table.title += " [PULUMI_SKIP_CHECKPOINTS=true]"
    _show([*tables, scale.call_breakdown(measurements)], markdown)
    name = "scale" + ("-skip-checkpoints" if args.skip_checkpoints else "") + ("-shaped" if args.shaped else "")
    name += ".png"
    plot = scale.plot(measurements, RESULTS_DIR / name)
    print(f"plot: {plot}")
    # Only the standard full run replaces the README's figure.
    if not (args.quick or args.sizes or args.skip_checkpoints or args.shaped):
        shutil.copyfile(plot, DOCS_DIR / "bench-scale.png")
        print(f"plot copied to {DOCS_DIR / 'bench-scale.png'}")
    markdown.append(f"Plot: `{plot.relative_to(RESULTS_DIR.parent.parent)}`")
    data["scale"] = scale.as_json(measurements)


def run_scripts(args: argparse.Namespace, markdown: list[str], data: dict[str, Any]) -> None:
    """The script-size part of the scale benchmark (N x script size x input x backend) and its targets."""
    import scale_scripts

    cells = scale_scripts.run(
        n_values=args.n_values or (scale_scripts.QUICK_N_VALUES if args.quick else scale_scripts.N_VALUES),
        sizes_kb=args.script_kb or scale_scripts.SIZES_KB,
        inputs=args.inputs or scale_scripts.INPUTS,
        backends=args.backends or scale_scripts.BACKENDS,
        skip_checkpoints=args.skip_checkpoints,
        max_total_script_kb=args.max_total_script_kb,
    )
    tables = [*scale_scripts.tables(cells), scale_scripts.target_summary(cells)]
    if args.skip_checkpoints:
        for table in tables:
            table.title += " [PULUMI_SKIP_CHECKPOINTS=true]"
    _show(tables, markdown)
    data["scripts"] = scale_scripts.as_json(cells)


def run_streaming(args: argparse.Namespace, markdown: list[str], data: dict[str, Any]) -> None:
    """The streaming benchmark, its tables and RSS plot."""
    import streaming

    result = streaming.run(quick=args.quick)
    _show(streaming.tables(result), markdown)
    plot = streaming.plot(result, RESULTS_DIR / "streaming.png")
    print(f"plot: {plot}")
    markdown.append(f"Plot: `{plot.relative_to(RESULTS_DIR.parent.parent)}`")
    data["streaming"] = streaming.as_json(result)


def run_startup(args: argparse.Namespace, markdown: list[str], data: dict[str, Any]) -> None:
    """The start-up benchmark and its tables."""
    import startup

    results = startup.run(quick=args.quick)
    _show(startup.tables(results), markdown)
    data["startup"] = startup.as_json(results)


def run_emulator_bench(args: argparse.Namespace, markdown: list[str], data: dict[str, Any]) -> None:
    """bench/emulator_bench.py (another engineer's), as a child process, its output passed through."""
    if not EMULATOR_BENCH.exists():
        print(f"{EMULATOR_BENCH.name} is not there yet: skipped")
        return
    command = [sys.executable, str(EMULATOR_BENCH)]
    if args.quick:
        # Smaller runs, only if the script (still) offers these options.
        help_text = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60).stdout
        for option, value in (("--gets-per-client", "200"), ("--upload-mb", "20")):
            if option in help_text:
                command += [option, value]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    print(result.stdout, end="")
    if result.returncode != 0:
        print(f"{EMULATOR_BENCH.name} failed ({result.returncode}):\n{result.stderr}", file=sys.stderr)
    markdown.append(f"**Emulator benchmark** (`bench/{EMULATOR_BENCH.name}`)\n\n```\n{result.stdout.strip()}\n```")
    data["emulator"] = {"returncode": result.returncode, "seconds": time.perf_counter() - started}


RUNNERS = {
    "scale": run_scale,
    "scripts": run_scripts,
    "streaming": run_streaming,
    "startup": run_startup,
    "emulator": run_emulator_bench,
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the chosen benchmarks, write the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", nargs="?", choices=("all", *BENCHMARKS), default="all")
    parser.add_argument("--quick", action="store_true", help="N = 10 and 50 only, a 256 MiB file, fewer repeats")
    parser.add_argument(
        "--repeat", type=int, metavar="R", help="scale: runs of each cell, medians reported (default: 3, quick: 1)"
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", metavar="N", help="scale: the values of N (default: 10 50 200, quick: 10 50)"
    )
    parser.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="scale, diagnostic: PULUMI_SKIP_CHECKPOINTS=true, to see what the file backend's checkpoints cost",
    )
    parser.add_argument(
        "--shaped",
        action="store_true",
        help="scale, diagnostic: also a no-op with the extensions' properties, to see what the HTTP calls cost",
    )
    parser.add_argument("--n-values", type=int, nargs="+", metavar="N", help="scripts: N (default: 50 200 500)")
    parser.add_argument(
        "--script-kb", type=float, nargs="+", metavar="KB", help="scripts: script sizes (default: 0.5 5 20 50)"
    )
    parser.add_argument(
        "--inputs", nargs="+", choices=("content", "script_path"), help="scripts: inputs (default: both)"
    )
    parser.add_argument("--backends", nargs="+", choices=("file", "s3"), help="scripts: backends (default: both)")
    parser.add_argument(
        "--max-total-script-kb",
        type=float,
        metavar="KB",
        help="scripts: leave out the cells whose N x script size is above this (a reduced matrix; listed as missing)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)

    chosen = BENCHMARKS if args.benchmark == "all" else (args.benchmark,)
    info = machine_info()
    info["load average at start"] = load_average()
    info["mode"] = "quick" if args.quick else "full"
    info["mode"] += ", PULUMI_SKIP_CHECKPOINTS=true" if args.skip_checkpoints else ""
    info["mode"] += ", with the shaped no-op" if args.shaped else ""
    markdown: list[str] = []
    data: dict[str, Any] = {"machine": info}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    print(machine_table(info).text(), end="\n\n", flush=True)

    started = time.perf_counter()
    durations = {}
    for name in chosen:
        print(f"== {name} ==", flush=True)
        section_start = time.perf_counter()
        RUNNERS[name](args, markdown, data)
        durations[name] = time.perf_counter() - section_start
        print(f"({name}: {durations[name]:.0f} s; load average now {load_average()})\n", flush=True)

    info["load average at end"] = load_average()
    info["duration"] = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations.items())
    info["duration"] += f"; total {time.perf_counter() - started:.0f} s"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"results-{stamp}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    document = "\n\n".join([machine_table(info).markdown(), *markdown]) + "\n"
    (RESULTS_DIR / "latest.md").write_text(document, encoding="utf-8")
    (RESULTS_DIR / f"results-{stamp}.md").write_text(document, encoding="utf-8")
    print(f"results: {RESULTS_DIR / f'results-{stamp}.json'}, tables: {RESULTS_DIR / 'latest.md'}")
    print(f"total: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
