"""What the package is made of: only public names of the Pulumi SDK, so any SDK release of the range works."""

from __future__ import annotations

import ast
from pathlib import Path

import pulumi_search_extensions

PACKAGE_DIR = Path(pulumi_search_extensions.__file__).resolve().parent


def _private_sdk_imports(source: str) -> list[str]:
    """`pulumi...` imports whose module path or imported name starts with `_` (the SDK's private API)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules, names = [node.module], [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] != "pulumi":
                continue
            if any(part.startswith("_") for part in parts) or any(name.startswith("_") for name in names):
                found.append(f"{module}: {', '.join(names) or module}")
    return found


def test_the_check_finds_a_private_sdk_import() -> None:
    assert _private_sdk_imports("from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS\n")
    assert _private_sdk_imports("from pulumi.runtime import _x\n")
    assert not _private_sdk_imports("from pulumi.dynamic import Resource\nfrom ._http import ApiError\n")


def test_no_module_of_the_package_imports_a_private_name_of_the_pulumi_sdk() -> None:
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): found
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (found := _private_sdk_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
