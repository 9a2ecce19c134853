"""Programs that use the provider plugin's resources by type token, as any Pulumi language does, and the stack
config that points the plugin at the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from pulumi_search_extensions.plugin.config import plugin_key

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

COVEO_EXTENSION = "search-extensions:coveo:Extension"
COVEO_SOURCE_EXTENSIONS = "search-extensions:coveo:SourceExtensions"
ELASTIC_EXTENSION = "search-extensions:elastic:Extension"
SCRIPT = "document.add_meta_data({'cleaned': True})\n"


def plugin_stack_config(emulator: EmulatorHandle) -> tuple[dict[str, str], dict[str, str]]:
    """(plain, secret) config of the plugin (`search-extensions:coveoHost`, ...) pointing it at the emulator."""
    plain, secret = emulator.stack_config()
    return {plugin_key(k): v for k, v in plain.items()}, {plugin_key(k): v for k, v in secret.items()}


def resource(
    token: str, name: str, props: Mapping[str, Any], opts: pulumi.ResourceOptions | None = None
) -> pulumi.CustomResource:
    """A resource of the plugin, declared by token (camelCase properties, as in the schema)."""
    return pulumi.CustomResource(token, name, dict(props), opts)
