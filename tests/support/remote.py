"""What the emulated services hold, and calls to their APIs behind the providers' back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def coveo_extensions(emulator: EmulatorHandle, organization_id: str | None = None) -> list[dict[str, Any]]:
    """The Coveo extensions the emulator holds (camelCase, as the API shows them), main organization by default
    (none for an organization the emulator has not seen)."""
    org = organization_id or emulator.coveo_organization_id
    extensions: list[dict[str, Any]] = emulator.admin.dump()["coveo"].get(org, {}).get("extensions", [])
    return extensions


def elastic_extensions(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    """The Elastic extensions the emulator holds (with `deployments` and `file_sha256`)."""
    extensions: list[dict[str, Any]] = emulator.admin.dump()["elastic"]["extensions"]
    return extensions


def remote_extension_counts(emulator: EmulatorHandle) -> dict[str, int]:
    """How many extensions the emulator holds: per Coveo organization, and `elastic`."""
    dump = emulator.admin.dump()
    counts = {org: len(state["extensions"]) for org, state in dump["coveo"].items()}
    counts["elastic"] = len(dump["elastic"]["extensions"])
    return counts


def coveo_api(
    emulator: EmulatorHandle,
    method: str,
    path: str,
    *,
    key: str | None = None,
    organization_id: str | None = None,
    **kwargs: Any,
) -> Any:
    """Calls the emulated Coveo API (`path` after `/rest/organizations/{org}`), main organization by default
    (none for an organization the emulator has not seen).

    With `organization_id` and no `key`, the other organization's key is used for the other organization.
    """
    org = organization_id or emulator.coveo_organization_id
    if key is None:
        key = emulator.coveo_other_api_key if org == emulator.coveo_other_organization_id else emulator.coveo_api_key
    response = requests.request(
        method,
        f"{emulator.url}/rest/organizations/{org}{path}",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
        **kwargs,
    )
    assert response.ok, f"Coveo {method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def elastic_api(emulator: EmulatorHandle, method: str, path: str, **kwargs: Any) -> Any:
    """Calls the emulated Elastic Cloud API (`path` after `/api/v1/deployments/extensions`)."""
    response = requests.request(
        method,
        f"{emulator.url}/api/v1/deployments/extensions{path}",
        headers={"Authorization": f"ApiKey {emulator.elastic_api_key}", **kwargs.pop("headers", {})},
        timeout=30,
        **kwargs,
    )
    assert response.ok, f"Elastic {method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None
