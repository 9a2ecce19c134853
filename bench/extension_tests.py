"""Extension tests: what running a Coveo extension script locally costs, and what declared `tests` add to `check`.

`run_extension` starts one Python process per run (isolation: the script never shares the caller's
interpreter, environment or memory), so its cost is mostly the process's start. `check` runs every declared
test of a CoveoExtension, one after another, at each preview. Wall times are medians of several runs, in
milliseconds; the machine's load shows in them.

    .venv/bin/python bench/extension_tests.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from _common import Table, median

from pulumi_search_extensions.coveo.extension_provider.check import check
from pulumi_search_extensions.coveo.runtime import run_extension

SCRIPT = "title = document.get_meta_data_value('title')\ndocument.add_meta_data({'section': 'docs'})\nlog('done')\n"
DOCUMENT = {"metadata": [{"origin": "crawler", "values": {"title": ["Home"]}}]}
CONNECTION = {"organization_id": "org", "host": "http://127.0.0.1:1", "api_key": "k"}


def _ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def _check_with(tests: int) -> Callable[[], object]:
    declared = [
        {"name": f"t{n}", "document": DOCUMENT, "expect": {"metadata": {"section": ["docs"]}}} for n in range(tests)
    ]
    news = {"name": "tagger", "content": SCRIPT, "tests": declared, **CONNECTION}

    def run() -> object:
        result = check({}, news)
        assert not result.failures, result.failures
        return result

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = [
        ["run_extension, one run", f"{_ms(lambda: run_extension(SCRIPT, DOCUMENT), args.repeat):.0f}"],
        ["run_extension, script in the report's duration", f"{run_extension(SCRIPT, DOCUMENT)['duration'] * 1000:.2f}"],
    ]
    for tests in (0, 1, 5, 20):
        rows.append([f"check, {tests} declared tests", f"{_ms(_check_with(tests), args.repeat):.0f}"])
    notes = [f"median of {args.repeat} runs; each declared test is one run_extension"]
    print(Table("Extension tests: local runs (ms)", ["what", "ms"], rows, notes).text())


if __name__ == "__main__":
    main()
