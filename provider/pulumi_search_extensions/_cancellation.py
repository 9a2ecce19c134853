"""A Pulumi program stopped by its language host exits at once, without a traceback and without a 5 s wait.

With plain `pulumi` (not the Automation API), the Python language host runs the program as a child process
(`pulumi-language-python-exec`). When a step fails, the engine cancels the program: the language host sends
it SIGINT and waits up to 5 s (`cmd.WaitDelay`) before killing it, and the engine also interrupts the
language host's process group when it closes the plugin. Python turns the first SIGINT into a
`KeyboardInterrupt` in the event loop; the exec script's `finally: executor.shutdown(wait=True)` then waits
for a worker thread that is still blocked in a call the engine will never answer, until the next SIGINT
(a second `KeyboardInterrupt` traceback) or the kill. Users see two tracebacks and about 5 s of waiting
after every failed preview or up, whatever the provider (docs/TROUBLESHOOTING.md has a reproduction that
uses no code of ours).

Nothing is left for the program to do once it is cancelled (the engine writes the state, not the program),
so the program process exits on that SIGINT. The kernel may deliver the signal to any thread (a gRPC or
worker thread) while the main thread sleeps in the event loop's `epoll`, which the signal then does not
wake, so a Python-level handler alone could run seconds later: a watcher thread reads the signal wake-up fd
(written by the interpreter's C handler in whichever thread got the signal) and exits at once.

Only in that process, only from its main thread, and only when SIGINT still has Python's default handler: a
program that installs its own keeps it, and a program run by the Automation API (in the user's own process)
is never touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from types import FrameType

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
