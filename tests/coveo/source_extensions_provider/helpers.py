"""What the CoveoSourceExtensions tests share: a configured provider, valid inputs, the map the emulator stores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_search_extensions.coveo.source_extensions_provider import CoveoSourceExtensionsProvider
from support import providers
from support.providers import configured_provider, coveo_stack_config

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

SOURCE_EXTENSIONS = "/rest/organizations/{organizationId}/sources/{sourceId}/extensions"
EMPTY_MAP = {"common": {"preConversionExtensions": [], "postConversionExtensions": []}, "items": {}}


def configured(emulator: EmulatorHandle, **config: str) -> CoveoSourceExtensionsProvider:
    """A provider configured (stack config) for the emulator, with `config` on top."""
    return configured_provider(CoveoSourceExtensionsProvider, coveo_stack_config(emulator, **config))


def checked(provider: CoveoSourceExtensionsProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of `inputs` (fails the test on any check failure)."""
    return providers.checked(provider, inputs)


def check_reasons(provider: CoveoSourceExtensionsProvider, **inputs: Any) -> list[str]:
    """The reasons of every check failure of `inputs`."""
    return [failure.reason for failure in provider.check({}, inputs).failures]


def stored_map(emulator: EmulatorHandle, source_id: str) -> dict[str, Any]:
    """The extension map the emulator stores for a source of the main organization."""
    sources = emulator.admin.dump()["coveo"][emulator.coveo_organization_id]["sources"]
    [source] = [s for s in sources if s["id"] == source_id]
    extension_map: dict[str, Any] = source["extensions"]
    return extension_map


def ids(extension_map: dict[str, Any], stage: str = "preConversionExtensions") -> list[str]:
    """The extension ids of one common stage list, in order."""
    return [entry["extensionId"] for entry in extension_map.get("common", {}).get(stage, [])]
