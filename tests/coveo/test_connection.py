"""Connection settings: argument, then stack config, then environment; host or region; every failure named."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic.config import Config

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions._settings import remember_stack_config
from pulumi_search_extensions.coveo.connection import (
    REGION_BASE_URLS,
    CoveoConnectionError,
    check_connection,
    checked_connection_inputs,
    resolve_base_url,
    resolve_connection,
)

ARGS = {"organization_id": "argorg", "api_key": "arg-key"}


def stack_config(**values: Any) -> None:
    remember_stack_config(Config({f"coveo:{k}": v for k, v in values.items()}, "proj"))


def reasons(props: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in check_connection(props)}


def test_argument_beats_stack_config_which_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVEO_ORGANIZATION_ID", "envorg")
    monkeypatch.setenv("COVEO_API_KEY", "env-key")
    assert resolve_connection({}).organization_id == "envorg"
    assert resolve_connection({}).api_key == "env-key"

    stack_config(organizationId="configorg", apiKey="config-key")
    assert resolve_connection({}).organization_id == "configorg"
    assert resolve_connection({}).api_key == "config-key"

    connection = resolve_connection(ARGS)
    assert (connection.organization_id, connection.api_key) == ("argorg", "arg-key")


def test_base_url_defaults_to_the_us_platform() -> None:
    assert resolve_connection(ARGS).base_url == "https://platform.cloud.coveo.com"


@pytest.mark.parametrize("region", sorted(REGION_BASE_URLS))
def test_each_region_maps_to_its_platform_url_whatever_the_case(region: str) -> None:
    assert resolve_base_url({"region": region.upper()}) == REGION_BASE_URLS[region]


def test_host_is_any_base_url_without_its_trailing_slash() -> None:
    assert resolve_base_url({"host": "https://myorg.admin.org.coveo.com/"}) == "https://myorg.admin.org.coveo.com"
    assert resolve_base_url({"host": "http://127.0.0.1:8080"}) == "http://127.0.0.1:8080"


def test_a_region_argument_beats_a_host_from_config_and_host_beats_region_at_the_same_level(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stack_config(host="http://emulator:8080", region="au")
    assert resolve_base_url({}) == "http://emulator:8080"
    assert resolve_base_url({"region": "eu"}) == REGION_BASE_URLS["eu"]
    monkeypatch.setenv("COVEO_REGION", "ca")
    stack_config()
    assert resolve_base_url({}) == REGION_BASE_URLS["ca"]


def test_missing_credentials_name_the_argument_the_stack_config_and_the_environment_variable() -> None:
    failures = reasons({})
    assert set(failures) == {"organization_id", "api_key"}
    assert "`organization_id` resource argument" in failures["organization_id"]
    assert "coveo:organizationId" in failures["organization_id"]
    assert "$COVEO_ORGANIZATION_ID" in failures["organization_id"]
    assert "`api_key`" in failures["api_key"] and "coveo:apiKey" in failures["api_key"]
    assert "$COVEO_API_KEY" in failures["api_key"]
    with pytest.raises(CoveoConnectionError, match=r"coveo:apiKey.*COVEO_API_KEY"):
        resolve_connection({"organization_id": "org"})


def test_a_blank_api_key_counts_as_missing() -> None:
    assert "no Coveo API key given" in reasons({"organization_id": "org", "api_key": "   "})["api_key"]


@pytest.mark.parametrize("host", ["ftp://example.com", "example.com", "https://", "https://x.com/?a=1", "http:///p"])
def test_a_malformed_host_is_a_failure_that_says_where_it_came_from(host: str) -> None:
    failures = reasons({**ARGS, "host": host})
    assert list(failures) == ["host"]
    assert "the `host` argument" in failures["host"]


def test_a_wrong_region_from_stack_config_names_the_config_key_and_the_regions() -> None:
    stack_config(region="mars")
    failures = reasons(ARGS)
    assert list(failures) == ["region"]
    assert "coveo:region" in failures["region"] and "us, eu, au, ca, hipaa" in failures["region"]


def test_host_and_region_arguments_together_are_refused() -> None:
    assert "not both" in reasons({**ARGS, "host": "https://x.example", "region": "eu"})["region"]


def test_a_host_left_in_stack_config_and_a_new_region_are_refused_naming_both_and_what_to_remove() -> None:
    stack_config(host="http://127.0.0.1:8080", region="eu")
    failures = reasons(ARGS)
    assert list(failures) == ["region"]
    reason = failures["region"]
    assert "'http://127.0.0.1:8080' (from stack config `coveo:host`)" in reason
    assert "'eu' (from stack config `coveo:region`)" in reason
    assert "remove stack config `coveo:host` to use the region" in reason
    assert "remove stack config `coveo:region` to keep the host" in reason


@pytest.mark.parametrize(
    ("props", "config", "environment", "host_from", "region_from"),
    [
        ({"host": "https://x.example"}, {"region": "eu"}, {}, "the `host` argument", "stack config `coveo:region`"),
        ({"region": "eu"}, {"host": "https://x.example"}, {}, "stack config `coveo:host`", "the `region` argument"),
        ({}, {"host": "https://x.example"}, {"COVEO_REGION": "au"}, "stack config", "variable $COVEO_REGION"),
        ({"region": "ca"}, {}, {"COVEO_HOST": "https://x.example"}, "environment variable $COVEO_HOST", "the `region`"),
        ({}, {}, {"COVEO_HOST": "https://x.example", "COVEO_REGION": "eu"}, "$COVEO_HOST", "$COVEO_REGION"),
    ],
    ids=["argument-and-config", "config-and-argument", "config-and-environment", "environment-and-argument", "env"],
)
def test_host_and_region_from_any_two_sources_are_refused(
    props: dict[str, Any],
    config: dict[str, str],
    environment: dict[str, str],
    host_from: str,
    region_from: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stack_config(**config)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    failures = reasons({**ARGS, **props})
    assert list(failures) == ["region"], failures
    assert host_from in failures["region"] and region_from in failures["region"]
    assert "not both" in failures["region"]


def test_a_host_that_is_the_regions_own_url_agrees_with_it() -> None:
    stack_config(region="eu")
    assert reasons({**ARGS, "host": REGION_BASE_URLS["eu"] + "/"}) == {}


def test_a_host_or_region_not_known_yet_cannot_conflict() -> None:
    stack_config(region="eu")
    assert reasons({**ARGS, "host": UNKNOWN}) == {}


def test_a_malformed_timeout_setting_is_a_failure() -> None:
    stack_config(timeout="soon")
    assert "coveo:timeout" in reasons(ARGS)["timeout"]


def test_values_not_known_at_preview_pass() -> None:
    assert reasons({"organization_id": UNKNOWN, "api_key": UNKNOWN, "host": UNKNOWN}) == {}
    assert resolve_base_url({"host": UNKNOWN}) == UNKNOWN


def test_checked_inputs_hold_organization_and_base_url_but_never_a_key_from_config() -> None:
    stack_config(organizationId="configorg", apiKey="config-key", region="eu")
    stored = checked_connection_inputs({})
    assert stored == {"organization_id": "configorg", "host": REGION_BASE_URLS["eu"]}
    assert checked_connection_inputs({"api_key": "secret-arg"})["api_key"] == "secret-arg"


def test_the_key_never_shows_in_a_connection_repr() -> None:
    assert "arg-key" not in repr(resolve_connection(ARGS))
