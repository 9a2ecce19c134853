"""Every program in examples/ runs through the real CLI and engine against the emulator.

Each test runs the example's `__main__.py` (with `runpy`, as an inline program) in a stack named after
its `Pulumi.yaml` project, with the config its README tells a user to set: `up`, a no-op `up` that changes
nothing, the example's own point, `destroy`. After each step the Pulumi state matches the emulator exactly.
"""

from __future__ import annotations

import hashlib
import io
import runpy
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.remote import coveo_api, coveo_extensions, elastic_api, elastic_extensions, remote_extension_counts
from support.servers import serve_directory
from support.stacks import set_config
from support.state import is_secret, resources_by_name
from support.state_vs_emulator import assert_state_matches_emulator

from .programs import planned_operations

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
ASSETS = EXAMPLES / "assets"
TESTED_HERE = {
    "adopt-existing",
    "coveo-disabled",
    "coveo-multi-org",
    "coveo-script-file",
    "elastic-deployment-url",
    "elastic-download-url",
    "elastic-upload",
}
TESTED_ELSEWHERE = {
    "coveo-source-extensions",  # tests/e2e/test_coveo_source_extensions.py
    "python-plugin",  # tests/plugin/test_examples.py
    "yaml-search-extensions",  # tests/plugin/test_examples.py
}


# -- helpers -----------------------------------------------------------------------------------------------


def example_program(example: str) -> auto.PulumiFn:
    """The example's `__main__.py` as an inline program."""
    path = EXAMPLES / example / "__main__.py"

    def program() -> None:
        runpy.run_path(str(path), run_name="__main__")

    return program


def runtime_of(example: str) -> str:
    """The example's runtime (`python` or `yaml`)."""
    runtime = yaml.safe_load((EXAMPLES / example / "Pulumi.yaml").read_text())["runtime"]
    return str(runtime["name"] if isinstance(runtime, dict) else runtime)


def project_of(example: str) -> str:
    """The project name in the example's Pulumi.yaml (its own config keys are in this namespace)."""
    return str(yaml.safe_load((EXAMPLES / example / "Pulumi.yaml").read_text())["name"])


def start_example(
    new_stack: Any,
    emulator: EmulatorHandle,
    example: str,
    *,
    config: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
    emulator_connection: bool = True,
) -> auto.Stack:
    """A stack running the example. `config`/`secrets` keys without a namespace are the example's own."""
    project = project_of(example)

    def namespaced(values: Mapping[str, str] | None) -> dict[str, str]:
        return {(key if ":" in key else f"{project}:{key}"): value for key, value in (values or {}).items()}

    base, base_secrets = emulator.stack_config() if emulator_connection else ({}, {})
    stack: auto.Stack = new_stack(example_program(example), project=project)
    set_config(stack, {**base, **namespaced(config)}, {**base_secrets, **namespaced(secrets)})
    return stack


def up_then_noop_up(stack: auto.Stack, emulator: EmulatorHandle) -> auto.UpResult:
    """`up` creates the example's resources; a second `up` changes nothing. The state matches the emulator."""
    up = stack.up()
    assert up.summary.result == "succeeded"
    assert set(up.summary.resource_changes or {}) == {"create"}, up.summary.resource_changes
    assert_state_matches_emulator(stack, emulator)
    emulator.admin.clear_requests()
    again = stack.up()
    assert set(again.summary.resource_changes or {}) == {"same"}, again.summary.resource_changes
    # Nothing to do means nothing sent: the state and the emulator cannot have drifted apart.
    assert vendor_calls(emulator) == {}
    return up


def destroy_leaves_nothing(stack: auto.Stack, emulator: EmulatorHandle) -> None:
    """`destroy` empties the state and deletes every extension it created: nothing is left behind."""
    result = stack.destroy()
    assert result.summary.result == "succeeded"
    assert not resources_by_name(stack)
    assert set(remote_extension_counts(emulator).values()) == {0}, emulator.admin.dump()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plugin_zip(path: Path) -> Path:
    """A small Elasticsearch plugin archive with fixed timestamps (the same bytes on every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("plugin-descriptor.properties", "name=analysis-plugin\nversion=1.0.0\nelasticsearch.version=8.15.0\n"),
            ("analysis-plugin-1.0.0.jar", "not really a jar"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    path.write_bytes(buffer.getvalue())
    return path


def only(items: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(items) == 1, items
    return items[0]


# -- the examples ------------------------------------------------------------------------------------------


def test_every_example_folder_is_complete_and_run_by_a_test() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name != "assets"}
    assert folders >= TESTED_HERE
    assert folders - TESTED_HERE - TESTED_ELSEWHERE == set(), "an example without a test"
    for folder in folders:
        program = () if runtime_of(folder) == "yaml" else ("__main__.py",)  # a YAML program is its Pulumi.yaml
        for required in ("Pulumi.yaml", *program, "README.md"):
            assert (EXAMPLES / folder / required).is_file(), f"examples/{folder}/{required} is missing"
        assert project_of(folder) == folder


def test_coveo_script_file_creates_the_extension_from_its_file_with_both_data_streams(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    stack = start_example(new_stack, clean_emulator, "coveo-script-file")
    up = up_then_noop_up(stack, clean_emulator)

    remote = only(coveo_extensions(clean_emulator))
    assert remote["id"] == up.outputs["extension_id"].value
    assert remote["content"] == (EXAMPLES / "coveo-script-file" / "word_count.py").read_text()
    assert sorted(remote["requiredDataStreams"]) == ["BODY_TEXT", "DOCUMENT_DATA"]
    assert remote["timeout"] == 10
    assert remote["name"] == "word-count"
    assert up.outputs["required_data_streams"].value == ["BODY_TEXT", "DOCUMENT_DATA"]
    assert up.outputs["version_id"].value == remote["versionId"]

    destroy_leaves_nothing(stack, clean_emulator)


def test_coveo_disabled_creates_a_disabled_extension_that_config_enables_in_place(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    stack = start_example(new_stack, clean_emulator, "coveo-disabled")
    up = up_then_noop_up(stack, clean_emulator)

    remote = only(coveo_extensions(clean_emulator))
    assert remote["enabled"] is False
    assert remote["status"]["disabledStatus"], "a disabled extension reports when it was disabled"
    assert up.outputs["enabled"].value is False
    assert up.outputs["status"].value["disabled_status"]

    stack.set_config("coveo-disabled:enabled", auto.ConfigValue("true"))
    enabled = stack.up()
    assert enabled.summary.resource_changes == {"update": 1, "same": 1}
    after = only(coveo_extensions(clean_emulator))
    assert (after["id"], after["versionId"]) == (remote["id"], remote["versionId"])  # in place, same script
    assert after["enabled"] is True
    assert_state_matches_emulator(stack, clean_emulator)

    destroy_leaves_nothing(stack, clean_emulator)


def test_coveo_multi_org_puts_one_extension_in_each_organization_with_explicit_connection_arguments(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    assert emulator.coveo_other_organization_id and emulator.coveo_other_api_key
    stack = start_example(
        new_stack,
        emulator,
        "coveo-multi-org",
        emulator_connection=False,  # no coveo:* config: the program's arguments say everything
        config={
            "primaryOrganizationId": emulator.coveo_organization_id,
            "primaryHost": emulator.url,
            "secondaryOrganizationId": emulator.coveo_other_organization_id,
            "secondaryHost": emulator.url,
        },
        secrets={"primaryApiKey": emulator.coveo_api_key, "secondaryApiKey": emulator.coveo_other_api_key},
    )
    up = up_then_noop_up(stack, emulator)

    dump = emulator.admin.dump()["coveo"]
    primary = only(dump[emulator.coveo_organization_id]["extensions"])
    secondary = only(dump[emulator.coveo_other_organization_id]["extensions"])
    assert up.outputs["primary_extension_id"].value == primary["id"]
    assert up.outputs["secondary_extension_id"].value == secondary["id"]
    assert 'indexedby": "primary"' in primary["content"] and 'indexedby": "secondary"' in secondary["content"]

    exported = stack.export_stack().deployment or {}
    raw = {r["urn"].rsplit("::", 1)[-1]: r for r in exported["resources"]}
    for name in ("primary-indexed-by", "secondary-indexed-by"):
        assert is_secret(raw[name]["inputs"]["api_key"]) and is_secret(raw[name]["outputs"]["api_key"])

    destroy_leaves_nothing(stack, emulator)


def test_elastic_upload_uploads_the_local_zip_as_a_bundle(new_stack: Any, clean_emulator: EmulatorHandle) -> None:
    stack = start_example(new_stack, clean_emulator, "elastic-upload")
    up = up_then_noop_up(stack, clean_emulator)

    remote = only(elastic_extensions(clean_emulator))
    bundle = ASSETS / "synonyms-bundle.zip"
    assert (remote["name"], remote["extension_type"], remote["version"]) == ("synonyms", "bundle", "8.*")
    assert remote["file_sha256"] == sha256_of(bundle) == up.outputs["file_sha256"].value
    assert remote["file_metadata"]["size"] == bundle.stat().st_size == up.outputs["file_size"].value
    assert up.outputs["url"].value == f"repo://{remote['id']}" == remote["url"]

    destroy_leaves_nothing(stack, clean_emulator)


def test_elastic_download_url_has_the_service_fetch_the_plugin(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    served = tmp_path / "served"
    served.mkdir()
    plugin = plugin_zip(served / "analysis-plugin-8.15.0.zip")
    with serve_directory(served) as base_url:
        url = f"{base_url}/{plugin.name}"
        stack = start_example(new_stack, clean_emulator, "elastic-download-url", config={"pluginUrl": url})
        up = up_then_noop_up(stack, clean_emulator)

        remote = only(elastic_extensions(clean_emulator))
        assert (remote["extension_type"], remote["version"], remote["download_url"]) == ("plugin", "8.15.0", url)
        assert remote["file_sha256"] == sha256_of(plugin), "the service holds the file it fetched"
        assert up.outputs["file_size"].value == plugin.stat().st_size
        assert up.outputs["download_url"].value == url

        destroy_leaves_nothing(stack, clean_emulator)


def test_elastic_deployment_url_exports_a_plan_entry_that_references_the_extension(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    stack = start_example(new_stack, emulator, "elastic-deployment-url")
    up = up_then_noop_up(stack, emulator)

    remote = only(elastic_extensions(emulator))
    plan = up.outputs["elasticsearch_plan"].value
    assert plan == {
        "version": "8.15.0",
        "user_bundles": [{"name": "stopwords", "url": f"repo://{remote['id']}", "elasticsearch_version": "8.15.0"}],
        "user_plugins": [],
    }
    assert up.outputs["ec_deployment_extension"].value == {
        "name": "stopwords",
        "type": "bundle",
        "version": "8.*",
        "url": f"repo://{remote['id']}",
    }

    # A deployment whose plan takes the exported URL: the extension is now in use, and refresh shows it.
    extension_id = plan["user_bundles"][0]["url"].removeprefix("repo://")
    deployment = emulator.admin.create_deployment("search-prod", [extension_id])
    stack.refresh()
    assert resources_by_name(stack)["stopwords"]["outputs"]["deployments"] == [deployment["id"]]
    assert_state_matches_emulator(stack, emulator)

    # A new file (on_file_change="replace"): a new extension, the exported plan follows; the old one, still used
    # by the deployment, stays until the deployment runs the new plan, and the next `up` deletes it.
    stack.set_config("elastic-deployment-url:stopwordsFile", auto.ConfigValue("../assets/stopwords-bundle-v2.zip"))
    assert planned_operations(stack) == {"stopwords": "replace"}
    with pytest.raises(auto.errors.CommandError, match=r"extensions\.extension_in_use"):
        stack.up()
    new_url = stack.outputs()["elasticsearch_plan"].value["user_bundles"][0]["url"]
    assert new_url != f"repo://{extension_id}"
    assert stack.outputs()["ec_deployment_extension"].value["url"] == new_url
    assert {e["id"] for e in elastic_extensions(emulator)} == {extension_id, new_url.removeprefix("repo://")}
    emulator.admin.update_deployment(deployment["id"], "search-prod", [new_url.removeprefix("repo://")])
    assert stack.up().summary.result == "succeeded"
    assert [f"repo://{e['id']}" for e in elastic_extensions(emulator)] == [new_url]
    assert_state_matches_emulator(stack, emulator)

    emulator.admin.delete_deployment(deployment["id"])
    destroy_leaves_nothing(stack, emulator)


def test_adopt_existing_takes_over_both_extensions_without_creating_new_ones(
    new_stack: Any, clean_emulator: EmulatorHandle
) -> None:
    emulator = clean_emulator
    script = (ASSETS / "normalize_title.py").read_text()
    coveo = coveo_api(
        emulator,
        "POST",
        "/extensions",
        json={
            "name": "title-normalizer",
            "content": script,
            "description": "made in the console",
            "language": "PYTHON3",
            "requiredDataStreams": ["BODY_TEXT"],
        },
    )
    elastic = elastic_api(
        emulator, "POST", "", json={"name": "synonyms", "extension_type": "bundle", "version": "8.*"}
    )  # metadata only: the adoption must upload the declared zip
    stack = start_example(
        new_stack,
        emulator,
        "adopt-existing",
        config={"coveoExtensionId": coveo["id"], "elasticExtensionId": elastic["id"]},
    )
    assert planned_operations(stack) == {"title-normalizer": "create", "synonyms": "create"}

    up = up_then_noop_up(stack, emulator)
    assert remote_extension_counts(emulator) == {
        emulator.coveo_organization_id: 1,
        str(emulator.coveo_other_organization_id): 0,
        "elastic": 1,
    }, "adopting creates nothing new"
    assert up.outputs["coveo_extension_id"].value == coveo["id"]
    assert up.outputs["elastic_extension_id"].value == elastic["id"]
    dump = emulator.admin.dump()
    adopted_coveo = only(dump["coveo"][emulator.coveo_organization_id]["extensions"])
    adopted_elastic = only(dump["elastic"]["extensions"])
    assert adopted_coveo["description"] == "Normalizes titles (managed by Pulumi since its adoption)"
    assert adopted_coveo["versionId"] == coveo["versionId"], "the script was already right: no new version"
    assert adopted_elastic["description"] == "Synonyms dictionary (managed by Pulumi since its adoption)"
    assert adopted_elastic["file_sha256"] == sha256_of(ASSETS / "synonyms-bundle.zip")

    destroy_leaves_nothing(stack, emulator)
