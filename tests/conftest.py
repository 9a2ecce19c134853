"""Fixtures shared by every test: the emulator as a real server process; the Pulumi stack fixtures
(`new_stack`, `pulumi_command`, `pulumi_env`) of `support.pulumi_fixtures`, registered here once."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pulumi.dynamic.config import Config

from pulumi_search_extensions._settings import remember_stack_config
from support.toolchain import YAML_HOST_HINT, find_language_host, find_yaml_host

pytest_plugins = ("support.pulumi_fixtures",)

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorHandle]:
    """One emulator process for the whole session, on a free loopback port."""
    from pulumi_search_extensions.emulator import run_emulator

    with run_emulator() as handle:
        yield handle


TOOLS_BIN = Path(__file__).resolve().parents[1] / ".tools" / "bin"

NO_LANGUAGE_HOST = (
    "needs Pulumi's Python language host (pulumi-language-python) beside the CLI: run "
    "`PULUMI_LANGUAGE_PYTHON_SRC=<its source folder> scripts/install-pulumi.sh` or put an official Pulumi "
    "install on PATH (README, Troubleshooting); the Automation API tests cover the same programs"
)
"""Why a test that types plain `pulumi` commands in a folder skips: the one optional tool it needs."""


def _found_or_skip(host: Path | None, why: str) -> Path:
    if host is None:
        pytest.skip(why)
    return host


@pytest.fixture(scope="session")
def language_host() -> Path:
    """The Python language host that plain `pulumi` in a `runtime: python` folder needs; skips without it."""
    return _found_or_skip(find_language_host(TOOLS_BIN), NO_LANGUAGE_HOST)


NO_YAML_HOST = f"needs Pulumi's YAML language host (pulumi-language-yaml) beside the CLI or on PATH: {YAML_HOST_HINT}"
"""Why a test of a `runtime: yaml` program skips: the one optional tool it needs."""


@pytest.fixture(scope="session")
def yaml_language_host() -> Path:
    """The YAML language host that plain `pulumi` in a `runtime: yaml` folder needs; skips without it."""
    return _found_or_skip(find_yaml_host(TOOLS_BIN), NO_YAML_HOST)


@pytest.fixture
def clean_emulator(emulator: EmulatorHandle) -> EmulatorHandle:
    """The session emulator with no extension, source, deployment, fault rule or logged request."""
    emulator.admin.reset()
    return emulator


VENDOR_ENVIRONMENT_PREFIXES = ("COVEO_", "EC_")
"""The providers read their connection settings from these variables; a developer's own must never leak in."""


@pytest.fixture(autouse=True)
def no_ambient_connection(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No COVEO_* or EC_* variable of the machine, and no stack config of another test, reaches a test.

    The CLI and the provider processes of the end-to-end tests inherit this environment too.
    """
    for name in list(os.environ):
        if name.startswith(VENDOR_ENVIRONMENT_PREFIXES):
            monkeypatch.delenv(name)
    remember_stack_config(Config({}, "tests"))
    yield
    remember_stack_config(Config({}, "tests"))


@pytest.fixture(autouse=True)
def fresh_provider_process() -> Iterator[None]:
    """Each test calls the providers as a new provider process would: no remote id claimed yet.

    The providers remember, per process, which ids the resources of a run hold (`_create.REGISTRY`);
    tests that call them in this process would otherwise see each other's ids.
    """
    from pulumi_search_extensions._create import REGISTRY

    REGISTRY.forget_all()
    yield
    REGISTRY.forget_all()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Collects garbage before pytest formats a failure, so one failing test cannot abort the session.

    A failed Automation API run leaves coroutines that report "Exception ignored" when collected, which
    formats a traceback and parses source with `ast`. Should that collection happen while pytest parses a
    test file to report a failed assertion, CPython 3.11.7 (gh-106905, fixed in 3.11.8) raises
    "SystemError: AST constructor recursion depth mismatch" and pytest stops the whole session.
    """
    if call.excinfo is not None:
        gc.collect()
    yield
