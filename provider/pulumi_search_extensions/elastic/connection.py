"""Where an Elastic extension lives and how to authenticate: argument, else stack config, else environment.

Uses the keys of Elastic's own Pulumi provider (`ec:apikey`, `ec:endpoint`, ...) and the ecosystem's
environment variables (`EC_API_KEY`, `EC_ENDPOINT`/`EC_HOST`, ...), so an existing set-up just works.
Credentials are resolved inside the provider process for each call and never stored on an object that
outlives it.
"""

from __future__ import annotations

import base64
import os
import urllib.parse
from collections.abc import Mapping
from typing import Any

from .._http import HttpSettings
from .._inputs import is_unknown
from .._settings import Setting, duration_seconds, http_settings, stack_config_value, validate_http_settings
from .client import DEFAULT_UPLOAD_TIMEOUT, ElasticClient, api_base_url

ELASTIC_CLOUD_ENDPOINT = "https://api.elastic-cloud.com"
CONFIG_NAMESPACE = "ec"
ENV_PREFIX = "EC"
DEFAULT_UPLOAD_LIMIT_MB = 8192

API_KEY = Setting("api_key", "ec:apikey", ("EC_API_KEY",))
ENDPOINT = Setting("endpoint", "ec:endpoint", ("EC_ENDPOINT", "EC_HOST"))
USERNAME = Setting("username", "ec:username", ("EC_USERNAME", "EC_USER"))
PASSWORD = Setting("password", "ec:password", ("EC_PASSWORD", "EC_PASS"))
INSECURE = Setting("insecure", "ec:insecure", ("EC_INSECURE", "EC_SKIP_TLS_VALIDATION"))
UPLOAD_LIMIT_MB = Setting("upload_limit_mb", "ec:uploadLimitMb", ("EC_UPLOAD_LIMIT_MB",))
UPLOAD_TIMEOUT = Setting("upload_timeout", "ec:uploadTimeout", ("EC_UPLOAD_TIMEOUT",))


class ConnectionSettingError(ValueError):
    """A connection setting is missing or malformed; the message names the setting and the fix."""


def normalize_endpoint(value: str) -> str:
    """The endpoint as stored: scheme and host (and any path prefix), without `/api/v1` or a trailing `/`.

    Raises `ValueError` naming what is wrong when `value` is not an http(s) URL with a host.
    """
    text = value.strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL with a host, such as {ELASTIC_CLOUD_ENDPOINT}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value!r} must not carry credentials, a query or a fragment")
    try:
        parts.port  # noqa: B018 - parsing the port is the validation
    except ValueError:
        raise ValueError(f"{value!r} has an invalid port") from None
    return api_base_url(text)[: -len("/api/v1")]


def resolve_endpoint(props: Mapping[str, Any]) -> Any:
    """The normalized endpoint (argument, `ec:endpoint`, `EC_ENDPOINT`/`EC_HOST`, else Elastic Cloud).

    Returns UNKNOWN unchanged at preview; raises `ValueError` for a malformed value.
    """
    value = ENDPOINT.resolve(props)
    if is_unknown(value):
        return value
    return normalize_endpoint(str(value) if value is not None else ELASTIC_CLOUD_ENDPOINT)


def endpoint_origin(props: Mapping[str, Any], base_url: str) -> str:
    """Which setting the endpoint of `base_url` came from, for "could not reach" messages.

    `check` stores the resolved endpoint in the inputs, so the stored value cannot tell an argument from stack
    config: a config or environment value giving the same endpoint is named first, the argument last.
    """
    target = api_base_url(base_url) if base_url else ""
    for name, value in [(f"stack config `{ENDPOINT.config_key}`", stack_config_value(ENDPOINT.config_key))] + [
        (f"environment variable ${env}", os.environ.get(env)) for env in ENDPOINT.env_vars
    ]:
        if isinstance(value, str) and value.strip() and api_base_url(value.strip()) == target:
            return name
    if target == api_base_url(ELASTIC_CLOUD_ENDPOINT):
        return "the default endpoint, Elastic Cloud"
    return "the `endpoint` argument"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def credentials_problem(props: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) when no usable credential can be found, else None. Unknown values pass."""
    api_key = API_KEY.resolve(props)
    if is_unknown(api_key) or not _blank(api_key):
        return None
    username, password = USERNAME.resolve(props), PASSWORD.resolve(props)
    if (is_unknown(username) or not _blank(username)) and (is_unknown(password) or not _blank(password)):
        return None
    if _blank(username) and _blank(password):
        return (
            "api_key",
            "no Elastic credentials were found (or they are empty). Give an API key through "
            f"{API_KEY.sources()}; on ECE you may instead give a username and password through "
            f"{USERNAME.sources()} and {PASSWORD.sources()}",
        )
    missing = PASSWORD if _blank(password) else USERNAME
    return (
        missing.arg,
        f"basic authentication needs both a username and a password; give the {missing.arg} through "
        f"{missing.sources()} (or give an API key through {API_KEY.sources()})",
    )


def auth_header(props: Mapping[str, Any]) -> str:
    """The `Authorization` value: `ApiKey <key>` when a key is found, else basic auth (ECE)."""
    problem = credentials_problem(props)
    if problem is not None:
        raise ConnectionSettingError(f"{problem[0]}: {problem[1]}")
    api_key = API_KEY.resolve(props)
    if not _blank(api_key):
        return f"ApiKey {str(api_key).strip()}"
    token = base64.b64encode(f"{USERNAME.resolve(props)}:{PASSWORD.resolve(props)}".encode()).decode("ascii")
    return f"Basic {token}"


def insecure(props: Mapping[str, Any]) -> Any:
    """The `insecure` flag (skip TLS verification, for self-signed ECE), or None when not set."""
    return INSECURE.resolve(props)


def settings_for(props: Mapping[str, Any]) -> HttpSettings:
    """Time limits and retries (`ec:timeout`, `ec:retryBudget`, `ec:maxRetries` or `EC_*`) and TLS setting."""
    return http_settings(CONFIG_NAMESPACE, ENV_PREFIX, props, insecure=insecure(props))


def http_settings_problem(props: Mapping[str, Any]) -> str | None:
    """Why a time-out, retry, upload time-out or upload limit setting is malformed, or None."""
    problem = validate_http_settings(CONFIG_NAMESPACE, ENV_PREFIX, props)
    if problem is not None:
        return problem
    for setting, reader in ((UPLOAD_TIMEOUT, upload_timeout), (UPLOAD_LIMIT_MB, upload_limit_bytes)):
        try:
            reader(props)
        except ValueError as exc:
            return f"{exc}; set {setting.config_key} or ${setting.env_vars[0]} to a positive number"
    return None


def upload_timeout(props: Mapping[str, Any]) -> float:
    """Seconds to wait between bytes of an upload (`ec:uploadTimeout` / `EC_UPLOAD_TIMEOUT`; "10m" works)."""
    value = UPLOAD_TIMEOUT.resolve(props)
    if value is None or is_unknown(value):
        return DEFAULT_UPLOAD_TIMEOUT
    seconds = duration_seconds(str(value))
    if seconds is None:
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"{UPLOAD_TIMEOUT.config_key} must be seconds or a duration, got {value!r}") from None
    if seconds <= 0:
        raise ValueError(f"{UPLOAD_TIMEOUT.config_key} must be positive, got {value!r}")
    return seconds


def upload_limit_bytes(props: Mapping[str, Any]) -> int:
    """The largest file `check` accepts (`ec:uploadLimitMb` / `EC_UPLOAD_LIMIT_MB`, default 8192 MB)."""
    value = UPLOAD_LIMIT_MB.resolve(props)
    if value is None or is_unknown(value):
        return DEFAULT_UPLOAD_LIMIT_MB * 1024 * 1024
    try:
        megabytes = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{UPLOAD_LIMIT_MB.config_key} must be a number of megabytes, got {value!r}") from None
    if megabytes <= 0:
        raise ValueError(f"{UPLOAD_LIMIT_MB.config_key} must be positive, got {value!r}")
    return int(megabytes * 1024 * 1024)


def client_for(props: Mapping[str, Any]) -> ElasticClient:
    """A client for the extension described by `props` (inputs or stored outputs), built per operation.

    The stored `endpoint` (resolved by `check`) wins, so read and delete reach where the object lives.
    """
    stored = props.get("endpoint")
    endpoint = normalize_endpoint(stored) if isinstance(stored, str) and stored else resolve_endpoint(props)
    return ElasticClient(
        endpoint,
        auth_header(props),
        settings_for(props),
        upload_timeout=upload_timeout(props),
    )
