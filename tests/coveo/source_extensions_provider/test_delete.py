"""CoveoSourceExtensionsProvider delete: the extensions unwired (or the adopted map put back); a source already
gone counts as done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsProvider,
)

from .helpers import EMPTY_MAP, checked, ids

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_delete_restores_the_rest_of_an_adopted_map_when_an_extension_in_it_was_deleted(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    kept, gone = new_extension("kept"), new_extension("gone")
    entries = [{"extensionId": kept}, {"extensionId": gone}]
    client.put_source_extensions(source_id, {"common": {"preConversionExtensions": entries}})
    result = provider.create(checked(provider, source_id=source_id, adopt=True))
    client.delete_extension(gone)  # the program owns the map: `gone` is no longer bound, so this works
    provider.delete(result.id, result.outs)
    assert ids(client.get_source_extensions(source_id)) == [kept]
    assert f"no longer exist ({gone})" in capsys.readouterr().out


def test_delete_unwires_every_extension_so_they_can_be_deleted(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first = new_extension("first")
    inputs = checked(
        provider,
        source_id=source_id,
        post_conversion=[{"extension_id": first}],
        item_types={"Video": {"pre_conversion": [{"extension_id": first}]}},
    )
    created = provider.create(inputs)
    provider.delete(created.id, created.outs)
    assert client.get_source_extensions(source_id) == EMPTY_MAP
    client.delete_extension(first)


def test_delete_of_a_source_that_no_longer_exists_counts_as_done(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    created = provider.create(checked(provider, source_id=source_id))
    clean_emulator.admin.delete_source(clean_emulator.coveo_organization_id, source_id)
    provider.delete(created.id, created.outs)
