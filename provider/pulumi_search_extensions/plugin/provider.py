"""`SearchExtensionsProvider`: the engine's provider protocol, answered by the dynamic resources' operations.

Every call is turned into the operation's plain snake_case props (`values.py`), handed to the same function the
dynamic provider calls (`<vendor>/<resource>_provider/<op>.py`, in a worker thread: the operations block on
HTTP and the engine sends calls in parallel), and its answer turned back. What only a provider plugin can
say, it says: a detailed diff (which property changes, which replaces), secrets marked per property.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from pulumi.provider.experimental import provider as rpc
from pulumi.provider.experimental.property_value import PropertyValue

from .._inflight import counted
from .._inputs import without_long_values
from .._paths import project_dir, recorded_path
from .._prepare import prepared_inputs
from .._properties import camel, names
from .._warnings import collecting
from .config import remember_plugin_config
from .engine_log import EngineLog
from .resources import PluginResource, resource_for
from .schema import for_every_language, schema_json
from .values import from_engine, secret_names, to_engine


async def _within(
    timeout: float, operation: Callable[..., Any], *args: Any, undo: Callable[..., Any] | None = None
) -> Any:
    """Runs a blocking operation in a worker thread, bounded by the resource's `customTimeouts` if any.

    A thread cannot be stopped: after a time-out the operation goes on, but the engine hears of the failure at
    once. A create that still succeeds after its time-out is undone by its own thread (`undo(id, outs)`), so
    the failed create leaves nothing behind that no state records; the plugin's process waits for that thread
    before it exits.
    """
    if not timeout:
        return await asyncio.to_thread(operation, *args)
    lock = threading.Lock()
    abandoned, finished = threading.Event(), threading.Event()

    def run() -> Any:
        result = operation(*args)
        with lock:
            finished.set()
            late = abandoned.is_set()
        if late and undo is not None:
            undo(str(result.id), dict(result.outs or {}))
        return result

    work = asyncio.ensure_future(asyncio.to_thread(run))
    try:
        return await asyncio.wait_for(asyncio.shield(work), timeout)
    except TimeoutError:
        with lock:
            if not finished.is_set():
                abandoned.set()
        if not abandoned.is_set():
            return await work  # finished just in time
        raise TimeoutError(f"did not finish within its custom time-out of {timeout:g} s") from None


def _recorded_from_here(path: str) -> str:
    return recorded_path(path, os.getcwd(), project_dir())


@functools.cache
def _declared_secrets(model: type) -> frozenset[str]:
    return frozenset(names(model, lambda p: p.secret))


def _secrets(resource: PluginResource, *sent: Mapping[str, PropertyValue]) -> frozenset[str]:
    """The properties to store as secrets: those the model declares secret, and any the program sent as one."""
    return _declared_secrets(resource.properties).union(*(secret_names(values, resource.properties) for values in sent))


class SearchExtensionsProvider(rpc.Provider):
    """The `search-extensions` provider plugin: Coveo extensions, Coveo source extension maps, Elastic extensions."""

    def __init__(self, engine_address: str | None = None) -> None:
        """`engine_address`: the engine's gRPC address (the plugin's argument), where warnings are sent."""
        super().__init__()
        self._engine_log = EngineLog(engine_address)

    async def get_schema(self, request: rpc.GetSchemaRequest) -> rpc.GetSchemaResponse:
        """The package schema, generated from the typed models."""
        return rpc.GetSchemaResponse(schema=schema_json())

    async def check_config(self, request: rpc.CheckRequest) -> rpc.CheckResponse:
        """Accepts the configuration as given: each setting is validated where a resource uses it."""
        return rpc.CheckResponse(inputs=dict(request.new_inputs), failures=[])

    async def diff_config(self, request: rpc.DiffRequest) -> rpc.DiffResponse:
        """A configuration change never replaces resources (each stores where it lives)."""
        return rpc.DiffResponse(changes=False)

    async def configure(self, request: rpc.ConfigureRequest) -> rpc.ConfigureResponse:
        """Keeps the configuration in process memory, as the dynamic provider keeps stack config."""
        remember_plugin_config(request.variables, request.args)
        # No preview calls of create/update: the engine plans with the checked inputs, outputs unknown.
        return rpc.ConfigureResponse(accept_secrets=True, supports_preview=False, accept_resources=False)

    async def check(self, request: rpc.CheckRequest) -> rpc.CheckResponse:
        """Validates and normalizes the inputs without any API call (the same `check` as the dynamic resource)."""
        resource = resource_for(request.type)
        olds = from_engine(request.old_inputs, resource.properties)
        news = from_engine(request.new_inputs, resource.properties)
        # The same preparation as the dynamic resource's constructor. The engine starts the plugin in the
        # program's folder: a path as the program wrote it is recorded relative to the project's folder.
        news = prepared_inputs(resource.properties, request.name, news, _recorded_from_here)
        checked, warnings = await asyncio.to_thread(collecting, resource.operations.check, olds, news)
        result = without_long_values(checked, news)
        # What check warned of as it read (an archive, the stage lists), then the warnings of the inputs, which
        # the dynamic resources give from their constructors: all on the resource, in the engine's log.
        warnings += resource.operations.preview_warnings(result.inputs or {})
        for message in warnings:
            await asyncio.to_thread(self._engine_log.warn, for_every_language(message), request.urn)
        # Messages in the plugin's words: `coveo:host` is `search-extensions:coveoHost`, `script_path` `scriptPath`.
        failures = [
            rpc.CheckFailure(camel(f.property) if f.property else "", for_every_language(f.reason))
            for f in result.failures
        ]
        inputs = to_engine(result.inputs or {}, resource.properties, _secrets(resource, request.new_inputs))
        return rpc.CheckResponse(inputs=inputs, failures=failures)

    async def diff(self, request: rpc.DiffRequest) -> rpc.DiffResponse:
        """What changes, property by property, and which of the changes replace the remote object."""
        resource = resource_for(request.type)
        olds = from_engine(request.old_state, resource.properties)
        news = from_engine(request.new_inputs, resource.properties)
        ignored = set(request.ignore_changes or ())
        changes = await asyncio.to_thread(resource.operations.diff, request.resource_id, olds, news)
        replaces = [key for key in changes.replaces or () if camel(key) not in ignored]
        updates = [key for key in changes.updates if camel(key) not in ignored]
        detailed = {camel(key): rpc.PropertyDiff(rpc.PropertyDiffKind.UPDATE, input_diff=True) for key in updates}
        detailed.update(
            {camel(key): rpc.PropertyDiff(rpc.PropertyDiffKind.UPDATE_REPLACE, input_diff=True) for key in replaces}
        )
        return rpc.DiffResponse(
            changes=bool(detailed),
            replaces=[camel(key) for key in replaces],
            delete_before_replace=bool(changes.delete_before_replace),
            diffs=list(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: rpc.CreateRequest) -> rpc.CreateResponse:
        """Creates (or adopts) the remote object, exactly once; nothing left behind on failure."""
        resource = resource_for(request.type)
        props = from_engine(request.properties, resource.properties)
        result = await _within(
            request.timeout, counted(resource.operations.create), props, undo=counted(resource.operations.delete)
        )
        outs = to_engine(result.outs or {}, resource.properties, _secrets(resource, request.properties))
        return rpc.CreateResponse(resource_id=str(result.id), properties=outs)

    async def read(self, request: rpc.ReadRequest) -> rpc.ReadResponse:
        """The object as the service has it now (refresh, and `pulumi import`, which gives only the id)."""
        resource = resource_for(request.type)
        props = from_engine(request.properties, resource.properties)
        result = await asyncio.to_thread(counted(resource.operations.read), request.resource_id, props)
        if not result.id:
            return rpc.ReadResponse(resource_id="")
        secrets = _secrets(resource, request.properties, request.inputs)
        outs = to_engine(result.outs or {}, resource.properties, secrets)
        inputs = to_engine(result.inputs or {}, resource.properties, secrets)
        return rpc.ReadResponse(resource_id=str(result.id), properties=outs, inputs=inputs)

    async def update(self, request: rpc.UpdateRequest) -> rpc.UpdateResponse:
        """Applies the declared state in place and returns the refreshed outputs."""
        resource = resource_for(request.type)
        olds = from_engine(request.olds, resource.properties)
        news = from_engine(request.news, resource.properties)
        result = await _within(request.timeout, counted(resource.operations.update), request.resource_id, olds, news)
        outs = to_engine(result.outs or {}, resource.properties, _secrets(resource, request.news))
        return rpc.UpdateResponse(properties=outs)

    async def delete(self, request: rpc.DeleteRequest) -> None:
        """Deletes the remote object; already gone counts as deleted."""
        resource = resource_for(request.type)
        props = from_engine(request.properties, resource.properties)
        await _within(request.timeout, counted(resource.operations.delete), request.resource_id, props)
