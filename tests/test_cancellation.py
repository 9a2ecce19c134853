"""A program cancelled by Pulumi's Python language host exits at once, without a KeyboardInterrupt traceback.

The language host runs the program as `python -u .../pulumi-language-python-exec ...` and, when a step
fails, sends it SIGINT and waits up to 5 s. These tests start a real process shaped like the exec script
(an event loop waiting on the engine, and a worker thread stuck in a call that is never answered, joined in a
`finally`), send it SIGINT, and read what a user would see.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pulumi_search_extensions._cancellation import exit_quietly_when_cancelled

PROGRAM = """\
import asyncio, signal, sys, threading
from concurrent.futures import ThreadPoolExecutor
{import_line}
executor = ThreadPoolExecutor(max_workers=1)
executor.submit(threading.Event().wait)  # a call to the engine that is never answered
loop = asyncio.new_event_loop()
{signal_line}
print("ready", flush=True)
try:
    loop.run_until_complete(asyncio.sleep(60))
finally:
    executor.shutdown(wait=True)  # what the exec script does
"""


# The kernel delivers a process-directed signal to any thread that does not block it: here, the worker.
TO_THE_WORKER = (
    "threading.Timer(0.3, signal.pthread_kill, (next(iter(executor._threads)).ident, signal.SIGINT)).start()"
)


def _start(tmp_path: Path, script_name: str, *, with_package: bool, signal_line: str = "") -> subprocess.Popen[str]:
    script = tmp_path / script_name
    import_line = "import pulumi_search_extensions" if with_package else ""
    script.write_text(PROGRAM.format(import_line=import_line, signal_line=signal_line))
    process = subprocess.Popen(
        [sys.executable, "-u", str(script), "--engine", "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def test_a_program_run_by_the_language_host_exits_at_once_on_sigint_without_a_traceback(tmp_path: Path) -> None:
    process = _start(tmp_path, "pulumi-language-python-exec", with_package=True)

    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)

    assert time.monotonic() - started < 2.0
    assert process.returncode == 1
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr


def test_it_exits_at_once_when_the_sigint_lands_in_a_worker_thread_while_the_main_thread_sleeps(
    tmp_path: Path,
) -> None:
    process = _start(tmp_path, "pulumi-language-python-exec", with_package=True, signal_line=TO_THE_WORKER)

    _, stderr = process.communicate(timeout=30)  # the main thread alone would sleep its 60 s

    assert process.returncode == 1
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr


def test_without_the_package_the_same_program_is_still_running_after_sigint_which_is_what_users_saw(
    tmp_path: Path,
) -> None:
    process = _start(tmp_path, "pulumi-language-python-exec", with_package=False)

    process.send_signal(signal.SIGINT)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=2)  # stuck in executor.shutdown(wait=True) until the language host kills it
    # What happens after a second SIGINT depends on where it lands (the join, or the atexit join of the worker
    # at interpreter shutdown), so the test stops here, the way the language host does after its 5 s wait.
    process.kill()
    process.communicate(timeout=10)


def test_a_program_not_run_by_the_language_host_keeps_pythons_sigint_behaviour(tmp_path: Path) -> None:
    # E.g. an Automation API program: it runs in the user's own process, which we never touch.
    process = _start(tmp_path, "my_deploy_script.py", with_package=True)

    process.send_signal(signal.SIGINT)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=2)
    process.kill()
    process.communicate(timeout=10)


def test_the_handler_is_not_installed_in_this_test_process() -> None:
    assert exit_quietly_when_cancelled() is False
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
