"""CoveoSourceExtensionsProvider: the dynamic provider that owns a Coveo source's whole extension map.

The map (Source API `GET/PUT /rest/organizations/{org}/sources/{sourceId}/extensions`) says which indexing
pipeline extensions a source runs, in which order, in which stage, for all items (`common`) or per item type
(`items`). What the program declares is exactly what the source runs:

- check: every field and every `condition` (in Coveo's condition syntax) is validated without any API call;
  values not known yet at preview pass; an extension listed twice in one stage list prints a warning.
- create: reads the current map (to refuse to overwrite a map someone else configured, or to record it with
  `adopt`), PUTs the declared map, re-reads it; if anything fails after the PUT was sent, the map the
  source had is put back, so a failed create never leaves extensions bound (which would block their deletion).
- read: the map as Coveo has it now; stages changed in the console show as drift.
- update: PUTs the declared map. delete: PUTs an empty map, or the recorded one after `adopt`; a source that
  no longer exists counts as done.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .._http import ApiError
from .._inputs import changed_keys, failure, is_unknown
from .._settings import remember_stack_config
from .client import CoveoClient
from .condition import ConditionSyntaxError, parse_condition
from .connection import (
    API_KEY,
    ORGANIZATION_ID,
    CoveoConnectionError,
    check_connection,
    checked_connection_inputs,
    resolve_connection,
)

P = ParamSpec("P")
R = TypeVar("R")

STAGES = {"pre_conversion": "preConversionExtensions", "post_conversion": "postConversionExtensions"}
"""The two stage lists: our property name -> the Source API's name."""

ACTIONS_ON_ERROR = ("SKIP_EXTENSION", "REJECT_DOCUMENT")
DEFAULT_ACTION_ON_ERROR = "SKIP_EXTENSION"
STAGE_KEYS = ("extension_id", "condition", "parameters", "action_on_error", "version_id")

DECLARED_FIELDS = ("pre_conversion", "post_conversion", "item_types")
"""What the program declares about the map: a change is an in-place PUT."""

REPLACE_FIELDS = ("source_id", "organization_id", "host")
"""Which map is managed: a change means another source's map."""

FLAGS = ("rebuild", "adopt", "allow_duplicates")
"""Instructions about how to apply the map, not part of it: never the cause of a diff."""

KEPT_INPUTS = ("source_id", "organization_id", "host", "region", "api_key", *FLAGS)
"""Inputs carried as they are from inputs to outputs (and back on refresh)."""

SOURCES_PRIVILEGE = "Sources - View and Edit"


class CoveoSourceExtensionsError(Exception):
    """A CoveoSourceExtensions operation failed; the message alone tells the user what to fix."""


def warn(message: str) -> None:
    """A warning the engine shows (the provider's stdout reaches it; `pulumi.log` does not)."""
    print(f"warning: {message}", file=sys.stdout, flush=True)


# -- the map: declared form (snake_case, defaults spelled out) <-> the Source API's form -----------------------


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


def _normalized_stage_list(entries: Any) -> Any:
    if entries is None:
        return []
    if not isinstance(entries, (list, tuple)):
        return entries  # unknown at preview
    return [_normalized_stage_entry(entry) for entry in entries]


def _normalized_item_types(item_types: Any) -> Any:
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
        stages = {stage: _normalized_stage_list(group.get(stage)) for stage in STAGES}
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
    declared["item_types"] = _normalized_item_types(
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


# -- check ----------------------------------------------------------------------------------------------------


def _bool_problem(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def nested_failure(reason: str) -> CheckFailure:
    """A failure inside a list or map argument; `reason` starts with its path (`pre_conversion[1].condition`).

    No property name: the engine would print the whole list's value before the reason.
    """
    return CheckFailure("", reason)


def _entry_failures(where: str, entry: Any) -> list[CheckFailure]:
    """Problems with one stage entry; `where` is its path, e.g. `pre_conversion[1]`."""
    if is_unknown(entry):
        return []
    if not isinstance(entry, Mapping):
        return [
            nested_failure(
                f"{where}: must be an object with `extension_id` (and optionally {', '.join(STAGE_KEYS[1:])})"
            )
        ]
    failures: list[CheckFailure] = []

    def problem(key: str, reason: str) -> None:
        failures.append(nested_failure(f"{where}.{key}: {reason}"))

    for key in entry:
        if key not in STAGE_KEYS:
            hint = next((k for k in STAGE_KEYS if k.replace("_", "") == str(key).replace("_", "").lower()), None)
            suggestion = f"; did you mean `{hint}`?" if hint else ""
            problem(str(key), f"unknown field{suggestion} (allowed: {', '.join(STAGE_KEYS)})")
    extension_id = entry.get("extension_id")
    if extension_id is None or extension_id == "":
        problem("extension_id", "is required: give the id of the extension to run (e.g. `CoveoExtension.extension_id`)")
    elif not is_unknown(extension_id) and (not isinstance(extension_id, str) or not extension_id.strip()):
        problem("extension_id", f"must be an extension id (a non-blank string), got {extension_id!r}")
    condition = entry.get("condition")
    if condition is not None and not is_unknown(condition):
        if not isinstance(condition, str):
            problem("condition", f"must be a string in Coveo's condition syntax, got {type(condition).__name__}")
        else:
            try:
                parse_condition(condition)
            except ConditionSyntaxError as exc:
                problem("condition", f"is not a valid Coveo condition: {exc.describe()}")
    parameters = entry.get("parameters")
    if parameters is not None and not is_unknown(parameters):
        if not isinstance(parameters, Mapping):
            problem("parameters", f"must map parameter names to strings, got {type(parameters).__name__}")
        else:
            for name, value in parameters.items():
                if value is not None and not is_unknown(value) and not isinstance(value, str):
                    problem(
                        f"parameters[{name!r}]",
                        f"must be a string (Coveo passes text), got {value!r}: write {str(value)!r}",
                    )
    action = entry.get("action_on_error")
    if action is not None and not is_unknown(action) and action not in ACTIONS_ON_ERROR:
        problem(
            "action_on_error",
            f"must be {' or '.join(ACTIONS_ON_ERROR)} (the default is {DEFAULT_ACTION_ON_ERROR}), got {action!r}",
        )
    version_id = entry.get("version_id")
    if version_id is not None and not is_unknown(version_id) and not isinstance(version_id, str):
        problem("version_id", f"must be a version id (e.g. `CoveoExtension.version_id`), got {version_id!r}")
    return failures


def _stage_list_failures(where: str, entries: Any) -> list[CheckFailure]:
    if entries is None or is_unknown(entries):
        return []
    if not isinstance(entries, (list, tuple)):
        return [nested_failure(f"{where}: must be a list of extensions applied in order, got {type(entries).__name__}")]
    return [f for index, entry in enumerate(entries) for f in _entry_failures(f"{where}[{index}]", entry)]


def _item_types_failures(item_types: Any) -> list[CheckFailure]:
    prop = "item_types"
    if item_types is None or is_unknown(item_types):
        return []
    if not isinstance(item_types, Mapping):
        return [
            failure(prop, "must map item types (e.g. `Video`) to `{pre_conversion: [...], post_conversion: [...]}`")
        ]
    failures: list[CheckFailure] = []
    for item_type, group in item_types.items():
        where = f"item_types[{item_type!r}]"
        if not str(item_type).strip():
            failures.append(nested_failure(f"{where}: an item type must not be blank"))
        if is_unknown(group):
            continue
        if not isinstance(group, Mapping):
            failures.append(nested_failure(f"{where}: must be `{{pre_conversion: [...], post_conversion: [...]}}`"))
            continue
        for key in group:
            if key not in STAGES:
                failures.append(nested_failure(f"{where}.{key}: unknown field (allowed: {', '.join(STAGES)})"))
        for stage in STAGES:
            failures.extend(_stage_list_failures(f"{where}.{stage}", group.get(stage)))
    return failures


def _field_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    failures: list[CheckFailure] = []
    source_id = news.get("source_id")
    if source_id is None or source_id == "":
        failures.append(failure("source_id", "is required: give the id of the source whose extensions to manage"))
    elif not is_unknown(source_id) and (not isinstance(source_id, str) or not source_id.strip()):
        failures.append(failure("source_id", f"must be a source id (a non-blank string), got {source_id!r}"))
    for flag in FLAGS:
        value = news.get(flag)
        if value is not None and not is_unknown(value):
            problem = _bool_problem(value)
            if problem:
                failures.append(failure(flag, problem))
    for stage in STAGES:
        failures.extend(_stage_list_failures(stage, news.get(stage)))
    failures.extend(_item_types_failures(news.get("item_types")))
    return failures


def duplicate_warnings(checked: Mapping[str, Any]) -> list[str]:
    """One message per extension listed more than once in the same stage list (known ids only)."""
    lists: list[tuple[str, Any]] = [(stage, checked.get(stage)) for stage in STAGES]
    item_types = checked.get("item_types")
    if isinstance(item_types, Mapping):
        for item_type, group in item_types.items():
            if isinstance(group, Mapping):
                lists.extend((f"item_types[{item_type!r}].{stage}", group.get(stage)) for stage in STAGES)
    messages = []
    for where, entries in lists:
        if not isinstance(entries, list):
            continue
        ids = [e.get("extension_id") for e in entries if isinstance(e, Mapping)]
        counts = Counter(i for i in ids if isinstance(i, str) and not is_unknown(i))
        for extension_id, count in counts.items():
            if count > 1:
                positions = ", ".join(str(index) for index, i in enumerate(ids) if i == extension_id)
                messages.append(
                    f"{where} lists extension {extension_id} {count} times (positions {positions}): it will run "
                    f"{count} times on each item. Set allow_duplicates=True if that is intended."
                )
    return messages


def check_source_extensions(news: Mapping[str, Any]) -> CheckResult:
    """Validates the inputs (every problem at once) and returns them normalized; makes no API call."""
    failures = _field_failures(news) + check_connection(news)
    if failures:
        return CheckResult(dict(news), failures)
    checked: dict[str, Any] = {key: value for key, value in news.items() if value is not None}
    checked["source_id"] = news["source_id"].strip() if not is_unknown(news["source_id"]) else news["source_id"]
    for stage in STAGES:
        checked[stage] = _normalized_stage_list(news.get(stage))
    checked["item_types"] = _normalized_item_types(news.get("item_types"))
    for flag in FLAGS:
        checked.setdefault(flag, False)
    checked.update(checked_connection_inputs(news))
    if checked["allow_duplicates"] is not True:
        for message in duplicate_warnings(checked):
            warn(message)
    return CheckResult(checked, [])


# -- errors ---------------------------------------------------------------------------------------------------


def is_gone(exc: ApiError) -> bool:
    """A 404 about the source (an unknown organization is a configuration problem, not a deletion)."""
    return exc.status == 404 and exc.code != "ORGANIZATION_NOT_FOUND"


def explain(exc: ApiError) -> str:
    """The API error plus the likely fix for the statuses users can act on."""
    if exc.status == 401:
        return f"{exc}. Coveo rejected the API key: give a valid one through {API_KEY.sources()}."
    if exc.status == 403:
        return (
            f"{exc}. The API key lacks the privilege or belongs to another organization: it needs "
            f"{SOURCES_PRIVILEGE} in this organization."
        )
    if exc.status == 404 and exc.code == "ORGANIZATION_NOT_FOUND":
        return f"{exc}. Check {ORGANIZATION_ID.sources()} and the host or region."
    if exc.is_connection_error:
        return f"{exc}. Check `host`/`region` (stack config `coveo:host`/`coveo:region`) and the network."
    return str(exc)


def clear_errors(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a provider operation: API and settings failures become one `CoveoSourceExtensionsError`."""

    def decorate(operation: Callable[P, R]) -> Callable[P, R]:
        @wraps(operation)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return operation(*args, **kwargs)
            except ApiError as exc:
                raise CoveoSourceExtensionsError(f"{action} failed: {explain(exc)}") from None
            except CoveoConnectionError as exc:
                raise CoveoSourceExtensionsError(f"{action} failed: {exc}") from None

        return run

    return decorate


# -- create / read / update / delete ---------------------------------------------------------------------------


def outputs(props: Mapping[str, Any], extension_map: Mapping[str, Any], previous_map: Any) -> dict[str, Any]:
    """The kept inputs as given, the map as the service stores it, and the map recorded by `adopt`."""
    outs = {key: props[key] for key in KEPT_INPUTS if props.get(key) is not None}
    outs.update(from_api_map(extension_map))
    outs["previous_map"] = previous_map
    return outs


def _source_id(id_: str, props: Mapping[str, Any]) -> str:
    return str(props.get("source_id") or id_)


def _describe_applied(declared: Mapping[str, Any]) -> str:
    ids = applied_extension_ids(declared)
    return f"{len(ids)} extension(s): {', '.join(ids)}"


def _current_map(client: CoveoClient, source_id: str) -> dict[str, Any]:
    try:
        return client.get_source_extensions(source_id)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoSourceExtensionsError(
                f"Source {source_id!r} does not exist in Coveo organization {client.organization_id} ({exc}). "
                f"Check `source_id` (the id shown in the console's Sources page)."
            ) from None
        raise


def _may_have_been_applied(exc: ApiError) -> bool:
    return exc.is_connection_error or (exc.status is not None and exc.status >= 500)


def _put_or_restore(
    client: CoveoClient, source_id: str, body: dict[str, Any], rebuild: bool, restore: dict[str, Any]
) -> dict[str, Any]:
    """PUTs `body` and re-reads the map; when that fails after the PUT may have been applied, puts `restore` back.

    Left in place, a map no state records would bind extensions that then could not be deleted.
    """
    try:
        client.put_source_extensions(source_id, body, rebuild)
        return client.get_source_extensions(source_id)
    except ApiError as exc:
        put_refused = exc.method == "PUT" and not _may_have_been_applied(exc)
        if put_refused:
            raise  # refused as a whole (e.g. 400 unknown extension): nothing to undo
        try:
            client.put_source_extensions(source_id, restore, False)
        except ApiError as restore_exc:
            raise CoveoSourceExtensionsError(
                f"Applying extensions to source {source_id} failed: {explain(exc)}\nPutting its previous extension "
                f"map back also failed ({restore_exc}): the source may now run extensions no Pulumi state records. "
                f"Check its extensions in the console, then run `pulumi up` again (with adopt=True to keep them)."
            ) from None
        raise CoveoSourceExtensionsError(
            f"Applying extensions to source {source_id} failed: {explain(exc)}. Its previous extension map was "
            f"put back: nothing was left behind."
        ) from None


@clear_errors("Applying the extensions to the Coveo source")
def create_source_extensions(props: Mapping[str, Any]) -> CreateResult:
    """Applies the declared map to the source (recording the existing one with `adopt`); leaves nothing on failure."""
    client = CoveoClient(resolve_connection(props))
    source_id = _source_id("", props)
    body = to_api_map(props)
    current = _current_map(client, source_id)
    current_declared = from_api_map(current)
    already_applied = bool(applied_extension_ids(current_declared))
    previous_map: dict[str, Any] | None = None
    if props.get("adopt"):
        previous_map = current
    elif already_applied and current_declared != from_api_map(body):
        raise CoveoSourceExtensionsError(
            f"Source {source_id} already runs {_describe_applied(current_declared)}, which this program does not "
            f"declare. Set adopt=True to take the source over (its current extensions are put back when the "
            f"resource is destroyed), or remove them in the console first. Nothing was changed."
        )
    extension_map = _put_or_restore(client, source_id, body, bool(props.get("rebuild")), current)
    return CreateResult(source_id, outputs(props, extension_map, previous_map))


@clear_errors("Reading the Coveo source's extensions")
def read_source_extensions(id_: str, props: Mapping[str, Any]) -> ReadResult:
    """GETs the map; outputs and inputs as the service now has them (drift shows in the next preview), or no id."""
    client = CoveoClient(resolve_connection(props))
    try:
        extension_map = client.get_source_extensions(_source_id(id_, props))
    except ApiError as exc:
        if is_gone(exc):
            return ReadResult("", {})
        raise
    outs = outputs(props, extension_map, props.get("previous_map"))
    inputs = {key: props[key] for key in KEPT_INPUTS if props.get(key) is not None}
    inputs.update(from_api_map(extension_map))
    return ReadResult(id_, outs, inputs)


@clear_errors("Updating the Coveo source's extensions")
def update_source_extensions(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> UpdateResult:
    """PUTs the declared map and returns the refreshed outputs (the adoption record is kept)."""
    client = CoveoClient(resolve_connection(news))
    source_id = _source_id(id_, news)
    try:
        client.put_source_extensions(source_id, to_api_map(news), bool(news.get("rebuild")))
        extension_map = client.get_source_extensions(source_id)
    except ApiError as exc:
        if is_gone(exc):
            raise CoveoSourceExtensionsError(
                f"Updating the Coveo source's extensions failed: {explain(exc)}. The source was deleted outside "
                f"Pulumi: run `pulumi refresh` to forget this resource."
            ) from None
        raise
    return UpdateResult(outputs(news, extension_map, olds.get("previous_map")))


def _without_missing_extensions(
    client: CoveoClient, extension_map: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The map without entries whose extension no longer exists, and the ids dropped."""
    missing: list[str] = []
    groups = [extension_map.get("common") or {}, *(extension_map.get("items") or {}).values()]
    for extension_id in dict.fromkeys(
        e.get("extensionId") for g in groups for s in STAGES.values() for e in g.get(s) or []
    ):
        try:
            client.get_extension(str(extension_id))
        except ApiError as exc:
            if exc.status != 404:
                raise
            missing.append(str(extension_id))

    def kept(group: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **group,
            **{s: [e for e in group.get(s) or [] if e.get("extensionId") not in missing] for s in STAGES.values()},
        }

    items = extension_map.get("items") or {}
    return {"common": kept(extension_map.get("common") or {}), "items": {t: kept(g) for t, g in items.items()}}, missing


@clear_errors("Removing the extensions from the Coveo source")
def delete_source_extensions(id_: str, props: Mapping[str, Any]) -> None:
    """Puts back an empty map (or the one recorded by `adopt`); a source that no longer exists counts as done."""
    client = CoveoClient(resolve_connection(props))
    source_id = _source_id(id_, props)
    previous_map = props.get("previous_map")
    body = dict(previous_map) if isinstance(previous_map, Mapping) else empty_map()
    rebuild = bool(props.get("rebuild"))
    try:
        client.put_source_extensions(source_id, body, rebuild)
    except ApiError as exc:
        if is_gone(exc):
            return
        if exc.status != 400 or not isinstance(previous_map, Mapping):
            raise
        # The adopted map names an extension deleted since: restore the rest rather than block the destroy.
        body, missing = _without_missing_extensions(client, body)
        if not missing:
            raise
        warn(
            f"source {source_id}: the extension map recorded at adoption names extension(s) that no longer "
            f"exist ({', '.join(missing)}); the rest of it was restored."
        )
        client.put_source_extensions(source_id, body, rebuild)


def diff_source_extensions(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    """Another source, organization or host is a replacement; any other declared change an in-place PUT.

    The flags (`rebuild`, `adopt`, `allow_duplicates`) only say how to apply the map and never cause a diff.
    """
    replaces = changed_keys(olds, news, REPLACE_FIELDS)
    updates = changed_keys(olds, news, (*DECLARED_FIELDS, "api_key"))
    return DiffResult(
        changes=bool(replaces or updates),
        replaces=replaces,
        stables=[],
        # Unwire first: if the "new" source is in fact the same one (e.g. the same URL spelled two ways), a
        # create-then-delete would leave it with no extensions.
        delete_before_replace=True,
    )


class CoveoSourceExtensionsProvider(ResourceProvider):
    """Manages the whole extension map of one Coveo source per resource.

    The instance holds no state: dill pickles it into the Pulumi state of every resource, so credentials and
    settings are resolved inside the provider process, from `configure()` and at call time.
    """

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps the stack config (`coveo:*` keys) in process memory for the connection settings."""
        remember_stack_config(req.config)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates and normalizes the inputs, conditions included, without any API call."""
        return check_source_extensions(news)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replacement for another source or organization, in-place update for a changed map."""
        return diff_source_extensions(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Applies the declared map to the source, transactionally."""
        return create_source_extensions(props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reads the map as Coveo has it now; no id when the source is gone."""
        return read_source_extensions(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Applies the declared map and returns the refreshed outputs."""
        return update_source_extensions(id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Unwires the extensions (or restores the adopted map)."""
        delete_source_extensions(id_, props)
