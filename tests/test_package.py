"""What the package is made of: only public names of the Pulumi SDK, so any SDK release of the range works; and
providers that the state finds where they are defined."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from pulumi.dynamic.dynamic import serialize_provider

import pulumi_search_extensions
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from pulumi_search_extensions.coveo.source_extensions_provider import CoveoSourceExtensionsProvider
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider

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


def test_each_dynamic_provider_is_pickled_by_its_real_module_path_and_loads_in_a_new_process() -> None:
    """dill pickles the provider into every resource's state by reference to its class: the path written is
    the module the class is defined in (no alias kept for it), and a new process (the engine's provider host)
    loads it from there."""
    providers = (CoveoExtensionProvider, CoveoSourceExtensionsProvider, ElasticExtensionProvider)
    pickles = [serialize_provider(provider()) for provider in providers]
    loader = (
        "import base64, json, sys, dill\n"
        "loaded = [type(dill.loads(base64.b64decode(p))) for p in json.loads(sys.stdin.read())]\n"
        "print(json.dumps([[c.__module__, c.__name__, sys.modules[c.__module__].__file__] for c in loaded]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", loader], input=json.dumps(pickles), capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout)
    assert [[module, name] for module, name, _ in loaded] == [[p.__module__, p.__name__] for p in providers]
    for module, _, file in loaded:  # the operations' package, `<vendor>/<resource>_provider/provider.py`
        assert Path(file).name == "provider.py" and module.endswith("_provider.provider"), (module, file)
