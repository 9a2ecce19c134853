"""CoveoSourceExtensionsProvider update: the declared map PUT in place; the adoption record kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsProvider,
)

from .helpers import EMPTY_MAP, checked, ids, stored_map

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_update_puts_the_new_order_and_keeps_the_adoption_record(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second = new_extension("first"), new_extension("second")
    olds = provider.create(
        checked(provider, source_id=source_id, pre_conversion=[{"extension_id": first}], adopt=True)
    ).outs
    news = checked(provider, source_id=source_id, pre_conversion=[{"extension_id": second}, {"extension_id": first}])
    outs = provider.update(source_id, olds, news).outs
    assert ids(stored_map(clean_emulator, source_id)) == [second, first]
    assert [e["extension_id"] for e in outs["pre_conversion"]] == [second, first]
    assert outs["previous_map"] == EMPTY_MAP
