"""The pytest file an example keeps for its script (`examples/coveo-script-file/test_word_count.py`) passes,
run the way a user runs it: `pytest` on that folder, in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "coveo-script-file"


def test_the_coveo_script_file_examples_pytest_file_passes() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "test_word_count.py")],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
