"""The tests a CoveoExtension declares, run by `check` on the script with the local runtime (no API call).

A test that does not pass gives one short failure: the test's name, what was expected against what the run
gave, and the script's line when the script failed. Tests holding values unknown at preview are skipped
then (they run once the values are known, at `up`); so are all tests while the script or a setting the run
depends on is unknown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pulumi.dynamic import CheckFailure

from ..._inputs import contains_unknown, failure
from ..runtime import STAGES, STATUSES
from ..runtime._document import looked_up
from ..runtime._run import execute

_LINE = re.compile(r'File "[^"]*", line (\d+)')
_TEST_KEYS = ("name", "document", "parameters", "stage", "expect")
_EXPECT_KEYS = ("status", "metadata", "logs")


def _shape_problem(index: int, test: Any) -> str | None:
    if not isinstance(test, Mapping):
        return f"tests[{index}] must be an object: {{name, document, parameters, stage, expect}}"
    unknown = sorted(set(test) - set(_TEST_KEYS))
    if unknown:
        return f"tests[{index}] has unknown key(s) {', '.join(unknown)}; a test has {', '.join(_TEST_KEYS)}"
    if not isinstance(test.get("name"), str) or not test["name"].strip():
        return f"tests[{index}].name is required: say what the test checks"
    if test.get("stage") is not None and test["stage"] not in STAGES:
        return f"tests[{index}].stage must be one of {', '.join(STAGES)}, got {test['stage']!r}"
    expect = test.get("expect") or {}
    if not isinstance(expect, Mapping) or set(expect) - set(_EXPECT_KEYS):
        return f"tests[{index}].expect must be an object with {', '.join(_EXPECT_KEYS)}"
    if expect.get("status") is not None and expect["status"] not in STATUSES:
        return f"tests[{index}].expect.status must be one of {', '.join(STATUSES)}, got {expect['status']!r}"
    if expect.get("metadata") is not None and not isinstance(expect["metadata"], Mapping):
        return f'tests[{index}].expect.metadata must map metadata names to values, e.g. {{"section": ["intranet"]}}'
    if expect.get("logs") is not None and not isinstance(expect["logs"], list):
        return f"tests[{index}].expect.logs must be a list of texts"
    return None


def _script_line(script: str, reason: str) -> str:
    """` at line N: `code`` for the last line of the script in a traceback, or ""."""
    numbers = _LINE.findall(reason)
    if not numbers:
        return ""
    number = int(numbers[-1])
    lines = script.splitlines()
    code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return f" at line {number}: `{code}`" if code else f" at line {number}"


def _last_line(reason: str) -> str:
    lines = [line for line in reason.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _expected_values(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _mismatch(
    script: str, report: Mapping[str, Any], expect: Mapping[str, Any], *, stage: str, origin: str
) -> str | None:
    """What the run gave that the test did not expect, or None."""
    result = report["result"]
    status = expect.get("status") or "SUCCESS"
    if result["status"] != status:
        reason = result.get("reason") or ""
        detail = f" ({_last_line(reason)})" if reason else ""
        return f"expected status {status}, got {result['status']}{_script_line(script, reason)}{detail}"
    for name, value in (expect.get("metadata") or {}).items():
        metadata = report["document"].get("metadata") or []
        expected, actual = _expected_values(value), looked_up(metadata, name, stage=stage, origin=origin)
        if expected != actual:
            return f"metadata {name!r}: expected {expected!r}, got {actual!r}"
    comments = [str(entry.get("comment", "")) for entry in report.get("logs") or []]
    position = 0
    for text in expect.get("logs") or []:
        found = next((i for i in range(position, len(comments)) if str(text) in comments[i]), None)
        if found is None:
            return f"expected a log containing {str(text)!r}, got {comments[position:]!r}"
        position = found + 1
    return None


def _run_one(script: str, checked: Mapping[str, Any], test: Mapping[str, Any]) -> str | None:
    """Why one (well-formed, known) test fails, or None."""
    name = checked["name"]
    try:
        report = execute(
            script,
            test.get("document") or {},
            parameters=test.get("parameters") or {},
            origin=name,
            script_name=name,
            stage=test.get("stage") or "post_conversion",
            required_data_streams=checked["required_data_streams"],
            api_version=checked["api_version"],
            timeout=float(checked["execution_timeout"]),
        )
    except ValueError as error:
        return f"tests: test {test['name']!r}: {error}"
    stage = test.get("stage") or "post_conversion"
    mismatch = _mismatch(script, report, test.get("expect") or {}, stage=stage, origin=name)
    return f"tests: test {test['name']!r} failed: {mismatch}" if mismatch else None


def failed_tests(script: str, checked: Mapping[str, Any], tests: Any) -> list[CheckFailure]:
    """Runs the declared tests on `script` with the checked settings; one failure per test that fails, in order.

    Each run is a process of its own: they run side by side, as many as the machine has cores.
    """
    if not isinstance(tests, list):
        return [failure("tests", "must be a list of tests: [{name, document, parameters, stage, expect}]")]
    reasons: list[str | Future[str | None] | None] = []
    with ThreadPoolExecutor(max_workers=max(1, min(len(tests), os.cpu_count() or 1))) as pool:
        for index, test in enumerate(tests):
            problem = _shape_problem(index, test)
            if problem:
                reasons.append(f"tests: {problem}")
            elif not contains_unknown(test):
                reasons.append(pool.submit(_run_one, script, checked, test))
        results = [reason.result() if isinstance(reason, Future) else reason for reason in reasons]
    return [CheckFailure("tests", reason) for reason in results if reason]
