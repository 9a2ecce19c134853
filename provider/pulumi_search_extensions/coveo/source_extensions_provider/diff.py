"""diff: another source, organization or host replaces; any other declared change is an in-place PUT."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._inputs import changed_keys
from ..._provider import Changes
from .schema import REPLACE_FIELDS, UPDATE_FIELDS


def diff(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Changes:
    """Another source, organization or host is a replacement; any other declared change an in-place PUT.

    The flags (`rebuild`, `adopt`, `allow_duplicates`) only say how to apply the map and never cause a diff.
    """
    replaces = changed_keys(olds, news, REPLACE_FIELDS)
    updates = changed_keys(olds, news, UPDATE_FIELDS)
    return Changes(
        updates,
        replaces,
        # Unwire first: if the "new" source is in fact the same one (e.g. the same URL spelled two ways), a
        # create-then-delete would leave it with no extensions.
        delete_before_replace=True,
    )
