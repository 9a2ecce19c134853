"""check: every field and every `condition` validated without any API call; unknown values pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult

from ..._inputs import failure, is_unknown
from .. import stages
from ..condition import ConditionSyntaxError, parse_condition
from ..connection import check_connection, checked_connection_inputs
from .errors import warn
from .schema import (
    ACTIONS_ON_ERROR,
    DEFAULT_ACTION_ON_ERROR,
    ENTRY_FIELDS,
    FLAG_FIELDS,
    STAGES,
    normalized_item_types,
    normalized_stage_list,
)


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
                f"{where}: must be an object with `extension_id` (and optionally {', '.join(ENTRY_FIELDS[1:])})"
            )
        ]
    failures: list[CheckFailure] = []

    def problem(key: str, reason: str) -> None:
        failures.append(nested_failure(f"{where}.{key}: {reason}"))

    for key in entry:
        if key not in ENTRY_FIELDS:
            hint = next((k for k in ENTRY_FIELDS if k.replace("_", "") == str(key).replace("_", "").lower()), None)
            suggestion = f"; did you mean `{hint}`?" if hint else ""
            problem(str(key), f"unknown field{suggestion} (allowed: {', '.join(ENTRY_FIELDS)})")
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
    for flag in FLAG_FIELDS:
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


def check(olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
    """Validates `news` (every problem at once) and returns it normalized; makes no API call (`olds` plays no part)."""
    failures = _field_failures(news) + check_connection(news)
    if failures:
        return CheckResult(dict(news), failures)
    checked: dict[str, Any] = {key: value for key, value in news.items() if value is not None}
    checked["source_id"] = news["source_id"].strip() if not is_unknown(news["source_id"]) else news["source_id"]
    for stage in STAGES:
        checked[stage] = normalized_stage_list(news.get(stage))
    checked["item_types"] = normalized_item_types(news.get("item_types"))
    for flag in FLAG_FIELDS:
        checked.setdefault(flag, False)
    checked.update(checked_connection_inputs(news))
    if checked["allow_duplicates"] is not True:
        for message in duplicate_warnings(checked):
            warn(message)
    return CheckResult(checked, [])


def preview_warnings(inputs: Mapping[str, Any]) -> list[str]:
    """Extensions applied before conversion that need a stream made later (see `coveo/stages.py`)."""
    return stages.stream_warnings(inputs.get("pre_conversion"), inputs.get("item_types"))
