"""Closing a connection without an answer, which ASGI alone cannot do.

`TransportExposingH11Protocol` is the uvicorn protocol the emulator serves with: it puts each
connection's transport into the ASGI scope, where `drop_connection` finds and aborts it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

TRANSPORT_SCOPE_KEY = "pulumi_search_extensions.transport"


class TransportExposingH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, putting the connection's transport into the ASGI scope.

    ASGI gives an application no way to close a connection without answering; the fault
    middleware needs exactly that, so it finds the transport under `TRANSPORT_SCOPE_KEY` in
    `scope["extensions"]` and aborts it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner_app = self.app

        async def app_with_transport(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_SCOPE_KEY] = self.transport
            await inner_app(scope, receive, send)

        self.app = app_with_transport


async def drop_connection(scope: Scope, receive: Receive) -> None:
    """Close the TCP connection without a response, and wait until the server has seen it go."""
    transport = scope.get("extensions", {}).get(TRANSPORT_SCOPE_KEY)
    if transport is None:
        raise RuntimeError("dropping a connection needs TransportExposingH11Protocol (uvicorn http=...)")
    transport.abort()

    async def until_disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    # Once uvicorn marks the request disconnected it will not try to answer on the dead socket.
    await asyncio.wait_for(until_disconnected(), timeout=10)
