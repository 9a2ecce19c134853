"""CoveoSourceExtensionsProvider diff: another source replaces (unwiring first); the flags never cause a diff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi.output import Unknown

from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsProvider,
)

from .helpers import checked

if TYPE_CHECKING:
    pass


def test_diff_replaces_for_another_source_unwiring_first_and_ignores_the_flags(
    provider: CoveoSourceExtensionsProvider,
) -> None:
    olds = checked(provider, source_id="src", pre_conversion=[{"extension_id": "a"}])
    moved = provider.diff("src", olds, {**olds, "source_id": "other"})
    assert (moved.changes, moved.replaces, moved.delete_before_replace) == (True, ["source_id"], True)
    flags = provider.diff("src", olds, {**olds, "rebuild": True, "adopt": True, "allow_duplicates": True})
    assert (flags.changes, flags.replaces) == (False, [])
    unknown = provider.diff(
        "src", olds, {**olds, "pre_conversion": [{**olds["pre_conversion"][0], "extension_id": Unknown()}]}
    )
    assert (unknown.changes, unknown.replaces) == (True, [])
