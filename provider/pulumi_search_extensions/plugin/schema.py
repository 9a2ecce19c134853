"""The plugin's Pulumi package schema, generated from the typed models (never written by hand).

Each resource's properties come from its `<Resource>Properties` dataclass (type, secret, replaces, default);
which of them are arguments, and their documentation, from the dynamic resource's `*Args` class; the
documentation of the outputs from the dynamic resource's properties. `python -m
pulumi_search_extensions.plugin.schema` prints it; the plugin answers `GetSchema` with it.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import itertools
import json
import re
import textwrap
import typing
from typing import Any

from .. import __version__
from .._properties import NO_DEFAULT, Property, camel
from .config import CONFIG_KEYS, plugin_key
from .resources import OBJECT_TYPES, PACKAGE, RESOURCES, Json, PluginResource
from .values import hints, item_type, unwrap_optional

ANY = {"$ref": "pulumi.json#/Any"}

_BACKTICKED = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z][A-Za-z0-9]*)?)`")


@functools.cache
def _property_names() -> frozenset[str]:
    models = [resource.properties for resource in RESOURCES.values()] + list(OBJECT_TYPES)
    return frozenset(name for model in models for name in hints(model) if "_" in name)


def for_every_language(text: str) -> str:
    """A Python docstring as every language's SDK shows it: property names in camelCase (`script_path` ->
    `scriptPath`) and stack config keys under the plugin's namespace (`ec:apikey` -> `search-extensions:ecApikey`)."""

    def spelled(match: re.Match[str]) -> str:
        word = match.group(1)
        if ":" in word and word.split(":", 1)[0] in ("coveo", "ec"):
            return f"`{plugin_key(word)}`"
        return f"`{camel(word)}`" if word in _property_names() else match.group(0)

    return _BACKTICKED.sub(spelled, text)


@functools.cache
def attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings written under the fields of a dataclass (Python keeps them only in the source)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for field, after in itertools.pairwise(body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _output_doc(resource: type, name: str) -> str:
    """The doc of an output: a typed output attribute of the resource class or of its outputs class, or a
    property computed from others."""
    for cls in resource.__mro__:
        attribute = vars(cls).get(name)
        if isinstance(attribute, property) and attribute.__doc__:
            return inspect.cleandoc(attribute.__doc__)
        if name in vars(cls).get("__annotations__", {}):
            return attribute_docs(cls).get(name, "")
    return ""


def type_spec(hint: Any) -> Json:
    """The schema type of a Python type of the models."""
    hint = unwrap_optional(hint)
    origin: Any = typing.get_origin(hint)
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    if hint in OBJECT_TYPES:
        return {"$ref": f"#/types/{OBJECT_TYPES[hint][0]}"}
    if origin in (list, tuple):
        return {"type": "array", "items": type_spec(item_type(hint))}
    if origin is dict:
        item = item_type(hint)
        return {"type": "object", "additionalProperties": ANY if item is Any else type_spec(item)}
    return ANY


def _meta(model: type, name: str) -> Property:
    field = next(f for f in dataclasses.fields(model) if f.name == name)
    meta: Property = field.metadata["property"]
    return meta


def _property(model: type, name: str, description: str) -> Json:
    meta = _meta(model, name)
    spec = {**type_spec(hints(model)[name]), "description": for_every_language(description)}
    if meta.secret:
        spec["secret"] = True
    if meta.replaces:
        spec["replaceOnChanges"] = True
    if meta.default is not NO_DEFAULT and isinstance(meta.default, (str, bool, int, float)):
        spec["default"] = meta.default
    return spec


def _arguments(resource: PluginResource) -> list[str]:
    return [field.name for field in dataclasses.fields(resource.args)]


def resource_spec(resource: PluginResource) -> Json:
    """The schema of one resource: every property an output, the `*Args` fields its inputs."""
    model, arguments = resource.properties, _arguments(resource)
    docs = attribute_docs(resource.args)
    properties = {
        camel(name): _property(model, name, docs.get(name) or _output_doc(resource.resource, name))
        for name in hints(model)
    }
    input_names = [name for name in hints(model) if name in arguments]
    required_inputs = [
        camel(field.name) for field in dataclasses.fields(resource.args) if field.default is dataclasses.MISSING
    ]
    # An output is always set once created, except what is optional in the model (`X | None`).
    required = [camel(name) for name in hints(model) if unwrap_optional(hints(model)[name]) is hints(model)[name]]
    return {
        "description": for_every_language(inspect.cleandoc(resource.resource.__doc__ or "")),
        "properties": properties,
        "required": required,
        "inputProperties": {camel(name): properties[camel(name)] for name in input_names},
        "requiredInputs": required_inputs,
    }


def object_spec(model: type, documented_by: type) -> Json:
    """The schema of a nested object type (a stage entry, an item type's lists, a source using an extension)."""
    docs = attribute_docs(documented_by)
    required = [camel(f.name) for f in dataclasses.fields(documented_by) if f.default is dataclasses.MISSING]
    return {
        "type": "object",
        "description": inspect.cleandoc(model.__doc__ or ""),
        "properties": {camel(name): _property(model, name, docs.get(name, "")) for name in hints(model)},
        "required": required,
    }


def package_schema() -> Json:
    """The whole package schema."""
    config = {
        key.name: {
            "type": key.kind,
            "description": key.description,
            **({"secret": True} if key.secret else {}),
        }
        for key in CONFIG_KEYS
    }
    return {
        "name": PACKAGE,
        "displayName": "Search Extensions",
        "version": __version__,
        "description": "Coveo indexing pipeline extensions, their wiring into sources, and Elastic Cloud custom "
        "extensions, as Pulumi resources.",
        "keywords": ["pulumi", "coveo", "elastic", "search", "category/utility"],
        "license": "Apache-2.0",
        "config": {"variables": config},
        "provider": {"description": "The search-extensions provider.", "inputProperties": config},
        "resources": {token: resource_spec(resource) for token, resource in RESOURCES.items()},
        "types": {token: object_spec(model, documented_by) for model, (token, documented_by) in OBJECT_TYPES.items()},
        "language": {
            # The schema's version in package.json, not a `${VERSION}` placeholder for a release pipeline to
            # replace: the SDK reads it back as the plugin version its resources ask the engine for.
            "nodejs": {
                "packageName": "@search-extensions/pulumi",
                "dependencies": {"@pulumi/pulumi": "^3.0.0"},
                "respectSchemaVersion": True,
            },
            "go": {"importBasePath": "github.com/search-extensions/pulumi-search-extensions/sdk/go/searchextensions"},
            "python": {"packageName": "pulumi_search_extensions_sdk"},
            "csharp": {"rootNamespace": "SearchExtensions", "packageReferences": {"Pulumi": "3.*"}},
        },
    }


def schema_json() -> str:
    """The package schema as the engine wants it: JSON text."""
    return json.dumps(package_schema(), indent=2, sort_keys=False)


if __name__ == "__main__":
    print(schema_json())
