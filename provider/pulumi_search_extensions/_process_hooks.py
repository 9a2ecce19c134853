"""The process-level hooks of this package, in one place: how a cancelled program and our errors reach the user.

Each is installed only in the process that needs it, once our code runs there (never on `import`), and each is
kept because a test shows the problem it fixes with the pinned CLI (v3.259.0) and SDK:

- `exit_quietly_when_cancelled()`: a Pulumi program run by the Python language host exits at once on its
  SIGINT, without a `KeyboardInterrupt` traceback and without a 5 s wait. Installed when the program declares
  one of our dynamic resources (`OperationsProvider.__init__`). Needed: tests/e2e/test_failure_messages.py
  (a program without it still shows the traceback or the wait), tests/test_process_hooks.py (how).
- `short_errors_in_provider_host()`: the dynamic provider host (`python -m pulumi.dynamic`) reports this
  package's errors as `Type: message` instead of a traceback. Installed by `OperationsProvider.configure`, the
  first call that host makes. Needed: tests/e2e/test_bad_input.py (wrong credentials: no stack trace).

`short_message` is the same rule for the provider plugin, whose server wraps its own RPCs (plugin/server.py).

**Why the SIGINT hook.** With plain `pulumi` (not the Automation API), the Python language host runs the
program as a child process (`pulumi-language-python-exec`). When a step fails, the engine cancels the program:
the language host sends it SIGINT and waits up to 5 s (`cmd.WaitDelay`) before killing it, and the engine also
interrupts the language host's process group when it closes the plugin. Python turns the first SIGINT into a
`KeyboardInterrupt` in the event loop; the exec script's `finally: executor.shutdown(wait=True)` then waits for
a worker thread that is still blocked in a call the engine will never answer, until the next SIGINT (a second
`KeyboardInterrupt` traceback) or the kill. Users see two tracebacks or about 5 s of waiting after every
failed preview or up, whatever the provider (docs/TROUBLESHOOTING.md has a reproduction that uses no code of
ours).

Nothing is left for the program to do once it is cancelled (the engine writes the state, not the program), so
the program process exits on that SIGINT. The kernel may deliver the signal to any thread (a gRPC or worker
thread) while the main thread sleeps in the event loop's `epoll`, which the signal then does not wake, so a
Python-level handler alone could run seconds later: a watcher thread reads the signal wake-up fd (written by the
interpreter's C handler in whichever thread got the signal) and exits at once.

Only in that process, only from its main thread, and only when SIGINT still has Python's default handler: a
program that installs its own keeps it, and a program run by the Automation API (in the user's own process) is
never touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from types import FrameType, SimpleNamespace

_PACKAGE = __name__.rsplit(".", 1)[0]

# -- a program cancelled by the language host ---------------------------------------------------------------

LANGUAGE_HOST_EXEC = "pulumi-language-python-exec"
CANCELLED_EXIT_CODE = 1  # the engine has already reported the failure; the code only says "did not finish"


def _exit_now(_signum: int, _frame: FrameType | None) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe: nothing more to say
            stream.flush()
    os._exit(CANCELLED_EXIT_CODE)


def run_by_language_host() -> bool:
    """Whether this process is a Pulumi program started by the Python language host.

    `sys.argv` is the program's by then (the exec script replaces it): the interpreter's own command line
    (`python -u .../pulumi-language-python-exec ...`) says who started the process.
    """
    return any(os.path.basename(arg) == LANGUAGE_HOST_EXEC for arg in sys.orig_argv[:4])


def _exit_on_wakeup(read_fd: int) -> None:
    while True:
        try:
            received = os.read(read_fd, 512)
        except InterruptedError:
            continue
        if not received or signal.SIGINT in received:
            _exit_now(signal.SIGINT, None)


def exit_quietly_when_cancelled() -> bool:
    """Makes SIGINT end the program process at once; returns whether the handler was installed."""
    if not run_by_language_host() or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return False
    signal.signal(signal.SIGINT, _exit_now)
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)  # the interpreter's C handler must never block on it
    previous = signal.set_wakeup_fd(write_fd)
    if previous != -1:  # someone else's wake-up fd (an event loop's): theirs stays, the handler alone acts
        signal.set_wakeup_fd(previous)
        os.close(read_fd)
        os.close(write_fd)
        return True
    threading.Thread(target=_exit_on_wakeup, args=(read_fd,), name="exit-on-sigint", daemon=True).start()
    return True


# -- our errors, as their message ---------------------------------------------------------------------------


def short_message(error: BaseException | None) -> str | None:
    """`Type: message` for this package's own exceptions, which already say what happened and what to do;
    None for anything else (a bug keeps its traceback)."""
    if error is not None and type(error).__module__.startswith(_PACKAGE + "."):
        return f"{type(error).__name__}: {error}"
    return None


def format_exc() -> str:
    """`traceback.format_exc()`, shortened to `Type: message` for this package's own exceptions."""
    return short_message(sys.exc_info()[1]) or traceback.format_exc()


def short_errors_in_provider_host() -> None:
    """Makes the dynamic provider host report this package's errors by message only.

    The host reports any exception with `traceback.format_exc()`, so a wrong API key would print twenty lines
    of our internals above the one line that says what to fix. Does nothing outside that host (in a user's
    program `__main__` is theirs to keep).
    """
    host = sys.modules.get("__main__")
    spec = getattr(host, "__spec__", None)
    if host is None or getattr(spec, "name", None) != "pulumi.dynamic.__main__":
        return
    if getattr(getattr(host, "traceback", None), "format_exc", None) is format_exc:
        return
    # A stand-in for the host's `traceback` module: the host only calls format_exc.
    host.traceback = SimpleNamespace(**{**vars(traceback), "format_exc": format_exc})  # type: ignore[attr-defined]
