"""What the emulator saw, and the fault rules tests give it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def vendor_calls(emulator: EmulatorHandle, path_part: str = "") -> dict[str, int]:
    """How many vendor API calls the emulator received, by "METHOD route template" (only routes containing
    `path_part`, e.g. "/api/v1/" for Elastic's, when given)."""
    counts: dict[str, int] = emulator.admin.requests()["counts"]
    return {route: count for route, count in counts.items() if path_part in route}


def fault_rule(method: str, route: str, **rule: Any) -> dict[str, Any]:
    """A fault configuration with one rule, e.g. `fault_rule("POST", route, faults={"drop_request": 1.0})`."""
    return fault_config(route_rule(method, route, **rule))


def route_rule(method: str, route: str, **rule: Any) -> dict[str, Any]:
    """One rule of a fault configuration: what happens to `method` calls of `route` (a template, `*` globs)."""
    return {"method": method, "route": route, **rule}


def fault_config(*rules: Mapping[str, Any], **settings: Any) -> dict[str, Any]:
    """A fault configuration of several rules, and settings of the whole emulator (`seed`, `latency_ms`)."""
    return {**settings, "rules": [dict(rule) for rule in rules]}


def writes_sent(emulator: EmulatorHandle) -> dict[str, int]:
    """The vendor API calls the emulator received that would change something (anything but GET), by route."""
    return {route: count for route, count in vendor_calls(emulator).items() if not route.startswith("GET ")}


def logged_requests(emulator: EmulatorHandle, method: str, route: str) -> list[dict[str, Any]]:
    """The logged requests of one method and route template, in order (each with the `fault` it was given)."""
    log: list[dict[str, Any]] = emulator.admin.requests()["requests"]
    return [request for request in log if request["method"] == method and request["route"] == route]
