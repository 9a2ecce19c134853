"""Reading a Pulumi state (`stack.export_stack().deployment`): which entries are our resources, secrets unwrapped."""

from __future__ import annotations

import json
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


def kind_of(resource: Mapping[str, Any]) -> str | None:
    """Which of our resources a state entry is (by its type token, else by its outputs), or None."""
    token = str(resource.get("type", ""))
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
                "outputs": plain(resource.get("outputs") or {}),
                "delete": bool(resource.get("delete")),
            }
        )
    return found


def resources_by_name(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """Our resources in the stack's state, by resource name (outputs unwrapped)."""
    return {r["name"]: r for r in managed_resources(stack.export_stack().deployment or {})}


def saved_state(stack: auto.Stack) -> dict[str, Any]:
    """The stack's state file as a file backend stores it: secrets as ciphertext (`export_stack()` decrypts them)."""
    backend = Path(urllib.parse.urlparse(stack.workspace.env_vars["PULUMI_BACKEND_URL"]).path)
    [state_file] = backend.glob(f".pulumi/stacks/*/{stack.name}.json")
    state: dict[str, Any] = json.loads(state_file.read_text())
    return state
