"""A changed file of an ElasticExtension, through the real CLI and engine: `on_file_change` "update" or "replace".

"update" (the default) uploads the new file into the same extension: the id and `url` stay. "replace" is
Elastic's safe way for an extension in use: a new extension with the new file, whatever references its `url`
(here the exported `plan.elasticsearch` fragment) follows in the same `up`, and the old extension is deleted
last. While a deployment still uses the old one, that delete fails with the in-use explanation, and the next
`up`, once the deployment has moved, finishes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import ElasticExtension
from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.remote import elastic_extensions
from support.stacks import quiet
from support.state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

VERSION = "8.15.0"


def _stopwords(path: Path, *words: str) -> Path:
    return make_zip(path, {"dictionaries/stopwords.txt": "".join(f"{word}\n" for word in words)})


def _program(archive: Path, on_file_change: str | None) -> Any:
    def program() -> None:
        stopwords = ElasticExtension(
            "stopwords",
            extension_type="bundle",
            version="8.*",
            file_path=str(archive),
            on_file_change=on_file_change,
        )
        entry = stopwords.url.apply(lambda url: {"name": "stopwords", "url": url, "elasticsearch_version": VERSION})
        pulumi.export("extension_id", stopwords.extension_id)
        pulumi.export("elasticsearch_plan", {"version": VERSION, "user_bundles": [entry], "user_plugins": []})

    return program


def _plan_url(outputs: Any) -> str:
    return str(outputs["elasticsearch_plan"].value["user_bundles"][0]["url"])


def _stack(new_stack: Any, emulator: EmulatorHandle, archive: Path, on_file_change: str | None) -> auto.Stack:
    config, secrets = emulator.stack_config()
    stack: auto.Stack = new_stack(_program(archive, on_file_change), config=config, secrets=secrets)
    return stack


def test_with_replace_a_changed_file_is_a_new_extension_the_plan_follows_and_the_old_one_is_deleted(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = _stopwords(tmp_path / "stopwords.zip", "a", "the")
    stack = _stack(new_stack, clean_emulator, archive, "replace")
    first = stack.up(on_output=quiet).outputs
    old_id = first["extension_id"].value
    assert _plan_url(first) == f"repo://{old_id}"

    _stopwords(archive, "a", "an", "the")
    assert stack.preview(on_output=quiet).change_summary == {"replace": 1, "same": 1}
    replaced = stack.up(on_output=quiet)

    assert replaced.summary.resource_changes == {"replace": 1, "same": 1}
    new_id = replaced.outputs["extension_id"].value
    assert new_id != old_id
    assert _plan_url(replaced.outputs) == f"repo://{new_id}", "the plan fragment follows in the same up"
    assert [e["id"] for e in elastic_extensions(clean_emulator)] == [new_id], "the old extension is gone"
    assert_state_matches_emulator(stack, clean_emulator)


def test_with_replace_an_old_extension_still_in_use_stays_until_the_deployment_moves_then_the_next_up_deletes_it(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = _stopwords(tmp_path / "stopwords.zip", "a", "the")
    stack = _stack(new_stack, clean_emulator, archive, "replace")
    old_id = stack.up(on_output=quiet).outputs["extension_id"].value
    deployment = clean_emulator.admin.create_deployment("search-prod", [old_id])

    _stopwords(archive, "a", "an", "the")
    with pytest.raises(auto.errors.CommandError) as refused:
        stack.up(on_output=quiet)

    output = str(refused.value)
    assert f"Cannot delete extension [{old_id}]. It is used by deployments [search-prod]." in output
    assert "remove it from those deployments' plans" in output
    held = {e["id"] for e in elastic_extensions(clean_emulator)}
    [new_id] = held - {old_id}
    assert held == {old_id, new_id}, "the new extension exists, the old one is still used"
    assert _plan_url(stack.outputs()) == f"repo://{new_id}", "the plan to apply already names the new one"

    # The deployment applies the new plan, then the next `up` deletes the old extension and changes nothing else.
    clean_emulator.admin.update_deployment(deployment["id"], "search-prod", [new_id])
    finished = stack.up(on_output=quiet)
    clean_emulator.admin.delete_deployment(deployment["id"])  # so that the stack can be destroyed

    assert finished.summary.result == "succeeded"
    assert [e["id"] for e in elastic_extensions(clean_emulator)] == [new_id]
    assert finished.outputs["extension_id"].value == new_id
    assert_state_matches_emulator(stack, clean_emulator)  # the old extension left the state too


def test_by_default_a_changed_file_is_uploaded_into_the_same_extension(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = _stopwords(tmp_path / "stopwords.zip", "a", "the")
    stack = _stack(new_stack, clean_emulator, archive, None)
    old_id = stack.up(on_output=quiet).outputs["extension_id"].value
    [before] = elastic_extensions(clean_emulator)

    _stopwords(archive, "a", "an", "the")
    updated = stack.up(on_output=quiet)

    assert updated.summary.resource_changes == {"update": 1, "same": 1}
    assert updated.outputs["extension_id"].value == old_id
    assert _plan_url(updated.outputs) == f"repo://{old_id}"
    [after] = elastic_extensions(clean_emulator)
    assert after["id"] == old_id and after["file_sha256"] != before["file_sha256"]
