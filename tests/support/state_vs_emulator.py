"""The Pulumi state must match what the emulator holds, exactly.

`assert_state_matches_emulator(stack, emulator)` compares `stack.export_stack()` with
`emulator.admin.dump()`:

- every extension in the state exists remotely, where the state says (organization, endpoint), with the
  same fields (name, description, script, data streams, enabled, version, type, file, ...);
- every source extension map in the state is the map the source holds;
- nothing remote is missing from the state (no orphan), apart from ids the test names as `unmanaged`;
- no object is managed twice (no duplicate).

The comparison itself is the pure function `state_differences(resources, dump, ...)`, so it is tested on
its own (tests/e2e/test_state_vs_emulator.py).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi import automation as auto

from .state import COVEO_EXTENSION, COVEO_SOURCE_EXTENSIONS, ELASTIC_EXTENSION, managed_resources

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

STAGES = (("pre_conversion", "preConversionExtensions"), ("post_conversion", "postConversionExtensions"))


def _norm_text(value: Any) -> str:
    return "" if value is None else str(value)


def _coveo_differences(name: str, outs: Mapping[str, Any], remote: Mapping[str, Any]) -> list[str]:
    expected = {
        "name": outs.get("name"),
        "description": _norm_text(outs.get("description")),
        "content_sha256": outs.get("content_sha256"),  # the outputs keep the script's hash, not the script
        "enabled": outs.get("enabled"),
        "api_version": outs.get("api_version"),
        "required_data_streams": sorted(outs.get("required_data_streams") or []),
        "version_id": outs.get("version_id"),
        "execution_timeout": outs.get("execution_timeout"),
    }
    actual = {
        "name": remote.get("name"),
        "description": _norm_text(remote.get("description")),
        "content_sha256": hashlib.sha256(_norm_text(remote.get("content")).encode()).hexdigest(),
        "enabled": remote.get("enabled"),
        "api_version": remote.get("apiVersion"),
        "required_data_streams": sorted(remote.get("requiredDataStreams") or []),
        "version_id": remote.get("versionId"),
        "execution_timeout": remote.get("timeout"),
    }
    return [
        f"{name}: {field} is {expected[field]!r} in the state but {actual[field]!r} remotely"
        for field in expected
        if expected[field] != actual[field]
    ]


def _elastic_differences(name: str, outs: Mapping[str, Any], remote: Mapping[str, Any]) -> list[str]:
    file = remote.get("file_metadata") or {}
    expected: dict[str, Any] = {
        "name": outs.get("name"),
        "extension_type": outs.get("extension_type"),
        "version": outs.get("version"),
        "description": _norm_text(outs.get("description")),
        "download_url": outs.get("download_url") or None,
        "url": outs.get("url"),
        "file_size": outs.get("file_size"),
        "file_last_modified": outs.get("file_last_modified"),
    }
    actual: dict[str, Any] = {
        "name": remote.get("name"),
        "extension_type": remote.get("extension_type"),
        "version": remote.get("version"),
        "description": _norm_text(remote.get("description")),
        "download_url": remote.get("download_url") or None,
        "url": remote.get("url"),
        "file_size": file.get("size"),
        "file_last_modified": file.get("last_modified_date"),
    }
    sha = outs.get("file_sha256")
    if outs.get("file_path") and isinstance(sha, str) and re.fullmatch("[0-9a-f]{64}", sha):
        # The state's hash is that of the file the program declared: the upload must have stored it. (After a
        # refresh that saw the file replaced, the state holds a drift mark instead, not a hash: not compared.)
        expected["file_sha256"], actual["file_sha256"] = sha, remote.get("file_sha256")
    problems = [
        f"{name}: {field} is {expected[field]!r} in the state but {actual[field]!r} remotely"
        for field in expected
        if expected[field] != actual[field]
    ]
    if expected["url"] != f"repo://{outs.get('extension_id')}":
        problems.append(f"{name}: url {expected['url']!r} is not repo://<extension_id>")
    return problems


def _entries_of_state(entries: Any) -> list[dict[str, Any]]:
    normalized = []
    for entry in entries or []:
        normalized.append(
            {
                "extension_id": entry.get("extension_id"),
                "condition": _norm_text(entry.get("condition")),
                "parameters": dict(entry.get("parameters") or {}),
                "action_on_error": entry.get("action_on_error") or "SKIP_EXTENSION",
                "version_id": entry.get("version_id") or None,
            }
        )
    return normalized


def _entries_of_remote(entries: Any) -> list[dict[str, Any]]:
    return [
        {
            "extension_id": entry.get("extensionId"),
            "condition": _norm_text(entry.get("condition")),
            "parameters": dict(entry.get("parameters") or {}),
            "action_on_error": entry.get("actionOnError") or "SKIP_EXTENSION",
            "version_id": entry.get("versionId") or None,
        }
        for entry in entries or []
    ]


def _stage_differences(
    name: str, where: str, state_group: Mapping[str, Any], remote_group: Mapping[str, Any]
) -> list[str]:
    problems = []
    for state_field, remote_field in STAGES:
        in_state = _entries_of_state(state_group.get(state_field))
        remote_entries = _entries_of_remote(remote_group.get(remote_field))
        for entry, remote_entry in zip(in_state, remote_entries, strict=False):
            if entry["version_id"] is None:
                remote_entry["version_id"] = None  # not pinned by the program: any version is right
        if in_state != remote_entries:
            problems.append(
                f"{name}: {where}{state_field} is {in_state!r} in the state but {remote_entries!r} remotely"
            )
    return problems


def _map_is_empty(extension_map: Mapping[str, Any]) -> bool:
    groups = [extension_map.get("common") or {}, *(extension_map.get("items") or {}).values()]
    return not any(group.get(stage) for group in groups for _, stage in STAGES)


def state_differences(
    resources: Iterable[Mapping[str, Any]],
    dump: Mapping[str, Any],
    *,
    base_url: str | None = None,
    unmanaged: Iterable[str] = (),
) -> list[str]:
    """Every way the state (`managed_resources(...)`) and the emulator's dump disagree; empty when they match.

    `base_url`: when given, every resource must point at it (its `host` / `endpoint` output).
    `unmanaged`: remote extension or source ids the state is not expected to hold (made by the test, or
    kept by `retain_on_delete`).
    """
    problems: list[str] = []
    allowed = set(unmanaged)
    coveo: Mapping[str, Any] = dump.get("coveo") or {}
    elastic_remote = {e["id"]: e for e in (dump.get("elastic") or {}).get("extensions") or []}
    coveo_remote = {(org, e["id"]): e for org, state in coveo.items() for e in (state.get("extensions") or [])}
    sources_remote = {(org, s["id"]): s for org, state in coveo.items() for s in (state.get("sources") or [])}

    managed_coveo: Counter[tuple[str, str]] = Counter()
    managed_elastic: Counter[str] = Counter()
    managed_sources: Counter[tuple[str, str]] = Counter()

    for resource in resources:
        name, outs, kind = resource["name"], resource["outputs"], resource["kind"]
        if kind == COVEO_EXTENSION:
            key = (str(outs.get("organization_id")), str(outs.get("extension_id")))
            if resource.get("id") != key[1]:
                problems.append(f"{name}: the resource id {resource.get('id')!r} is not its extension_id {key[1]!r}")
            if base_url is not None and outs.get("host") != base_url:
                problems.append(f"{name}: host {outs.get('host')!r} is not the emulator {base_url!r}")
            managed_coveo[key] += 1
            remote = coveo_remote.get(key)
            if remote is None:
                problems.append(f"{name}: Coveo extension {key[1]} of {key[0]} is in the state but not remotely")
            elif not resource.get("delete"):
                problems += _coveo_differences(name, outs, remote)
        elif kind == ELASTIC_EXTENSION:
            extension_id = str(outs.get("extension_id"))
            if resource.get("id") != extension_id:
                problems.append(f"{name}: the resource id {resource.get('id')!r} is not its extension_id")
            if base_url is not None and outs.get("endpoint") != base_url:
                problems.append(f"{name}: endpoint {outs.get('endpoint')!r} is not the emulator {base_url!r}")
            managed_elastic[extension_id] += 1
            remote = elastic_remote.get(extension_id)
            if remote is None:
                problems.append(f"{name}: Elastic extension {extension_id} is in the state but not remotely")
            elif not resource.get("delete"):
                problems += _elastic_differences(name, outs, remote)
        elif kind == COVEO_SOURCE_EXTENSIONS:
            key = (str(outs.get("organization_id")), str(outs.get("source_id")))
            managed_sources[key] += 1
            source = sources_remote.get(key)
            if source is None:
                problems.append(f"{name}: source {key[1]} of {key[0]} is in the state but not remotely")
                continue
            remote_map = source.get("extensions") or {}
            groups = [("", outs, remote_map.get("common") or {})]
            state_items = outs.get("item_types") or {}
            remote_items = remote_map.get("items") or {}
            for item_type in sorted(set(state_items) | set(remote_items)):
                groups.append(
                    (f"item_types[{item_type}].", state_items.get(item_type) or {}, remote_items.get(item_type) or {})
                )
            for where, state_group, remote_group in groups:
                problems += _stage_differences(name, where, state_group, remote_group)

    duplicates: list[tuple[str, object, int]] = [("Coveo extension", k, n) for k, n in managed_coveo.items()]
    duplicates += [("Elastic extension", k, n) for k, n in managed_elastic.items()]
    for label, duplicate, count in duplicates:
        if count > 1:
            problems.append(f"{label} {duplicate} is managed by {count} resources (duplicate)")
    for key, count in managed_sources.items():
        if count > 1:
            problems.append(f"the extension map of source {key} is managed by {count} resources (duplicate)")

    for (org, extension_id), remote in coveo_remote.items():
        if (org, extension_id) not in managed_coveo and extension_id not in allowed:
            problems.append(
                f"orphan: Coveo extension {extension_id} ({remote.get('name')!r}) of {org} is not in the state"
            )
    for extension_id, remote in elastic_remote.items():
        if extension_id not in managed_elastic and extension_id not in allowed:
            problems.append(f"orphan: Elastic extension {extension_id} ({remote.get('name')!r}) is not in the state")
    for (org, source_id), source in sources_remote.items():
        if (org, source_id) in managed_sources or source_id in allowed:
            continue
        if not _map_is_empty(source.get("extensions") or {}):
            problems.append(f"orphan: the extension map of source {source_id} of {org} is not in the state")
    return problems


def assert_state_matches_emulator(
    stack: auto.Stack, emulator: EmulatorHandle, *, unmanaged: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Fails, listing every difference, unless the stack's state and the emulator hold the same objects.

    Returns our resources in the state (see `managed_resources`).
    """
    resources = managed_resources(stack.export_stack().deployment or {})
    problems = state_differences(resources, emulator.admin.dump(), base_url=emulator.url, unmanaged=unmanaged)
    assert not problems, "the Pulumi state and the emulator disagree:\n  " + "\n  ".join(problems)
    return resources
