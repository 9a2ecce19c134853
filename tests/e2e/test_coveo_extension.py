"""CoveoExtension through the real Pulumi CLI and engine, against the emulator.

Each test is one stack driven through several steps (a CLI run costs seconds): preview, up, no-op up, drift
after a console edit, refresh, in-place update, replacement, adopt, the secret key, errors, destroy.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension, CoveoExtensionArgs
from support.calls import vendor_calls
from support.remote import coveo_api, coveo_extensions
from support.stacks import StackFactory, quiet
from support.state import saved_state

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'cleaned': True})\n"
TYPE_TOKEN = "pulumi-python:dynamic/coveo:Extension"


def extension_program(*, keywords: bool = False, **args: Any) -> auto.PulumiFn:
    """A program declaring one extension named `cleaner` (CoveoExtensionArgs, or the same keywords) and exporting
    its id."""
    args.setdefault("content", SCRIPT)

    def program() -> None:
        if keywords:
            extension = CoveoExtension("cleaner", **args)
        else:
            extension = CoveoExtension("cleaner", CoveoExtensionArgs(**args))
        pulumi.export("extension_id", extension.extension_id)
        pulumi.export("enabled", extension.enabled)

    return program


def test_lifecycle_preview_up_noop_drift_refresh_update_replace_destroy(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    config = {"coveo:host": clean_emulator.url, "coveo:organizationId": clean_emulator.coveo_organization_id}
    stack = new_stack(
        extension_program(description="v1", required_data_streams=["BODY_TEXT", "BODY_HTML"]),
        config=config,
        secrets={"coveo:apiKey": clean_emulator.coveo_api_key},
    )

    # Preview: the plan, and not a single vendor API call.
    assert stack.preview(on_output=quiet).change_summary == {"create": 2}
    assert vendor_calls(clean_emulator) == {}

    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 2}
    [extension] = coveo_extensions(clean_emulator)
    assert up.outputs["extension_id"].value == extension["id"]
    assert extension["requiredDataStreams"] == ["BODY_HTML", "BODY_TEXT"] and extension["description"] == "v1"

    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 2}

    # A console edit behind Pulumi's back: refresh sees it, preview shows it, up reverts it.
    console_edit = {"name": "cleaner", "content": "log('console edit')\n", "description": "v1"}
    coveo_api(clean_emulator, "PUT", f"/extensions/{extension['id']}", json=console_edit)
    stack.refresh(on_output=quiet)
    assert stack.preview(on_output=quiet).change_summary == {"update": 1, "same": 1}
    assert stack.up(on_output=quiet).summary.resource_changes == {"update": 1, "same": 1}
    assert coveo_extensions(clean_emulator)[0]["content"] == SCRIPT

    # Nothing changed: a refresh then a preview show nothing (no perpetual diff).
    stack.refresh(on_output=quiet)
    assert stack.preview(on_output=quiet).change_summary == {"same": 2}

    # In-place update.
    stack.workspace.program = extension_program(description="v2", required_data_streams=["BODY_TEXT", "BODY_HTML"])
    assert stack.up(on_output=quiet).summary.resource_changes == {"update": 1, "same": 1}
    [updated] = coveo_extensions(clean_emulator)
    assert updated["id"] == extension["id"] and updated["description"] == "v2"

    # A new host (the same emulator under another name) replaces the extension: create, then delete the old.
    stack.set_config("coveo:host", auto.ConfigValue(value=clean_emulator.url.replace("127.0.0.1", "localhost")))
    replaced = stack.up(on_output=quiet)
    assert replaced.summary.resource_changes == {"replace": 1, "same": 1}
    [new] = coveo_extensions(clean_emulator)
    assert new["id"] != extension["id"] and replaced.outputs["extension_id"].value == new["id"]

    assert stack.destroy(on_output=quiet).summary.resource_changes == {"delete": 2}
    assert coveo_extensions(clean_emulator) == []


def test_adopt_with_a_secret_key_argument_then_auto_disable_drift_and_destroy(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    existing = coveo_api(clean_emulator, "POST", "/extensions", json={"name": "console-made", "content": "log('x')\n"})
    stack = new_stack(
        extension_program(
            keywords=True,
            adopt_id=existing["id"],
            organization_id=clean_emulator.coveo_organization_id,
            host=clean_emulator.url,
            api_key=clean_emulator.coveo_api_key,
        )
    )
    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 2} and up.outputs["extension_id"].value == existing["id"]
    [adopted] = coveo_extensions(clean_emulator)
    assert (adopted["id"], adopted["name"], adopted["content"]) == (existing["id"], "cleaner", SCRIPT)

    state = saved_state(stack)
    assert clean_emulator.coveo_api_key not in json.dumps(state)  # the key is only ever ciphertext
    [resource] = [r for r in state["checkpoint"]["latest"]["resources"] if r["type"] == TYPE_TOKEN]
    assert "ciphertext" in resource["outputs"]["api_key"] and "ciphertext" in resource["inputs"]["api_key"]

    # The service disables the extension: refresh records it (still no plaintext key), up enables it again.
    clean_emulator.admin.auto_disable(clean_emulator.coveo_organization_id, existing["id"])
    stack.refresh(on_output=quiet)
    assert clean_emulator.coveo_api_key not in json.dumps(saved_state(stack))
    assert stack.preview(on_output=quiet).change_summary == {"update": 1, "same": 1}
    assert stack.up(on_output=quiet).outputs["enabled"].value is True
    assert coveo_extensions(clean_emulator)[0]["enabled"] is True

    stack.destroy(on_output=quiet)
    assert coveo_extensions(clean_emulator) == []


def test_bad_inputs_fail_at_preview_and_a_wrong_key_fails_up_with_one_clear_error(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    config = {"coveo:host": clean_emulator.url, "coveo:organizationId": clean_emulator.coveo_organization_id}
    stack = new_stack(extension_program(content="def broken(:\n    pass\n"), config=config)

    with pytest.raises(auto.CommandError) as preview_error:
        stack.preview(on_output=quiet)
    message = str(preview_error.value)
    assert "line 1, column" in message and "def broken(:" in message
    for way in ("`api_key` resource argument", "coveo:apiKey", "$COVEO_API_KEY"):
        assert way in message
    assert vendor_calls(clean_emulator) == {}

    stack.set_config("coveo:apiKey", auto.ConfigValue(value="xx-wrong-key", secret=True))
    stack.workspace.program = extension_program()
    with pytest.raises(auto.CommandError) as up_error:
        stack.up(on_output=quiet)
    message = str(up_error.value)
    assert "Coveo rejected the API key" in message and "INVALID_TOKEN" in message
    assert "xx-wrong-key" not in message
    assert "During handling of the above exception" not in message  # one error, not a chain of them
    assert coveo_extensions(clean_emulator) == []
