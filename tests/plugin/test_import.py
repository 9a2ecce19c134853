"""`pulumi import` through the plugin: extensions made in a console come under management with no change planned
(dynamic resources cannot be imported: hence their `adopt_id`)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pulumi
import pytest
from pulumi import automation as auto

from support.calls import writes_sent
from support.remote import coveo_api, coveo_extensions, elastic_api, elastic_extensions
from support.stacks import StackFactory, quiet

from .programs import COVEO_EXTENSION, ELASTIC_EXTENSION, plugin_stack_config, resource

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'made': ['in the console']})\n"
BUNDLE = {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": "by hand"}


def _made_in_a_console(emulator: EmulatorHandle) -> tuple[dict[str, Any], dict[str, Any]]:
    coveo = coveo_api(emulator, "POST", "/extensions", json={"name": "console-made", "content": SCRIPT})
    return coveo, elastic_api(emulator, "POST", "", json=BUNDLE)


def _import(stack: auto.Stack, coveo_id: str, elastic_id: str, *, generate_code: bool) -> auto.ImportResult:
    return stack.import_resources(
        resources=[
            {"type": COVEO_EXTENSION, "name": "cleaner", "id": coveo_id},
            {"type": ELASTIC_EXTENSION, "name": "synonyms", "id": elastic_id},
        ],
        generate_code=generate_code,
        on_output=quiet,
    )


def _still_there(emulator: EmulatorHandle, coveo: dict[str, Any], elastic: dict[str, Any]) -> None:
    [kept] = coveo_extensions(emulator)
    assert (kept["id"], kept["content"], kept["versionId"]) == (coveo["id"], SCRIPT, coveo["versionId"])
    assert [extension["id"] for extension in elastic_extensions(emulator)] == [elastic["id"]]


def test_a_program_importing_console_made_extensions_manages_them_with_no_change_planned(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    # The `import` resource option: the engine reads each object through the plugin and checks that the
    # declared inputs match, as `pulumi import` does (which also needs the program's language host).
    coveo, elastic = _made_in_a_console(clean_emulator)

    def program() -> None:
        resource(
            COVEO_EXTENSION,
            "cleaner",
            {"name": "console-made", "content": SCRIPT},
            pulumi.ResourceOptions(import_=coveo["id"]),
        )
        bundle = {"name": "synonyms", "extensionType": "bundle", "version": "8.*", "description": "by hand"}
        resource(ELASTIC_EXTENSION, "synonyms", bundle, pulumi.ResourceOptions(import_=elastic["id"]))

    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(program, config=plain, secrets=secret)
    assert stack.preview(on_output=quiet).change_summary == {"create": 1, "import": 2}
    clean_emulator.admin.clear_requests()
    assert stack.up(on_output=quiet).summary.resource_changes == {"create": 1, "import": 2}
    assert writes_sent(clean_emulator) == {}  # imported as they are: nothing written
    assert stack.preview(on_output=quiet).change_summary == {"same": 3}
    _still_there(clean_emulator, coveo, elastic)

    stack.destroy(on_output=quiet)  # managed now: destroy deletes them
    assert coveo_extensions(clean_emulator) == [] and elastic_extensions(clean_emulator) == []


def test_the_code_pulumi_import_generates_runs_unchanged_with_no_change_planned(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, python_sdk: ModuleType, language_host: Path
) -> None:
    # Generating Python code needs the Python language host (an optional tool: the test skips without it).
    coveo, elastic = _made_in_a_console(clean_emulator)
    plain, secret = plugin_stack_config(clean_emulator)
    stack = new_stack(lambda: None, config=plain, secrets=secret)

    code = _import(stack, coveo["id"], elastic["id"], generate_code=True).generated_code
    assert 'search_extensions.coveo.Extension("cleaner"' in code and 'name="console-made"' in code
    assert 'search_extensions.elastic.Extension("synonyms"' in code and 'extension_type="bundle"' in code
    assert "api_key" not in code  # the keys came from config: nothing secret is written into a program

    # The generated program, unchanged, manages both objects: no change planned, nothing written.
    stack.workspace.program = _generated_program(code)
    clean_emulator.admin.clear_requests()
    assert stack.preview(on_output=quiet).change_summary == {"same": 3}
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 3}
    _still_there(clean_emulator, coveo, elastic)

    # They are managed now: without the generated `protect`, destroy deletes them.
    stack.workspace.program = _generated_program(code.replace("protect=True", "protect=False"))
    stack.up(on_output=quiet)
    stack.destroy(on_output=quiet)
    assert coveo_extensions(clean_emulator) == [] and elastic_extensions(clean_emulator) == []


def _generated_program(code: str) -> auto.PulumiFn:
    def program() -> None:
        exec(compile(code, "<generated by pulumi import>", "exec"), {"__name__": "__main__"})

    return program
