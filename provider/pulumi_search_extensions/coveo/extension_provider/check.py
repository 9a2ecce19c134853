"""check: validate and normalize the program's inputs, with no API call (it runs at every preview).

Values not known yet at preview (`UNKNOWN`) pass. The checked inputs hold the defaults spelled out and the
resolved organization and base URL, so that `diff` sees a config change as a replacement and the later
operations know where the extension lives, and `content_sha256`, the hash of the script (of `content`, or of
the file at `script_path`, read here): an edited file is a planned update at preview.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult

from ..._inputs import UNKNOWN, contains_unknown, failure, is_unknown, plain_type_failures
from ..connection import check_connection, checked_connection_inputs
from .declared_tests import failed_tests
from .schema import API_VERSIONS, DATA_STREAMS, DEFAULTS, CoveoExtensionProperties, normalize_streams
from .script import read_script, script_file_problem, script_of, sha256_text

RUNTIME_PYTHON = (3, 10)  # what Coveo runs extension scripts on


def content_problem(content: Any) -> str | None:
    """Why the script would be refused or would fail to load, or None; names line and column and quotes the line."""
    if not isinstance(content, str):
        return f"must be the script's text (a string), got {type(content).__name__}"
    if not content.strip():
        return "is empty; give the Python script, inline or read from a file (e.g. `Path('x.py').read_text()`)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escape sequences: legal, only noisy
            ast.parse(content, filename="<content>", feature_version=RUNTIME_PYTHON)
    except SyntaxError as exc:
        line_number = exc.lineno or 0
        lines = content.splitlines()
        quoted = lines[line_number - 1].rstrip() if 0 < line_number <= len(lines) else ""
        where = f"line {line_number}, column {exc.offset or 0}"
        return f"does not parse as Python 3 ({exc.msg}) at {where}: `{quoted.strip()}`; fix the script"
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        return f"cannot be parsed as Python 3: {exc}"
    return None


def _text_problem(value: Any, *, blank_ok: bool) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {type(value).__name__}"
    if not blank_ok and not value.strip():
        return "must not be empty; give the extension a name"
    return None


def streams_problem(streams: Any) -> str | None:
    """Why `required_data_streams` is not a list of Coveo data streams, or None."""
    if not isinstance(streams, (list, tuple)):
        return f"must be a list of data stream names ({', '.join(DATA_STREAMS)})"
    unknown = [s for s in streams if not is_unknown(s) and s not in DATA_STREAMS]
    if unknown:
        listed = ", ".join(repr(s) for s in unknown)
        return (
            f"unknown data stream(s) {listed}; use only {', '.join(DATA_STREAMS)} (the original file is DOCUMENT_DATA)"
        )
    return None


def timeout_problem(seconds: Any) -> str | None:
    """Why `execution_timeout` is not a positive whole number of seconds, or None."""
    # Pulumi carries every number as a float: 10.0 is a whole number of seconds.
    whole = isinstance(seconds, int) or (isinstance(seconds, float) and seconds.is_integer())
    if isinstance(seconds, bool) or not whole:
        return f"must be a whole number of seconds, got {seconds!r}"
    if seconds <= 0:
        return f"must be a positive number of seconds, got {seconds!r} (the service's default is 5)"
    return None


def _adopt_id_problem(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"must be the id of an existing extension (see the console or `GET /extensions`), got {value!r}"


def _script_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    """Exactly one of `content` and `script_path`; the script (inline or read from the file) must parse."""
    content, script_path = news.get("content"), news.get("script_path")
    if content is not None and script_path is not None:
        return [
            failure(
                "script_path",
                "give either content (the script's text) or script_path (a file holding it), not both",
            )
        ]
    if content is None and script_path is None:
        return [
            failure(
                "content",
                "is required: give the Python script of the extension as content, or the path of its file as "
                "script_path",
            )
        ]
    if content is not None:
        problem = None if is_unknown(content) else content_problem(content)
        return [failure("content", problem)] if problem else []
    if is_unknown(script_path):
        return []
    problem = script_file_problem(script_path)
    if problem is None:
        text_problem = content_problem(read_script(str(script_path)))
        problem = f"{script_path!r} {text_problem}" if text_problem else None
    return [failure("script_path", problem)] if problem else []


def _field_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    checks: list[tuple[str, Any]] = [
        ("name", lambda v: _text_problem(v, blank_ok=False)),
        ("description", lambda v: _text_problem(v, blank_ok=True)),
        ("required_data_streams", streams_problem),
        ("enabled", lambda v: None if isinstance(v, bool) else f"must be true or false, got {v!r}"),
        (
            "api_version",
            lambda v: None if v in API_VERSIONS else f"must be one of {', '.join(API_VERSIONS)}, got {v!r}",
        ),
        ("execution_timeout", timeout_problem),
        ("adopt_id", _adopt_id_problem),
    ]
    failures = _script_failures(news)
    for prop, problem_of in checks:
        value = news.get(prop)
        if prop == "name" and value is None:
            failures.append(failure(prop, "is required: give the extension a name"))
        elif value is not None and not is_unknown(value):
            problem = problem_of(value)
            if problem:
                failures.append(failure(prop, problem))
    return failures


def _normalized(news: Mapping[str, Any]) -> dict[str, Any]:
    """The declared fields with defaults filled in and values in the form the service echoes."""
    checked: dict[str, Any] = {key: value for key, value in news.items() if value is not None}
    for key, default in DEFAULTS.items():
        checked.setdefault(key, default)
    streams = checked["required_data_streams"]
    if not contains_unknown(streams):
        checked["required_data_streams"] = normalize_streams(streams)
    timeout = checked["execution_timeout"]
    if isinstance(timeout, float):
        checked["execution_timeout"] = int(timeout)
    checked["content_sha256"] = _script_sha256(checked)
    return checked


def _script_sha256(checked: Mapping[str, Any]) -> Any:
    """The hash of the script as it will be sent (UNKNOWN while the script or its path is not known)."""
    source = checked.get("content")
    if source is None:
        path = checked["script_path"]
        return UNKNOWN if is_unknown(path) else sha256_text(read_script(path))
    return UNKNOWN if is_unknown(source) else sha256_text(source)


def check(olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
    """Validates `news` (every problem at once) and returns it normalized; makes no API call (`olds` plays no part)."""
    failures = _field_failures(news) + check_connection(news)
    failures += plain_type_failures(CoveoExtensionProperties, news, failures)
    if failures:
        return CheckResult(dict(news), failures)
    checked = _normalized(news)
    checked.update(checked_connection_inputs(news))
    failing = _declared_test_failures(checked)
    return CheckResult(dict(news) if failing else checked, failing)


def _declared_test_failures(checked: Mapping[str, Any]) -> list[CheckFailure]:
    """The declared `tests` run on the script (skipped while the script or a setting they need is unknown)."""
    tests = checked.get("tests")
    needed = ("name", "required_data_streams", "api_version", "execution_timeout", "content_sha256")
    if not tests or any(contains_unknown(checked.get(key)) for key in needed) or is_unknown(tests):
        return []
    return failed_tests(script_of(checked), checked, tests)
