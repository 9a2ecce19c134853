"""Scale: `pulumi up`, a no-change `pulumi preview` and `pulumi destroy` of N extensions, beside N no-ops.

For each injected latency (0 and 50 ms) and each N (10, 50, 200), two stacks run the same three
operations through the Automation API and the real CLI, one after the other against one emulator:

- `noop`: N `NoopResource`s (a dynamic resource making no HTTP call: the cost of Pulumi itself);
- `ext`: N/2 `CoveoExtension`s and N/2 `ElasticExtension`s, each with its own small bundle zip;
- `plugin`: the same N resources with the same inputs, through the provider plugin `search-extensions`
  (`search-extensions:coveo:Extension`, `search-extensions:elastic:Extension`) instead of the dynamic
  resources: the same operations behind the engine's provider protocol;
- `shaped` (diagnostic, `--shaped`): N `ShapedNoopResource`s, no HTTP call either, but with the inputs and
  outputs of the two extension resources (the same property names, similar values). The no-op has one
  property; the extensions have about twenty, and the SDK, the engine and the state pay per property. The
  ratio against `shaped` is what the HTTP calls themselves cost.

Reported: wall time of each operation, its ratio to the no-op baseline, the vendor API calls the
emulator logged, and the bounds of the issue (1.2 x baseline at 0 ms; at 50 ms, for `up`,
1.25 x (baseline + calls x 50 ms / 4), since the provider process serves four calls at once).
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from _common import (
    CpuMeter,
    StackFactory,
    Table,
    api_calls,
    load_average,
    remove,
    scratch_dir,
    seconds,
    timed,
    write_small_bundle,
)

from support.toolchain import TESTS_DIR

BENCH_DIR = Path(__file__).resolve().parent
SIZES = (10, 50, 200)
QUICK_SIZES = (10, 50)
LATENCIES_MS = (0, 50)
OPERATIONS = ("up", "preview", "destroy")
KINDS = ("noop", "ext", "plugin")
PROVIDER_THREADS = 4  # the dynamic provider's thread pool (pulumi/dynamic/__main__.py)
RATIO_TARGET_0MS = 1.2
REPEAT = 3
QUICK_REPEAT = 1
LATENCY_SLACK = 1.25

COVEO_SCRIPT = """\
# Tags every document with the pipeline run it went through.
title = document.get_meta_data_value("title")
document.add_meta_data({"bench_title_length": [len(title[0]) if title else 0]})
"""


@dataclass
class Measurement:
    """One operation on one stack."""

    kind: str
    latency_ms: int
    n: int
    op: str
    seconds: float
    api_calls: int
    counts: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    repetition: int = 0
    runs: list[float] = field(default_factory=list)  # every repetition's seconds (aggregates only)


# The output-only fields of the two resources (coveo/extension_provider/schema.py OUTPUT_ONLY_FIELDS and
# elastic/extension.py _OUTPUT_ONLY when this was written), with values of the size the services return.
SHAPED_OUTPUTS: dict[str, dict[str, Any]] = {
    "coveo": {
        "extension_id": "searchdemoorg-era6dyosudecwp2ndsczd4ysea",
        "version_id": "1Htm3RCoez2zGI.iRFeqAETS1IOBTw7Ys",
        "created_date": "2026-01-01T00:00:00.000Z",
        "last_modified": "2026-01-01T00:00:00.000Z",
        "status": {
            "daily_statistics": dict.fromkeys(
                ("average_duration_in_seconds", "number_of_errors", "number_of_executions", "number_of_skips"), 0
            ),
            "disabled_status": {},
            "duration_health": {"health_indicator": "UNKNOWN", "reason": ""},
            "timeout_health": {"health_indicator": "UNKNOWN", "reason": ""},
            "timeout_likeliness": "NONE",
        },
        "used_by": [],
    },
    "elastic": {
        "extension_id": "1234567890",
        "url": "repo://1234567890",
        "file_size": 210,
        "file_last_modified": "2026-01-01T00:00:00.000Z",
        "file_sha256": "0" * 64,
        "deployments": [],
    },
}


class ShapedNoopProvider(pulumi.dynamic.ResourceProvider):
    """Makes no HTTP call; outputs are the inputs plus made-up output-only values of the declared shape.

    The provider process imports this module by name (`scale`): the stack's environment puts bench/ on
    PYTHONPATH for it.
    """

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        outs = {**props, **SHAPED_OUTPUTS[props["shape"]]}
        return pulumi.dynamic.CreateResult(id_=uuid.uuid4().hex, outs=outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        changed = any(olds.get(key) != value for key, value in news.items())
        return pulumi.dynamic.DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class ShapedNoopResource(pulumi.dynamic.Resource, module="bench", name="ShapedNoop"):
    """A no-op with the properties of a `CoveoExtension` (`shape="coveo"`) or an `ElasticExtension`."""

    def __init__(self, resource_name: str, shape: str, inputs: dict[str, Any]) -> None:
        from dataclasses import fields

        from pulumi_search_extensions import CoveoExtensionArgs, ElasticExtensionArgs

        args = CoveoExtensionArgs if shape == "coveo" else ElasticExtensionArgs
        props: dict[str, Any] = {f.name: None for f in fields(args)}  # every input, as the real resource sends
        props.update(inputs, shape=shape)
        props.update(dict.fromkeys(SHAPED_OUTPUTS[shape]))
        super().__init__(ShapedNoopProvider(), resource_name, props)


def shaped_program(n: int, bundles: Sequence[Path]) -> Callable[[], None]:
    """N/2 no-ops shaped like Coveo extensions, N/2 shaped like Elastic extensions, with the same inputs."""

    def program() -> None:
        for index in range(n // 2):
            inputs = {
                "name": f"coveo-{index}",
                "content": COVEO_SCRIPT,
                "description": f"bench extension {index}",
                "required_data_streams": ["BODY_TEXT"],
            }
            ShapedNoopResource(f"coveo-{index}", "coveo", inputs)
        for index in range(n - n // 2):
            inputs = {
                "name": f"elastic-{index}",
                "extension_type": "bundle",
                "version": "8.*",
                "description": "",
                "file_path": str(bundles[index]),
            }
            ShapedNoopResource(f"elastic-{index}", "elastic", inputs)

    return program


def noop_program(n: int) -> Callable[[], None]:
    """N no-op dynamic resources."""

    def program() -> None:
        from support.smoke import NoopResource

        for index in range(n):
            NoopResource(f"noop-{index}", value=f"value-{index}")

    return program


def extensions_program(n: int, bundles: Sequence[Path]) -> Callable[[], None]:
    """N/2 Coveo extensions and N/2 Elastic bundles (each its own small zip)."""

    def program() -> None:
        from pulumi_search_extensions import CoveoExtension, ElasticExtension

        for index in range(n // 2):
            CoveoExtension(
                f"coveo-{index}",
                content=COVEO_SCRIPT,
                description=f"bench extension {index}",
                required_data_streams=["BODY_TEXT"],
            )
        for index in range(n - n // 2):
            ElasticExtension(f"elastic-{index}", extension_type="bundle", version="8.*", file_path=str(bundles[index]))

    return program


def plugin_program(n: int, bundles: Sequence[Path]) -> Callable[[], None]:
    """The resources of `extensions_program`, with the same inputs, through the provider plugin."""

    def program() -> None:
        for index in range(n // 2):
            pulumi.CustomResource(
                "search-extensions:coveo:Extension",
                f"coveo-{index}",
                {
                    "content": COVEO_SCRIPT,
                    "description": f"bench extension {index}",
                    "requiredDataStreams": ["BODY_TEXT"],
                },
            )
        for index in range(n - n // 2):
            pulumi.CustomResource(
                "search-extensions:elastic:Extension",
                f"elastic-{index}",
                {"extensionType": "bundle", "version": "8.*", "filePath": str(bundles[index])},
            )

    return program


def _changes(result: Any) -> dict[str, int]:
    summary = getattr(result, "change_summary", None)
    if summary is None:
        summary = getattr(getattr(result, "summary", None), "resource_changes", None)
    return {str(k): int(v) for k, v in (summary or {}).items()}


def _measure(stack: Any, emulator: Any, kind: str, latency_ms: int, n: int, op: str, repetition: int) -> Measurement:
    """Wall time, request counts, change summary and CPU by process of one operation."""
    emulator.admin.clear_requests()
    actions = {"up": stack.up, "preview": stack.preview, "destroy": stack.destroy}
    with CpuMeter(emulator.pid) as cpu:
        result, elapsed = timed(lambda: actions[op](color="never"))
    counts = dict(emulator.admin.requests()["counts"])
    return Measurement(
        kind, latency_ms, n, op, elapsed, api_calls(counts), counts, _changes(result), cpu.result, repetition
    )


def run_pair(
    stacks: StackFactory,
    emulator: Any,
    latency_ms: int,
    n: int,
    bundles: Sequence[Path],
    repetition: int,
    kinds: Sequence[str] = KINDS,
) -> list[Measurement]:
    """Every kind at one (latency, N): up, no-change preview, destroy each, printed as they finish.

    The order of the kinds alternates with the repetition, so none always gets the warmer caches.
    """
    from pulumi_search_extensions.plugin.config import plugin_key

    plain, secret = emulator.stack_config()
    # The dynamic resources read `coveo:*` / `ec:*`, the plugin `search-extensions:*`: every stack gets both,
    # so every kind pays the same configure() cost.
    plain.update({plugin_key(key): value for key, value in list(plain.items())})
    secret.update({plugin_key(key): value for key, value in list(secret.items())})
    programs = {
        "noop": lambda: noop_program(n),
        "ext": lambda: extensions_program(n, bundles),
        "plugin": lambda: plugin_program(n, bundles),
        "shaped": lambda: shaped_program(n, bundles),
    }
    measurements = []
    for kind in kinds if repetition % 2 == 0 else tuple(reversed(kinds)):
        program = programs[kind]()
        # Same config for every kind, so the baselines pay the same configure() cost.
        stack = stacks(program, config=plain, secrets=secret, project="bench")
        try:
            for op in OPERATIONS:
                measurement = _measure(stack, emulator, kind, latency_ms, n, op, repetition)
                measurements.append(measurement)
                cpu = " ".join(f"{k} {v:.2f}" for k, v in measurement.cpu.items())
                print(
                    f"  #{repetition + 1} latency {latency_ms:>2} ms  N={n:<4} {kind:<6} {op:<8} "
                    f"{seconds(measurement.seconds):>9}  "
                    f"{measurement.api_calls:>5} API calls  CPU s: {cpu}",
                    flush=True,
                )
        finally:
            remove(stack)
    return measurements


def run(
    *,
    quick: bool = False,
    sizes: Sequence[int] | None = None,
    repeat: int | None = None,
    skip_checkpoints: bool = False,
    shaped: bool = False,
) -> list[Measurement]:
    """Every (repetition, latency, N, kind, operation); one emulator, latency switched through the admin API.

    Repetitions go round the whole grid (rather than repeating one cell at once), so a burst of load from
    something else on the machine touches one sample of many cells rather than every sample of one.

    `skip_checkpoints` (a diagnostic) sets PULUMI_SKIP_CHECKPOINTS=true: the engine then writes the state
    once at the end instead of after every step, which shows how much of the time is the file backend's
    checkpointing. `shaped` (a diagnostic) adds the `shaped` no-op (see the module docstring).
    """
    from pulumi_search_extensions.emulator import run_emulator

    sizes = tuple(sizes or (QUICK_SIZES if quick else SIZES))
    repeat = repeat or (QUICK_REPEAT if quick else REPEAT)
    measurements: list[Measurement] = []
    with scratch_dir("bench-scale-") as root, run_emulator() as emulator:
        bundle_dir = root / "bundles"
        bundle_dir.mkdir()
        bundles = [write_small_bundle(bundle_dir / f"bundle-{i}.zip", i) for i in range(max(sizes))]
        extra_env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if skip_checkpoints else {}
        if shaped:
            # The provider process unpickles ShapedNoopProvider by reference: it must import this module.
            # (extra_env replaces the PYTHONPATH of provider_env: keep `tests/` for the no-op's `support.smoke`.)
            extra_env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(BENCH_DIR), str(TESTS_DIR), os.environ.get("PYTHONPATH")])
            )
        stacks = StackFactory.throwaway(root / "pulumi", extra_env)
        kinds = (*KINDS, "shaped") if shaped else KINDS
        for repetition in range(repeat):
            for latency_ms in LATENCIES_MS:
                emulator.admin.set_faults({"latency_ms": latency_ms})
                for n in sizes:
                    started = time.perf_counter()
                    measurements += run_pair(stacks, emulator, latency_ms, n, bundles, repetition, kinds)
                    took = seconds(time.perf_counter() - started)
                    print(f"  ({took} for latency {latency_ms} ms, N={n}; load {load_average()})", flush=True)
        emulator.admin.clear_faults()
    return measurements


# ---------------------------------------------------------------------------------------------- report


def aggregate(measurements: Sequence[Measurement]) -> list[Measurement]:
    """One measurement per (kind, latency, N, op): the median over the repetitions (seconds, calls, CPU)."""
    groups: dict[tuple[str, int, int, str], list[Measurement]] = {}
    for m in measurements:
        groups.setdefault((m.kind, m.latency_ms, m.n, m.op), []).append(m)
    out = []
    for (kind, latency_ms, n, op), group in groups.items():
        cpu_parts = {part for m in group for part in m.cpu}
        out.append(
            Measurement(
                kind,
                latency_ms,
                n,
                op,
                statistics.median(m.seconds for m in group),
                round(statistics.median(m.api_calls for m in group)),
                group[0].counts,
                group[0].changes,
                {part: statistics.median(m.cpu.get(part, 0.0) for m in group) for part in sorted(cpu_parts)},
                -1,
                sorted(m.seconds for m in group),
            )
        )
    return out


def _index(measurements: Sequence[Measurement]) -> dict[tuple[str, int, int, str], Measurement]:
    """The medians, by (kind, latency, N, op)."""
    return {(m.kind, m.latency_ms, m.n, m.op): m for m in aggregate(measurements)}


def bound(noop_seconds: float, calls: int, latency_ms: int) -> float:
    """The issue's limit: 1.2 x baseline at 0 ms; else 1.25 x (baseline + calls x latency / 4 threads)."""
    if latency_ms == 0:
        return RATIO_TARGET_0MS * noop_seconds
    return LATENCY_SLACK * (noop_seconds + calls * latency_ms / 1000 / PROVIDER_THREADS)


def _with_range(m: Measurement) -> str:
    """The median, and the range when there were several runs."""
    if len(m.runs) < 2:
        return seconds(m.seconds)
    return f"{seconds(m.seconds)} ({m.runs[0]:.2f}-{m.runs[-1]:.2f})"


def tables(measurements: Sequence[Measurement]) -> list[Table]:
    """One table per latency: every (N, op) with baseline, extensions, ratio, calls and the bound."""
    index = _index(measurements)
    has_shaped = any(m.kind == "shaped" for m in measurements)
    has_plugin = any(m.kind == "plugin" for m in measurements)
    out = []
    for latency_ms in sorted({m.latency_ms for m in measurements}):
        rows = []
        for n in sorted({m.n for m in measurements if m.latency_ms == latency_ms}):
            for op in OPERATIONS:
                noop, ext = index.get(("noop", latency_ms, n, op)), index.get(("ext", latency_ms, n, op))
                if noop is None or ext is None:
                    continue
                limit = bound(noop.seconds, ext.api_calls, latency_ms)
                ideal = noop.seconds + ext.api_calls * latency_ms / 1000 / PROVIDER_THREADS
                row = [
                    str(n),
                    op,
                    _with_range(noop),
                    _with_range(ext),
                    f"{ext.seconds / noop.seconds:.2f}x",
                    str(ext.api_calls),
                    seconds(ideal),
                    seconds(limit),
                    "yes" if ext.seconds <= limit else "NO",
                ]
                if has_plugin:
                    plugin = index.get(("plugin", latency_ms, n, op))
                    row += (
                        [_with_range(plugin), f"{plugin.seconds / noop.seconds:.2f}x", str(plugin.api_calls)]
                        if plugin
                        else ["", "", ""]
                    )
                if has_shaped:
                    shaped = index.get(("shaped", latency_ms, n, op))
                    row += [_with_range(shaped), f"{ext.seconds / shaped.seconds:.2f}x"] if shaped else ["", ""]
                rows.append(row)
        repeats = max(len(m.runs) for m in index.values())
        medians = f"times: median of {repeats} runs (range in s); " if repeats > 1 else ""
        if latency_ms == 0:
            notes = [f"{medians}bound: 1.2 x the no-op baseline (the issue's target is N = 200)."]
        else:
            notes = [
                f"{medians}ideal: baseline + calls x {latency_ms} ms / {PROVIDER_THREADS} (four provider threads, "
                "every call waiting the full latency);",
                f"bound: {LATENCY_SLACK} x ideal (the issue's target is `up`; preview and destroy shown against the "
                "same formula).",
            ]
        if has_plugin:
            notes.append(
                "plugin: the same resources and inputs through the provider plugin; its ratio is to the no-op "
                "baseline too (`within` is about the dynamic resources)."
            )
        if has_shaped:
            notes.append(
                "shaped: the no-op with the extensions' properties (diagnostic); vs shaped: extensions / shaped."
            )
        out.append(
            Table(
                f"Scale at {latency_ms} ms injected latency (N/2 Coveo + N/2 Elastic vs N no-op)",
                ["N", "op", "no-op", "extensions", "ratio", "API calls", "ideal", "bound", "within"]
                + (["plugin", "plugin ratio", "plugin calls"] if has_plugin else [])
                + (["shaped", "vs shaped"] if has_shaped else []),
                rows,
                notes,
            )
        )
    return out


CPU_PARTS = ("program", "engine", "provider", "emulator")


def cpu_table(measurements: Sequence[Measurement]) -> Table:
    """CPU seconds at the largest N: totals, and where the extensions' extra CPU goes, by process.

    On a 2-core machine, CPU time is what wall time turns into once four processes compete for the
    cores, and it is far less sensitive than wall time to whatever else the machine is running.
    """
    index = _index(measurements)
    has_shaped = any(m.kind == "shaped" for m in measurements)
    n = max(m.n for m in measurements)
    rows = []
    for latency_ms in sorted({m.latency_ms for m in measurements}):
        for op in OPERATIONS:
            noop, ext = index.get(("noop", latency_ms, n, op)), index.get(("ext", latency_ms, n, op))
            if noop is None or ext is None or not noop.cpu or not ext.cpu:
                continue
            extra = [ext.cpu.get(part, 0.0) - noop.cpu.get(part, 0.0) for part in CPU_PARTS]
            row = [
                f"{latency_ms} ms",
                op,
                f"{sum(noop.cpu.values()):.2f}",
                f"{sum(ext.cpu.values()):.2f}",
                *(f"{value:+.2f}" for value in extra),
            ]
            if has_shaped:
                shaped = index.get(("shaped", latency_ms, n, op))
                row.append(f"{sum(shaped.cpu.values()):.2f}" if shaped and shaped.cpu else "")
            rows.append(row)
    return Table(
        f"CPU seconds at N = {n}: no-op vs extensions, and the extensions' extra CPU by process",
        ["latency", "op", "no-op CPU", "ext CPU", "+program", "+engine", "+provider", "+emulator"]
        + (["shaped CPU"] if has_shaped else []),
        rows,
        [
            "program: the inline program and Automation API (this process); engine: the Pulumi CLI and engine; "
            "provider: the dynamic-provider process (sampled every 0.1 s); emulator: the emulated services.",
        ],
    )


def call_breakdown(measurements: Sequence[Measurement]) -> Table:
    """API calls per route of the largest `up` and `destroy` at 0 ms (what each resource costs)."""
    index = _index(measurements)
    n = max(m.n for m in measurements)
    rows = []
    for op in ("up", "destroy"):
        ext = index.get(("ext", 0, n, op))
        if ext is None:
            continue
        for route, count in sorted(ext.counts.items()):
            rows.append([op, route, str(count), f"{count / (n / 2):.2f}"])
    return Table(
        f"API calls by route at N = {n}, 0 ms (per resource of its kind: N/2 each)",
        ["op", "route", "calls", "per resource"],
        rows,
    )


def target_summary(measurements: Sequence[Measurement]) -> Table:
    """The issue's three scale targets, met or not."""
    index = _index(measurements)
    n = max(m.n for m in measurements)
    rows = []
    for op in OPERATIONS:
        noop, ext = index.get(("noop", 0, n, op)), index.get(("ext", 0, n, op))
        if noop and ext:
            ratio = ext.seconds / noop.seconds
            rows.append([f"0 ms, N = {n}, {op}: <= 1.2 x no-op", f"{ratio:.2f}x", _verdict(ratio <= RATIO_TARGET_0MS)])
        shaped = index.get(("shaped", 0, n, op))
        if shaped and ext:
            ratio = ext.seconds / shaped.seconds
            rows.append([f"(diagnostic) 0 ms, N = {n}, {op}: vs the shaped no-op", f"{ratio:.2f}x", "-"])
    for latency_ms in [lat for lat in LATENCIES_MS if lat]:
        noop, ext = index.get(("noop", latency_ms, n, "up")), index.get(("ext", latency_ms, n, "up"))
        if noop and ext:
            limit = bound(noop.seconds, ext.api_calls, latency_ms)
            rows.append(
                [
                    f"{latency_ms} ms, N = {n}, up: <= 1.25 x (no-op + calls x {latency_ms} ms / 4)",
                    f"{seconds(ext.seconds)} vs {seconds(limit)} ({ext.seconds / limit * LATENCY_SLACK:.2f} x ideal)",
                    _verdict(ext.seconds <= limit),
                ]
            )
    previews = [m for m in measurements if m.kind == "ext" and m.op == "preview"]
    calls = sum(m.api_calls for m in previews)
    unchanged = all(set(m.changes) <= {"same"} for m in previews)
    rows.append(
        [
            "no-change preview: zero API calls (every N and latency)",
            f"{calls} calls, {'no changes planned' if unchanged else 'CHANGES PLANNED'}",
            _verdict(calls == 0 and unchanged),
        ]
    )
    return Table("Scale targets", ["target", "measured", "met"], rows)


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def plot(measurements: Sequence[Measurement], path: Path) -> Path:
    """Wall time vs N: one panel per (latency, operation), no-op, extensions and the bound."""
    import matplotlib

    matplotlib.use("Agg")  # no display on benchmark machines
    import matplotlib.pyplot as plt

    index = _index(measurements)
    latencies = sorted({m.latency_ms for m in measurements})
    sizes = sorted({m.n for m in measurements})
    figure, axes = plt.subplots(
        len(latencies), len(OPERATIONS), figsize=(13, 3.6 * len(latencies)), squeeze=False, constrained_layout=True
    )
    for row, latency_ms in enumerate(latencies):
        for column, op in enumerate(OPERATIONS):
            axis = axes[row][column]
            pairs = [(index.get(("noop", latency_ms, n, op)), index.get(("ext", latency_ms, n, op))) for n in sizes]
            points = [(n, noop, ext) for n, (noop, ext) in zip(sizes, pairs, strict=True) if noop and ext]
            xs = [n for n, _, _ in points]
            shaped_points = [index.get(("shaped", latency_ms, n, op)) for n in xs]
            if all(shaped_points):
                axis.plot(
                    xs,
                    [m.seconds for m in shaped_points if m],
                    "s:",
                    color="tab:green",
                    label="shaped no-op (diagnostic)",
                )
            for position, (label, color) in enumerate((("no-op baseline", "0.5"), ("extensions", "tab:blue"))):
                series = [pair[position + 1] for pair in points]
                ys = [m.seconds for m in series]
                # Error bars: the fastest and slowest of the repetitions.
                errors = [
                    [y - (m.runs or [y])[0] for y, m in zip(ys, series, strict=True)],
                    [(m.runs or [y])[-1] - y for y, m in zip(ys, series, strict=True)],
                ]
                axis.errorbar(xs, ys, yerr=errors, fmt="o-", color=color, capsize=3, label=label)
            axis.plot(
                xs,
                [bound(noop.seconds, ext.api_calls, latency_ms) for _, noop, ext in points],
                "--",
                color="tab:red",
                label="bound",
            )
            for n, _, ext in points:
                axis.annotate(f"{ext.api_calls} calls", (n, ext.seconds), textcoords="offset points", xytext=(4, -12))
            axis.set_title(f"{op}, {latency_ms} ms latency")
            axis.set_xlabel("N resources")
            axis.set_ylabel("wall time (s)")
            axis.set_xscale("log")  # N = 10, 50, 200: evenly spread
            axis.set_xticks(xs, [str(x) for x in xs])
            axis.minorticks_off()
            axis.set_ylim(bottom=0)  # ratios read honestly off the plot
            axis.grid(alpha=0.3)
            if row == 0 and column == 0:
                axis.legend(loc="upper left")
    figure.suptitle("pulumi-search-extensions: N/2 Coveo + N/2 Elastic extensions vs N no-op dynamic resources")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def as_json(measurements: Sequence[Measurement]) -> list[dict[str, Any]]:
    """The raw measurements, for bench/results/*.json."""
    return [asdict(m) for m in measurements]
