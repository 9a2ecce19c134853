"""The plugin examples through the Automation API (their READMEs run with plain `pulumi` in
`tests/e2e/test_programs_in_folders.py`, which needs the language hosts)."""

from __future__ import annotations

import runpy
from typing import TYPE_CHECKING

import pytest
from pulumi import automation as auto

from support.calls import writes_sent
from support.remote import coveo_extensions, elastic_extensions
from support.stacks import REPO_ROOT, StackFactory, quiet

from .programs import plugin_stack_config

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

EXAMPLE = REPO_ROOT / "examples" / "python-plugin"


def test_python_plugin_creates_the_three_resources_and_an_edit_is_an_update_of_one(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    def program() -> None:
        runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__")

    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "web")
    plain, secret = plugin_stack_config(clean_emulator)
    config = {**plain, "python-plugin:sourceId": source["id"]}
    stack = new_stack(program, config=config, secrets=secret, project="python-plugin")

    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 4}
    [extension] = coveo_extensions(clean_emulator)
    assert (extension["name"], up.outputs["version_id"].value) == ("normalize-title", extension["versionId"])
    [bundle] = elastic_extensions(clean_emulator)
    assert up.outputs["bundle_url"].value == bundle["url"] and bundle["file_sha256"]

    stack.set_config("python-plugin:description", auto.ConfigValue("Cleans titles"))
    clean_emulator.admin.clear_requests()
    assert stack.up(on_output=quiet).summary.resource_changes == {"update": 1, "same": 3}
    assert set(writes_sent(clean_emulator)) == {"PUT /rest/organizations/{organizationId}/extensions/{extensionId}"}

    stack.destroy(on_output=quiet)
    assert coveo_extensions(clean_emulator) == [] and elastic_extensions(clean_emulator) == []
