"""CoveoExtension: a Coveo indexing pipeline extension managed by Pulumi (the public resource)."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.dynamic

from .._prepare import dynamic_props
from . import stages
from .extension_provider import CoveoExtensionProvider
from .extension_provider.schema import CoveoExtensionArgs, CoveoExtensionOutputs, CoveoExtensionProperties
from .extension_tests import plain_tests

__all__ = ["CoveoExtension", "CoveoExtensionArgs"]


class CoveoExtension(pulumi.dynamic.Resource, CoveoExtensionOutputs, module="coveo", name="Extension"):
    """A Coveo indexing pipeline extension: its script, settings and state, managed by Pulumi.

    Preview validates the script and settings without calling Coveo; refresh shows edits made in the console or
    by the service (e.g. auto-disabling) as drift; a failed create leaves nothing behind.
    """

    def __init__(
        self,
        resource_name: str,
        args: CoveoExtensionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declares the extension.

        Args:
            resource_name: the Pulumi name of the resource; also the extension's name unless `name` is given.
            args: the arguments (see `CoveoExtensionArgs`), or give the same fields as keyword arguments.
            opts: options of the resource.
        """
        if args is None:
            args = CoveoExtensionArgs(**kwargs)
        elif kwargs:
            raise TypeError("give either a CoveoExtensionArgs or keyword arguments, not both")
        props, secret_outputs = dynamic_props(CoveoExtensionProperties, resource_name, args)
        props["tests"] = plain_tests(props["tests"])
        super().__init__(
            CoveoExtensionProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret_outputs)
        )
        stages.remember(self.id, resource_name, args.required_data_streams)

    # The resource's id rather than the output of that name (see below).
    @property
    def extension_id(self) -> pulumi.Output[str]:  # type: ignore[override]
        """The extension's id in Coveo (`<organizationId>-<26 characters>`); never changes.

        The resource id itself rather than the `extension_id` output: the id stays known at preview
        while an in-place update is planned, so resources that use it see no change.
        """
        return self.id
