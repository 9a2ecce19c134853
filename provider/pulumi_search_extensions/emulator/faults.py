"""Latency and fault injection, and the request log, as one ASGI middleware.

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

Admin paths (`/_emulator/...`) are never delayed, faulted or logged.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import random
import threading
import uuid
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

FAULT_KINDS = ("429", "500", "503", "drop", "fail_after_commit")
ADMIN_PREFIX = "/_emulator"
COVEO_PREFIX = "/rest/"
ELASTIC_PREFIX = "/api/v1/"
TRANSPORT_SCOPE_KEY = "pulumi_search_extensions.transport"
REQUEST_LOG_LIMIT = 100_000  # entries kept in the log; the counts stay exact beyond it

_ERROR_CODES = {
    # status: (Coveo errorCode, Elastic code, message)
    429: ("TOO_MANY_REQUESTS", "root.too_many_requests", "Too many requests; retry later."),
    500: ("UNEXPECTED_EXCEPTION", "root.unexpected_error", "An unexpected error occurred."),
    503: ("SERVICE_UNAVAILABLE", "root.service_unavailable", "The service is temporarily unavailable."),
}


class FaultConfigError(ValueError):
    """A fault configuration that cannot be used (the message says why)."""


def vendor_error_response(
    path: str, status: int, coveo_code: str, elastic_code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """An error in the shape of the API the path belongs to (Coveo, Elastic, or plain JSON)."""
    extra = dict(headers or {})
    if path.startswith(COVEO_PREFIX):
        request_id = str(uuid.uuid4())
        body: dict[str, Any] = {"message": message, "errorCode": coveo_code, "requestID": request_id}
        extra["X-Request-ID"] = request_id
    elif path.startswith(ELASTIC_PREFIX):
        body = {"errors": [{"code": elastic_code, "message": message}]}
        extra["x-cloud-error-codes"] = elastic_code
    else:
        body = {"error": message}
    return JSONResponse(body, status_code=status, headers=extra)


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


class RequestLog:
    """Every vendor request served: `{method, path, route, status, fault}` and counts per route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._counts: Counter[str] = Counter()

    def record(self, method: str, path: str, route: str, status: int | None, fault: str | None) -> None:
        """Log one request (`status` None when no response was sent)."""
        with self._lock:
            self._entries.append({"method": method, "path": path, "route": route, "status": status, "fault": fault})
            self._counts[f"{method} {route}"] += 1

    def clear(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def to_json(self) -> dict[str, Any]:
        """`GET /_emulator/requests`."""
        with self._lock:
            return {"requests": list(self._entries), "counts": dict(self._counts)}


class RouteResolver:
    """Finds the route template (`/rest/organizations/{organizationId}/...`) of a request."""

    CACHE_SIZE = 4096

    def __init__(self, routes: list[BaseRoute]) -> None:
        self._routes = routes
        # Matching walks every route's regex; clients repeat the same paths, so remember them.
        self._cache: dict[tuple[str, str], str | None] = {}

    def template(self, scope: Scope) -> str | None:
        """The template of the route serving the request (a method mismatch still names it)."""
        key = (scope["method"], scope["path"])
        if key not in self._cache:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = self._search(self._routes, scope, "")
        return self._cache[key]

    def _search(self, routes: list[BaseRoute], scope: Scope, prefix: str) -> str | None:
        partial: str | None = None
        for route in routes:
            match, child_scope = route.matches(scope)
            if match is Match.NONE:
                continue
            if isinstance(route, Mount):
                found = self._search(list(route.routes), {**scope, **child_scope}, prefix + route.path)
                if found is not None:
                    return found
            elif isinstance(route, Route):
                if match is Match.FULL:
                    return prefix + route.path
                partial = partial or prefix + route.path
        return partial


class TransportExposingH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, putting the connection's transport into the ASGI scope.

    ASGI gives an application no way to close a connection without answering; the fault
    middleware needs exactly that, so it finds the transport under `TRANSPORT_SCOPE_KEY` in
    `scope["extensions"]` and aborts it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner_app = self.app

        async def app_with_transport(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_SCOPE_KEY] = self.transport
            await inner_app(scope, receive, send)

        self.app = app_with_transport


async def _drain_request_body(receive: Receive) -> None:
    """Read the request body to its end, so the client gets to read our early answer."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _drop_connection(scope: Scope, receive: Receive) -> None:
    """Close the TCP connection without a response, and wait until the server has seen it go."""
    transport = scope.get("extensions", {}).get(TRANSPORT_SCOPE_KEY)
    if transport is None:
        raise RuntimeError("dropping a connection needs TransportExposingH11Protocol (uvicorn http=...)")
    transport.abort()

    async def until_disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    # Once uvicorn marks the request disconnected it will not try to answer on the dead socket.
    await asyncio.wait_for(until_disconnected(), timeout=10)


class FaultInjectionMiddleware:
    """Applies `FaultInjector` decisions to vendor requests and logs them in `RequestLog`."""

    def __init__(
        self, app: ASGIApp, *, injector: FaultInjector, request_log: RequestLog, resolver: RouteResolver
    ) -> None:
        self.app = app
        self.injector = injector
        self.request_log = request_log
        self.resolver = resolver

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (ASGI)."""
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        route = self.resolver.template(scope) or path
        decision = self.injector.decide(method, route, path)
        if decision.delay_s > 0:
            await asyncio.sleep(decision.delay_s)

        if decision.fault in ("429", "500", "503"):
            await _drain_request_body(receive)
            status = int(decision.fault)
            coveo_code, elastic_code, message = _ERROR_CODES[status]
            headers = {"Retry-After": str(decision.retry_after_s)} if status == 429 else {}
            response = vendor_error_response(path, status, coveo_code, elastic_code, message, headers)
            await response(scope, receive, send)
            self.request_log.record(method, path, route, status, decision.fault)
            return
        if decision.fault == "drop":
            self.request_log.record(method, path, route, None, "drop")
            await _drop_connection(scope, receive)
            return

        sent_status: int | None = None
        committed_only = decision.fault == "fail_after_commit"

        async def send_watching_status(message: Message) -> None:
            nonlocal sent_status
            if message["type"] == "http.response.start":
                sent_status = int(message["status"])
            if not committed_only:
                await send(message)

        try:
            await self.app(scope, receive, send_watching_status)
        finally:
            self.request_log.record(method, path, route, sent_status, decision.fault)
        if committed_only:
            await _drop_connection(scope, receive)


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
