"""The Makefile's promises about what each target touches, read from `make -n` (nothing is run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def planned(*arguments: str) -> str:
    """The commands `make` would run, without running them."""
    if shutil.which("make") is None:
        pytest.fail("`make` is not installed: the README's commands need it")
    done = subprocess.run(["make", "-n", *arguments], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def test_clean_removes_build_output_only_never_state_passphrase_or_virtualenv() -> None:
    commands = planned("clean")
    assert "dist" in commands and "build" in commands
    for kept in (".pulumi-state", ".venv", ".tools", "passphrase", "Pulumi."):
        assert kept not in commands, commands


def test_the_demos_state_has_a_target_of_its_own_that_says_what_it_deletes() -> None:
    assert "scripts/demo.py clean-state" in planned("clean-demo-state")


def test_the_demos_ports_are_make_variables() -> None:
    commands = planned("demo", "DEMO_EMULATOR_PORT=19480", "DEMO_FILES_PORT=19481")
    assert "DEMO_EMULATOR_PORT=19480 DEMO_FILES_PORT=19481 .venv/bin/python scripts/demo.py up" in commands
    commands = planned("destroy", "DEMO_EMULATOR_PORT=19480")
    assert "DEMO_EMULATOR_PORT=19480 DEMO_FILES_PORT=18481 .venv/bin/python scripts/demo.py destroy" in commands
