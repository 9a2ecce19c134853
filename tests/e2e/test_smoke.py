"""The toolchain works end to end: real CLI, real engine, a dynamic provider from this package."""

from __future__ import annotations

import pulumi
import pytest
from pulumi import automation as auto

from support.smoke import NoopResource

pytestmark = pytest.mark.e2e


def _program(value: str) -> auto.PulumiFn:
    def program() -> None:
        res = NoopResource("smoke", value=value)
        pulumi.export("value", res.value)

    return program


def test_noop_resource_goes_through_preview_up_noop_up_update_and_destroy(new_stack) -> None:  # type: ignore[no-untyped-def]
    stack = new_stack(_program("first"))

    preview = stack.preview()
    assert preview.change_summary == {"create": 2}  # the stack itself and the resource

    up = stack.up()
    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["value"].value == "first"

    again = stack.up()
    assert again.summary.resource_changes == {"same": 2}

    exported = stack.export_stack().deployment["resources"]
    noop = [r for r in exported if r["type"] == "pulumi-python:dynamic/smoke:Noop"]
    assert len(noop) == 1
    assert noop[0]["outputs"]["value"] == "first"

    stack.workspace.program = _program("second")
    updated = stack.up()
    assert updated.summary.resource_changes == {"same": 1, "update": 1}
    assert updated.outputs["value"].value == "second"

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 2}
    assert stack.export_stack().deployment.get("resources") in (None, [])
