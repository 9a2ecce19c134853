"""The extension map in its two forms: declared (snake_case, defaults spelled out) and the Source API's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._inputs import is_unknown
from ..._properties import names, prop

STAGES = {"pre_conversion": "preConversionExtensions", "post_conversion": "postConversionExtensions"}
"""The two stage lists: our property name -> the Source API's name."""

ACTIONS_ON_ERROR = ("SKIP_EXTENSION", "REJECT_DOCUMENT")
DEFAULT_ACTION_ON_ERROR = "SKIP_EXTENSION"


@dataclass(frozen=True)
class CoveoSourceExtensionsProperties:
    """Every property of a CoveoSourceExtensions (arguments and outputs), declared once; see `_properties.Property`."""

    source_id: str = field(metadata=prop(kept=True, replaces=True))
    pre_conversion: list[CoveoAppliedExtensionProperties] = field(metadata=prop(declared=True, default=[]))
    post_conversion: list[CoveoAppliedExtensionProperties] = field(metadata=prop(declared=True, default=[]))
    item_types: dict[str, CoveoItemTypeExtensionsProperties] = field(metadata=prop(declared=True, default={}))
    rebuild: bool = field(metadata=prop(kept=True, default=False))
    """How to apply the map, not part of it (like `adopt` and `allow_duplicates`): never the cause of a diff."""
    adopt: bool = field(metadata=prop(kept=True, default=False))
    allow_duplicates: bool = field(metadata=prop(kept=True, default=False))
    organization_id: str = field(metadata=prop(kept=True, replaces=True))
    host: str = field(metadata=prop(kept=True, replaces=True))
    region: str | None = field(metadata=prop(kept=True))
    api_key: str | None = field(metadata=prop(kept=True, credential=True, secret=True))
    previous_map: dict[str, Any] | None = field(metadata=prop(output_only=True))
    """The map the source had when it was adopted, put back at delete."""


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
