"""The ASGI middleware that applies fault decisions to vendor requests and logs them.

Admin paths (`/_emulator/...`) pass straight through: never delayed, faulted or logged.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import injected_error_response
from .faults import FaultInjector
from .request_log import RequestLog
from .routes import RouteResolver
from .transport import drop_connection

ADMIN_PREFIX = "/_emulator"


async def _drain_request_body(receive: Receive) -> None:
    """Read the request body to its end, so the client gets to read our early answer."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


class FaultInjectionMiddleware:
    """Applies `FaultInjector` decisions to vendor requests and logs them in `RequestLog`."""

    def __init__(
        self, app: ASGIApp, *, injector: FaultInjector, request_log: RequestLog, resolver: RouteResolver
    ) -> None:
        self.app = app
        self.injector = injector
        self.request_log = request_log
        self.resolver = resolver

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (ASGI)."""
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        route = self.resolver.template(scope) or path
        decision = self.injector.decide(method, route, path)
        if decision.delay_s > 0:
            await asyncio.sleep(decision.delay_s)

        if decision.fault in ("429", "500", "503"):
            await _drain_request_body(receive)
            status = int(decision.fault)
            response = injected_error_response(path, status, decision.retry_after_s)
            await response(scope, receive, send)
            self.request_log.record(method, path, route, status, decision.fault)
            return
        if decision.fault == "drop":
            self.request_log.record(method, path, route, None, "drop")
            await drop_connection(scope, receive)
            return

        sent_status: int | None = None
        committed_only = decision.fault == "fail_after_commit"

        async def send_watching_status(message: Message) -> None:
            nonlocal sent_status
            if message["type"] == "http.response.start":
                sent_status = int(message["status"])
            if not committed_only:
                await send(message)

        try:
            await self.app(scope, receive, send_watching_status)
        finally:
            self.request_log.record(method, path, route, sent_status, decision.fault)
        if committed_only:
            await drop_connection(scope, receive)
