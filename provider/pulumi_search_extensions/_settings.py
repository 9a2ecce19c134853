"""Connection settings: a resource argument, else stack config, else the ecosystem's environment variable.

The stack config arrives in the provider process through `ResourceProvider.configure()`. It is kept in
this module (process memory), never on the provider instance: dill pickles instance attributes into
the Pulumi state.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._http import HttpSettings
from ._inputs import is_unknown

_stack_config: dict[str, Any] = {}
_lock = threading.Lock()


def remember_stack_config(config: Any) -> None:
    """Stores the stack config given to `configure()` (a `pulumi.dynamic.Config`)."""
    raw = getattr(config, "_props", None)
    with _lock:
        _stack_config.clear()
        if isinstance(raw, Mapping):
            _stack_config.update(raw)


def stack_config_value(key: str) -> Any:
    """The stack config value of a namespaced key such as `coveo:apiKey`, or None."""
    with _lock:
        return _stack_config.get(key)


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


def _number(value: Any, name: str, kind: type[int] | type[float]) -> int | float | None:
    if value is None or value == "" or is_unknown(value):
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def http_settings(namespace: str, env_prefix: str, props: Mapping[str, Any], *, insecure: Any = None) -> HttpSettings:
    """Time limits and retries for one service, from `<namespace>:timeout|retryBudget|maxRetries` or env.

    `timeout` is per attempt (seconds between bytes), `retryBudget` the total for one call including
    back-off. Elastic's `EC_TIMEOUT` keeps its ecosystem meaning (a per-request time-out).
    """
    defaults = HttpSettings()
    values: dict[str, Any] = {}
    for arg, key, env, kind in (
        ("timeout", "timeout", "TIMEOUT", float),
        ("retry_budget", "retryBudget", "RETRY_BUDGET", float),
        ("max_retries", "maxRetries", "MAX_RETRIES", int),
    ):
        setting = Setting(arg, f"{namespace}:{key}", (f"{env_prefix}_{env}",))
        number = _number(setting.resolve(props), setting.config_key, kind)
        if number is not None:
            values[arg] = number
    return HttpSettings(
        timeout=float(values.get("timeout", defaults.timeout)),
        retry_budget=float(values.get("retry_budget", defaults.retry_budget)),
        max_retries=int(values.get("max_retries", defaults.max_retries)),
        verify_tls=not _flag(insecure) if insecure is not None else True,
    )


def validate_http_settings(namespace: str, env_prefix: str, props: Mapping[str, Any]) -> str | None:
    """The error message for a malformed time-out or retry setting, or None (used by `check`)."""
    try:
        http_settings(namespace, env_prefix, props)
    except ValueError as exc:
        return f"{exc}; give a non-negative number of seconds (or retries)"
    return None
