"""Fixtures shared by every test: the emulator as a real server process; the Pulumi stack fixtures
(`new_stack`, `pulumi_command`, `pulumi_env`) of `support.pulumi_fixtures`, registered here once."""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pulumi.dynamic.config import Config

from pulumi_search_extensions._settings import remember_stack_config
from support.stacks import TOOLS_BIN
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


def _host_beside_the_cli_or_on_path(name: str) -> Path | None:
    """`name` in the tools folder, else on PATH (where the CLI looks for a language host), or None."""
    for folder in (TOOLS_BIN, *(Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p)):
        if (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return folder / name
    return None


NO_NODEJS_HOST = (
    "needs Pulumi's Node.js language host (pulumi-language-nodejs) beside the CLI or on PATH: run "
    "`PULUMI_LANGUAGE_NODEJS_SRC=<its source folder> scripts/install-pulumi.sh` or put an official Pulumi "
    "install on PATH"
)
NO_GO_HOST = (
    "needs Pulumi's Go language host (pulumi-language-go) beside the CLI or on PATH: run "
    "`PULUMI_LANGUAGE_GO_SRC=<its source folder> scripts/install-pulumi.sh` or put an official Pulumi install on PATH"
)


@pytest.fixture(scope="session")
def nodejs_language_host() -> Path:
    """The Node.js language host that plain `pulumi` in a `runtime: nodejs` folder needs; skips without it."""
    return _found_or_skip(_host_beside_the_cli_or_on_path("pulumi-language-nodejs"), NO_NODEJS_HOST)


@pytest.fixture(scope="session")
def go_language_host() -> Path:
    """The Go language host that plain `pulumi` in a `runtime: go` folder needs; skips without it."""
    return _found_or_skip(_host_beside_the_cli_or_on_path("pulumi-language-go"), NO_GO_HOST)


def pytest_report_header() -> str:
    """Which Pulumi CLI the end-to-end tests drive (CI runs them with the pinned one and the newest)."""
    cli = TOOLS_BIN / "pulumi"
    if not os.access(cli, os.X_OK):
        return f"pulumi CLI: none in {TOOLS_BIN}"
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, check=False, timeout=60)
    return f"pulumi CLI: {version.stdout.strip() or version.stderr.strip()} ({cli})"


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
