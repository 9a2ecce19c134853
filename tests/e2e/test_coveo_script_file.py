"""CoveoExtension with its script in a file (`script_path`), through the real Pulumi CLI and engine.

The state keeps the path and the hash, never the script; an edited file is a planned update at preview; a
missing file fails preview naming the field, before any API call.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension
from support.calls import vendor_calls
from support.remote import coveo_extensions
from support.stacks import StackFactory, quiet

from .test_coveo_extension import TYPE_TOKEN, saved_state

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

SCRIPT = "# Keeps the title length.\ntitle = document.get_meta_data_value('title')\n"
EDITED = SCRIPT + "document.add_meta_data({'title_length': [len(title[0]) if title else 0]})\n"


def file_program(path: str) -> auto.PulumiFn:
    """One extension whose script is the file at `path` (relative to the working directory)."""

    def program() -> None:
        CoveoExtension("from-file", script_path=path, required_data_streams=["BODY_TEXT"])

    return program


def extension_state(stack: auto.Stack) -> dict[str, Any]:
    [resource] = [r for r in saved_state(stack)["checkpoint"]["latest"]["resources"] if r["type"] == TYPE_TOKEN]
    return resource


def test_script_file_up_edit_preview_update_missing_file_destroy(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the inline program runs here: a relative path is the program's
    script = tmp_path / "scripts" / "title.py"
    script.parent.mkdir()
    script.write_text(SCRIPT, encoding="utf-8")
    plain, secret = clean_emulator.stack_config()
    stack = new_stack(file_program("scripts/title.py"), config=plain, secrets=secret)

    assert stack.up(on_output=quiet).summary.resource_changes == {"create": 2}
    [extension] = coveo_extensions(clean_emulator)
    assert extension["content"] == SCRIPT
    resource = extension_state(stack)
    assert resource["outputs"]["script_path"] == resource["inputs"]["script_path"] == str(script)
    assert resource["outputs"]["content_sha256"] == hashlib.sha256(SCRIPT.encode()).hexdigest()
    assert "content" not in resource["inputs"] and "content" not in resource["outputs"]
    assert "title_length" not in json.dumps(saved_state(stack)) and "Keeps the title" not in json.dumps(resource)

    assert stack.preview(on_output=quiet).change_summary == {"same": 2}

    # An edited file: an update planned at preview (no API call), then a new version of the same extension.
    script.write_text(EDITED, encoding="utf-8")
    clean_emulator.admin.clear_requests()
    assert stack.preview(on_output=quiet).change_summary == {"update": 1, "same": 1}
    assert vendor_calls(clean_emulator) == {}
    assert stack.up(on_output=quiet).summary.resource_changes == {"update": 1, "same": 1}
    [updated] = coveo_extensions(clean_emulator)
    assert (updated["id"], updated["content"]) == (extension["id"], EDITED)
    assert updated["versionId"] != extension["versionId"]

    # A missing file: preview fails naming the field and the path, before any API call.
    script.unlink()
    clean_emulator.admin.clear_requests()
    with pytest.raises(auto.CommandError) as error:
        stack.preview(on_output=quiet)
    message = str(error.value)
    assert "script_path:" in message and "does not exist" in message and "scripts/title.py" in message
    assert vendor_calls(clean_emulator) == {}

    assert stack.destroy(on_output=quiet).summary.resource_changes == {"delete": 2}
    assert coveo_extensions(clean_emulator) == []
