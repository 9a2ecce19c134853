"""CoveoSourceExtensions: the extensions a Coveo source runs, in order (the public resource)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import pulumi
import pulumi.dynamic

from .._prepare import dynamic_props
from .source_extensions_provider import CoveoSourceExtensionsProvider
from .source_extensions_provider.schema import CoveoSourceExtensionsProperties

__all__ = [
    "CoveoAppliedExtensionArgs",
    "CoveoItemTypeExtensionsArgs",
    "CoveoSourceExtensions",
    "CoveoSourceExtensionsArgs",
]


@dataclass(kw_only=True)
class CoveoAppliedExtensionArgs:
    """One extension in a stage list of a source: which extension, on which items, and what to do on error.

    A plain dict with the same keys (`{"extension_id": ..., "condition": ...}`) works too.
    """

    extension_id: pulumi.Input[str]
    """The id of the extension to run, typically `CoveoExtension.extension_id` (which also makes `destroy`
    unwire the source before deleting the extension)."""

    condition: pulumi.Input[str] | None = None
    """Which items the extension runs on, in Coveo's condition syntax (`%[field]`, `==`, `NOT`, `AND`, `OR`,
    parentheses, quoted values, lists such as `%[lang] == ['en', 'fr']`). Checked at preview. Defaults to `""`:
    every item."""

    parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Text parameters passed to the script as `parameters`. Defaults to none."""

    action_on_error: pulumi.Input[str] | None = None
    """What happens to an item when the extension fails: `SKIP_EXTENSION` (the default: the item goes on as if
    the extension had not run) or `REJECT_DOCUMENT` (the item is not indexed)."""

    version_id: pulumi.Input[str] | None = None
    """Pins a version of the extension's script (e.g. `CoveoExtension.version_id`). Without it the source runs
    the latest version, so a script change needs no change here."""


AppliedExtensionInput = CoveoAppliedExtensionArgs | Mapping[str, Any]
"""A `CoveoAppliedExtensionArgs`, or a dict with the same keys."""


@dataclass(kw_only=True)
class CoveoItemTypeExtensionsArgs:
    """The extensions applied to one item type only (the map's `items`), in order, per stage.

    A plain dict with the same keys works too.
    """

    pre_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None
    """Extensions run before conversion, in order."""

    post_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None
    """Extensions run after conversion, in order."""


ItemTypeExtensionsInput = CoveoItemTypeExtensionsArgs | Mapping[str, Any]
"""A `CoveoItemTypeExtensionsArgs`, or a dict with the same keys."""


@dataclass(kw_only=True)
class CoveoSourceExtensionsArgs:
    """The arguments of a CoveoSourceExtensions. Connection arguments left out fall back to stack config, then
    the environment, exactly as for CoveoExtension: `coveo:organizationId` / `COVEO_ORGANIZATION_ID`,
    `coveo:apiKey` / `COVEO_API_KEY`, `coveo:region` / `COVEO_REGION`, `coveo:host` / `COVEO_HOST`.
    """

    source_id: pulumi.Input[str]
    """The id of the source whose extension map this resource owns. Changing it moves the extensions: the old
    source is unwired first, then the new one wired."""

    pre_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None
    """Extensions run on every item before conversion, in this order. Defaults to none."""

    post_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None
    """Extensions run on every item after conversion, in this order. Defaults to none."""

    item_types: pulumi.Input[Mapping[str, pulumi.Input[ItemTypeExtensionsInput]]] | None = None
    """Extensions run only on items of one type (e.g. `Video`), keyed by item type. Defaults to none."""

    rebuild: pulumi.Input[bool] | None = None
    """Rebuild the source after each change this resource makes to its map (including unwiring at destroy), so
    that already indexed items go through the new pipeline. Defaults to false."""

    adopt: pulumi.Input[bool] | None = None
    """Take over a source that already runs extensions: the map it has at creation is recorded (output
    `previous_map`) and put back when the resource is destroyed. Without it, creating the resource on a source
    that runs extensions this program does not declare fails, so that nothing configured elsewhere is lost.
    Only acts at creation. Defaults to false."""

    allow_duplicates: pulumi.Input[bool] | None = None
    """Silence the warning printed when one stage list names the same extension twice (it then runs twice).
    Defaults to false."""

    organization_id: pulumi.Input[str] | None = None
    """The Coveo organization. Changing it means another source: the resource is replaced."""

    api_key: pulumi.Input[str] | None = None
    """An API key (or OAuth token) with the Sources View and Edit privileges. Always stored as a secret."""

    region: pulumi.Input[str] | None = None
    """The Coveo region whose platform URL to call: `us` (the default), `eu`, `au`, `ca` or `hipaa`."""

    host: pulumi.Input[str] | None = None
    """Any base URL to call instead of a region's: a per-organization admin host, or the emulator."""


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


class CoveoSourceExtensions(pulumi.dynamic.Resource, module="coveo", name="SourceExtensions"):
    """The extensions a Coveo source runs, in order: the resource owns the source's whole extension map.

    Feed `extension_id` from `CoveoExtension.extension_id`: Pulumi then wires the source after creating the
    extensions and, on `destroy`, unwires it before deleting them. Preview checks every condition without calling
    Coveo; refresh shows stages changed in the console as drift; a failed create leaves the source as it was.
    """

    @overload
    def __init__(
        self, resource_name: str, args: CoveoSourceExtensionsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        source_id: pulumi.Input[str],
        pre_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None,
        post_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = None,
        item_types: pulumi.Input[Mapping[str, pulumi.Input[ItemTypeExtensionsInput]]] | None = None,
        rebuild: pulumi.Input[bool] | None = None,
        adopt: pulumi.Input[bool] | None = None,
        allow_duplicates: pulumi.Input[bool] | None = None,
        organization_id: pulumi.Input[str] | None = None,
        api_key: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        host: pulumi.Input[str] | None = None,
    ) -> None: ...

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

    source_id: pulumi.Output[str]
    """The id of the source whose extension map this resource owns."""

    pre_conversion: pulumi.Output[list[dict[str, Any]]]
    """The pre-conversion extensions as Coveo stores them, in order: `{extension_id, condition, parameters,
    action_on_error}` plus `version_id` when pinned."""

    post_conversion: pulumi.Output[list[dict[str, Any]]]
    """The post-conversion extensions as Coveo stores them, in order (same shape as `pre_conversion`)."""

    item_types: pulumi.Output[dict[str, dict[str, list[dict[str, Any]]]]]
    """The per item type extensions as Coveo stores them: `{item_type: {pre_conversion, post_conversion}}`."""

    rebuild: pulumi.Output[bool]
    """Whether the source is rebuilt after each change."""

    adopt: pulumi.Output[bool]
    """Whether the source's existing map was recorded at creation (see `previous_map`)."""

    allow_duplicates: pulumi.Output[bool]
    """Whether an extension listed twice in one stage list is intended."""

    previous_map: pulumi.Output[dict[str, Any] | None]
    """With `adopt`: the source's extension map at creation (Source API shape), put back on destroy."""

    organization_id: pulumi.Output[str]
    """The organization the source lives in."""

    host: pulumi.Output[str]
    """The base URL the source is managed through (from `host`, or the region's platform URL)."""

    region: pulumi.Output[str | None]
    """The region as given, if any."""

    api_key: pulumi.Output[str | None]
    """The API key, only when it was given as an argument; always a secret."""
