"""The inline programs of the end-to-end tests, and the plan a preview of them shows."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi import automation as auto


@dataclass(frozen=True)
class FromConfig:
    """A resource argument read inside the program from stack config `test:<key>` (as a secret if `secret`)."""

    key: str
    secret: bool = False


@dataclass(frozen=True)
class FromEnv:
    """A resource argument read inside the program from an environment variable, as a plain string."""

    name: str


def program_of(spec: Mapping[str, Mapping[str, Any]]) -> auto.PulumiFn:
    """An inline program declaring one resource per entry: `{"name": {"kind": "coveo"|"elastic", ...args}}`.

    An entry may hold `"opts": {...}` (ResourceOptions keywords). `FromConfig`/`FromEnv` values are resolved
    when the program runs. Each resource's `extension_id` is exported under its name.
    """

    def program() -> None:
        from pulumi_search_extensions import CoveoExtension, ElasticExtension

        config = pulumi.Config("test")
        for name, entry in spec.items():
            args: dict[str, Any] = {}
            for key, value in entry.items():
                if key in ("kind", "opts"):
                    continue
                if isinstance(value, FromConfig):
                    value = config.require_secret(value.key) if value.secret else config.require(value.key)
                elif isinstance(value, FromEnv):
                    value = os.environ[value.name]
                args[key] = value
            opts = pulumi.ResourceOptions(**entry.get("opts", {}))
            resource_class = CoveoExtension if entry["kind"] == "coveo" else ElasticExtension
            resource = resource_class(name, opts=opts, **args)
            pulumi.export(name, resource.extension_id)

    return program


def planned_operations(stack: auto.Stack, **preview_args: Any) -> dict[str, str]:
    """Runs `pulumi preview` and returns the planned operation of each of our resources, by resource name.

    Operations are the engine's: `create`, `update`, `replace` (also `create-replacement`), `delete`,
    `same`, ... A resource the plan does not touch at all is absent.
    """
    steps: dict[str, str] = {}

    def on_event(event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is None or not pre.metadata.type.startswith("pulumi-python:dynamic"):
            return
        name = pre.metadata.urn.rsplit("::", 1)[-1]
        op = pre.metadata.op.value if hasattr(pre.metadata.op, "value") else str(pre.metadata.op)
        # A replacement is reported as create-replacement, replace and delete-replaced steps: keep "replace".
        if op in ("create-replacement", "delete-replaced") or (steps.get(name) == "replace"):
            op = "replace"
        steps[name] = op

    stack.preview(on_event=on_event, **preview_args)
    return steps
