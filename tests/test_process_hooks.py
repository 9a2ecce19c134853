"""The process-level hooks: a cancelled program exits at once; our errors are reported by their message.

A program cancelled by Pulumi's Python language host exits at once, without a KeyboardInterrupt traceback.
The language host runs the program as `python -u .../pulumi-language-python-exec ...` and, when a step
fails, sends it SIGINT and waits up to 5 s. These tests start a real process shaped like the exec script
(an event loop waiting on the engine, and a worker thread stuck in a call that is never answered, joined in a
`finally`), send it SIGINT, and read what a user would see. That the problem is still there with the pinned
CLI, and that the hook fixes it for a real program, is shown by tests/e2e/test_failure_messages.py.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pulumi_search_extensions import CoveoExtensionError
from pulumi_search_extensions._http import ApiError
from pulumi_search_extensions._process_hooks import exit_quietly_when_cancelled, format_exc

PROGRAM = """\
import asyncio, signal, sys, threading
from concurrent.futures import ThreadPoolExecutor
{declaration}
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


# What declaring one of our resources does first (`CoveoExtension(...)` makes its provider), without an engine.
DECLARATION = (
    "from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider; CoveoExtensionProvider()"
)


def _start(tmp_path: Path, script_name: str, *, with_package: bool, signal_line: str = "") -> subprocess.Popen[str]:
    script = tmp_path / script_name
    declaration = DECLARATION if with_package else ""
    script.write_text(PROGRAM.format(declaration=declaration, signal_line=signal_line))
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


def test_importing_the_package_and_its_resources_without_declaring_one_installs_nothing(tmp_path: Path) -> None:
    script = tmp_path / "pulumi-language-python-exec"
    script.write_text(
        "import signal\n"
        "import pulumi_search_extensions\n"
        "from pulumi_search_extensions import CoveoExtension, CoveoSourceExtensions, ElasticExtension\n"
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, signal.set_wakeup_fd(-1))\n"
    )
    done = subprocess.run([sys.executable, "-u", str(script)], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["True", "-1"]


def test_the_handler_is_not_installed_in_this_test_process() -> None:
    assert exit_quietly_when_cancelled() is False
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- our errors, as their message (the dynamic provider host's `format_exc`) --------------------------------


def test_an_error_of_this_package_is_reported_as_its_type_and_message_only() -> None:
    try:
        raise CoveoExtensionError("api_key: the key was refused; give a key with the Extensions privilege")
    except CoveoExtensionError:
        reported = format_exc()
    assert reported == "CoveoExtensionError: api_key: the key was refused; give a key with the Extensions privilege"


def test_any_other_exception_keeps_its_traceback() -> None:
    try:
        {}["missing"]
    except KeyError:
        reported = format_exc()
    assert reported.startswith("Traceback (most recent call last)")
    assert "KeyError: 'missing'" in reported


def test_api_errors_are_ours_too() -> None:
    assert ApiError.__module__.startswith("pulumi_search_extensions.")
