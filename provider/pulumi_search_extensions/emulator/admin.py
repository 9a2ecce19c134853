"""The core `/_emulator/*` admin routes: health, reset, dump, request log and faults.

The per-vendor admin routes (`/_emulator/coveo/...`, `/_emulator/elastic/...`) live with their
backends and are mounted next to these by `app.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .faults import FaultConfig, FaultConfigError, FaultInjector
from .request_log import RequestLog


def admin_routes(
    *,
    reset: Callable[[], None],
    dump: Callable[[], dict[str, Any]],
    injector: FaultInjector,
    request_log: RequestLog,
) -> list[BaseRoute]:
    """Routes of the admin API (never delayed, faulted or logged)."""

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset_everything(request: Request) -> Response:
        reset()
        return JSONResponse({"status": "reset"})

    async def dump_state(request: Request) -> Response:
        return JSONResponse(dump())

    async def get_requests(request: Request) -> Response:
        return JSONResponse(request_log.to_json())

    async def clear_requests(request: Request) -> Response:
        request_log.clear()
        return Response(status_code=204)

    async def get_faults(request: Request) -> Response:
        return JSONResponse(injector.status())

    async def set_faults(request: Request) -> Response:
        try:
            config = FaultConfig.from_json(json.loads(await request.body()))
        except json.JSONDecodeError as error:
            return JSONResponse({"error": f"the body is not valid JSON: {error}"}, status_code=400)
        except FaultConfigError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        injector.configure(config)
        return JSONResponse(injector.status())

    async def clear_faults(request: Request) -> Response:
        injector.clear()
        return Response(status_code=204)

    return [
        Route("/_emulator/health", health, methods=["GET"]),
        Route("/_emulator/reset", reset_everything, methods=["POST"]),
        Route("/_emulator/dump", dump_state, methods=["GET"]),
        Route("/_emulator/requests", get_requests, methods=["GET"]),
        Route("/_emulator/requests", clear_requests, methods=["DELETE"]),
        Route("/_emulator/faults", get_faults, methods=["GET"]),
        Route("/_emulator/faults", set_faults, methods=["PUT"]),
        Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
    ]
