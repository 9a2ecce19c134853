"""What the emulator saw, and the fault rules tests give it."""

from __future__ import annotations

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
    return {"rules": [{"method": method, "route": route, **rule}]}
