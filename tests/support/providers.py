"""Providers configured the way the engine configures them, against the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

ProviderT = TypeVar("ProviderT", bound=ResourceProvider)


def configured_provider(provider_class: type[ProviderT], config: Mapping[str, Any]) -> ProviderT:
    """A provider whose `configure()` received `config` as its stack config, the way the engine calls it."""
    provider = provider_class()
    provider.configure(ConfigureRequest(Config(dict(config), "proj")))
    return provider


def coveo_stack_config(emulator: EmulatorHandle, **extra: Any) -> dict[str, Any]:
    """Stack config pointing at the emulator's main Coveo organization (a generous retry budget)."""
    return {
        "coveo:host": emulator.url,
        "coveo:organizationId": emulator.coveo_organization_id,
        "coveo:apiKey": emulator.coveo_api_key,
        "coveo:retryBudget": "20",
        **extra,
    }


def elastic_stack_config(emulator: EmulatorHandle, **extra: Any) -> dict[str, Any]:
    """Stack config pointing at the emulator's Elastic API with its API key."""
    return {"ec:endpoint": emulator.url, "ec:apikey": emulator.elastic_api_key, **extra}


def checked(provider: ResourceProvider, news: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs `provider.check` returns for `news`; fails the test on any check failure."""
    result = provider.check({}, dict(news))
    assert result.failures == [], [failure.reason for failure in result.failures]
    inputs: dict[str, Any] = result.inputs
    return inputs
