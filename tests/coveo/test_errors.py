"""Every Coveo failure a user can act on reads the same way: the action, the service's answer, the fix.

`Creating the Coveo extension failed: Coveo API error <status> <code> on <call>: <message>`, then on its own
line the field to change and how; or, when Coveo was never reached, `could not reach <URL> (from <setting>)`.
One class to catch, `CoveoExtensionError`, carries the status and Coveo's error code.
"""

from __future__ import annotations

import socket
import time

import pytest

from pulumi_search_extensions import CoveoExtensionError
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from pulumi_search_extensions.coveo.source_extensions_provider import CoveoSourceExtensionsError
from pulumi_search_extensions.emulator import EmulatorHandle
from support.providers import configured_provider, coveo_stack_config
from support.remote import coveo_extensions

from .helpers import checked


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_host_fails_in_seconds_naming_the_url_and_the_stack_config_key(
    clean_emulator: EmulatorHandle,
) -> None:
    host = f"http://127.0.0.1:{_closed_port()}"
    config = coveo_stack_config(clean_emulator, **{"coveo:host": host})
    del config["coveo:retryBudget"]  # the defaults: five minutes for what may be transient
    provider = configured_provider(CoveoExtensionProvider, config)

    started = time.monotonic()
    with pytest.raises(CoveoExtensionError) as raised:
        provider.create(checked(provider))

    assert time.monotonic() - started < 10.0
    assert str(raised.value) == (
        f"Creating the Coveo extension failed: could not reach {host} (from stack config `coveo:host`): the "
        "connection was refused (nothing listens on that host and port); check the setting and the network"
    )
    assert raised.value.status is None and raised.value.code is None


def test_an_unknown_organization_names_organization_id_and_where_it_came_from(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(CoveoExtensionProvider, coveo_stack_config(clean_emulator))

    with pytest.raises(CoveoExtensionError) as raised:
        provider.create(checked(provider, organization_id="nosuchorg"))

    headline, fix = str(raised.value).split("\n")
    assert headline.startswith("Creating the Coveo extension failed: Coveo API error 404 ORGANIZATION_NOT_FOUND")
    assert fix.startswith("organization_id: organization nosuchorg (from the `organization_id` argument)")
    assert f"at {clean_emulator.url} (from stack config `coveo:host`)" in fix
    assert raised.value.status == 404 and raised.value.code == "ORGANIZATION_NOT_FOUND"


def test_a_rejected_key_given_as_an_argument_is_named_as_the_argument(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(CoveoExtensionProvider, coveo_stack_config(clean_emulator))

    with pytest.raises(CoveoExtensionError) as raised:
        provider.create(checked(provider, api_key="xx-wrong-argument-key"))

    fix = str(raised.value).split("\n")[1]
    assert (
        fix == "api_key: Coveo rejected the API key from the `api_key` argument; give a valid key there (as a secret)."
    )
    assert raised.value.status == 401 and "xx-wrong-argument-key" not in str(raised.value)


def test_a_key_without_the_privilege_names_the_privilege(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        CoveoExtensionProvider,
        coveo_stack_config(clean_emulator, **{"coveo:apiKey": clean_emulator.coveo_other_api_key}),
    )

    with pytest.raises(CoveoExtensionError) as raised:
        provider.create(checked(provider))

    fix = str(raised.value).split("\n")[1]
    assert fix.startswith("api_key: the API key from stack config `coveo:apiKey` lacks the privilege Extensions")
    assert raised.value.status == 403
    assert coveo_extensions(clean_emulator) == []


def test_one_class_catches_every_coveo_failure() -> None:
    assert issubclass(CoveoSourceExtensionsError, CoveoExtensionError)
