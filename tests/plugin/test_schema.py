"""The plugin's package schema: what every generated SDK, and the engine, learn about the three resources.

`package_schema()` is a pure function of the typed models; these tests read it as a user of an SDK would. The
last one asks the real CLI for the schema through the installed plugin (`pulumi package get-schema`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions import __version__
from pulumi_search_extensions.plugin.schema import package_schema, schema_json

from .sdks import plugin_executable, pulumi_cli

COVEO_EXTENSION = "search-extensions:coveo:Extension"
COVEO_SOURCE_EXTENSIONS = "search-extensions:coveo:SourceExtensions"
ELASTIC_EXTENSION = "search-extensions:elastic:Extension"

SCHEMA = package_schema()
RESOURCES: dict[str, Any] = SCHEMA["resources"]


def _inputs(token: str) -> dict[str, Any]:
    inputs: dict[str, Any] = RESOURCES[token]["inputProperties"]
    return inputs


def _property_lists() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (owner, properties) map of the schema: resources' outputs and inputs, object types, config."""
    for token, resource in RESOURCES.items():
        yield f"{token} outputs", resource["properties"]
        yield f"{token} inputs", resource["inputProperties"]
    for token, object_type in SCHEMA["types"].items():
        yield token, object_type["properties"]
    yield "config", SCHEMA["config"]["variables"]
    yield "provider", SCHEMA["provider"]["inputProperties"]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_package_is_search_extensions_at_the_python_packages_version() -> None:
    assert SCHEMA["name"] == "search-extensions"
    assert SCHEMA["version"] == __version__
    assert json.loads(schema_json()) == SCHEMA


def test_it_serves_the_three_resources_under_their_tokens() -> None:
    assert set(RESOURCES) == {COVEO_EXTENSION, COVEO_SOURCE_EXTENSIONS, ELASTIC_EXTENSION}


def test_credentials_are_secret_as_inputs_and_as_outputs() -> None:
    secrets = {
        token: {name for name, spec in resource["properties"].items() if spec.get("secret")}
        for token, resource in RESOURCES.items()
    }
    assert secrets == {
        COVEO_EXTENSION: {"apiKey"},
        COVEO_SOURCE_EXTENSIONS: {"apiKey"},
        ELASTIC_EXTENSION: {"apiKey", "password"},
    }
    for token, names in secrets.items():
        assert all(_inputs(token)[name]["secret"] is True for name in names), token


@pytest.mark.parametrize(
    ("token", "replacing"),
    [
        (COVEO_EXTENSION, {"organizationId", "host"}),
        (COVEO_SOURCE_EXTENSIONS, {"sourceId", "organizationId", "host"}),
        (ELASTIC_EXTENSION, {"extensionType", "endpoint"}),
    ],
)
def test_changing_the_organization_host_source_or_extension_type_replaces(token: str, replacing: set[str]) -> None:
    marked = {name for name, spec in _inputs(token).items() if spec.get("replaceOnChanges")}
    assert marked == replacing
    assert {name for name, spec in RESOURCES[token]["properties"].items() if spec.get("replaceOnChanges")} == replacing


@pytest.mark.parametrize(
    ("token", "name", "default"),
    [
        (COVEO_EXTENSION, "description", ""),
        (COVEO_EXTENSION, "apiVersion", "v1"),
        (COVEO_EXTENSION, "executionTimeout", 5),
        (COVEO_EXTENSION, "enabled", True),
        (COVEO_SOURCE_EXTENSIONS, "rebuild", False),
        (ELASTIC_EXTENSION, "description", ""),
    ],
)
def test_inputs_declare_the_dynamic_resources_defaults(token: str, name: str, default: object) -> None:
    spec = _inputs(token)[name]
    assert spec["default"] == default
    assert type(spec["default"]) is type(default)  # 5, not 5.0 nor "5"


def test_inputs_without_a_default_declare_none() -> None:
    assert "default" not in _inputs(COVEO_EXTENSION)["name"]  # the resource name, decided at check
    assert "default" not in _inputs(ELASTIC_EXTENSION)["endpoint"]  # from config or the environment


def test_on_file_change_is_an_elastic_input_defaulting_to_update_documented_with_both_ways() -> None:
    on_file_change = _inputs(ELASTIC_EXTENSION)["onFileChange"]

    assert (on_file_change["type"], on_file_change["default"]) == ("string", "update")
    assert '"replace"' in on_file_change["description"] and "deleted last" in on_file_change["description"]
    assert "replaceOnChanges" not in on_file_change  # choosing the way replaces nothing by itself


def test_required_inputs_are_the_source_and_the_elastic_type_and_version() -> None:
    # A Coveo extension needs `content` or `scriptPath`, one of two: the check says so, the schema cannot.
    assert RESOURCES[COVEO_EXTENSION].get("requiredInputs", []) == []
    assert RESOURCES[COVEO_SOURCE_EXTENSIONS]["requiredInputs"] == ["sourceId"]
    assert set(RESOURCES[ELASTIC_EXTENSION]["requiredInputs"]) == {"extensionType", "version"}


def test_outputs_include_every_input_and_what_the_service_adds() -> None:
    for token, resource in RESOURCES.items():
        assert set(resource["inputProperties"]) <= set(resource["properties"]), token
        assert set(resource["required"]) <= set(resource["properties"]), token
    assert {"extensionId", "versionId", "contentSha256", "usedBy"} <= set(RESOURCES[COVEO_EXTENSION]["required"])
    assert {"extensionId", "url"} <= set(RESOURCES[ELASTIC_EXTENSION]["required"])
    assert "apiKey" not in RESOURCES[COVEO_EXTENSION]["required"]  # from config, then the environment


def test_property_names_are_camel_case() -> None:
    for owner, properties in _property_lists():
        for name in properties:
            assert "_" not in name and name[:1].islower(), f"{owner}: {name}"


def test_every_resource_type_and_property_is_documented() -> None:
    for token, resource in RESOURCES.items():
        assert resource["description"].strip(), token
    for token, object_type in SCHEMA["types"].items():
        assert object_type["description"].strip(), token
    for owner, properties in _property_lists():
        for name, spec in properties.items():
            assert spec.get("description", "").strip(), f"{owner}: {name} has no description"


def test_nested_objects_are_named_types_and_every_reference_resolves() -> None:
    assert set(SCHEMA["types"]) == {
        "search-extensions:coveo:AppliedExtension",
        "search-extensions:coveo:ItemTypeExtensions",
        "search-extensions:coveo:ExtensionUse",
        "search-extensions:coveo:ExtensionTest",
        "search-extensions:coveo:ExtensionExpectation",
    }
    source = _inputs(COVEO_SOURCE_EXTENSIONS)
    applied = {"$ref": "#/types/search-extensions:coveo:AppliedExtension"}
    assert source["preConversion"]["items"] == applied
    assert source["postConversion"]["items"] == applied
    assert source["itemTypes"]["additionalProperties"] == {"$ref": "#/types/search-extensions:coveo:ItemTypeExtensions"}
    used_by = RESOURCES[COVEO_EXTENSION]["properties"]["usedBy"]
    assert used_by["items"] == {"$ref": "#/types/search-extensions:coveo:ExtensionUse"}
    assert SCHEMA["types"]["search-extensions:coveo:AppliedExtension"]["required"] == ["extensionId"]

    local = {ref.removeprefix("#/types/") for ref in _refs(SCHEMA) if ref.startswith("#/types/")}
    assert local == set(SCHEMA["types"])  # none dangling, none unused
    assert {ref for ref in _refs(SCHEMA) if not ref.startswith("#/types/")} <= {"pulumi.json#/Any"}


def test_the_provider_is_configured_under_its_own_namespace_with_secret_credentials() -> None:
    variables = SCHEMA["config"]["variables"]
    assert {
        "coveoOrganizationId",
        "coveoApiKey",
        "coveoRegion",
        "coveoHost",
        "coveoMaxRetries",
        "ecEndpoint",
        "ecApikey",
        "ecUsername",
        "ecPassword",
        "ecInsecure",
        "ecMaxRetries",
    } <= set(variables)
    assert {name for name, spec in variables.items() if spec.get("secret")} == {"coveoApiKey", "ecApikey", "ecPassword"}
    assert variables["ecInsecure"]["type"] == "boolean"
    assert variables["coveoMaxRetries"]["type"] == "number"
    # An explicit provider resource takes the same keys as the stack config.
    assert SCHEMA["provider"]["inputProperties"] == variables


def test_each_sdk_language_is_named() -> None:
    language = SCHEMA["language"]
    assert language["nodejs"]["packageName"] == "@search-extensions/pulumi"
    assert language["nodejs"]["respectSchemaVersion"] is True  # else "${VERSION}", no version
    assert language["go"]["importBasePath"].endswith("/go/searchextensions")
    assert {"python", "csharp"} <= set(language)


@pytest.mark.e2e
def test_the_cli_gets_the_same_schema_from_the_installed_plugin(tmp_path: Path) -> None:
    cli, plugin = pulumi_cli(), plugin_executable()
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    done = subprocess.run(
        [str(cli), "package", "get-schema", str(plugin)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    # The CLI re-encodes the schema through its own schema model, which leaves out empty lists.
    assert json.loads(done.stdout) == _without_empty_lists(package_schema())


def _without_empty_lists(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_empty_lists(value) for key, value in node.items() if value != []}
    if isinstance(node, list):
        return [_without_empty_lists(item) for item in node]
    return node


def test_the_docs_name_properties_and_config_keys_as_every_language_sees_them() -> None:
    text = json.dumps(package_schema())
    assert "`scriptPath`" in text and "`search-extensions:ecApikey`" in text
    for python_only in ("`script_path`", "`content_sha256`", "`ec:apikey`", "`coveo:apiKey`", "`adopt_id`"):
        assert python_only not in text, python_only


def test_an_extension_declares_its_tests_as_a_list_of_named_test_types() -> None:
    tests = _inputs(COVEO_EXTENSION)["tests"]
    assert tests["items"] == {"$ref": "#/types/search-extensions:coveo:ExtensionTest"}
    test_type = SCHEMA["types"]["search-extensions:coveo:ExtensionTest"]
    assert set(test_type["properties"]) == {"name", "document", "parameters", "stage", "expect"}
    assert test_type["required"] == ["name"]
    assert test_type["properties"]["expect"]["$ref"] == "#/types/search-extensions:coveo:ExtensionExpectation"
    expectation = SCHEMA["types"]["search-extensions:coveo:ExtensionExpectation"]
    assert set(expectation["properties"]) == {"status", "metadata", "logs"}
