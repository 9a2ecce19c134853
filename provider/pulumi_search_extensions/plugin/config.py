"""The plugin's configuration: the dynamic resources' stack config keys, under the plugin's own namespace.

The engine gives a provider plugin only the config of its namespace, so `coveo:organizationId` becomes
`search-extensions:coveoOrganizationId` and `ec:apikey` becomes `search-extensions:ecApikey`: the namespace
folded into the key, nothing else renamed. Inside the plugin process they are remembered under their original
keys, so every operation resolves a setting exactly as for the dynamic resources: resource argument, then this
config, then the environment (`COVEO_*`, `EC_*`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic.config import Config
from pulumi.provider.experimental.property_value import PropertyValue

from .._settings import HTTP_SETTING_KEYS, Setting, remember_stack_config
from ..coveo import connection as coveo
from ..elastic import connection as elastic
from .resources import PACKAGE
from .values import to_plain


@dataclass(frozen=True)
class ConfigKey:
    """One key of the plugin's configuration and the stack config key it stands for."""

    stack_key: str
    """The dynamic resources' key, e.g. `coveo:organizationId`."""
    description: str
    secret: bool = False
    kind: str = "string"

    @property
    def name(self) -> str:
        """The plugin's key (without the `search-extensions:` namespace), e.g. `coveoOrganizationId`."""
        return plugin_key(self.stack_key).split(":", 1)[1]


def _setting(setting: Setting, what: str, *, secret: bool = False, kind: str = "string") -> ConfigKey:
    env = " or ".join(f"`{name}`" for name in setting.env_vars)
    return ConfigKey(
        setting.config_key, f"{what} when a resource has no `{setting.arg}` argument (else {env}).", secret, kind
    )


def _http(namespace: str, service: str) -> list[ConfigKey]:
    meaning = {
        "timeout": "Seconds to wait for an answer, per attempt",
        "retryBudget": "Total seconds one call may take, retries included",
        "maxRetries": "Retries after the first attempt",
        "retryBackoff": "Base of the exponential back-off between retries, seconds",
    }
    env_prefix = "COVEO" if namespace == "coveo" else "EC"
    return [
        ConfigKey(
            f"{namespace}:{key}", f"{meaning[key]}, for {service} calls (else `{env_prefix}_{env}`).", kind="number"
        )
        for _, key, env, _ in HTTP_SETTING_KEYS
    ]


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    _setting(coveo.ORGANIZATION_ID, "The Coveo organization"),
    _setting(coveo.API_KEY, "The Coveo API key", secret=True),
    _setting(coveo.REGION, "The Coveo region (`us`, `eu`, `au`, `ca`, `hipaa`)"),
    _setting(coveo.HOST, "The base URL of the Coveo platform"),
    *_http("coveo", "Coveo"),
    _setting(elastic.ENDPOINT, "The Elastic Cloud or ECE API endpoint"),
    _setting(elastic.API_KEY, "The Elastic API key", secret=True),
    _setting(elastic.USERNAME, "The ECE user"),
    _setting(elastic.PASSWORD, "The ECE password", secret=True),
    _setting(elastic.INSECURE, "Skip TLS verification (self-signed ECE)", kind="boolean"),
    _setting(elastic.UPLOAD_LIMIT_MB, "The largest file uploaded, in MB", kind="number"),
    _setting(elastic.UPLOAD_TIMEOUT, "Seconds one upload may take", kind="number"),
    *_http("ec", "Elastic"),
)


def plugin_key(stack_key: str) -> str:
    """The plugin's config key (with its namespace) of a dynamic resources' key: `coveo:host` ->
    `search-extensions:coveoHost`."""
    namespace, key = stack_key.split(":", 1)
    return f"{PACKAGE}:{namespace}{key[:1].upper()}{key[1:]}"


def remember_plugin_config(variables: Mapping[str, str], args: Mapping[str, PropertyValue]) -> None:
    """Keeps the plugin's configuration in process memory under the stack config keys the settings read.

    `args` (typed values) win over `variables` (strings, `search-extensions:<key>`); both come from the engine.
    """
    raw: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        value: Any = variables.get(f"{PACKAGE}:{key.name}")
        if key.name in args:
            value = to_plain(args[key.name])
        if value is not None and value != "":
            raw[key.stack_key] = value
    remember_stack_config(Config(raw, PACKAGE))
