"""`_inflight`: a provider process's operations in flight, readable by another process (`recover`) by pid."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from pulumi_search_extensions._inflight import counted, in_flight


def test_operations_in_flight_are_counted_while_they_run_and_the_file_goes_when_none_is() -> None:
    started, release = threading.Event(), threading.Event()

    @counted
    def slow_call() -> str:
        started.set()
        release.wait(10)
        return "done"

    worker = threading.Thread(target=slow_call)
    worker.start()
    started.wait(10)
    # Read from another process, as `recover` reads it.
    probe = [
        sys.executable,
        "-c",
        f"from pulumi_search_extensions._inflight import in_flight; print(in_flight({os.getpid()}))",
    ]
    assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == "1"
    release.set()
    worker.join(10)
    assert in_flight(os.getpid()) == 0


def test_a_failing_operation_is_no_longer_in_flight() -> None:
    @counted
    def refused() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refused()
    assert in_flight(os.getpid()) == 0
