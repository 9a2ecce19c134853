"""Start-up: the time to import the package, and what it pulls in, each time in a fresh interpreter.

Every figure is the median of several fresh interpreters (the first run, which may write bytecode
caches, is discarded), timed inside the child around the import statement only, so interpreter
start-up is not counted (it is shown separately for scale). One more run with `-X importtime` gives
the import time by top-level package.

- `import pulumi_search_extensions`: the target (150 ms or less). The public names are lazy.
- `from pulumi_search_extensions import CoveoExtension, ElasticExtension`: what a program does. It loads
  the Pulumi SDK, which a program needs anyway; `import pulumi` alone is shown as the floor, and the same
  import with the SDK already loaded shows the package's own share.
- the provider modules, on top of `pulumi.dynamic`: what the provider process adds when it unpickles
  the two providers.
- `pulumi_search_extensions.emulator`: the emulator package (the server stack is loaded only by the
  process that serves).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from _common import Table, median

REPEAT = 15
QUICK_REPEAT = 7
TARGET_MS = 150.0
# Modules whose presence after an import says whether something heavy was loaded eagerly.
WATCHED = ("pulumi", "grpc", "dill", "requests", "urllib3", "starlette", "uvicorn", "matplotlib")


@dataclass(frozen=True)
class Case:
    """One import measured in fresh interpreters."""

    label: str
    statement: str
    setup: str = ""  # run before the timer starts (e.g. what the provider process has already loaded)


CASES = (
    Case("interpreter start-up (`python -c pass`), for scale", ""),
    Case("import pulumi_search_extensions", "import pulumi_search_extensions"),
    Case(
        "from pulumi_search_extensions import CoveoExtension, ElasticExtension",
        "from pulumi_search_extensions import CoveoExtension, ElasticExtension",
    ),
    Case("import pulumi (the SDK alone: the floor of any program)", "import pulumi"),
    Case(
        "the same, with pulumi.dynamic already loaded (the package's own share of a program)",
        "from pulumi_search_extensions import CoveoExtension, ElasticExtension",
        setup="import pulumi, pulumi.dynamic",
    ),
    Case(
        "both providers, with pulumi.dynamic already loaded (provider process)",
        "import pulumi_search_extensions.coveo.extension_provider.provider, "
        "pulumi_search_extensions.elastic.extension_provider.provider",
        setup="import pulumi.dynamic, dill, grpc",
    ),
    Case("import pulumi_search_extensions.emulator", "import pulumi_search_extensions.emulator"),
)

_CHILD = """
import json, sys, time
{setup}
_before = set(sys.modules)
_start = time.perf_counter()
{statement}
_elapsed = time.perf_counter() - _start
print(json.dumps({{"seconds": _elapsed, "loaded": [m for m in {watched!r} if m in sys.modules and m not in _before]}}))
"""


@dataclass
class CaseResult:
    """Median milliseconds of one case, the watched modules it loaded, its import time by package."""

    label: str
    statement: str
    median_ms: float
    runs_ms: list[float]
    loaded: list[str]
    by_package_ms: dict[str, float] = field(default_factory=dict)


def _child(case: Case, *, importtime: bool = False) -> tuple[dict[str, Any], str]:
    code = _CHILD.format(setup=case.setup, statement=case.statement or "pass", watched=WATCHED)
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def _interpreter_ms() -> float:
    import time

    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
    return (time.perf_counter() - start) * 1000


_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def by_package(stderr: str, setup_modules: set[str]) -> dict[str, float]:
    """Self time (ms) summed by top-level package, from `-X importtime` output."""
    totals: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match is None:
            continue
        module = match.group(4)
        if module in setup_modules:
            continue
        totals[module.split(".")[0]] += int(match.group(1)) / 1000
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def run(*, quick: bool = False) -> list[CaseResult]:
    """Every case, `REPEAT` fresh interpreters each (plus one discarded warm-up and one `-X importtime`)."""
    repeat = QUICK_REPEAT if quick else REPEAT
    results = []
    for case in CASES:
        if not case.statement:
            _interpreter_ms()
            runs = [_interpreter_ms() for _ in range(repeat)]
            results.append(CaseResult(case.label, "", median(runs), runs, []))
            print(f"  {case.label:<80} {median(runs):7.1f} ms", flush=True)
            continue
        _child(case)  # warm-up: bytecode caches
        reports = [_child(case)[0] for _ in range(repeat)]
        runs = [report["seconds"] * 1000 for report in reports]
        setup_modules: set[str] = set()
        if case.setup:
            _, setup_stderr = _child(Case("setup", "pass", case.setup), importtime=True)
            setup_modules = {m.group(4) for m in map(_IMPORTTIME.match, setup_stderr.splitlines()) if m}
        _, stderr = _child(case, importtime=True)
        result = CaseResult(
            case.label, case.statement, median(runs), runs, reports[0]["loaded"], by_package(stderr, setup_modules)
        )
        results.append(result)
        print(f"  {case.label:<80} {result.median_ms:7.1f} ms", flush=True)
    return results


def tables(results: list[CaseResult]) -> list[Table]:
    """The import times, the heaviest packages of each, and the target."""
    rows = []
    for result in results:
        heaviest = ", ".join(f"{pkg} {ms:.0f}" for pkg, ms in list(result.by_package_ms.items())[:4] if ms >= 1)
        rows.append(
            [
                result.label,
                f"{result.median_ms:.1f}",
                f"{min(result.runs_ms):.1f}-{max(result.runs_ms):.1f}",
                ", ".join(result.loaded) or "-",
                heaviest or "-",
            ]
        )
    imports = Table(
        "Import times in a fresh interpreter (ms, median of the runs)",
        ["import", "median ms", "range", "heavy modules loaded", "heaviest packages (ms, -X importtime)"],
        rows,
        ["the -X importtime column adds its own overhead; read it for proportions, not totals."],
    )
    package = next(r for r in results if r.statement == "import pulumi_search_extensions")
    target = Table(
        "Start-up target",
        ["target", "measured", "met"],
        [
            [
                f"import pulumi_search_extensions <= {TARGET_MS:.0f} ms",
                f"{package.median_ms:.1f} ms (loads: {', '.join(package.loaded) or 'none of ' + '/'.join(WATCHED)})",
                "met" if package.median_ms <= TARGET_MS else "NOT met",
            ]
        ],
    )
    return [imports, target]


def as_json(results: list[CaseResult]) -> list[dict[str, Any]]:
    """Raw figures for bench/results/*.json."""
    from dataclasses import asdict

    return [asdict(result) for result in results]
