"""The plugin's configuration is the dynamic resources' stack config under its own namespace, in the same
order: resource argument, then this config, then the environment."""

from __future__ import annotations

import pytest
from pulumi.provider.experimental.property_value import PropertyValue

from pulumi_search_extensions.coveo.connection import ORGANIZATION_ID
from pulumi_search_extensions.elastic.connection import API_KEY, INSECURE
from pulumi_search_extensions.plugin.config import CONFIG_KEYS, plugin_key, remember_plugin_config


def test_each_key_folds_the_namespace_into_the_name() -> None:
    assert plugin_key("coveo:organizationId") == "search-extensions:coveoOrganizationId"
    assert plugin_key("ec:apikey") == "search-extensions:ecApikey"
    secret = {key.name for key in CONFIG_KEYS if key.secret}
    assert secret == {"coveoApiKey", "ecApikey", "ecPassword"}
    assert {"coveoTimeout", "coveoRetryBudget", "ecMaxRetries", "ecUploadLimitMb"} <= {key.name for key in CONFIG_KEYS}


def test_settings_resolve_argument_then_plugin_config_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVEO_ORGANIZATION_ID", "from-env")
    assert ORGANIZATION_ID.resolve({}) == "from-env"
    remember_plugin_config({"search-extensions:coveoOrganizationId": "from-config"}, {})
    assert ORGANIZATION_ID.resolve({}) == "from-config"
    assert ORGANIZATION_ID.resolve({"organization_id": "from-argument"}) == "from-argument"


def test_typed_arguments_win_over_string_variables() -> None:
    remember_plugin_config(
        {"search-extensions:ecApikey": "old", "search-extensions:ecInsecure": "false"},
        {"ecApikey": PropertyValue("new", is_secret=True), "ecInsecure": PropertyValue(True)},
    )
    assert (API_KEY.resolve({}), INSECURE.resolve({})) == ("new", True)
