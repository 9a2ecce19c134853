"""Reading a Pulumi state (`stack.export_stack().deployment`): which entries are our resources, secrets unwrapped."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270"
"""How `pulumi stack export` marks a secret: `{SECRET_SIG_KEY: SECRET_SIG_VALUE, "ciphertext" or "plaintext": ...}`."""

COVEO_EXTENSION = "coveo-extension"
ELASTIC_EXTENSION = "elastic-extension"
COVEO_SOURCE_EXTENSIONS = "coveo-source-extensions"


def is_secret(value: Any) -> bool:
    """Whether `value` is a Pulumi secret envelope as `pulumi stack export` writes it."""
    return isinstance(value, Mapping) and value.get(SECRET_SIG_KEY) == SECRET_SIG_VALUE


def without_secrets(value: Any) -> Any:
    """`value` with every Pulumi secret (ciphertext or decrypted plaintext) replaced by a placeholder."""
    if is_secret(value):
        return "[secret]"
    if isinstance(value, Mapping):
        return {key: without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def plain(value: Any) -> Any:
    """`value` with every secret envelope exported with `--show-secrets` replaced by its value."""
    if is_secret(value):
        if "plaintext" not in value:
            raise AssertionError("a secret is only available as ciphertext: compare a --show-secrets export")
        return plain(json.loads(value["plaintext"]))
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


PLUGIN_PREFIX = "search-extensions:"
PLUGIN_KINDS = {
    "search-extensions:coveo:Extension": COVEO_EXTENSION,
    "search-extensions:elastic:Extension": ELASTIC_EXTENSION,
    "search-extensions:coveo:SourceExtensions": COVEO_SOURCE_EXTENSIONS,
}
"""The provider plugin's type tokens: the same resources, with camelCase properties."""

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_outputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """A plugin resource's outputs under the dynamic resources' snake_case names (top level: what is compared)."""
    return {_CAMEL_BOUNDARY.sub("_", key).lower(): value for key, value in outputs.items()}


def kind_of(resource: Mapping[str, Any]) -> str | None:
    """Which of our resources a state entry is (by its type token, else by its outputs), or None."""
    token = str(resource.get("type", ""))
    if token.startswith(PLUGIN_PREFIX):
        return PLUGIN_KINDS.get(token)
    if not token.startswith("pulumi-python:dynamic"):
        return None
    outputs = resource.get("outputs") or {}
    if "source_id" in outputs or token.endswith("SourceExtensions"):
        return COVEO_SOURCE_EXTENSIONS
    if "extension_type" in outputs or "/elastic:" in token:
        return ELASTIC_EXTENSION
    if "content_sha256" in outputs or "/coveo:" in token:
        return COVEO_EXTENSION
    return None


def managed_resources(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Our resources in a `stack.export_stack().deployment`, each `{"kind", "name", "id", "outputs"}`.

    Outputs are unwrapped from their secret envelopes; resources pending deletion are included (they
    still exist remotely, and the engine will delete them).
    """
    found = []
    for resource in deployment.get("resources") or []:
        kind = kind_of(resource)
        if kind is None:
            continue
        found.append(
            {
                "kind": kind,
                "name": str(resource["urn"]).rsplit("::", 1)[-1],
                "id": resource.get("id"),
                "outputs": _outputs(resource),
                "delete": bool(resource.get("delete")),
            }
        )
    return found


def _outputs(resource: Mapping[str, Any]) -> dict[str, Any]:
    outputs = plain(resource.get("outputs") or {})
    return snake_outputs(outputs) if str(resource.get("type", "")).startswith(PLUGIN_PREFIX) else outputs


def resources_by_name(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """Our resources in the stack's state, by resource name (outputs unwrapped)."""
    return {r["name"]: r for r in managed_resources(stack.export_stack().deployment or {})}


def saved_state(stack: auto.Stack) -> dict[str, Any]:
    """The stack's state file as a file backend stores it: secrets as ciphertext (`export_stack()` decrypts them)."""
    backend = Path(urllib.parse.urlparse(stack.workspace.env_vars["PULUMI_BACKEND_URL"]).path)
    [state_file] = backend.glob(f".pulumi/stacks/*/{stack.name}.json")
    state: dict[str, Any] = json.loads(state_file.read_text())
    return state
