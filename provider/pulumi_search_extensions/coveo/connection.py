"""Where a Coveo resource's calls go and with which key: organization, API key, base URL, HTTP settings.

Every Coveo resource (CoveoExtension, CoveoSourceExtensions) takes the same optional connection
arguments and falls back to the same stack config keys and environment variables, in this order:

| argument          | stack config          | environment              |
|-------------------|-----------------------|--------------------------|
| `organization_id` | `coveo:organizationId`| `COVEO_ORGANIZATION_ID`  |
| `api_key`         | `coveo:apiKey`        | `COVEO_API_KEY`          |
| `host`            | `coveo:host`          | `COVEO_HOST`             |
| `region`          | `coveo:region`        | `COVEO_REGION`           |

`host` (any base URL) and `region` (a Coveo region) both say where the API lives: give one of them.
Both given, from any sources, and naming different places is a `check` failure (at preview) that names
both and says which to remove for which outcome; nothing silently wins. With neither, the US platform is
used. (At call time, on the values `check` stored, the more specific source wins: an argument beats stack
config, which beats the environment, and at the same level `host` wins.) `coveo:timeout`, `coveo:retryBudget`,
`coveo:maxRetries` (or `COVEO_TIMEOUT`, ...) tune the HTTP layer.

`check` stores the resolved organization and base URL in the checked inputs (never a key taken from
config or the environment), so later calls know where the object lives even if the config changes.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import CheckFailure

from .._http import HttpSettings
from .._inputs import failure, is_unknown
from .._settings import Setting, http_settings, setting_origin, validate_http_settings

ORGANIZATION_ID = Setting("organization_id", "coveo:organizationId", ("COVEO_ORGANIZATION_ID",))
API_KEY = Setting("api_key", "coveo:apiKey", ("COVEO_API_KEY",))
HOST = Setting("host", "coveo:host", ("COVEO_HOST",))
REGION = Setting("region", "coveo:region", ("COVEO_REGION",))

REGION_BASE_URLS: dict[str, str] = {
    "us": "https://platform.cloud.coveo.com",
    "eu": "https://platform-eu.cloud.coveo.com",
    "au": "https://platform-au.cloud.coveo.com",
    "ca": "https://platform-ca.cloud.coveo.com",
    "hipaa": "https://platformhipaa.cloud.coveo.com",
}
DEFAULT_REGION = "us"


class CoveoConnectionError(ValueError):
    """The connection settings are missing or malformed; the message names every way to fix them."""


@dataclass(frozen=True)
class CoveoConnection:
    """Everything needed to call one Coveo organization. Built per operation, never pickled.

    Attributes:
        organization_id: the organization whose objects are managed.
        base_url: the API's base URL without a trailing slash (a region's platform URL, a per-organization
            admin host, or the emulator).
        api_key: the API key or OAuth token sent as `Authorization: Bearer`; never shown in a repr.
        http: time limits and retries of the calls.
    """

    organization_id: str
    base_url: str
    api_key: str = field(repr=False)
    http: HttpSettings = field(default_factory=HttpSettings)


def _level(setting: Setting, props: Mapping[str, Any]) -> int:
    """Where `setting.resolve(props)` found its value: 0 the argument, 1 stack config, 2 the environment (or none)."""
    origin = setting_origin(setting, props)
    if origin == f"the `{setting.arg}` argument":
        return 0
    return 1 if origin == f"stack config `{setting.config_key}`" else 2


def _location(props: Mapping[str, Any]) -> tuple[Setting, Any, str] | None:
    """The host or region that decides the base URL, its value and where it came from: the more specific
    level first (argument, stack config, environment), host before region at the same level."""
    found = [(setting, setting.resolve(props)) for setting in (HOST, REGION)]
    given = [(setting, value) for setting, value in found if value is not None]
    if not given:
        return None
    setting, value = min(given, key=lambda pair: _level(pair[0], props))  # min() keeps the first (host) on a tie
    return setting, value, setting_origin(setting, props)


def _base_url_of(setting: Setting, value: Any) -> str | None:
    """The base URL a host or region value names (None for an unknown region)."""
    if setting is HOST:
        return normalize_host(str(value))
    return REGION_BASE_URLS.get(str(value).strip().lower())


def base_url_origin(props: Mapping[str, Any], base_url: str) -> str:
    """Which setting `base_url` came from, for "could not reach" messages.

    `check` stores the resolved URL as `host`, so the stored value cannot tell an argument from stack config:
    a config or environment value that gives the same URL is named first, the argument last.
    """
    target = normalize_host(base_url) if base_url else ""
    for setting in (HOST, REGION):
        value = setting.resolve({})
        if value is not None and _base_url_of(setting, value) == target:
            return setting_origin(setting, {})
    region = props.get("region")
    if isinstance(region, str) and REGION_BASE_URLS.get(region.strip().lower()) == target:
        return "the `region` argument"
    if target == REGION_BASE_URLS[DEFAULT_REGION]:
        return f"the default region {DEFAULT_REGION!r}"
    return "the `host` argument"


def normalize_host(host: str) -> str:
    """The base URL as compared and stored: no surrounding blanks, no trailing slash."""
    return host.strip().rstrip("/")


def host_problem(host: Any) -> str | None:
    """Why `host` is not a usable base URL, or None when it is."""
    if not isinstance(host, str):
        return f"must be a URL string, got {type(host).__name__}"
    parsed = urllib.parse.urlsplit(host.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return f"{host!r} is not an http(s) URL; give a base URL such as https://platform.cloud.coveo.com"
    if parsed.query or parsed.fragment:
        return f"{host!r} must be a base URL without a query or fragment"
    return None


def region_problem(region: Any) -> str | None:
    """Why `region` is not a Coveo region, or None when it is."""
    if isinstance(region, str) and region.strip().lower() in REGION_BASE_URLS:
        return None
    return f"{region!r} is not a Coveo region; use one of {', '.join(REGION_BASE_URLS)} (or give `host`)"


def resolve_base_url(props: Mapping[str, Any]) -> str:
    """The effective base URL (UNKNOWN when the deciding argument is not known yet).

    Raises `CoveoConnectionError` when the deciding value is malformed.
    """
    location = _location(props)
    if location is None:
        return REGION_BASE_URLS[DEFAULT_REGION]
    setting, value, origin = location
    if is_unknown(value):
        return str(value)
    problem = host_problem(value) if setting is HOST else region_problem(value)
    if problem:
        raise CoveoConnectionError(f"{setting.arg}: {problem} (from {origin})")
    return str(_base_url_of(setting, value))


def resolve_organization_id(props: Mapping[str, Any]) -> Any:
    """The organization id (a string, UNKNOWN at preview, or None when none is given)."""
    value = ORGANIZATION_ID.resolve(props)
    return value.strip() if isinstance(value, str) and not is_unknown(value) else value


def _missing(setting: Setting, what: str, how: str = "") -> str:
    return f"no {what} given; set {setting.sources()}{how}"


def resolve_connection(props: Mapping[str, Any]) -> CoveoConnection:
    """The connection of one call, resolved at call time in the provider process.

    `props` are the resource's inputs or outputs: after `check` they hold the resolved `organization_id`
    and `host`, and `api_key` only when the program passed it (as a secret). Raises `CoveoConnectionError`
    with a message naming every way to give a missing setting.
    """
    organization_id = resolve_organization_id(props)
    api_key = API_KEY.resolve(props)
    problems = []
    if not isinstance(organization_id, str) or not organization_id or is_unknown(organization_id):
        problems.append(_missing(ORGANIZATION_ID, "Coveo organization id"))
    if not isinstance(api_key, str) or not api_key.strip() or is_unknown(api_key):
        problems.append(_missing(API_KEY, "Coveo API key", " (as a secret)"))
    try:
        base_url = resolve_base_url(props)
        http = http_settings("coveo", "COVEO", props)
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        raise CoveoConnectionError("; ".join(problems))
    return CoveoConnection(str(organization_id), base_url, str(api_key).strip(), http)


def _malformed_locations(props: Mapping[str, Any]) -> list[CheckFailure]:
    """A failure for each of `host` and `region` given (from any source) with a value that names no place."""
    found = []
    for setting in (HOST, REGION):
        value = setting.resolve(props)
        if value is None or is_unknown(value):
            continue
        problem = host_problem(value) if setting is HOST else region_problem(value)
        if problem:
            found.append(CheckFailure(setting.arg, f"{setting.arg}: {problem} (from {setting_origin(setting, props)})"))
    return found


def location_conflict(props: Mapping[str, Any]) -> str | None:
    """Why `host` and `region` cannot both be used, or None: both given (argument, stack config or environment,
    in any mix) and naming different places. A host equal to the region's own URL agrees with it."""
    host, region = HOST.resolve(props), REGION.resolve(props)
    if host is None or region is None or is_unknown(host) or is_unknown(region):
        return None
    if isinstance(host, str) and isinstance(region, str) and _base_url_of(REGION, region) == normalize_host(host):
        return None
    host_origin, region_origin = setting_origin(HOST, props), setting_origin(REGION, props)
    return (
        f"give either `host` or `region`, not both: `host` is {host!r} (from {host_origin}) and `region` is "
        f"{region!r} (from {region_origin}); remove {host_origin} to use the region, or remove {region_origin} "
        "to keep the host"
    )


def check_connection(props: Mapping[str, Any]) -> list[CheckFailure]:
    """Every problem with the connection settings, without any API call; values not known yet pass."""
    failures: list[CheckFailure] = []
    organization_id = resolve_organization_id(props)
    if organization_id is None or (isinstance(organization_id, str) and not organization_id):
        failures.append(failure("organization_id", _missing(ORGANIZATION_ID, "Coveo organization id")))
    elif not isinstance(organization_id, str):
        failures.append(failure("organization_id", f"must be a string, got {type(organization_id).__name__}"))
    api_key = API_KEY.resolve(props)
    if api_key is None or (isinstance(api_key, str) and not api_key.strip()):
        failures.append(failure("api_key", _missing(API_KEY, "Coveo API key", " (as a secret)")))
    elif not isinstance(api_key, str):
        failures.append(failure("api_key", f"must be a string, got {type(api_key).__name__}"))
    malformed = _malformed_locations(props)
    failures += malformed
    conflict = None if malformed else location_conflict(props)
    if conflict:
        failures.append(failure("region", conflict))
    problem = validate_http_settings("coveo", "COVEO", props)
    if problem:
        failures.append(failure("timeout", problem))
    return failures


def checked_connection_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The non-secret connection settings `check` stores in the inputs: organization and base URL.

    Call only when `check_connection` found no failure.
    """
    stored: dict[str, Any] = {"organization_id": resolve_organization_id(props), "host": resolve_base_url(props)}
    region = props.get("region")
    if isinstance(region, str) and not is_unknown(region):
        stored["region"] = region.strip().lower()
    elif region is not None:
        stored["region"] = region
    api_key = props.get("api_key")
    if api_key is not None and api_key != "":
        stored["api_key"] = api_key  # only ever the program's own (secret) argument
    return stored
