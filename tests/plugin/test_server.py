"""`pulumi-resource-search-extensions`, the executable the engine starts: what it says when a person runs it."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

PLUGIN = Path(sys.executable).parent / "pulumi-resource-search-extensions"


def test_version_prints_the_package_version_and_serves_nothing() -> None:
    result = subprocess.run([str(PLUGIN), "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    version = importlib.metadata.version("pulumi-search-extensions")
    assert result.stdout == f"pulumi-resource-search-extensions {version}\n"


def test_run_by_hand_without_an_engine_address_it_says_the_engine_starts_it() -> None:
    result = subprocess.run([str(PLUGIN)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "the Pulumi engine starts it" in result.stderr
