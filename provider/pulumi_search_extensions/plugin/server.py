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
from pulumi.runtime.proto import provider_pb2_grpc

from .. import __version__
from .._process_hooks import short_message
from .provider import SearchExtensionsProvider

# The gRPC server options the SDK's own provider servers use (its private `_GRPC_CHANNEL_OPTIONS`, which a
# release may rename): messages up to 400 MB (the default 4 MB is less than a large state's inputs), and a
# request may wait 30 min in the queue before it is handled instead of 30 s (operations run in threads).
SERVER_OPTIONS = (
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
)
_RPCS = ("CheckConfig", "DiffConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete")


def _short(error: BaseException | None) -> str | None:
    """Ours, and the custom time-out the provider raises (a `TimeoutError`), as `Type: message`."""
    if isinstance(error, TimeoutError):
        return f"{type(error).__name__}: {error}"
    return short_message(error)


def _short_errors(rpc: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def call(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await rpc(self, request, context)
        except Exception as error:
            message = _short(error.__context__)  # the SDK re-raises ours as Exception(message + trace)
            if message is not None:
                await context.abort(grpc.StatusCode.UNKNOWN, message)
            raise

    return call


class _Servicer(sdk_server.ProviderServicer):
    """The SDK's servicer, with this package's errors shown as their message only."""


for _name in _RPCS:
    setattr(_Servicer, _name, _short_errors(getattr(sdk_server.ProviderServicer, _name)))


async def _serve(engine_address: str) -> None:
    server = grpc.aio.server(options=SERVER_OPTIONS)
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
