"""CoveoExtensionProvider as Pulumi stores it: dill pickles the instance into the state of every resource."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from pulumi.dynamic.dynamic import serialize_provider

from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider

from ..helpers import checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_the_provider_keeps_no_state_so_its_pickle_holds_no_key_or_session(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    provider.read(created.id, created.outs)
    assert vars(provider) == {}
    pickled = base64.b64decode(serialize_provider(provider))
    assert clean_emulator.coveo_api_key.encode() not in pickled
    assert b"Session" not in pickled and b"CoveoExtensionProvider" in pickled
    assert len(pickled) < 300  # a reference to the class, not its code
