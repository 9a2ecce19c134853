"""`ElasticExtension`: an Elastic Cloud (or ECE) custom plugin or bundle, managed from a Pulumi program."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._prepare import dynamic_props
from .extension_provider.provider import ElasticExtensionProvider
from .extension_provider.schema import (
    ElasticExtensionArgs,
    ElasticExtensionOutputs,
    ElasticExtensionProperties,
    default_extension_name,
)

__all__ = ["ElasticExtension", "ElasticExtensionArgs", "default_extension_name"]


class ElasticExtension(Resource, ElasticExtensionOutputs, module="elastic", name="Extension"):
    """An Elastic Cloud custom extension (a plugin or a bundle), its metadata and its zip file.

    Reference it from a deployment plan through `url`. Connection settings not given as arguments come
    from stack config (`ec:*`, the keys of Elastic's Pulumi provider) or the `EC_*` environment variables.
    """

    def __init__(
        self,
        resource_name: str,
        args: ElasticExtensionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declares the extension.

        Args:
            resource_name: the Pulumi name of the resource (also the default extension `name`).
            args: the arguments; or give the same fields as keyword arguments instead.
            opts: options for the resource.
        """
        if args is not None and kwargs:
            raise TypeError("give either an ElasticExtensionArgs or keyword arguments, not both")
        resolved = args if args is not None else ElasticExtensionArgs(**kwargs)
        props, secret_opts = dynamic_props(ElasticExtensionProperties, resource_name, resolved)
        super().__init__(
            ElasticExtensionProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret_opts)
        )
        for message in ElasticExtensionProvider.operations.preview_warnings(props):  # as the plugin's check warns
            pulumi.log.warn(message, resource=self)
