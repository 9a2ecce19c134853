"""A tiny dynamic resource that makes no HTTP call (a test and benchmark helper, not shipped).

It proves the toolchain (CLI, engine, dynamic-provider launcher, the venv's packages importable in the provider
process) and is the no-op baseline the benchmarks compare the real resources with. The provider process
imports it as `support.smoke`: `toolchain.provider_env` puts `tests/` on its PYTHONPATH.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class NoopProvider(ResourceProvider):
    """Stores its inputs as outputs; every operation is local."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=uuid.uuid4().hex, outs={"value": props.get("value")})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = olds.get("value") != news.get("value")
        return DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs={"value": news.get("value")})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs={"value": props.get("value")})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class NoopResource(Resource, module="smoke", name="Noop"):
    """A resource holding one string `value`, managed entirely in the Pulumi state."""

    value: pulumi.Output[str]

    def __init__(self, resource_name: str, value: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None):
        super().__init__(NoopProvider(), resource_name, {"value": value}, opts)
