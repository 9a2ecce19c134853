"""CoveoSourceExtensions through the real Pulumi CLI and engine, against the emulator.

Two stack lifecycles (a CLI run costs seconds): the example program (wire two extensions in order, destroy the
whole program), and one program driven through reordering, script changes with and without a version pin,
a console edit seen by refresh, check errors stopped at preview, and destroy.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension
from pulumi_search_extensions.coveo.source_extensions import CoveoAppliedExtensionArgs, CoveoSourceExtensions
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.remote import coveo_api, coveo_extensions
from support.stacks import StackFactory, quiet
from support.state import is_secret
from support.state_vs_emulator import assert_state_matches_emulator

from .programs import planned_operations

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "coveo-source-extensions"
TYPE_TOKEN = "pulumi-python:dynamic/coveo:SourceExtensions"


def source_map(emulator: EmulatorHandle, source_id: str) -> dict[str, Any]:
    extension_map: dict[str, Any] = coveo_api(emulator, "GET", f"/sources/{source_id}/extensions")
    return extension_map


def applied_ids(extension_map: dict[str, Any], stage: str) -> list[str]:
    return [entry["extensionId"] for entry in extension_map["common"][stage]]


def shows_in_plain_text(secret: str, value: Any) -> bool:
    """Whether `secret` appears in an exported state outside a secret envelope."""
    if is_secret(value):
        return False
    if isinstance(value, dict):
        return any(shows_in_plain_text(secret, item) for item in value.values())
    if isinstance(value, list):
        return any(shows_in_plain_text(secret, item) for item in value)
    return isinstance(value, str) and secret in value


def stored_extensions(emulator: EmulatorHandle) -> dict[str, dict[str, Any]]:
    extensions = coveo_extensions(emulator)
    return {e["name"]: e for e in extensions}


def test_the_example_wires_two_extensions_in_order_and_destroy_unwires_the_source_before_deleting_them(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    source = emulator.admin.create_source(emulator.coveo_organization_id, "Web pages")
    config, secrets = emulator.stack_config()
    stack = new_stack(
        lambda: runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__"),
        config={**config, "coveo-source-extensions:sourceId": source["id"]},
        secrets=secrets,
        project="coveo-source-extensions",
    )

    assert planned_operations(stack) == {
        "normalize-title": "create",
        "default-language": "create",
        "web-pages": "create",
    }
    assert vendor_calls(emulator) == {}, "preview calls no API"

    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 4}
    extensions = stored_extensions(emulator)
    first, second = extensions["normalize-title"]["id"], extensions["default-language"]["id"]
    extension_map = source_map(emulator, source["id"])
    assert applied_ids(extension_map, "postConversionExtensions") == [first, second]
    assert extension_map["common"]["postConversionExtensions"][1] == {
        "extensionId": second,
        "condition": "NOT %[language] OR %[language] == ''",
        "parameters": {"language": "en"},
        "actionOnError": "SKIP_EXTENSION",
    }
    assert [e["extension_id"] for e in up.outputs["post_conversion"].value] == [first, second]
    used_by = coveo_api(emulator, "GET", f"/extensions/{first}")["usedBy"]
    assert used_by == [{"sourceId": source["id"], "sourceName": "Web pages"}]
    assert_state_matches_emulator(stack, emulator)

    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 4}

    destroyed = stack.destroy(on_output=quiet)
    assert destroyed.summary.result == "succeeded"
    assert destroyed.summary.resource_changes == {"delete": 4}
    assert source_map(emulator, source["id"])["common"] == {
        "preConversionExtensions": [],
        "postConversionExtensions": [],
    }
    assert stored_extensions(emulator) == {}


def binding_program(spec: dict[str, Any]) -> auto.PulumiFn:
    """The extensions of `spec["scripts"]` and a binding whose order, conditions, pin and key come from `spec`."""

    def program() -> None:
        extensions = {name: CoveoExtension(name, name=name, content=script) for name, script in spec["scripts"].items()}
        entries = []
        for name in spec["order"]:
            pin = extensions[name].version_id if name in spec.get("pinned", ()) else None
            entries.append(
                CoveoAppliedExtensionArgs(
                    extension_id=extensions[name].extension_id,
                    condition=spec.get("conditions", {}).get(name),
                    version_id=pin,
                )
            )
        binding = CoveoSourceExtensions(
            "binding",
            source_id=spec["source_id"],
            pre_conversion=entries,
            api_key=pulumi.Config("test").require_secret("bindingKey"),
            allow_duplicates=spec.get("allow_duplicates"),
        )
        pulumi.export("pre_conversion", binding.pre_conversion)

    return program


def test_reorder_script_changes_pin_drift_and_check_errors_through_the_engine(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    source = emulator.admin.create_source(emulator.coveo_organization_id, "Catalog")
    spec: dict[str, Any] = {
        "source_id": source["id"],
        "scripts": {"a": "log('a')\n", "b": "log('b')\n"},
        "order": ["a", "b"],
        "conditions": {"a": "%[lang] == ['en', 'fr']"},
    }
    config, secrets = emulator.stack_config()
    stack = new_stack(
        binding_program(spec), config=config, secrets={**secrets, "test:bindingKey": emulator.coveo_api_key}
    )

    assert stack.up(on_output=quiet).summary.resource_changes == {"create": 4}
    extensions = stored_extensions(emulator)
    a, b = extensions["a"]["id"], extensions["b"]["id"]
    assert applied_ids(source_map(emulator, source["id"]), "preConversionExtensions") == [a, b]

    # Reordering is an in-place update of the binding alone.
    spec["order"] = ["b", "a"]
    assert planned_operations(stack) == {"a": "same", "b": "same", "binding": "update"}
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 3, "update": 1}
    assert applied_ids(source_map(emulator, source["id"]), "preConversionExtensions") == [b, a]

    # A new script for `a` is a new version of the same extension: the binding does not change...
    spec["scripts"]["a"] = "log('a, second version')\n"
    assert planned_operations(stack) == {"a": "update", "b": "same", "binding": "same"}
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 3, "update": 1}
    assert source_map(emulator, source["id"])["common"]["preConversionExtensions"][1] == {
        "extensionId": a,
        "condition": "%[lang] == ['en', 'fr']",
        "parameters": {},
        "actionOnError": "SKIP_EXTENSION",
    }

    # ...unless the binding pins a version: then every new version of `a` is a change of the binding too.
    spec["pinned"] = ["a"]
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 3, "update": 1}
    pinned = source_map(emulator, source["id"])["common"]["preConversionExtensions"][1]
    assert pinned["versionId"] == stored_extensions(emulator)["a"]["versionId"]
    spec["scripts"]["a"] = "log('a, third version')\n"
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 2, "update": 2}
    pinned = source_map(emulator, source["id"])["common"]["preConversionExtensions"][1]
    assert pinned["versionId"] == stored_extensions(emulator)["a"]["versionId"]
    assert_state_matches_emulator(stack, emulator)

    # A console edit shows as drift after refresh, and the next up puts the declared map back.
    coveo_api(
        emulator,
        "PUT",
        f"/sources/{source['id']}/extensions",
        json={"common": {"preConversionExtensions": [{"extensionId": a, "condition": "%[edited]"}]}},
    )
    refreshed = stack.refresh(on_output=quiet)
    assert refreshed.summary.resource_changes == {"same": 3, "update": 1}
    assert planned_operations(stack) == {"a": "same", "b": "same", "binding": "update"}
    stack.up(on_output=quiet)
    assert applied_ids(source_map(emulator, source["id"]), "preConversionExtensions") == [b, a]
    assert_state_matches_emulator(stack, emulator)

    # The key given as an argument is a secret everywhere in the state, refreshes included.
    deployment = stack.export_stack().deployment
    assert not shows_in_plain_text(emulator.coveo_api_key, deployment)
    [binding] = [r for r in deployment["resources"] if r["type"] == TYPE_TOKEN]
    assert is_secret(binding["inputs"]["api_key"]) and is_secret(binding["outputs"]["api_key"])

    # Dropping `b` from the program (extension and entry) unwires it before deleting it.
    del spec["scripts"]["b"]
    spec["order"] = ["a"]
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 2, "update": 1, "delete": 1}
    assert applied_ids(source_map(emulator, source["id"]), "preConversionExtensions") == [a]
    assert set(stored_extensions(emulator)) == {"a"}

    # A condition syntax error stops the preview, pointing at the column, before any API call.
    spec["conditions"]["a"] = '%[lang] != "en"'
    emulator.admin.clear_requests()
    with pytest.raises(auto.CommandError) as caught:
        stack.preview(on_output=quiet)
    assert "pre_conversion[0].condition: is not a valid Coveo condition: '!=' is not supported" in str(caught.value)
    lines = str(caught.value).splitlines()
    shown = next(index for index, line in enumerate(lines) if line.endswith('%[lang] != "en"'))
    assert lines[shown + 1].index("^") == lines[shown].index("%[lang]") + 8, "the caret is under column 9"
    assert vendor_calls(emulator) == {}
    spec["conditions"]["a"] = None

    # An extension listed twice prints a warning; allow_duplicates silences it.
    spec["order"] = ["a", "a"]
    printed: list[str] = []
    stack.preview(on_output=printed.append)
    assert f"warning: pre_conversion lists extension {a} 2 times (positions 0, 1)" in "".join(printed)
    spec["allow_duplicates"] = True
    printed.clear()
    stack.preview(on_output=printed.append)
    assert "warning: pre_conversion lists" not in "".join(printed)

    # Destroying the whole program unwires the source, then deletes the extensions.
    destroyed = stack.destroy(on_output=quiet)
    assert destroyed.summary.resource_changes == {"delete": 3}
    assert source_map(emulator, source["id"])["common"] == {
        "preConversionExtensions": [],
        "postConversionExtensions": [],
    }
    assert stored_extensions(emulator) == {}
