"""`protect`, `retain_on_delete` and `ignore_changes` behave as Pulumi documents them, through the real engine.

One stack lifecycle: a protected Coveo extension, an Elastic bundle kept on delete, and a Coveo extension
that ignores changes to its description.

- `ignore_changes=["description"]`: a changed description shows no diff, sends nothing, changes nothing;
- `protect=True`: `destroy` fails and the protected extension is not deleted (Pulumi still deletes the
  other resources of the stack: protection is per resource);
- `retain_on_delete=True`: `destroy` removes the resource from the state, the extension stays remotely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.remote import coveo_extensions, elastic_api
from support.stacks import set_config
from support.state import resources_by_name
from support.state_vs_emulator import assert_state_matches_emulator

from .programs import planned_operations, program_of

pytestmark = pytest.mark.e2e

BUNDLE = str(Path(__file__).resolve().parents[2] / "examples" / "assets" / "stopwords-bundle.zip")
SCRIPT = "document.add_meta_data({'options': 'yes'})\n"


def remote_ids(dump: dict[str, Any]) -> dict[str, list[str]]:
    """The ids of every extension in an emulator dump, per Coveo organization and for Elastic."""
    ids = {org: [e["id"] for e in state["extensions"]] for org, state in dump["coveo"].items()}
    ids["elastic"] = [e["id"] for e in dump["elastic"]["extensions"]]
    return ids


def spec_with(*, protect: bool, ignored_description: str) -> dict[str, dict[str, Any]]:
    return {
        "protected": {"kind": "coveo", "content": SCRIPT, "opts": {"protect": protect}},
        "retained": {
            "kind": "elastic",
            "extension_type": "bundle",
            "version": "8.*",
            "file_path": BUNDLE,
            "opts": {"retain_on_delete": True},
        },
        "ignoring": {
            "kind": "coveo",
            "content": SCRIPT,
            "description": ignored_description,
            "opts": {"ignore_changes": ["description"]},
        },
    }


def test_protect_retain_on_delete_and_ignore_changes_behave_as_pulumi_documents(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    stack = new_stack(program_of(spec_with(protect=True, ignored_description="original")))
    set_config(stack, *emulator.stack_config())
    created = stack.up()
    assert created.summary.resource_changes == {"create": 4}
    assert_state_matches_emulator(stack, emulator)
    ids = {name: created.outputs[name].value for name in ("protected", "retained", "ignoring")}

    # ignore_changes: the new description is no diff, nothing is sent, nothing changes
    stack.workspace.program = program_of(spec_with(protect=True, ignored_description="changed"))
    emulator.admin.clear_requests()
    assert planned_operations(stack) == {"protected": "same", "retained": "same", "ignoring": "same"}
    unchanged = stack.up()
    assert unchanged.summary.resource_changes == {"same": 4}
    assert vendor_calls(emulator) == {}
    ignoring = next(e for e in coveo_extensions(emulator) if e["id"] == ids["ignoring"])
    assert ignoring["description"] == "original"
    assert resources_by_name(stack)["ignoring"]["outputs"]["description"] == "original"

    # destroy: fails on the protected extension, which stays in the state and remotely; the engine goes on
    # with the rest (continue_on_error makes that deterministic): the ordinary extension is deleted, and the
    # retained bundle leaves the state but stays remotely
    with pytest.raises(auto.CommandError) as refused:
        stack.destroy(continue_on_error=True)
    assert "protected" in str(refused.value) and "cannot be deleted" in str(refused.value)
    assert set(resources_by_name(stack)) == {"protected"}
    assert remote_ids(emulator.admin.dump()) == {
        emulator.coveo_organization_id: [ids["protected"]],
        str(emulator.coveo_other_organization_id): [],
        "elastic": [ids["retained"]],
    }
    assert_state_matches_emulator(stack, emulator, unmanaged=[ids["retained"]])

    # once unprotected (an `up` that changes only the flag), destroy deletes it
    stack.workspace.program = program_of({"protected": spec_with(protect=False, ignored_description="")["protected"]})
    assert stack.up().summary.resource_changes == {"same": 2}
    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 2}
    assert not resources_by_name(stack)
    assert remote_ids(emulator.admin.dump()) == {
        emulator.coveo_organization_id: [],
        str(emulator.coveo_other_organization_id): [],
        "elastic": [ids["retained"]],
    }
    assert_state_matches_emulator(stack, emulator, unmanaged=[ids["retained"]])
    elastic_api(emulator, "DELETE", f"/{ids['retained']}")  # the test's own clean-up
