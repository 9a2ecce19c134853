"""Validate response bodies against the vendors' own API documents (copies in `tests/specs/`).

- `validate_coveo(schema_name, body)`: OpenAPI 3.0 `#/components/schemas/<name>` of the Coveo
  Extension API, falling back to the Source API document (e.g. `SourceExtensionsMap`).
- `validate_elastic(definition_name, body)`: Swagger 2.0 `#/definitions/<name>` of the Elastic
  Cloud API, with a registry over the whole document so that every `$ref` resolves.

A trailing `[]` (`"ExtensionModel[]"`) validates a JSON array of that schema.

Where `tests/specs/coveo-extension-api.md` says the Coveo spec is wrong, the schemas are adapted
explicitly (see `COVEO_SPEC_CORRECTIONS`); the Coveo schemas are also closed
(`additionalProperties: false` on every object that lists properties) so that a misspelt or
invented field fails validation instead of passing silently.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPECS_DIR = Path(__file__).resolve().parent.parent / "specs"
COVEO_EXTENSION_SPEC = SPECS_DIR / "coveo-extension-api.openapi.yml"
COVEO_SOURCE_SPEC = SPECS_DIR / "coveo-source-api.openapi.yml"
ELASTIC_SPEC = SPECS_DIR / "elastic-cloud-api.swagger.json"

_EPOCH_MS = {"type": "integer", "minimum": 0, "description": "epoch milliseconds (the spec says date-time)"}

# (schema, property) -> replacement, each from tests/specs/coveo-extension-api.md.
COVEO_SPEC_CORRECTIONS: dict[tuple[str, str], dict[str, Any]] = {
    # "createdDate / lastModified are epoch milliseconds as JSON numbers (the spec mislabels them
    # as date-time strings)"; the same holds for every other Coveo date of these models.
    ("ExtensionModel", "createdDate"): _EPOCH_MS,
    ("ExtensionModel", "lastModified"): _EPOCH_MS,
    ("ExtensionContentVersionModel", "lastModified"): _EPOCH_MS,
    ("ExtensionDisabledStatusModel", "disabledDate"): _EPOCH_MS,
    ("ExtensionStatusModel", "lastAutoDisablingDate"): _EPOCH_MS,
    ("ExtensionStatusModel", "lastDisablingDate"): _EPOCH_MS,
}

# The spec has no error schema; the reference gives Coveo's error body.
COVEO_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message", "errorCode", "requestID"],
    "properties": {"message": {"type": "string"}, "errorCode": {"type": "string"}, "requestID": {"type": "string"}},
}


def _close_objects(node: Any) -> None:
    """Set `additionalProperties: false` on every object schema that lists its properties."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def _corrected_coveo_spec(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    for (schema, prop), replacement in COVEO_SPEC_CORRECTIONS.items():
        if schema in schemas and prop in schemas[schema].get("properties", {}):
            schemas[schema]["properties"][prop] = dict(replacement)
    if "values" in schemas.get("MetadataValueModel", {}).get("properties", {}):
        # The reference (coveo-extension-runtime.md, section 5): `values` is `{name: [..]}`, a list per name
        # (the spec's own example), not the `object` its schema says; an object is a v2 dictionary field.
        schemas["MetadataValueModel"]["properties"]["values"]["additionalProperties"] = {
            "anyOf": [{"type": "array"}, {"type": "object"}]
        }
    if "inlineContent" in schemas.get("DataStreamContentModel", {}).get("properties", {}):
        # "One of `id` or `inlineContent` is required" (the spec's descriptions): not both, as its `required` says.
        schemas["DataStreamContentModel"]["required"] = ["compressionType"]
    if "ExtensionDisabledStatusModel" in schemas:
        # "disabledStatus = {disabledDate, reason} ({} when enabled)": disabledDate cannot be required.
        schemas["ExtensionDisabledStatusModel"].pop("required", None)
    schemas["CoveoError"] = COVEO_ERROR_SCHEMA
    _close_objects(schemas)
    return spec


@functools.cache
def _coveo_registry() -> tuple[Registry, dict[str, str]]:
    """A registry holding both Coveo documents, and which document defines each schema name."""
    registry: Registry = Registry()
    owners: dict[str, str] = {}
    # The Extension API comes first: where both documents define a name, its definition wins.
    for uri, path in (("urn:coveo-source-api", COVEO_SOURCE_SPEC), ("urn:coveo-extension-api", COVEO_EXTENSION_SPEC)):
        spec = _corrected_coveo_spec(path)
        registry = registry.with_resource(uri, Resource.from_contents(spec, default_specification=DRAFT4))
        owners.update(dict.fromkeys(spec["components"]["schemas"], uri))
    return registry, owners


@functools.cache
def _elastic_registry() -> tuple[Registry, frozenset[str]]:
    spec = json.loads(ELASTIC_SPEC.read_text(encoding="utf-8"))
    resource = Resource.from_contents(spec, default_specification=DRAFT4)
    return Registry().with_resource("urn:elastic-cloud-api", resource), frozenset(spec["definitions"])


def validate_coveo(schema_name: str, body: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `body` matches the Coveo schema (`Name` or `Name[]`)."""
    registry, owners = _coveo_registry()

    def ref(name: str) -> str | None:
        return f"{owners[name]}#/components/schemas/{name}" if name in owners else None

    _validate("Coveo schema", schema_name, body, ref, OAS30Validator, registry)


def validate_elastic(definition_name: str, body: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `body` matches the Elastic definition (`Name` or `Name[]`)."""
    registry, names = _elastic_registry()

    def ref(name: str) -> str | None:
        return f"urn:elastic-cloud-api#/definitions/{name}" if name in names else None

    _validate("Elastic definition", definition_name, body, ref, Draft4Validator, registry)


def _validate(
    what: str, full_name: str, body: Any, ref_of: Callable[[str], str | None], validator: Any, registry: Registry
) -> None:
    """Validates `body` against the named schema (`Name`, or `Name[]` for an array of them); `ref_of` gives the
    schema's `$ref` in `registry`, or None when there is no such schema."""
    name, is_array = (full_name[:-2], True) if full_name.endswith("[]") else (full_name, False)
    ref = ref_of(name)
    if ref is None:
        raise KeyError(f"no {what} named {name!r}")
    schema: dict[str, Any] = {"$ref": ref}
    if is_array:
        schema = {"type": "array", "items": schema}
    _raise_best_error(validator(schema, registry=registry), body)


def _raise_best_error(validator: Any, body: Any) -> None:
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if errors:
        first: ValidationError = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "<root>"
        raise ValidationError(f"{where}: {first.message} ({len(errors)} error(s) in total)")
