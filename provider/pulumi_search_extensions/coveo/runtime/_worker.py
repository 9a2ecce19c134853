"""The process an extension script runs in: `python -I _worker.py`, one run per process.

Reads the run (JSON) on stdin; writes JSON lines on the stdout it was started with: one `{"log": entry}` per
`log(...)` as it happens (so a run killed at its time-out keeps its logs), then one `{"end": ...}`. The
script's own `print`s go to stderr. Standard library only: it loads `_document.py` by path, so the script
cannot import the package (or anything of the caller) by accident.
"""

from __future__ import annotations

import importlib.util
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, TextIO

EXCEPTION_PREFIX = "Coveo::PythonScriptException: "
PRINT_LIMIT = 64 * 1024


class _TimedOut(BaseException):
    """Raised into the script when its time is up."""


class _Capped(io.TextIOBase):
    """What the script prints: the first `PRINT_LIMIT` characters reach stderr, the rest is dropped (Coveo
    keeps no prints; a script printing in a loop must not fill the caller's memory)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._left = PRINT_LIMIT

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._left > 0:
            self._stream.write(text[: self._left])
            self._stream.flush()
            self._left -= len(text)
        return len(text)


def _load_document_module() -> Any:
    path = Path(__file__).with_name("_document.py")
    spec = importlib.util.spec_from_file_location("_coveo_extension_document", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _script_traceback(error: BaseException, script_name: str) -> str:
    """Python's traceback of `error`, from the script's first frame (the worker's own frames left out)."""
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(type(error), error))
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, frame in enumerate(frames) if frame.filename == script_name), len(frames))
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames[first:])]
    return "".join(lines + traceback.format_exception_only(type(error), error))


def main() -> None:
    protocol: TextIO = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the script's prints: to stderr, never mixed with the protocol
    sys.stdout = sys.stderr = _Capped(sys.stderr)
    run = json.loads(sys.stdin.read())
    document_api = _load_document_module()

    def emit(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    script_name: str = run["script_name"]
    document = document_api.Document(
        run["document"],
        origin=run["origin"],
        stage=run["stage"],
        streams=run["streams"],
        api_version=run["api_version"],
    )
    log = document_api.Log(lambda entry: emit({"log": entry}))
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": __builtins__,
        "document": document,
        "log": log,
        "parameters": dict(run["parameters"]),
    }
    script: str = run["script"]
    linecache.cache[script_name] = (len(script), None, script.splitlines(True), script_name)

    timed_out = False

    def time_is_up(signum: int, frame: Any) -> None:
        nonlocal timed_out
        timed_out = True
        raise _TimedOut

    status, reason = "SUCCESS", None
    started = time.perf_counter()
    signal.signal(signal.SIGALRM, time_is_up)
    signal.setitimer(signal.ITIMER_REAL, float(run["timeout"]))
    try:
        exec(compile(script, script_name, "exec"), namespace)
    except _TimedOut:
        pass
    except document_api.Rejected as rejection:
        status, reason = "REJECTED", rejection.reason or None
    except BaseException as error:
        status, reason = "EXECUTION_ERROR", EXCEPTION_PREFIX + _script_traceback(error, script_name)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    duration = time.perf_counter() - started
    if timed_out:  # also when the script swallowed the signal
        status, reason = "TIMEOUT", f"The extension exceeded its execution time limit of {run['timeout']:g} s."
    elif status == "SUCCESS" and document.rejected:  # rejected, and the script caught the rejection
        status = "REJECTED"
    end: dict[str, Any] = {"status": status, "reason": reason, "duration": duration}
    if status in ("SUCCESS", "REJECTED"):  # a failed run's changes are never kept
        end["document"] = document.to_model()
    emit({"end": end})


if __name__ == "__main__":
    main()
