"""The extension map in its two forms: declared (snake_case, defaults spelled out) and the Source API's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import pulumi

from ..._inputs import is_unknown
from ..._properties import names, prop, properties_model

STAGES = {"pre_conversion": "preConversionExtensions", "post_conversion": "postConversionExtensions"}
"""The two stage lists: our property name -> the Source API's name."""

ACTIONS_ON_ERROR = ("SKIP_EXTENSION", "REJECT_DOCUMENT")
DEFAULT_ACTION_ON_ERROR = "SKIP_EXTENSION"


@dataclass(frozen=True)
class CoveoAppliedExtensionProperties:
    """One entry of a stage list: an extension the source runs, and how."""

    extension_id: str = field(metadata=prop())
    condition: str = field(metadata=prop(default=""))
    parameters: dict[str, str] = field(metadata=prop(default={}))
    action_on_error: str = field(metadata=prop(default=DEFAULT_ACTION_ON_ERROR))
    version_id: str | None = field(metadata=prop())


@dataclass(frozen=True)
class CoveoItemTypeExtensionsProperties:
    """The stage lists of one item type (the map's `items`)."""

    pre_conversion: list[CoveoAppliedExtensionProperties] = field(metadata=prop(default=[]))
    post_conversion: list[CoveoAppliedExtensionProperties] = field(metadata=prop(default=[]))


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

    source_id: pulumi.Input[str] = field(metadata=prop(kept=True, replaces=True))
    """The id of the source whose extension map this resource owns. Changing it moves the extensions: the old
    source is unwired first, then the new one wired."""

    pre_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = field(
        default=None, metadata=prop(declared=True, default=[])
    )
    """Extensions run on every item before conversion, in this order. Defaults to none."""

    post_conversion: pulumi.Input[Sequence[pulumi.Input[AppliedExtensionInput]]] | None = field(
        default=None, metadata=prop(declared=True, default=[])
    )
    """Extensions run on every item after conversion, in this order. Defaults to none."""

    item_types: pulumi.Input[Mapping[str, pulumi.Input[ItemTypeExtensionsInput]]] | None = field(
        default=None, metadata=prop(declared=True, default={})
    )
    """Extensions run only on items of one type (e.g. `Video`), keyed by item type. Defaults to none."""

    rebuild: pulumi.Input[bool] | None = field(default=None, metadata=prop(kept=True, default=False))
    """Rebuild the source after each change this resource makes to its map (including unwiring at destroy), so
    that already indexed items go through the new pipeline. Defaults to false."""

    adopt: pulumi.Input[bool] | None = field(default=None, metadata=prop(kept=True, default=False))
    """Take over a source that already runs extensions: the map it has at creation is recorded (output
    `previous_map`) and put back when the resource is destroyed. Without it, creating the resource on a source
    that runs extensions this program does not declare fails, so that nothing configured elsewhere is lost.
    Only acts at creation. Defaults to false."""

    allow_duplicates: pulumi.Input[bool] | None = field(default=None, metadata=prop(kept=True, default=False))
    """Silence the warning printed when one stage list names the same extension twice (it then runs twice).
    Defaults to false."""

    organization_id: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, replaces=True))
    """The Coveo organization. Changing it means another source: the resource is replaced."""

    api_key: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, credential=True, secret=True))
    """An API key (or OAuth token) with the Sources View and Edit privileges. Always stored as a secret."""

    region: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True))
    """The Coveo region whose platform URL to call: `us` (the default), `eu`, `au`, `ca` or `hipaa`."""

    host: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, replaces=True))
    """Any base URL to call instead of a region's: a per-organization admin host, or the emulator."""


class CoveoSourceExtensionsOutputs:
    """The outputs of a CoveoSourceExtensions, in the order of its properties. With `CoveoSourceExtensionsArgs`,
    the one declaration of the resource (type, doc and kind of each property)."""

    source_id: pulumi.Output[str]
    """The id of the source whose extension map this resource owns."""

    pre_conversion: Annotated[pulumi.Output[list[dict[str, Any]]], list[CoveoAppliedExtensionProperties]]
    """The pre-conversion extensions as Coveo stores them, in order: `{extension_id, condition, parameters,
    action_on_error}` plus `version_id` when pinned."""

    post_conversion: Annotated[pulumi.Output[list[dict[str, Any]]], list[CoveoAppliedExtensionProperties]]
    """The post-conversion extensions as Coveo stores them, in order (same shape as `pre_conversion`)."""

    item_types: Annotated[
        pulumi.Output[dict[str, dict[str, list[dict[str, Any]]]]], dict[str, CoveoItemTypeExtensionsProperties]
    ]
    """The per item type extensions as Coveo stores them: `{item_type: {pre_conversion, post_conversion}}`."""

    rebuild: pulumi.Output[bool]
    """Whether the source is rebuilt after each change."""

    adopt: pulumi.Output[bool]
    """Whether the source's existing map was recorded at creation (see `previous_map`)."""

    allow_duplicates: pulumi.Output[bool]
    """Whether an extension listed twice in one stage list is intended."""

    organization_id: pulumi.Output[str]
    """The organization the source lives in."""

    host: pulumi.Output[str]
    """The base URL the source is managed through (from `host`, or the region's platform URL)."""

    region: pulumi.Output[str | None]
    """The region as given, if any."""

    api_key: pulumi.Output[str | None]
    """The API key, only when it was given as an argument; always a secret."""

    previous_map: pulumi.Output[dict[str, Any] | None]
    """With `adopt`: the source's extension map at creation (Source API shape), put back on destroy."""


CoveoSourceExtensionsProperties = properties_model(
    "CoveoSourceExtensionsProperties", CoveoSourceExtensionsArgs, CoveoSourceExtensionsOutputs
)
"""Every property of a CoveoSourceExtensions, its plain type and kind (see `_properties.properties_model`)."""


ENTRY_FIELDS = names(CoveoAppliedExtensionProperties, lambda p: True)
"""The fields of a stage entry, `extension_id` first."""

UPDATE_FIELDS = names(CoveoSourceExtensionsProperties, lambda p: p.declared or p.credential)
"""In-place changes. A new `api_key` argument changes no remote field, but the stored outputs must follow it."""

SECRET_FIELDS = names(CoveoSourceExtensionsProperties, lambda p: p.secret)
"""Secrets in the state, in outputs as in inputs."""

REPLACE_FIELDS = names(CoveoSourceExtensionsProperties, lambda p: p.replaces)
"""Which map is managed: a change means another source's map."""

FLAG_FIELDS = names(CoveoSourceExtensionsProperties, lambda p: p.kept and isinstance(p.default, bool))
"""Instructions about how to apply the map, not part of it: never the cause of a diff."""

KEPT_FIELDS = names(CoveoSourceExtensionsProperties, lambda p: p.kept)
"""Inputs carried as they are from inputs to outputs (and back on refresh)."""

SOURCES_PRIVILEGE = "Sources - View and Edit"


def empty_map() -> dict[str, Any]:
    """The extension map of a source that runs no extension."""
    return {"common": {api: [] for api in STAGES.values()}, "items": {}}


def _normalized_stage_entry(entry: Any) -> Any:
    """A checked stage entry with the defaults filled in (`version_id` only when pinned); unknowns kept."""
    if not isinstance(entry, Mapping):
        return entry
    normalized: dict[str, Any] = {
        "extension_id": entry.get("extension_id"),
        "condition": entry.get("condition") if entry.get("condition") is not None else "",
        "parameters": dict(entry["parameters"]) if isinstance(entry.get("parameters"), Mapping) else {},
        "action_on_error": entry.get("action_on_error") or DEFAULT_ACTION_ON_ERROR,
    }
    if is_unknown(entry.get("parameters")):
        normalized["parameters"] = entry["parameters"]
    version_id = entry.get("version_id")
    if version_id is not None and version_id != "":
        normalized["version_id"] = version_id
    return normalized


def normalized_stage_list(entries: Any) -> Any:
    if entries is None:
        return []
    if not isinstance(entries, (list, tuple)):
        return entries  # unknown at preview
    return [_normalized_stage_entry(entry) for entry in entries]


def normalized_item_types(item_types: Any) -> Any:
    """Per item type stage lists; item types with no extension at all are dropped (the service may echo them)."""
    if item_types is None:
        return {}
    if not isinstance(item_types, Mapping):
        return item_types
    normalized: dict[str, Any] = {}
    for item_type, group in item_types.items():
        if not isinstance(group, Mapping):
            normalized[item_type] = group
            continue
        stages = {stage: normalized_stage_list(group.get(stage)) for stage in STAGES}
        if any(value != [] for value in stages.values()):
            normalized[item_type] = stages
    return normalized


def _api_entry(entry: Mapping[str, Any], item_type: str | None) -> dict[str, Any]:
    api: dict[str, Any] = {
        "extensionId": entry["extension_id"],
        "parameters": dict(entry.get("parameters") or {}),
        "condition": entry.get("condition") or "",
        "actionOnError": entry.get("action_on_error") or DEFAULT_ACTION_ON_ERROR,
    }
    if entry.get("version_id"):
        api["versionId"] = entry["version_id"]
    if item_type is not None:
        api["itemType"] = item_type  # the spec: typically the key of the item type's configuration
    return api


def _api_group(group: Mapping[str, Any], item_type: str | None = None) -> dict[str, Any]:
    return {api: [_api_entry(entry, item_type) for entry in group.get(stage) or []] for stage, api in STAGES.items()}


def to_api_map(props: Mapping[str, Any]) -> dict[str, Any]:
    """The SourceExtensionsMap body for the declared (checked) properties."""
    return {
        "common": _api_group(props),
        "items": {
            item_type: _api_group(group, item_type) for item_type, group in (props.get("item_types") or {}).items()
        },
    }


def _declared_entry(api: Mapping[str, Any]) -> dict[str, Any]:
    parameters = api.get("parameters")
    declared: dict[str, Any] = _normalized_stage_entry(
        {
            "extension_id": api.get("extensionId"),
            "condition": api.get("condition") or "",
            "parameters": {str(k): str(v) for k, v in parameters.items()} if isinstance(parameters, Mapping) else {},
            "action_on_error": api.get("actionOnError") or DEFAULT_ACTION_ON_ERROR,
            "version_id": api.get("versionId"),
        }
    )
    return declared


def _declared_group(group: Any) -> dict[str, list[dict[str, Any]]]:
    group = group if isinstance(group, Mapping) else {}
    return {stage: [_declared_entry(entry) for entry in group.get(api) or []] for stage, api in STAGES.items()}


def from_api_map(extension_map: Mapping[str, Any]) -> dict[str, Any]:
    """The declared fields as the service stores them, normalized like `check` normalizes the program's."""
    declared: dict[str, Any] = _declared_group(extension_map.get("common"))
    items = extension_map.get("items")
    declared["item_types"] = normalized_item_types(
        {
            item_type: _declared_group(group)
            for item_type, group in (items if isinstance(items, Mapping) else {}).items()
        }
    )
    return declared


def applied_extension_ids(declared: Mapping[str, Any]) -> list[str]:
    """Every extension id in a declared-form map, in order (common stages first, then per item type)."""
    groups = [declared, *(declared.get("item_types") or {}).values()]
    return [entry["extension_id"] for group in groups for stage in STAGES for entry in group.get(stage) or []]


def outputs(props: Mapping[str, Any], extension_map: Mapping[str, Any], previous_map: Any) -> dict[str, Any]:
    """The kept inputs as given, the map as the service stores it, and the map recorded by `adopt`."""
    outs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    outs.update(from_api_map(extension_map))
    outs["previous_map"] = previous_map
    return outs


def source_id_of(id_: str, props: Mapping[str, Any]) -> str:
    """The id of the managed source: the declared `source_id`, else the resource id."""
    return str(props.get("source_id") or id_)


def describe_applied(declared: Mapping[str, Any]) -> str:
    ids = applied_extension_ids(declared)
    return f"{len(ids)} extension(s): {', '.join(ids)}"
