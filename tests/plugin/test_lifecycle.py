"""The three resources through the provider plugin `search-extensions`, driven by the real CLI and engine.

The plugin runs the same operations as the dynamic resources, so these tests check what is new: the engine
finds and starts the plugin, properties travel in camelCase, config comes from `search-extensions:*`, and what
a dynamic provider cannot do works: a detailed diff in previews, custom time-outs, no pickled provider.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pulumi
import pytest
from pulumi import automation as auto

from support.calls import fault_rule, vendor_calls, writes_sent
from support.remote import coveo_extensions, elastic_extensions
from support.stacks import StackFactory, quiet
from support.state import saved_state

from .programs import (
    COVEO_EXTENSION,
    COVEO_SOURCE_EXTENSIONS,
    ELASTIC_EXTENSION,
    SCRIPT,
    plugin_stack_config,
    resource,
)

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e


def _all_three(
    sdk: ModuleType, source_id: str, description: str = "v1", extension_type: str = "bundle", version: str = "8.*"
) -> auto.PulumiFn:
    """A Python program using the plugin through its generated SDK: one of each resource."""

    def program() -> None:
        extension = sdk.coveo.Extension("cleaner", content=SCRIPT, description=description)
        entry = sdk.coveo.AppliedExtensionArgs(extension_id=extension.id, parameters={"mode": "x"})
        sdk.coveo.SourceExtensions("wiring", source_id=source_id, pre_conversion=[entry])
        bundle = sdk.elastic.Extension("synonyms", extension_type=extension_type, version=version)
        pulumi.export("coveo_id", extension.id)
        pulumi.export("elastic_url", bundle.url)

    return program


def _ours(stack: auto.Stack) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = stack.export_stack().deployment["resources"]
    return [r for r in resources if r["type"].startswith("search-extensions:")]


def test_a_python_program_deploys_all_three_resources_through_the_plugin_with_no_pickled_provider(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, python_sdk: ModuleType
) -> None:
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "web")
    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(_all_three(python_sdk, source["id"]), config=plain, secrets=secret)

    assert stack.preview(on_output=quiet).change_summary == {"create": 4}
    assert vendor_calls(clean_emulator) == {}  # a preview calls no API

    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 4}
    [extension] = coveo_extensions(clean_emulator)
    assert (extension["id"], extension["name"], extension["content"]) == (
        up.outputs["coveo_id"].value,
        "cleaner",
        SCRIPT,
    )
    [bundle] = elastic_extensions(clean_emulator)
    assert up.outputs["elastic_url"].value == bundle["url"] and bundle["name"] == "synonyms"
    wiring = clean_emulator.admin.dump()["coveo"][clean_emulator.coveo_organization_id]["sources"][0]["extensions"]
    assert [entry["extensionId"] for entry in wiring["common"]["preConversionExtensions"]] == [extension["id"]]

    state = _ours(stack)
    by_type = {r["type"]: r for r in state}
    assert set(by_type) == {COVEO_EXTENSION, COVEO_SOURCE_EXTENSIONS, ELASTIC_EXTENSION}
    for entry in state:  # plain provider references, no dill blob of a provider class
        assert "__provider" not in entry["outputs"] and entry["provider"].startswith("urn:pulumi:")
        assert "pulumi:providers:search-extensions" in entry["provider"]
    coveo = by_type[COVEO_EXTENSION]["outputs"]
    assert (coveo["organizationId"], coveo["host"]) == (clean_emulator.coveo_organization_id, clean_emulator.url)
    assert coveo["contentSha256"] and "content_sha256" not in coveo  # camelCase on the wire and in the state
    assert by_type[COVEO_SOURCE_EXTENSIONS]["outputs"]["preConversion"][0]["parameters"] == {"mode": "x"}
    assert by_type[ELASTIC_EXTENSION]["outputs"]["endpoint"] == clean_emulator.url
    stored = json.dumps(saved_state(stack))  # the keys, given as secret config, are only ever ciphertext
    assert clean_emulator.coveo_api_key not in stored and clean_emulator.elastic_api_key not in stored

    clean_emulator.admin.clear_requests()
    assert stack.preview(on_output=quiet).change_summary == {"same": 4}
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 4}
    assert writes_sent(clean_emulator) == {}  # no perpetual diff, nothing written

    stack.destroy(on_output=quiet)
    assert coveo_extensions(clean_emulator) == [] and elastic_extensions(clean_emulator) == []


def test_a_preview_shows_which_properties_change_and_which_replace(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, python_sdk: ModuleType
) -> None:
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "web")
    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(_all_three(python_sdk, source["id"]), config=plain, secrets=secret)
    stack.up(on_output=quiet)

    stack.workspace.program = _all_three(
        python_sdk, source["id"], description="v2", extension_type="plugin", version="8.11.3"
    )
    events: list[auto.EngineEvent] = []
    preview = stack.preview(on_output=quiet, on_event=events.append, diff=True)
    assert preview.change_summary == {"update": 1, "replace": 1, "same": 2}
    steps = {
        event.resource_pre_event.metadata.urn.rsplit("::", 1)[1]: event.resource_pre_event.metadata
        for event in events
        if event.resource_pre_event is not None
        and event.resource_pre_event.metadata.op not in (auto.OpType.CREATE_REPLACEMENT, auto.OpType.DELETE_REPLACED)
    }
    cleaner, synonyms = steps["cleaner"], steps["synonyms"]
    assert cleaner.op == auto.OpType.UPDATE and cleaner.diffs == ["description"]
    assert {key: diff.diff_kind for key, diff in (cleaner.detailed_diff or {}).items()} == {
        "description": auto.DiffKind.UPDATE
    }
    assert synonyms.op == auto.OpType.REPLACE and synonyms.keys == ["extensionType"]
    assert {key: diff.diff_kind for key, diff in (synonyms.detailed_diff or {}).items()} == {
        "extensionType": auto.DiffKind.UPDATE_REPLACE,
        "version": auto.DiffKind.UPDATE,
    }


def test_a_create_slower_than_its_custom_timeout_fails_at_the_timeout_and_leaves_nothing_behind(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", "/rest/organizations/*/extensions", latency_ms=4000))

    def program() -> None:
        timeouts = pulumi.CustomTimeouts(create="1s")
        resource(COVEO_EXTENSION, "slow", {"content": SCRIPT}, pulumi.ResourceOptions(custom_timeouts=timeouts))

    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(program, config=plain, secrets=secret)
    answered_at_failure: list[dict[str, int]] = []

    def note_failure(event: auto.EngineEvent) -> None:
        if event.res_op_failed_event is not None:
            answered_at_failure.append(writes_sent(clean_emulator))  # the log holds answered requests only

    with pytest.raises(auto.CommandError) as failed:
        stack.up(on_output=quiet, on_event=note_failure)
    assert answered_at_failure == [{}]  # the engine heard of the failure while the service was still at work
    assert "did not finish within its custom time-out of 1 s" in str(failed.value)
    assert "Traceback" not in str(failed.value) and 'File "' not in str(failed.value)

    # The POST did land, after the failure: the plugin deleted what no state records before it stopped.
    assert writes_sent(clean_emulator) == {
        "POST /rest/organizations/{organizationId}/extensions": 1,
        "DELETE /rest/organizations/{organizationId}/extensions/{extensionId}": 1,
    }
    assert coveo_extensions(clean_emulator) == [] and _ours(stack) == []
