"""ElasticExtension through the real Pulumi CLI and engine (Automation API, inline programs)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import ElasticExtension, ElasticExtensionArgs
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.files import CLASSIC_DESCRIPTOR, make_plugin_zip, make_zip
from support.remote import elastic_api, elastic_extensions
from support.servers import serve_directory
from support.stacks import quiet
from support.state import is_secret, without_secrets
from support.state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

RESOURCE_TYPE = "pulumi-python:dynamic/elastic:Extension"
ELASTIC_API = "/api/v1/"


def _plain_state(stack: auto.Stack) -> str:
    """The state with every secret replaced (export_stack shows secrets decrypted, the backend does not)."""
    return json.dumps(without_secrets(stack.export_stack().deployment))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_file_extension_preview_up_noop_reupload_refresh_drift_replace_and_destroy(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "synonyms.zip")
    declared = {"extension_type": "bundle", "file_path": str(archive)}

    def program() -> None:
        extension = ElasticExtension(
            "synonyms bundle",
            ElasticExtensionArgs(
                extension_type=declared["extension_type"],
                version="8.11.3",
                description="Synonyms",
                file_path=declared["file_path"],
            ),
        )
        pulumi.export("extension_id", extension.extension_id)
        pulumi.export("url", extension.url)
        pulumi.export("file_sha256", extension.file_sha256)

    stack: auto.Stack = new_stack(
        program, config={"ec:endpoint": clean_emulator.url}, secrets={"ec:apikey": clean_emulator.elastic_api_key}
    )

    # Preview: an honest plan and not a single API call.
    assert stack.preview(on_output=quiet).change_summary == {"create": 2}
    assert vendor_calls(clean_emulator, ELASTIC_API) == {}

    up = stack.up(on_output=quiet)
    assert up.summary.resource_changes == {"create": 2}
    [stored] = elastic_extensions(clean_emulator)
    assert (stored["name"], stored["extension_type"], stored["file_sha256"]) == (
        "synonyms-bundle",
        "bundle",
        _sha256(archive),
    )
    assert up.outputs["extension_id"].value == stored["id"]
    assert up.outputs["url"].value == f"repo://{stored['id']}"
    assert up.outputs["file_sha256"].value == _sha256(archive)
    assert_state_matches_emulator(stack, clean_emulator)

    clean_emulator.admin.clear_requests()
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 2}
    assert vendor_calls(clean_emulator, ELASTIC_API) == {}  # no perpetual diff, nothing written

    # A changed file is a planned update and is uploaded again, to the same extension.
    make_zip(archive, {"dictionaries/synonyms.txt": "laptop, notebook, portable computer\n"})
    assert stack.up(on_output=quiet).summary.resource_changes == {"same": 1, "update": 1}
    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == _sha256(archive) and stored["id"] == up.outputs["extension_id"].value

    # Changes behind Pulumi's back show after a refresh and the next up puts things back.
    by_hand = {"name": "renamed-by-hand", "extension_type": "bundle", "version": "8.11.3", "description": "Synonyms"}
    elastic_api(clean_emulator, "POST", f"/{stored['id']}", json=by_hand)
    other = make_zip(tmp_path / "other.zip", {"other.txt": "hand made"})
    zip_body = {"data": other.read_bytes(), "headers": {"Content-Type": "application/zip"}}
    elastic_api(clean_emulator, "PUT", f"/{stored['id']}", **zip_body)
    stack.refresh(on_output=quiet)
    assert stack.preview(on_output=quiet).change_summary == {"same": 1, "update": 1}
    stack.up(on_output=quiet)
    [stored] = elastic_extensions(clean_emulator)
    assert (stored["name"], stored["file_sha256"]) == ("synonyms-bundle", _sha256(archive))
    assert_state_matches_emulator(stack, clean_emulator)

    # The API ignores a type change: a new extension replaces the old one (a plugin's archive, as check requires).
    archive = make_plugin_zip(tmp_path / "analysis.zip", {**CLASSIC_DESCRIPTOR, "elasticsearch.version": "8.11.3"})
    declared.update(extension_type="plugin", file_path=str(archive))
    replaced = stack.up(on_output=quiet)
    assert replaced.summary.resource_changes == {"same": 1, "replace": 1}
    [stored] = elastic_extensions(clean_emulator)
    assert stored["extension_type"] == "plugin" and stored["id"] != up.outputs["extension_id"].value
    assert stored["file_sha256"] == _sha256(archive)
    assert_state_matches_emulator(stack, clean_emulator)

    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    assert stack.destroy(on_output=quiet).summary.resource_changes == {"delete": 2}
    assert elastic_extensions(clean_emulator) == []


def test_adopting_an_extension_fetched_from_a_url_with_a_secret_key_argument(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "stopwords.zip", {"stopwords.txt": "a\nthe\n"})
    hand_made = {"name": "hand-made", "extension_type": "bundle", "version": "7.*", "description": "made by hand"}
    existing = elastic_api(clean_emulator, "POST", "", json=hand_made)

    with serve_directory(tmp_path) as base_url:

        def program() -> None:
            ElasticExtension(
                "stopwords",
                extension_type="bundle",
                version="8.*",
                download_url=f"{base_url}/stopwords.zip",
                adopt_id=existing["id"],
                endpoint=clean_emulator.url,
                api_key=clean_emulator.elastic_api_key,
            )

        stack: auto.Stack = new_stack(program)
        assert stack.up(on_output=quiet).summary.resource_changes == {"create": 2}

    [stored] = elastic_extensions(clean_emulator)
    assert (stored["id"], stored["name"], stored["version"]) == (existing["id"], "stopwords", "8.*")
    assert stored["file_sha256"] == _sha256(archive)
    assert_state_matches_emulator(stack, clean_emulator)
    deployment = stack.export_stack().deployment
    assert deployment is not None
    [resource] = [r for r in deployment["resources"] if r["type"] == RESOURCE_TYPE]
    assert resource["id"] == existing["id"]
    assert is_secret(resource["outputs"]["api_key"]) and is_secret(resource["inputs"]["api_key"])
    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    stack.refresh(on_output=quiet)
    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    assert stack.destroy(on_output=quiet).summary.resource_changes == {"delete": 2}
    assert elastic_extensions(clean_emulator) == []


def test_bad_input_fails_the_preview_and_wrong_credentials_fail_up_with_one_clear_error(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    def bad_program() -> None:
        ElasticExtension("analyzer", extension_type="plugin", version="8.*", file_path=str(tmp_path / "missing.zip"))

    bad = new_stack(bad_program, config={"ec:endpoint": clean_emulator.url, "ec:apikey": "k"})
    with pytest.raises(auto.errors.CommandError) as preview_error:
        bad.preview(on_output=quiet)
    assert "version: '8.*' is not valid for a plugin" in str(preview_error.value)
    assert "file_path:" in str(preview_error.value) and "does not exist" in str(preview_error.value)
    assert vendor_calls(clean_emulator, ELASTIC_API) == {}

    def good_program() -> None:
        ElasticExtension("analyzer", extension_type="plugin", version="8.11.3")

    wrong = new_stack(good_program, config={"ec:endpoint": clean_emulator.url}, secrets={"ec:apikey": "wrong-key"})
    with pytest.raises(auto.errors.CommandError) as up_error:
        wrong.up(on_output=quiet)
    message = str(up_error.value)
    assert message.count("Elastic rejected the credentials") == 1, message
    assert "wrong-key" not in message
    assert elastic_extensions(clean_emulator) == []
