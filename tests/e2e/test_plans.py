"""What `pulumi preview` plans, and what `up` / `refresh` / `destroy` then do, through the real CLI and engine.

One stack lifecycle (each CLI run costs seconds) with two Coveo and two Elastic extensions, driven through
every kind of change: create, same (zero API calls), in-place update, replacement, delete, refresh that
detects an edit, a replaced file and a deletion made behind Pulumi's back, and destroy. Before each `up`,
the preview must plan exactly the right operation for each resource and send nothing that changes
anything; after each step, the Pulumi state matches the emulator exactly (no orphan, no duplicate).
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls, writes_sent
from support.files import make_plugin_zip
from support.remote import coveo_api, coveo_extensions, elastic_api, remote_extension_counts
from support.stacks import set_config
from support.state import resources_by_name
from support.state_vs_emulator import assert_state_matches_emulator

from .programs import FromConfig, planned_operations, program_of

pytestmark = pytest.mark.e2e

ASSETS = Path(__file__).resolve().parents[2] / "examples" / "assets"
SYNONYMS = str(ASSETS / "synonyms-bundle.zip")
STOPWORDS = str(ASSETS / "stopwords-bundle.zip")
SCRIPT_V1 = "document.add_meta_data({'plan': 'v1'})\n"
SCRIPT_V2 = "document.add_meta_data({'plan': 'v2'})\n"


def preview_plan(stack: auto.Stack, emulator: EmulatorHandle) -> dict[str, str]:
    """The planned operation per resource; fails if the preview sent any request that changes something."""
    emulator.admin.clear_requests()
    plan = planned_operations(stack)
    assert writes_sent(emulator) == {}, "a preview must not change anything remotely"
    return plan


def up_as_planned(stack: auto.Stack, emulator: EmulatorHandle, plan: dict[str, str]) -> auto.UpResult:
    """`up` applies exactly the previewed plan; afterwards the state matches the emulator."""
    expected: dict[str, int] = {}
    for op in plan.values():
        expected[op] = expected.get(op, 0) + 1
    expected["same"] = expected.get("same", 0) + 1  # the stack resource itself
    result = stack.up()
    assert result.summary.result == "succeeded"
    assert result.summary.resource_changes == expected
    assert_state_matches_emulator(stack, emulator)
    return result


# When a preview stops on a check failure, the Pulumi SDK leaves its inline-program coroutine to the garbage
# collector, which reports "no running event loop": noise from the SDK, not from this package.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_preview_plans_each_kind_of_change_and_up_refresh_destroy_keep_the_emulator_in_step(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    emulator = clean_emulator
    spec: dict[str, dict[str, Any]] = {
        "coveo-a": {"kind": "coveo", "content": SCRIPT_V1, "description": "first"},
        "coveo-b": {"kind": "coveo", "content": SCRIPT_V1, "required_data_streams": ["BODY_TEXT"]},
        "elastic-a": {"kind": "elastic", "extension_type": "bundle", "version": "8.*", "file_path": SYNONYMS},
        "elastic-b": {"kind": "elastic", "extension_type": "bundle", "version": "8.*", "file_path": STOPWORDS},
    }
    stack = new_stack(program_of(spec))
    config, secrets = emulator.stack_config()
    assert emulator.coveo_other_organization_id and emulator.coveo_other_api_key
    set_config(stack, config, {**secrets, "test:otherKey": emulator.coveo_other_api_key})

    # create
    plan = preview_plan(stack, emulator)
    assert plan == dict.fromkeys(spec, "create")
    assert remote_extension_counts(emulator) == {org: 0 for org in remote_extension_counts(emulator)}
    created = stack.up()
    assert created.summary.resource_changes == {"create": 5}
    assert_state_matches_emulator(stack, emulator)
    ids = {name: created.outputs[name].value for name in spec}

    # same: nothing changed, nothing sent (not even a read)
    emulator.admin.clear_requests()
    assert planned_operations(stack) == dict.fromkeys(spec, "same")
    assert vendor_calls(emulator) == {}

    # a resource with mistakes is stopped at preview, with every problem named, before anything is sent
    mistakes = {**spec["coveo-a"], "content": "def broken(:\n", "required_data_streams": ["BODY"]}
    stack.workspace.program = program_of({**spec, "coveo-a": mistakes})
    emulator.admin.clear_requests()
    with pytest.raises(auto.CommandError) as refused:
        stack.preview()
    assert "does not parse" in str(refused.value) and "unknown data stream" in str(refused.value)
    gc.collect()  # the abandoned program coroutine is reported now, under this test's warning filter
    assert vendor_calls(emulator) == {}

    # update in place: a new description and script, a new version of a bundle
    spec["coveo-a"].update(description="second", content=SCRIPT_V2)
    spec["elastic-a"].update(description="second", version="8.15.*")
    stack.workspace.program = program_of(spec)
    plan = preview_plan(stack, emulator)
    assert plan == {"coveo-a": "update", "coveo-b": "same", "elastic-a": "update", "elastic-b": "same"}
    version_before = resources_by_name(stack)["coveo-a"]["outputs"]["version_id"]
    updated = up_as_planned(stack, emulator, plan)
    assert {name: updated.outputs[name].value for name in spec} == ids, "an update keeps the extension"
    state = resources_by_name(stack)
    assert state["coveo-a"]["outputs"]["version_id"] != version_before, "a new script is a new version"
    assert state["elastic-a"]["outputs"]["version"] == "8.15.*"

    # replace: an extension moved to another organization, a bundle turned into a plugin
    spec["coveo-b"].update(
        organization_id=emulator.coveo_other_organization_id, api_key=FromConfig("otherKey", secret=True)
    )
    plugin = make_plugin_zip(tmp_path / "analysis.zip")  # built for 8.15.0, as check requires of a plugin
    spec["elastic-b"].update(extension_type="plugin", version="8.15.0", file_path=str(plugin))
    stack.workspace.program = program_of(spec)
    plan = preview_plan(stack, emulator)
    assert plan == {"coveo-a": "same", "coveo-b": "replace", "elastic-a": "same", "elastic-b": "replace"}
    replaced = up_as_planned(stack, emulator, plan)
    for name in ("coveo-b", "elastic-b"):
        assert replaced.outputs[name].value != ids[name], f"{name} is a new extension"
    moved = coveo_extensions(emulator, emulator.coveo_other_organization_id)
    assert [e["id"] for e in moved] == [replaced.outputs["coveo-b"].value]
    ids = {name: replaced.outputs[name].value for name in spec}

    # delete: a resource removed from the program
    del spec["coveo-a"]
    stack.workspace.program = program_of(spec)
    plan = preview_plan(stack, emulator)
    assert plan == {"coveo-a": "delete", "coveo-b": "same", "elastic-a": "same", "elastic-b": "same"}
    up_as_planned(stack, emulator, plan)
    assert remote_extension_counts(emulator)[emulator.coveo_organization_id] == 0

    # refresh: an edit, a replaced file and a deletion made behind Pulumi's back are recorded in the state
    other = emulator.coveo_other_organization_id
    model = coveo_api(emulator, "GET", f"/extensions/{ids['coveo-b']}", organization_id=other)
    edit = {key: model[key] for key in ("name", "content", "language", "apiVersion", "requiredDataStreams")}
    coveo_api(
        emulator,
        "PUT",
        f"/extensions/{ids['coveo-b']}",
        organization_id=other,
        json={**edit, "description": "edited in the console"},
    )
    elastic_api(emulator, "DELETE", f"/{ids['elastic-a']}")
    elastic_api(
        emulator,
        "PUT",
        f"/{ids['elastic-b']}",
        data=Path(SYNONYMS).read_bytes(),
        headers={"Content-Type": "application/zip"},
    )
    stack.refresh()
    state = resources_by_name(stack)
    assert set(state) == {"coveo-b", "elastic-b"}, "the deleted extension left the state"
    assert state["coveo-b"]["outputs"]["description"] == "edited in the console"
    assert_state_matches_emulator(stack, emulator)

    plan = preview_plan(stack, emulator)
    assert plan == {"coveo-b": "update", "elastic-a": "create", "elastic-b": "update"}
    restored = up_as_planned(stack, emulator, plan)
    assert restored.outputs["elastic-a"].value != ids["elastic-a"]
    dump = emulator.admin.dump()
    assert dump["coveo"][other]["extensions"][0]["description"] == ""
    files = {e["id"]: e["file_sha256"] for e in dump["elastic"]["extensions"]}
    assert files[ids["elastic-b"]] == resources_by_name(stack)["elastic-b"]["outputs"]["file_sha256"]

    # destroy: nothing left, in the state or remotely
    emulator.admin.clear_requests()
    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 4}
    assert not resources_by_name(stack)
    assert set(remote_extension_counts(emulator).values()) == {0}
