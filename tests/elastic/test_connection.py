"""Connection settings: argument, else stack config (`ec:*`), else the ecosystem's environment variables."""

from __future__ import annotations

import base64
import re

import pytest

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.elastic import connection
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from support.providers import configured_provider


def test_the_endpoint_comes_from_the_argument_then_config_then_env_then_elastic_cloud(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configured_provider(ElasticExtensionProvider, {})
    assert connection.resolve_endpoint({}) == "https://api.elastic-cloud.com"
    monkeypatch.setenv("EC_HOST", "https://host.example.com")
    assert connection.resolve_endpoint({}) == "https://host.example.com"
    monkeypatch.setenv("EC_ENDPOINT", "https://endpoint.example.com/api/v1")
    assert connection.resolve_endpoint({}) == "https://endpoint.example.com"
    configured_provider(ElasticExtensionProvider, {"ec:endpoint": "https://config.example.com:12443/"})
    assert connection.resolve_endpoint({}) == "https://config.example.com:12443"
    assert connection.resolve_endpoint({"endpoint": "http://arg.example.com"}) == "http://arg.example.com"
    assert connection.resolve_endpoint({"endpoint": UNKNOWN}) == UNKNOWN


def test_malformed_endpoints_are_refused_with_an_example() -> None:
    for bad in ("api.elastic-cloud.com", "ftp://x.example.com", "https://", "https://x.example.com?a=1"):
        with pytest.raises(ValueError):
            connection.normalize_endpoint(bad)
    with pytest.raises(ValueError, match=re.escape("such as https://api.elastic-cloud.com")):
        connection.normalize_endpoint("elastic")


def test_an_api_key_wins_over_basic_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    configured_provider(ElasticExtensionProvider, {"ec:username": "admin", "ec:password": "pw"})
    assert connection.auth_header({}) == "Basic " + base64.b64encode(b"admin:pw").decode()
    monkeypatch.setenv("EC_API_KEY", "env-key")
    assert connection.auth_header({}) == "ApiKey env-key"
    assert connection.auth_header({"api_key": "arg-key"}) == "ApiKey arg-key"


def test_missing_credentials_raise_naming_the_ways_to_give_them(monkeypatch: pytest.MonkeyPatch) -> None:
    configured_provider(ElasticExtensionProvider, {})
    monkeypatch.setenv("EC_USERNAME", "admin")

    with pytest.raises(connection.ConnectionSettingError, match=r"password: .*ec:password.*\$EC_PASSWORD"):
        connection.auth_header({})


def test_time_limits_accept_seconds_or_go_durations_as_the_ecosystem_writes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configured_provider(
        ElasticExtensionProvider, {"ec:timeout": "1m30s", "ec:retryBudget": "600", "ec:insecure": "true"}
    )
    monkeypatch.setenv("EC_UPLOAD_TIMEOUT", "2h")
    monkeypatch.setenv("EC_UPLOAD_LIMIT_MB", "20")

    settings = connection.settings_for({})

    assert (settings.timeout, settings.retry_budget, settings.verify_tls) == (90.0, 600.0, False)
    assert connection.upload_timeout({}) == 7200.0
    assert connection.upload_limit_bytes({}) == 20 * 1024 * 1024
    assert connection.settings_for({"insecure": False}).verify_tls is True


def test_malformed_limits_are_reported_with_the_setting_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    configured_provider(ElasticExtensionProvider, {"ec:uploadLimitMb": "lots"})
    problem = connection.http_settings_problem({})
    assert problem is not None and "ec:uploadLimitMb" in problem and "$EC_UPLOAD_LIMIT_MB" in problem

    configured_provider(ElasticExtensionProvider, {})
    monkeypatch.setenv("EC_UPLOAD_TIMEOUT", "-5")
    problem = connection.http_settings_problem({})
    assert problem is not None and "ec:uploadTimeout" in problem


def test_the_client_goes_to_the_stored_endpoint_even_when_config_changed() -> None:
    configured_provider(ElasticExtensionProvider, {"ec:endpoint": "https://new.example.com", "ec:apikey": "k"})

    client = connection.client_for({"endpoint": "https://old.example.com"})

    assert client.base_url == "https://old.example.com/api/v1"
