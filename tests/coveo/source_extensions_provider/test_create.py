"""CoveoSourceExtensionsProvider create: the declared map applied in order; a map nobody declared is refused
unless adopted; nothing left behind on failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient, SourceUse
from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsError,
    CoveoSourceExtensionsProvider,
)
from support.calls import fault_rule, vendor_calls

from .helpers import EMPTY_MAP, SOURCE_EXTENSIONS, checked, configured, ids, stored_map

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_create_applies_the_declared_map_in_order_and_the_extensions_show_it_in_used_by(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second, video = new_extension("first"), new_extension("second"), new_extension("video")
    inputs = checked(
        provider,
        source_id=source_id,
        pre_conversion=[{"extension_id": second}, {"extension_id": first, "parameters": {"lang": "en"}}],
        post_conversion=[{"extension_id": first, "condition": "%[a] OR %[b]", "action_on_error": "REJECT_DOCUMENT"}],
        item_types={"Video": {"post_conversion": [{"extension_id": video}]}},
    )
    result = provider.create(inputs)
    assert result.id == source_id
    stored = stored_map(clean_emulator, source_id)
    assert ids(stored) == [second, first]
    assert stored["common"]["postConversionExtensions"] == [
        {"extensionId": first, "condition": "%[a] OR %[b]", "parameters": {}, "actionOnError": "REJECT_DOCUMENT"}
    ]
    assert stored["items"]["Video"]["postConversionExtensions"][0]["itemType"] == "Video"
    for name in ("pre_conversion", "post_conversion", "item_types"):
        assert result.outs[name] == inputs[name]
    assert result.outs["previous_map"] is None and "api_key" not in result.outs
    assert client.get_extension(first).used_by == (SourceUse(source_id, "Web pages"),)


def test_create_refuses_to_overwrite_extensions_configured_elsewhere_and_changes_nothing(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    console = new_extension("console")
    client.put_source_extensions(source_id, {"common": {"preConversionExtensions": [{"extensionId": console}]}})
    with pytest.raises(CoveoSourceExtensionsError, match=rf"already runs 1 extension\(s\): {console}.*adopt=True"):
        provider.create(checked(provider, source_id=source_id, pre_conversion=[{"extension_id": new_extension("x")}]))
    assert ids(stored_map(clean_emulator, source_id)) == [console]


def test_create_again_after_a_lost_answer_accepts_the_map_it_already_applied(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    inputs = checked(provider, source_id=source_id, pre_conversion=[{"extension_id": new_extension("a")}])
    provider.create(inputs)
    assert provider.create(inputs).outs["previous_map"] is None


def test_adopt_records_the_existing_map_and_delete_puts_it_back(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    console, ours = new_extension("console"), new_extension("ours")
    client.put_source_extensions(source_id, {"common": {"postConversionExtensions": [{"extensionId": console}]}})
    before = client.get_source_extensions(source_id)
    inputs = checked(provider, source_id=source_id, pre_conversion=[{"extension_id": ours}], adopt=True)
    result = provider.create(inputs)
    assert result.outs["previous_map"] == before
    assert result.outs["post_conversion"] == []  # the program owns the whole map now
    assert ids(stored_map(clean_emulator, source_id)) == [ours]
    provider.delete(result.id, result.outs)
    assert client.get_source_extensions(source_id) == before


def test_create_on_a_missing_source_says_which_source(provider: CoveoSourceExtensionsProvider) -> None:
    with pytest.raises(CoveoSourceExtensionsError, match=r"Source 'nosuchsource' does not exist.*source_id"):
        provider.create(checked(provider, source_id="nosuchsource"))


def test_create_naming_an_unknown_extension_fails_with_the_service_message_and_changes_nothing(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    with pytest.raises(CoveoSourceExtensionsError, match=r"INVALID_EXTENSION_ID.*does not exist") as caught:
        provider.create(checked(provider, source_id=source_id, pre_conversion=[{"extension_id": "ghost"}]))
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert stored_map(clean_emulator, source_id) == EMPTY_MAP
    assert vendor_calls(clean_emulator)[f"PUT {SOURCE_EXTENSIONS}"] == 1  # refused as a whole: nothing to put back


def test_a_create_whose_outcome_is_lost_puts_the_previous_map_back_and_leaves_nothing_bound(
    clean_emulator: EmulatorHandle, client: CoveoClient, source_id: str, new_extension: Callable[[str], str]
) -> None:
    provider = configured(clean_emulator, **{"coveo:maxRetries": "0"})
    extension_id = new_extension("a")
    clean_emulator.admin.set_faults(
        fault_rule("PUT", SOURCE_EXTENSIONS, faults={"fail_after_commit": 1.0}, max_faults=1)
    )
    with pytest.raises(CoveoSourceExtensionsError, match="previous extension map was put back"):
        provider.create(checked(provider, source_id=source_id, pre_conversion=[{"extension_id": extension_id}]))
    assert client.get_source_extensions(source_id) == EMPTY_MAP
    client.delete_extension(extension_id)  # not bound: deletable
    assert vendor_calls(clean_emulator)[f"PUT {SOURCE_EXTENSIONS}"] == 2
