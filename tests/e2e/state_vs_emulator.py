"""Shared helpers of the end-to-end tests: the Pulumi state must match what the emulator holds, exactly.

`assert_state_matches_emulator(stack, emulator)` compares `stack.export_stack()` with
`emulator.admin.dump()`:

- every extension in the state exists remotely, where the state says (organization, endpoint), with the
  same fields (name, description, script, data streams, enabled, version, type, file, ...);
- every source extension map in the state is the map the source holds;
- nothing remote is missing from the state (no orphan), apart from ids the test names as `unmanaged`;
- no object is managed twice (no duplicate).

The comparison itself is the pure function `state_differences(resources, dump, ...)`, so it is tested on
its own (test_state_vs_emulator.py). Also here: the stack config that points the providers at an emulator,
the planned operation of each resource in a preview, and direct calls of the vendors' APIs ("behind
Pulumi's back").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import requests
from pulumi import automation as auto

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270"

COVEO_EXTENSION = "coveo-extension"
ELASTIC_EXTENSION = "elastic-extension"
COVEO_SOURCE_EXTENSIONS = "coveo-source-extensions"

STAGES = (("pre_conversion", "preConversionExtensions"), ("post_conversion", "postConversionExtensions"))


# -- reading the state -------------------------------------------------------------------------------------


def is_secret(value: Any) -> bool:
    """Whether `value` is a Pulumi secret envelope as `pulumi stack export` writes it."""
    return isinstance(value, Mapping) and value.get(SECRET_SIG_KEY) == SECRET_SIG_VALUE


def plain(value: Any) -> Any:
    """`value` with every secret envelope exported with `--show-secrets` replaced by its value."""
    if is_secret(value):
        if "plaintext" not in value:
            raise AssertionError("a secret is only available as ciphertext: compare a --show-secrets export")
        return plain(json.loads(value["plaintext"]))
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def kind_of(resource: Mapping[str, Any]) -> str | None:
    """Which of our resources a state entry is (by its type token, else by its outputs), or None."""
    token = str(resource.get("type", ""))
    if not token.startswith("pulumi-python:dynamic"):
        return None
    outputs = resource.get("outputs") or {}
    if "source_id" in outputs or token.endswith("SourceExtensions"):
        return COVEO_SOURCE_EXTENSIONS
    if "extension_type" in outputs or "/elastic:" in token:
        return ELASTIC_EXTENSION
    if "content_sha256" in outputs or "/coveo:" in token:
        return COVEO_EXTENSION
    return None


def managed_resources(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Our resources in a `stack.export_stack().deployment`, each `{"kind", "name", "id", "outputs"}`.

    Outputs are unwrapped from their secret envelopes; resources pending deletion are included (they
    still exist remotely, and the engine will delete them).
    """
    found = []
    for resource in deployment.get("resources") or []:
        kind = kind_of(resource)
        if kind is None:
            continue
        found.append(
            {
                "kind": kind,
                "name": str(resource["urn"]).rsplit("::", 1)[-1],
                "id": resource.get("id"),
                "outputs": plain(resource.get("outputs") or {}),
                "delete": bool(resource.get("delete")),
            }
        )
    return found


def resources_by_name(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """Our resources in the stack's state, by resource name (outputs unwrapped)."""
    return {r["name"]: r for r in managed_resources(stack.export_stack().deployment or {})}


# -- the comparison ----------------------------------------------------------------------------------------


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


def remote_extension_counts(emulator: EmulatorHandle) -> dict[str, int]:
    """How many extensions the emulator holds: per Coveo organization, and `elastic`."""
    dump = emulator.admin.dump()
    counts = {org: len(state["extensions"]) for org, state in dump["coveo"].items()}
    counts["elastic"] = len(dump["elastic"]["extensions"])
    return counts


# -- driving stacks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FromConfig:
    """A resource argument read inside the program from stack config `test:<key>` (as a secret if `secret`)."""

    key: str
    secret: bool = False


@dataclass(frozen=True)
class FromEnv:
    """A resource argument read inside the program from an environment variable, as a plain string."""

    name: str


def program_of(spec: Mapping[str, Mapping[str, Any]]) -> auto.PulumiFn:
    """An inline program declaring one resource per entry: `{"name": {"kind": "coveo"|"elastic", ...args}}`.

    An entry may hold `"opts": {...}` (ResourceOptions keywords). `FromConfig`/`FromEnv` values are resolved
    when the program runs. Each resource's `extension_id` is exported under its name.
    """

    def program() -> None:
        from pulumi_search_extensions import CoveoExtension, ElasticExtension

        config = pulumi.Config("test")
        for name, entry in spec.items():
            args: dict[str, Any] = {}
            for key, value in entry.items():
                if key in ("kind", "opts"):
                    continue
                if isinstance(value, FromConfig):
                    value = config.require_secret(value.key) if value.secret else config.require(value.key)
                elif isinstance(value, FromEnv):
                    value = os.environ[value.name]
                args[key] = value
            opts = pulumi.ResourceOptions(**entry.get("opts", {}))
            resource_class = CoveoExtension if entry["kind"] == "coveo" else ElasticExtension
            resource = resource_class(name, opts=opts, **args)
            pulumi.export(name, resource.extension_id)

    return program


def set_config(stack: auto.Stack, config: Mapping[str, str], secrets: Mapping[str, str] | None = None) -> None:
    """Sets plain and secret stack config in one CLI call (one `set_config` call per key costs seconds)."""
    values = {key: auto.ConfigValue(value) for key, value in config.items()}
    values.update({key: auto.ConfigValue(value, secret=True) for key, value in (secrets or {}).items()})
    stack.set_all_config(values)


def writes_sent(emulator: EmulatorHandle) -> dict[str, int]:
    """The vendor API calls in the request log that would change something (anything but GET)."""
    counts: dict[str, int] = emulator.admin.requests()["counts"]
    return {route: n for route, n in counts.items() if not route.startswith("GET ")}


def planned_operations(stack: auto.Stack, **preview_args: Any) -> dict[str, str]:
    """Runs `pulumi preview` and returns the planned operation of each of our resources, by resource name.

    Operations are the engine's: `create`, `update`, `replace` (also `create-replacement`), `delete`,
    `same`, ... A resource the plan does not touch at all is absent.
    """
    steps: dict[str, str] = {}

    def on_event(event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is None or not pre.metadata.type.startswith("pulumi-python:dynamic"):
            return
        name = pre.metadata.urn.rsplit("::", 1)[-1]
        op = pre.metadata.op.value if hasattr(pre.metadata.op, "value") else str(pre.metadata.op)
        # A replacement is reported as create-replacement, replace and delete-replaced steps: keep "replace".
        if op in ("create-replacement", "delete-replaced") or (steps.get(name) == "replace"):
            op = "replace"
        steps[name] = op

    stack.preview(on_event=on_event, **preview_args)
    return steps


# -- the vendors' APIs, behind Pulumi's back ---------------------------------------------------------------


def coveo_api(
    emulator: EmulatorHandle,
    method: str,
    path: str,
    *,
    key: str | None = None,
    organization_id: str | None = None,
    **kwargs: Any,
) -> Any:
    """Calls the emulated Coveo API (`path` after `/rest/organizations/{org}`), main organization by default.

    With `organization_id` and no `key`, the other organization's key is used for the other organization.
    """
    org = organization_id or emulator.coveo_organization_id
    if key is None:
        key = emulator.coveo_other_api_key if org == emulator.coveo_other_organization_id else emulator.coveo_api_key
    response = requests.request(
        method,
        f"{emulator.url}/rest/organizations/{org}{path}",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
        **kwargs,
    )
    assert response.ok, f"Coveo {method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def elastic_api(emulator: EmulatorHandle, method: str, path: str, **kwargs: Any) -> Any:
    """Calls the emulated Elastic Cloud API (`path` after `/api/v1/deployments/extensions`)."""
    response = requests.request(
        method,
        f"{emulator.url}/api/v1/deployments/extensions{path}",
        headers={"Authorization": f"ApiKey {emulator.elastic_api_key}", **kwargs.pop("headers", {})},
        timeout=30,
        **kwargs,
    )
    assert response.ok, f"Elastic {method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None
