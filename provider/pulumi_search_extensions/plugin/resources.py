"""What the plugin serves: each resource's type token, its operations and its typed models, in one table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._provider import Operations
from ..coveo import extension as coveo_extension
from ..coveo import extension_tests as coveo_extension_tests
from ..coveo import source_extensions as coveo_source_extensions
from ..coveo.extension_provider import CoveoExtensionProvider
from ..coveo.extension_provider import schema as coveo_extension_schema
from ..coveo.source_extensions_provider import CoveoSourceExtensionsProvider
from ..coveo.source_extensions_provider import schema as coveo_source_extensions_schema
from ..elastic import extension as elastic_extension
from ..elastic.extension_provider import schema as elastic_extension_schema
from ..elastic.extension_provider.provider import ElasticExtensionProvider

PACKAGE = "search-extensions"


@dataclass(frozen=True)
class PluginResource:
    """One resource of the plugin.

    Attributes:
        token: the type token programs use (`search-extensions:coveo:Extension`).
        operations: the same check / diff / create / read / update / delete as the dynamic resource.
        properties: the typed model of its properties (a `<Resource>Properties` dataclass).
        args: the dynamic resource's `*Args` class: which properties are arguments, their docs.
        resource: the dynamic resource class: its description and the docs of the outputs.
    """

    token: str
    operations: Operations
    properties: type
    args: type
    resource: type


RESOURCES: dict[str, PluginResource] = {
    resource.token: resource
    for resource in (
        PluginResource(
            f"{PACKAGE}:coveo:Extension",
            CoveoExtensionProvider.operations,
            coveo_extension_schema.CoveoExtensionProperties,
            coveo_extension.CoveoExtensionArgs,
            coveo_extension.CoveoExtension,
        ),
        PluginResource(
            f"{PACKAGE}:coveo:SourceExtensions",
            CoveoSourceExtensionsProvider.operations,
            coveo_source_extensions_schema.CoveoSourceExtensionsProperties,
            coveo_source_extensions.CoveoSourceExtensionsArgs,
            coveo_source_extensions.CoveoSourceExtensions,
        ),
        PluginResource(
            f"{PACKAGE}:elastic:Extension",
            ElasticExtensionProvider.operations,
            elastic_extension_schema.ElasticExtensionProperties,
            elastic_extension.ElasticExtensionArgs,
            elastic_extension.ElasticExtension,
        ),
    )
}

OBJECT_TYPES: dict[type, tuple[str, type]] = {
    coveo_source_extensions_schema.CoveoAppliedExtensionProperties: (
        f"{PACKAGE}:coveo:AppliedExtension",
        coveo_source_extensions.CoveoAppliedExtensionArgs,
    ),
    coveo_source_extensions_schema.CoveoItemTypeExtensionsProperties: (
        f"{PACKAGE}:coveo:ItemTypeExtensions",
        coveo_source_extensions.CoveoItemTypeExtensionsArgs,
    ),
    coveo_extension_schema.CoveoExtensionUseProperties: (
        f"{PACKAGE}:coveo:ExtensionUse",
        coveo_extension_schema.CoveoExtensionUseProperties,
    ),
    coveo_extension_schema.CoveoExtensionTestProperties: (
        f"{PACKAGE}:coveo:ExtensionTest",
        coveo_extension_tests.CoveoExtensionTestArgs,
    ),
    coveo_extension_schema.CoveoExtensionExpectationProperties: (
        f"{PACKAGE}:coveo:ExtensionExpectation",
        coveo_extension_tests.CoveoExtensionExpectationArgs,
    ),
}
"""The typed models of nested objects: their type token, and the class whose fields document them."""


def resource_for(token: str) -> PluginResource:
    """The resource of a type token; a clear error for a token the plugin does not serve."""
    try:
        return RESOURCES[token]
    except KeyError:
        served = ", ".join(RESOURCES)
        raise ValueError(f"{token}: not a resource of the {PACKAGE} plugin (it serves {served})") from None


Json = dict[str, Any]
