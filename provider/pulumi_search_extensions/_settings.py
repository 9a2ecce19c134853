"""Connection settings: a resource argument, else stack config, else the ecosystem's environment variable.

The stack config arrives in the provider process through `ResourceProvider.configure()`. It is kept in
this module (process memory), never on the provider instance: dill pickles instance attributes into
the Pulumi state.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic.config import Config

from ._http import HttpSettings
from ._inputs import is_unknown

_stack_config: Config | None = None
_lock = threading.Lock()


def remember_stack_config(config: Config | None) -> None:
    """Keeps the stack config given to `configure()` for this provider process (None forgets it)."""
    global _stack_config
    with _lock:
        _stack_config = config


def stack_config_value(key: str) -> Any:
    """The stack config value of a namespaced key such as `coveo:apiKey`, or None."""
    with _lock:
        config = _stack_config
    return None if config is None else config.get(key)


@dataclass(frozen=True)
class Setting:
    """One connection setting and the three places it can come from, in order."""

    arg: str
    config_key: str
    env_vars: tuple[str, ...]

    def sources(self) -> str:
        """How a user gives this setting, for error messages."""
        env = " or ".join(f"${v}" for v in self.env_vars)
        return f"the `{self.arg}` resource argument, stack config `{self.config_key}`, or environment variable {env}"

    def resolve(self, props: Mapping[str, Any]) -> Any:
        """The value from the argument, the stack config or the environment; None when none has it.

        Returns the UNKNOWN sentinel unchanged when the argument is not known yet (preview).
        """
        value = props.get(self.arg)
        if value is not None and value != "":
            return value
        value = stack_config_value(self.config_key)
        if value is not None and value != "":
            return value
        for name in self.env_vars:
            env = os.environ.get(name)
            if env:
                return env
        return None


def setting_origin(setting: Setting, props: Mapping[str, Any]) -> str:
    """Where the value `setting.resolve(props)` uses comes from, for error messages; every source when none."""
    value = props.get(setting.arg)
    if value is not None and value != "":
        return f"the `{setting.arg}` argument"
    value = stack_config_value(setting.config_key)
    if value is not None and value != "":
        return f"stack config `{setting.config_key}`"
    for name in setting.env_vars:
        if os.environ.get(name):
            return f"environment variable ${name}"
    return setting.sources()


# A Go duration as the Elastic ecosystem writes `ec:timeout` / `EC_TIMEOUT` ("40s", "1m", "1m30s", "1.5h").
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_DURATION_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(text: str) -> float | None:
    """Seconds of a Go duration string such as "1m30s", or None when `text` is not one."""
    text = text.strip()
    if not text or _DURATION_PART.sub("", text):
        return None
    return sum(float(n) * _DURATION_UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))


def _number(value: Any, name: str, kind: type[int] | type[float]) -> int | float | None:
    if value is None or value == "" or is_unknown(value):
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        seconds = duration_seconds(value) if kind is float and isinstance(value, str) else None
        if seconds is None:
            raise ValueError(f"{name} must be a number, got {value!r}") from None
        number = seconds
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


HTTP_SETTING_KEYS: tuple[tuple[str, str, str, type[int] | type[float]], ...] = (
    # (HttpSettings field, stack config key after `<namespace>:`, environment variable after `<PREFIX>_`, type)
    ("timeout", "timeout", "TIMEOUT", float),
    ("retry_budget", "retryBudget", "RETRY_BUDGET", float),
    ("max_retries", "maxRetries", "MAX_RETRIES", int),
    ("backoff_factor", "retryBackoff", "RETRY_BACKOFF", float),
)


def http_settings(namespace: str, env_prefix: str, props: Mapping[str, Any], *, insecure: Any = None) -> HttpSettings:
    """Time limits and retries for one service, from `<namespace>:timeout|retryBudget|maxRetries|retryBackoff`
    or the environment (`<PREFIX>_TIMEOUT`, `_RETRY_BUDGET`, `_MAX_RETRIES`, `_RETRY_BACKOFF`).

    `timeout` is per attempt (seconds between bytes), `retryBudget` the total for one call including
    back-off, `maxRetries` the retries after the first attempt, `retryBackoff` the base of the exponential
    back-off in seconds. Elastic's `EC_TIMEOUT` keeps its ecosystem meaning (a per-request time-out).
    """
    defaults = HttpSettings()
    values: dict[str, Any] = {}
    for arg, key, env, kind in HTTP_SETTING_KEYS:
        setting = Setting(arg, f"{namespace}:{key}", (f"{env_prefix}_{env}",))
        number = _number(setting.resolve(props), setting.config_key, kind)
        if number is not None:
            values[arg] = number
    return HttpSettings(
        timeout=float(values.get("timeout", defaults.timeout)),
        retry_budget=float(values.get("retry_budget", defaults.retry_budget)),
        max_retries=int(values.get("max_retries", defaults.max_retries)),
        backoff_factor=float(values.get("backoff_factor", defaults.backoff_factor)),
        verify_tls=not _flag(insecure) if insecure is not None else True,
    )


def validate_http_settings(namespace: str, env_prefix: str, props: Mapping[str, Any]) -> str | None:
    """The error message for a malformed time-out or retry setting, or None (used by `check`)."""
    try:
        http_settings(namespace, env_prefix, props)
    except ValueError as exc:
        return f"{exc}; give a non-negative number of seconds such as 90 or a duration such as 1m30s (or retries)"
    return None
