"""CoveoSourceExtensions: the extensions a Coveo source runs, in order (the public resource)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from .._prepare import dynamic_props
from .source_extensions_provider import CoveoSourceExtensionsProvider
from .source_extensions_provider.schema import (
    CoveoAppliedExtensionArgs,
    CoveoItemTypeExtensionsArgs,
    CoveoSourceExtensionsArgs,
    CoveoSourceExtensionsOutputs,
    CoveoSourceExtensionsProperties,
)

__all__ = [
    "CoveoAppliedExtensionArgs",
    "CoveoItemTypeExtensionsArgs",
    "CoveoSourceExtensions",
    "CoveoSourceExtensionsArgs",
]


_ENTRY_NAMES = tuple(f.name for f in dataclasses.fields(CoveoAppliedExtensionArgs))
_GROUP_NAMES = tuple(f.name for f in dataclasses.fields(CoveoItemTypeExtensionsArgs))


def _plain(value: Any, names: tuple[str, ...]) -> Any:
    """An Args object as the dict the provider receives (unset fields left out); anything else unchanged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in names if getattr(value, name) is not None}
    return value


def _each(value: Any, convert: Any) -> Any:
    """`convert` applied to a list or dict given directly, or inside an Output once it resolves."""
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: _each(resolved, convert))
    if isinstance(value, Mapping):
        return {key: convert(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [convert(item) for item in value]
    return value  # the provider's check reports the wrong shape


def _entry(value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value.apply(_entry)
    return _plain(value, _ENTRY_NAMES)


def _stage_list(value: Any) -> Any:
    return _each(value, _entry)


def _group(value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value.apply(_group)
    group = _plain(value, _GROUP_NAMES)
    if isinstance(group, Mapping):
        return {key: _stage_list(item) if key in _GROUP_NAMES else item for key, item in group.items()}
    return group


class CoveoSourceExtensions(
    pulumi.dynamic.Resource, CoveoSourceExtensionsOutputs, module="coveo", name="SourceExtensions"
):
    """The extensions a Coveo source runs, in order: the resource owns the source's whole extension map.

    Feed `extension_id` from `CoveoExtension.extension_id`: Pulumi then wires the source after creating the
    extensions and, on `destroy`, unwires it before deleting them. Preview checks every condition without calling
    Coveo; refresh shows stages changed in the console as drift; a failed create leaves the source as it was.
    """

    def __init__(
        self,
        resource_name: str,
        args: CoveoSourceExtensionsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declares which extensions the source runs.

        Args:
            resource_name: the Pulumi name of the resource.
            args: the arguments (see `CoveoSourceExtensionsArgs`), or give the same fields as keyword arguments.
            opts: options of the resource.
        """
        if args is None:
            args = CoveoSourceExtensionsArgs(**kwargs)
        elif kwargs:
            raise TypeError("give either a CoveoSourceExtensionsArgs or keyword arguments, not both")
        props, secret_outputs = dynamic_props(CoveoSourceExtensionsProperties, resource_name, args)
        declared_pre_conversion, declared_item_types = props["pre_conversion"], props["item_types"]
        props["pre_conversion"] = _stage_list(props["pre_conversion"])
        props["post_conversion"] = _stage_list(props["post_conversion"])
        props["item_types"] = _each(props["item_types"], _group)
        super().__init__(
            CoveoSourceExtensionsProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, secret_outputs),
        )
        declared = {"pre_conversion": declared_pre_conversion, "item_types": declared_item_types}
        for message in CoveoSourceExtensionsProvider.operations.preview_warnings(
            declared
        ):  # as the plugin's check warns
            pulumi.log.warn(message, resource=self)
