"""`pulumi-resource-search-extensions`: the executable the engine starts, serving the provider over gRPC.

The SDK's server appends a Python stack trace to every error message. Errors of this package already say what
happened and what to do, so they reach the user as `Type: message`, like from the dynamic resources; anything
else (a bug) keeps its trace.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from pulumi.provider.experimental import server as sdk_server
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from .. import __version__
from .provider import SearchExtensionsProvider

_PACKAGE = __name__.split(".", 1)[0]
_RPCS = ("CheckConfig", "DiffConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete")


def _ours(error: BaseException | None) -> bool:
    return error is not None and (type(error).__module__.startswith(_PACKAGE + ".") or isinstance(error, TimeoutError))


def _short_errors(rpc: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def call(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await rpc(self, request, context)
        except Exception as error:
            cause = error.__context__  # the SDK re-raises ours as Exception(message + trace)
            if _ours(cause):
                await context.abort(grpc.StatusCode.UNKNOWN, f"{type(cause).__name__}: {cause}")
            raise

    return call


class _Servicer(sdk_server.ProviderServicer):
    """The SDK's servicer, with this package's errors shown as their message only."""


for _name in _RPCS:
    setattr(_Servicer, _name, _short_errors(getattr(sdk_server.ProviderServicer, _name)))


async def _serve(engine_address: str) -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    servicer = _Servicer(
        sys.argv[1:], __version__, SearchExtensionsProvider(engine_address), engine_address=engine_address
    )
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")  # the engine reads the port from the first line
    sys.stdout.flush()
    await server.wait_for_termination()


def main() -> None:
    """Serves the provider: `pulumi-resource-search-extensions <engine address>` (started by the engine);
    `--version` prints the version."""
    if sys.argv[1:] == ["--version"]:
        print(f"pulumi-resource-search-extensions {__version__}")
        return
    args = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if not args:
        sys.exit("pulumi-resource-search-extensions is a Pulumi provider plugin: the Pulumi engine starts it.")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args[0]))


if __name__ == "__main__":
    main()
