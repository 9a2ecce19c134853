"""Upgrading a stack deployed by the version whose outputs held a second copy of the script.

`fixtures/pre-sha256-state.json` is the state that code wrote (see fixtures/export_state.py for how it was
made): its outputs hold `content` and the daily statistics, and no `content_sha256`. The test creates the
same extension through the API, imports that state with the extension's values filled in, and runs the
current code: `preview` and `up` plan no change and make no API call; a `refresh` then writes the new,
smaller outputs, and nothing is planned after it either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions.coveo.extension_provider.schema import iso_from_epoch_ms
from support.calls import vendor_calls
from support.remote import coveo_api, coveo_extensions
from support.stacks import StackFactory, quiet

from .fixtures.export_state import ARGS, PROJECT, SCRIPT, upgrade_program
from .test_coveo_extension import TYPE_TOKEN

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pre-sha256-state.json"


def extension_resource(stack: auto.Stack) -> dict[str, Any]:
    [resource] = [r for r in stack.export_stack().deployment["resources"] if r["type"] == TYPE_TOKEN]
    return resource


def test_a_stack_deployed_before_content_sha256_plans_no_change_then_shrinks_at_refresh(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    created = coveo_api(
        clean_emulator,
        "POST",
        "/extensions",
        json={
            "name": "kept",
            "content": SCRIPT,
            "description": ARGS["description"],
            "requiredDataStreams": ARGS["required_data_streams"],
            "language": "PYTHON3",
            "apiVersion": "v1",
            "enabled": True,
        },
    )
    timeout = {"executionTimeout": ARGS["execution_timeout"]}
    coveo_api(clean_emulator, "PUT", f"/extensions/{created['id']}/timeouts", json=timeout)
    model = coveo_api(clean_emulator, "GET", f"/extensions/{created['id']}")
    plain, secret = clean_emulator.stack_config()
    stack = new_stack(upgrade_program, config=plain, secrets=secret, project=PROJECT)

    values = {
        "{{host}}": clean_emulator.url,
        "{{stack}}": stack.name,
        "{{extension_id}}": model["id"],
        "{{version_id}}": model["versionId"],
        "{{created_date}}": iso_from_epoch_ms(model["createdDate"]),
        "{{last_modified}}": iso_from_epoch_ms(model["lastModified"]),
    }
    text = FIXTURE.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, str(value))
    assert "{{" not in text, "a placeholder of the fixture was not filled in"
    fresh = stack.export_stack().deployment
    stack.import_stack(auto.Deployment(version=3, deployment={**fresh, "resources": json.loads(text)}))
    before = extension_resource(stack)
    assert before["outputs"]["content"] == SCRIPT and "content_sha256" not in before["outputs"]  # the old shape
    assert "daily_statistics" in before["outputs"]["status"]

    clean_emulator.admin.clear_requests()
    assert stack.preview(on_output=quiet).change_summary == {"same": 2}
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 2}
    assert vendor_calls(clean_emulator) == {}  # no update, no replacement, not a single call
    [extension] = coveo_extensions(clean_emulator)
    assert (extension["id"], extension["versionId"]) == (model["id"], model["versionId"])

    # A refresh rewrites the outputs in the new shape: the hash, not a second copy of the script.
    stack.refresh(on_output=quiet)
    after = extension_resource(stack)
    assert "content" not in after["outputs"] and after["inputs"]["content"] == SCRIPT
    assert after["outputs"]["content_sha256"] and "daily_statistics" not in after["outputs"]["status"]
    assert stack.preview(on_output=quiet).change_summary == {"same": 2}
