"""ElasticExtension through the real Pulumi CLI and engine (Automation API, inline programs)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from elastic.helpers import elastic_extensions, emulator_client, make_zip
from pulumi_search_extensions import ElasticExtension, ElasticExtensionArgs
from pulumi_search_extensions.elastic.client import ExtensionRequest
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.servers import serve_directory

from .state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

RESOURCE_TYPE = "pulumi-python:dynamic/elastic:Extension"
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # marks a secret value in Pulumi's state format


def _without_secrets(value: Any) -> Any:
    """The state with every secret replaced (export_stack shows secrets decrypted, the backend does not)."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return "[secret]"
        return {key: _without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value


def _plain_state(stack: auto.Stack) -> str:
    return json.dumps(_without_secrets(stack.export_stack().deployment))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _quiet(_line: str) -> None:
    pass


def test_file_extension_preview_up_noop_reupload_refresh_drift_replace_and_destroy(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "synonyms.zip")
    declared = {"extension_type": "bundle"}

    def program() -> None:
        extension = ElasticExtension(
            "synonyms bundle",
            ElasticExtensionArgs(
                extension_type=declared["extension_type"],
                version="8.11.3",
                description="Synonyms",
                file_path=str(archive),
            ),
        )
        pulumi.export("extension_id", extension.extension_id)
        pulumi.export("url", extension.url)
        pulumi.export("file_sha256", extension.file_sha256)

    stack: auto.Stack = new_stack(
        program, config={"ec:endpoint": clean_emulator.url}, secrets={"ec:apikey": clean_emulator.elastic_api_key}
    )

    # Preview: an honest plan and not a single API call.
    assert stack.preview(on_output=_quiet).change_summary == {"create": 2}
    assert vendor_calls(clean_emulator, "/api/v1/") == {}

    up = stack.up(on_output=_quiet)
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
    assert stack.up(on_output=_quiet).summary.resource_changes == {"same": 2}
    assert vendor_calls(clean_emulator, "/api/v1/") == {}  # no perpetual diff, nothing written

    # A changed file is a planned update and is uploaded again, to the same extension.
    make_zip(archive, {"dictionaries/synonyms.txt": "laptop, notebook, portable computer\n"})
    assert stack.up(on_output=_quiet).summary.resource_changes == {"same": 1, "update": 1}
    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == _sha256(archive) and stored["id"] == up.outputs["extension_id"].value

    # Changes behind Pulumi's back show after a refresh and the next up puts things back.
    client = emulator_client(clean_emulator)
    client.post_extension_metadata(stored["id"], ExtensionRequest("renamed-by-hand", "bundle", "8.11.3", "Synonyms"))
    client.put_extension_file(stored["id"], make_zip(tmp_path / "other.zip", {"other.txt": "hand made"}))
    stack.refresh(on_output=_quiet)
    assert stack.preview(on_output=_quiet).change_summary == {"same": 1, "update": 1}
    stack.up(on_output=_quiet)
    [stored] = elastic_extensions(clean_emulator)
    assert (stored["name"], stored["file_sha256"]) == ("synonyms-bundle", _sha256(archive))
    assert_state_matches_emulator(stack, clean_emulator)

    # The API ignores a type change: a new extension replaces the old one.
    declared["extension_type"] = "plugin"
    replaced = stack.up(on_output=_quiet)
    assert replaced.summary.resource_changes == {"same": 1, "replace": 1}
    [stored] = elastic_extensions(clean_emulator)
    assert stored["extension_type"] == "plugin" and stored["id"] != up.outputs["extension_id"].value
    assert stored["file_sha256"] == _sha256(archive)
    assert_state_matches_emulator(stack, clean_emulator)

    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    assert stack.destroy(on_output=_quiet).summary.resource_changes == {"delete": 2}
    assert elastic_extensions(clean_emulator) == []


def test_adopting_an_extension_fetched_from_a_url_with_a_secret_key_argument(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "stopwords.zip", {"stopwords.txt": "a\nthe\n"})
    existing = emulator_client(clean_emulator).post_extension(
        ExtensionRequest("hand-made", "bundle", "7.*", "made in the console")
    )

    with serve_directory(tmp_path) as base_url:

        def program() -> None:
            ElasticExtension(
                "stopwords",
                extension_type="bundle",
                version="8.*",
                download_url=f"{base_url}/stopwords.zip",
                adopt_id=existing.id,
                endpoint=clean_emulator.url,
                api_key=clean_emulator.elastic_api_key,
            )

        stack: auto.Stack = new_stack(program)
        assert stack.up(on_output=_quiet).summary.resource_changes == {"create": 2}

    [stored] = elastic_extensions(clean_emulator)
    assert (stored["id"], stored["name"], stored["version"]) == (existing.id, "stopwords", "8.*")
    assert stored["file_sha256"] == _sha256(archive)
    assert_state_matches_emulator(stack, clean_emulator)
    deployment = stack.export_stack().deployment
    assert deployment is not None
    [resource] = [r for r in deployment["resources"] if r["type"] == RESOURCE_TYPE]
    assert resource["id"] == existing.id
    assert SECRET_SIG in resource["outputs"]["api_key"] and SECRET_SIG in resource["inputs"]["api_key"]
    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    stack.refresh(on_output=_quiet)
    assert clean_emulator.elastic_api_key not in _plain_state(stack)

    assert stack.destroy(on_output=_quiet).summary.resource_changes == {"delete": 2}
    assert elastic_extensions(clean_emulator) == []


def test_bad_input_fails_the_preview_and_wrong_credentials_fail_up_with_one_clear_error(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    def bad_program() -> None:
        ElasticExtension("analyzer", extension_type="plugin", version="8.*", file_path=str(tmp_path / "missing.zip"))

    bad = new_stack(bad_program, config={"ec:endpoint": clean_emulator.url, "ec:apikey": "k"})
    with pytest.raises(auto.errors.CommandError) as preview_error:
        bad.preview(on_output=_quiet)
    assert "version: '8.*' is not valid for a plugin" in str(preview_error.value)
    assert "file_path:" in str(preview_error.value) and "does not exist" in str(preview_error.value)
    assert vendor_calls(clean_emulator, "/api/v1/") == {}

    def good_program() -> None:
        ElasticExtension("analyzer", extension_type="plugin", version="8.11.3")

    wrong = new_stack(good_program, config={"ec:endpoint": clean_emulator.url}, secrets={"ec:apikey": "wrong-key"})
    with pytest.raises(auto.errors.CommandError) as up_error:
        wrong.up(on_output=_quiet)
    message = str(up_error.value)
    assert message.count("Elastic rejected the credentials") == 1, message
    assert "wrong-key" not in message
    assert elastic_extensions(clean_emulator) == []
