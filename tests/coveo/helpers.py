"""What the Coveo tests share beyond `tests/support`: a valid script, valid inputs, what the emulator stores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support import providers

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

SCRIPT = "document.add_meta_data({'cleaned': True})\n"


def checked(provider: CoveoExtensionProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a valid CoveoExtension with `inputs` on top (fails the test on any check failure)."""
    return providers.checked(provider, {"name": "cleaner", "content": SCRIPT, **inputs})


def stored_extensions(emulator: EmulatorHandle, organization_id: str | None = None) -> list[dict[str, Any]]:
    """The extensions the emulator holds for an organization (main one by default)."""
    organization = organization_id or emulator.coveo_organization_id
    state = emulator.admin.dump()["coveo"].get(organization, {})
    extensions: list[dict[str, Any]] = state.get("extensions", [])
    return extensions
