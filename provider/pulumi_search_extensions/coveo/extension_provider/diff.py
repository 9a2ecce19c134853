"""diff: what a change of inputs does to the extension (olds are the previous outputs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._inputs import changed_keys, is_unknown
from ..._provider import Changes
from .. import stages
from .create import note_existing_extension
from .schema import DEFAULTS, REPLACE_FIELDS, UPDATE_FIELDS


def _adopts_another(extension_id: str, news: Mapping[str, Any]) -> bool:
    """True when `adopt_id` names a different extension than the one managed (dropping it after adoption is fine)."""
    adopt_id = news.get("adopt_id")
    if adopt_id is None or adopt_id == "":
        return False
    return is_unknown(adopt_id) or adopt_id != extension_id


def _with_defaults(props: Mapping[str, Any]) -> dict[str, Any]:
    """A state written before a property existed holds no value for it: that is the property's default."""
    return {**DEFAULTS, **{key: value for key, value in props.items() if value is not None}}


def diff(extension_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Changes:
    """A new organization or host replaces the extension; any other declared change is an in-place update.

    Output-only fields (status, dates, version, used_by) and `region` (already folded into `host`) never
    cause a diff, so a refresh followed by a preview of an unchanged program shows nothing. The script is
    compared by its hash, so moving it between `content` and `script_path` unchanged is no change either.
    """
    note_existing_extension(extension_id, olds)  # never adopted by a create of this run
    stages.remember(extension_id, news.get("name"), news.get("required_data_streams"))  # for the plugin's check
    replaces = changed_keys(olds, news, REPLACE_FIELDS)
    if _adopts_another(extension_id, news):
        replaces.append("adopt_id")
    updates = changed_keys(_with_defaults(olds), _with_defaults(news), UPDATE_FIELDS)
    # Names need not be unique: create the new one, then delete the old.
    return Changes(updates, replaces, delete_before_replace=False)
