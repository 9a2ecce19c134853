"""`host` and `region` both given, from any two sources, fail at preview, naming both and what to remove.

The trap this closes: a stack made against the emulator keeps `coveo:host`; a later `coveo:region eu` (or a
`COVEO_REGION` in the shell) was silently ignored because `host` won. Now the preview stops, before any API
call, through the dynamic resources and through the provider plugin alike.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension
from pulumi_search_extensions.emulator import EmulatorHandle
from pulumi_search_extensions.plugin.config import plugin_key
from support.calls import vendor_calls
from support.stacks import flat_stack_config, quiet

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'tagged': [True]})\n"


def failed_preview(stack: auto.Stack) -> str:
    with pytest.raises(auto.errors.CommandError) as raised:
        stack.preview(on_output=quiet)
    return str(raised.value)


def test_a_dynamic_resource_with_host_in_stack_config_and_region_in_the_environment_fails_at_preview(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    stack: auto.Stack = new_stack(
        lambda: CoveoExtension("tagger", content=SCRIPT),
        config=flat_stack_config(clean_emulator),
        env={"COVEO_REGION": "eu"},
    )

    output = failed_preview(stack)

    assert "give either `host` or `region`, not both" in output, output
    assert f"'{clean_emulator.url}' (from stack config `coveo:host`)" in output, output
    assert "'eu' (from environment variable $COVEO_REGION)" in output, output
    assert "remove stack config `coveo:host` to use the region" in output, output
    assert "remove environment variable $COVEO_REGION to keep the host" in output, output
    assert vendor_calls(clean_emulator) == {}


def test_a_plugin_resource_with_host_and_region_in_its_config_fails_at_preview_in_the_plugins_words(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    plain, secret = clean_emulator.stack_config()
    plain["coveo:region"] = "eu"
    stack: auto.Stack = new_stack(
        lambda: pulumi.CustomResource("search-extensions:coveo:Extension", "tagger", {"content": SCRIPT}),
        config={plugin_key(key): value for key, value in plain.items()},
        secrets={plugin_key(key): value for key, value in secret.items()},
    )

    output = failed_preview(stack)

    assert "give either `host` or `region`, not both" in output, output
    assert "(from stack config `search-extensions:coveoHost`)" in output, output
    assert "'eu' (from stack config `search-extensions:coveoRegion`)" in output, output
    assert "remove stack config `search-extensions:coveoHost` to use the region" in output, output
    assert vendor_calls(clean_emulator) == {}
