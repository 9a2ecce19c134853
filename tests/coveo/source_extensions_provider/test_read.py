"""CoveoSourceExtensionsProvider read: the map as Coveo has it now (console changes are drift), or gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsProvider,
)

from .helpers import checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_read_shows_stages_changed_in_the_console_as_drift_of_the_inputs(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second = new_extension("first"), new_extension("second")
    inputs = checked(provider, source_id=source_id, pre_conversion=[{"extension_id": first}, {"extension_id": second}])
    created = provider.create(inputs)
    unchanged = provider.read(created.id, created.outs)
    assert unchanged.outs == created.outs
    client.put_source_extensions(
        source_id,
        {"common": {"preConversionExtensions": [{"extensionId": second, "condition": "%[x]"}, {"extensionId": first}]}},
    )
    drifted = provider.read(created.id, created.outs)
    assert drifted.inputs is not None
    assert [e["extension_id"] for e in drifted.inputs["pre_conversion"]] == [second, first]
    assert drifted.inputs["pre_conversion"][0]["condition"] == "%[x]"
    assert drifted.outs["pre_conversion"] == drifted.inputs["pre_conversion"]
    assert provider.diff(created.id, drifted.outs, inputs).changes is True


def test_read_of_a_deleted_source_reports_it_gone(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    created = provider.create(checked(provider, source_id=source_id))
    clean_emulator.admin.delete_source(clean_emulator.coveo_organization_id, source_id)
    assert provider.read(created.id, created.outs).id == ""
