"""The Python SDK of the plugin, generated from its schema by the real CLI, as a user would generate it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from .sdks import gen_sdk, language_plugins


@pytest.fixture(scope="session")
def python_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """`pulumi_search_extensions_sdk`: `pulumi package gen-sdk <plugin> --language python`, installed into a
    folder of its own (never into the project's environment) and imported from there."""
    root = tmp_path_factory.mktemp("python-sdk")
    (root / "sdk").mkdir()
    sdk = gen_sdk("python", root / "sdk", language_plugins("python", root / "build"), root / "home")
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(root / "site")]
    subprocess.run([*install, str(sdk)], check=True, capture_output=True, timeout=300)
    sys.path.insert(0, str(root / "site"))
    try:
        import pulumi_search_extensions_sdk

        yield pulumi_search_extensions_sdk
    finally:
        sys.path.remove(str(root / "site"))
