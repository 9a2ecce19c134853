"""`tests` through the provider plugin (any language): camelCase in, the same check, the same message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pulumi import automation as auto

from support.calls import vendor_calls
from support.stacks import StackFactory, quiet

from .programs import COVEO_EXTENSION, plugin_stack_config, resource

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'section': parameters.get('section', 'public')})\n"


def _program(expected: str) -> auto.PulumiFn:
    def program() -> None:
        test = {
            "name": "uses the section parameter",
            "parameters": {"section": "intranet"},
            "expect": {"metadata": {"section": [expected]}, "logs": []},
        }
        resource(COVEO_EXTENSION, "tagger", {"content": SCRIPT, "tests": [test]})

    return program


def test_a_failing_test_stops_preview_through_the_plugin_and_a_passing_one_deploys(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(_program("public"), config=plain, secrets=secret)
    clean_emulator.admin.clear_requests()
    with pytest.raises(auto.CommandError) as failed:
        stack.preview(on_output=quiet)
    assert "test 'uses the section parameter' failed: metadata 'section': expected ['public'], got ['intranet']" in str(
        failed.value
    )
    assert vendor_calls(clean_emulator) == {}
    stack.workspace.program = _program("intranet")
    assert stack.up(on_output=quiet).summary.resource_changes == {"create": 2}
    stack.destroy(on_output=quiet)
