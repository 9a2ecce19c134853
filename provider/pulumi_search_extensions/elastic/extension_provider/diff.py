"""diff: what an update would change, compared with the stored outputs (never with the old inputs).

A change of `extension_type` or `endpoint` replaces the extension: the API silently ignores a type
change and an object cannot move between installations. With `on_file_change="replace"`, so does a changed
file (its hash, or `download_url`): the new extension is created before the old one is deleted. Everything
else is an in-place update. Values are normalized first (absent description vs "", ...) so nothing shows a
perpetual diff.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._inputs import changed_keys
from ..._provider import Changes
from .create import note_existing_extension, note_replaced_adoption
from .schema import DIFF_FIELDS, FILE_FIELDS, REPLACE_FIELDS, normalized


def diff(extension_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Changes:
    """Changed input fields; `replaces` names the fields that force a new extension."""
    note_existing_extension(extension_id, olds)  # never adopted by a create of this run
    old_values = {key: normalized(key, olds.get(key)) for key in DIFF_FIELDS}
    new_values = {key: normalized(key, news.get(key)) for key in DIFF_FIELDS}
    changed = changed_keys(old_values, new_values, DIFF_FIELDS)
    replaces = [key for key in changed if key in REPLACE_FIELDS]
    if normalized("on_file_change", news.get("on_file_change")) == "replace":
        # Elastic's safe way: a new extension for the new file, dependents moved to it, the old one deleted last.
        replaces += [key for key in changed if key in FILE_FIELDS]
    if replaces and news.get("adopt_id") == extension_id:
        note_replaced_adoption(extension_id, olds)  # the replacement is a new extension, not this one again
    return Changes(changed, replaces, delete_before_replace=False)
