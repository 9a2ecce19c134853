"""Fault and latency rules: their configuration, and the injector that draws what each request gets.

Fault configuration (JSON, from `--fault-config` or `PUT /_emulator/faults`)::

    {
      "latency_ms": 0, "jitter_ms": 0,     # every vendor request: fixed + uniform(0, jitter) delay
      "seed": 7,                           # optional: reproducible draws (else --seed, else random)
      "rules": [{
        "method": "PUT",                   # or "*" (default)
        "route": "/rest/organizations/*/extensions/*",   # glob on the route template or the path
        "latency_ms": 0, "jitter_ms": 0,   # added to the global delay
        "faults": {"429": 0.1, "500": 0, "503": 0, "drop": 0, "fail_after_commit": 0},
        "retry_after_s": 1,                # Retry-After of injected 429s
        "max_faults": null                 # stop injecting after this many faults (null: never)
      }]
    }

The first rule whose method and route match a request applies; one draw picks at most one fault
with the given probabilities (their sum must not exceed 1). Fault kinds:

- `429`, `500`, `503`: an error in the vendor's own shape (Coveo or Elastic body and headers),
  without calling the emulated API;
- `drop`: the TCP connection is closed with no response, before the API sees the request;
- `fail_after_commit`: the API applies the request, then the connection is closed instead of
  sending its response.

Admin paths (`/_emulator/...`) are never delayed, faulted or logged. This module only decides;
`middleware.py` applies the decisions. No HTTP here, so the command line can parse a configuration
without importing the server.
"""

from __future__ import annotations

import fnmatch
import json
import random
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = ("429", "500", "503", "drop", "fail_after_commit")


class FaultConfigError(ValueError):
    """A fault configuration that cannot be used (the message says why)."""


def _number(data: Mapping[str, Any], key: str, default: float, *, where: str) -> float:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise FaultConfigError(f"{where}.{key} must be a non-negative number")
    return float(value)


def _reject_unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise FaultConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


@dataclass
class FaultRule:
    """Latency and fault probabilities for the requests one method + route glob matches."""

    method: str = "*"
    route: str = "*"
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    faults: dict[str, float] = field(default_factory=dict)
    retry_after_s: int = 1
    max_faults: int | None = None

    @classmethod
    def from_json(cls, data: Any, where: str) -> FaultRule:
        """Parse and validate one rule."""
        if not isinstance(data, dict):
            raise FaultConfigError(f"{where} must be an object")
        _reject_unknown_keys(
            data, {"method", "route", "latency_ms", "jitter_ms", "faults", "retry_after_s", "max_faults"}, where
        )
        method = data.get("method", "*")
        route = data.get("route", "*")
        if not isinstance(method, str) or not method or not isinstance(route, str) or not route:
            raise FaultConfigError(f"{where}.method and .route must be non-empty strings")
        faults = data.get("faults")
        if faults is None:
            faults = {}
        if not isinstance(faults, dict):
            raise FaultConfigError(f"{where}.faults must be an object keyed by fault kind")
        _reject_unknown_keys(faults, set(FAULT_KINDS), f"{where}.faults")
        probabilities = {kind: _number(faults, kind, 0.0, where=f"{where}.faults") for kind in faults}
        if any(p > 1 for p in probabilities.values()) or sum(probabilities.values()) > 1 + 1e-9:
            raise FaultConfigError(f"{where}.faults: probabilities must be within [0, 1] and sum to at most 1")
        max_faults = data.get("max_faults")
        if max_faults is not None and (
            isinstance(max_faults, bool) or not isinstance(max_faults, int) or max_faults < 0
        ):
            raise FaultConfigError(f"{where}.max_faults must be a non-negative integer or null")
        return cls(
            method=method.upper(),
            route=route,
            latency_ms=_number(data, "latency_ms", 0.0, where=where),
            jitter_ms=_number(data, "jitter_ms", 0.0, where=where),
            faults=probabilities,
            retry_after_s=int(_number(data, "retry_after_s", 1, where=where)),
            max_faults=max_faults,
        )

    def to_json(self) -> dict[str, Any]:
        """The rule as configured."""
        return {
            "method": self.method,
            "route": self.route,
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "faults": dict(self.faults),
            "retry_after_s": self.retry_after_s,
            "max_faults": self.max_faults,
        }

    def matches(self, method: str, route: str, path: str) -> bool:
        """Whether the rule applies to a request (glob on the route template or the path)."""
        if self.method not in ("*", method):
            return False
        return fnmatch.fnmatchcase(route, self.route) or fnmatch.fnmatchcase(path, self.route)


@dataclass
class FaultConfig:
    """Global latency, an optional seed and the rules."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    seed: int | None = None
    rules: list[FaultRule] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> FaultConfig:
        """Parse and validate a configuration (see the module docstring)."""
        if not isinstance(data, dict):
            raise FaultConfigError("the fault configuration must be a JSON object")
        _reject_unknown_keys(data, {"latency_ms", "jitter_ms", "seed", "rules"}, "faults")
        seed = data.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise FaultConfigError("faults.seed must be an integer or null")
        rules = data.get("rules")
        if rules is None:
            rules = []
        if not isinstance(rules, list):
            raise FaultConfigError("faults.rules must be an array")
        return cls(
            latency_ms=_number(data, "latency_ms", 0.0, where="faults"),
            jitter_ms=_number(data, "jitter_ms", 0.0, where="faults"),
            seed=seed,
            rules=[FaultRule.from_json(rule, f"faults.rules[{index}]") for index, rule in enumerate(rules)],
        )

    def to_json(self) -> dict[str, Any]:
        """The configuration as accepted by `from_json`."""
        return {
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "seed": self.seed,
            "rules": [rule.to_json() for rule in self.rules],
        }


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request: wait `delay_s`, then inject `fault` (None: serve normally)."""

    delay_s: float
    fault: str | None
    retry_after_s: int


class FaultInjector:
    """The current fault configuration, its random source and the counts of injected faults."""

    def __init__(self, config: FaultConfig | None = None, *, default_seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._default_seed = default_seed
        self._config = FaultConfig()
        self._random = random.Random(default_seed)
        self._injected: Counter[str] = Counter()
        self._injected_by_rule: list[Counter[str]] = []
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        """Replace the configuration, re-seed the draws and zero the counts."""
        with self._lock:
            self._config = config
            self._random = random.Random(config.seed if config.seed is not None else self._default_seed)
            self._injected = Counter()
            self._injected_by_rule = [Counter() for _ in config.rules]

    def clear(self) -> None:
        """No latency, no rules, counts zeroed."""
        self.configure(FaultConfig())

    def decide(self, method: str, route: str, path: str) -> FaultDecision:
        """Draw the delay and the fault (if any) for one request."""
        with self._lock:
            config = self._config
            delay_ms = config.latency_ms + self._random.uniform(0, config.jitter_ms)
            for index, rule in enumerate(config.rules):
                if not rule.matches(method, route, path):
                    continue
                delay_ms += rule.latency_ms + self._random.uniform(0, rule.jitter_ms)
                fault = self._draw(rule)
                counts = self._injected_by_rule[index]
                if fault is not None and (rule.max_faults is None or sum(counts.values()) < rule.max_faults):
                    counts[fault] += 1
                    self._injected[fault] += 1
                    return FaultDecision(delay_ms / 1000, fault, rule.retry_after_s)
                break
            return FaultDecision(delay_ms / 1000, None, 1)

    def _draw(self, rule: FaultRule) -> str | None:
        if not rule.faults:
            return None
        draw = self._random.random()
        threshold = 0.0
        for kind in FAULT_KINDS:
            threshold += rule.faults.get(kind, 0.0)
            if draw < threshold:
                return kind
        return None

    def status(self) -> dict[str, Any]:
        """`GET /_emulator/faults`: the configuration and what was injected (total and per rule)."""
        with self._lock:
            config = self._config.to_json()
            for rule, counts in zip(config["rules"], self._injected_by_rule, strict=True):
                rule["injected"] = {kind: counts[kind] for kind in FAULT_KINDS}
            return {"config": config, "injected": {kind: self._injected[kind] for kind in FAULT_KINDS}}


def parse_fault_config_argument(argument: str) -> FaultConfig:
    """`--fault-config`: inline JSON, or `@path` to a JSON file."""
    text = argument
    if argument.startswith("@"):
        with open(argument[1:], encoding="utf-8") as handle:
            text = handle.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FaultConfigError(f"the fault configuration is not valid JSON: {error}") from None
    return FaultConfig.from_json(data)
