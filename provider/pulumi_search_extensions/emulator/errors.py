"""Errors that belong to no operation (injected faults, unknown paths, emulator bugs), answered in
the shape of the API the path belongs to: Coveo's, Elastic's, or the admin API's `{"error"}`.

The shapes themselves live with each vendor (`coveo/exceptions.py`, `elastic/exceptions.py`).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .coveo.exceptions import coveo_error_response
from .coveo.urls import API_PREFIX as COVEO_PREFIX
from .elastic.exceptions import elastic_error_response
from .elastic.urls import API_PREFIX as ELASTIC_PREFIX

INJECTED_ERRORS = {
    # status: (Coveo errorCode, Elastic code, message)
    429: ("TOO_MANY_REQUESTS", "root.too_many_requests", "Too many requests; retry later."),
    500: ("UNEXPECTED_EXCEPTION", "root.unexpected_error", "An unexpected error occurred."),
    503: ("SERVICE_UNAVAILABLE", "root.service_unavailable", "The service is temporarily unavailable."),
}
_REASONS = {404: "Not Found", 405: "Method Not Allowed"}


def vendor_error_response(
    path: str, status: int, coveo_code: str, elastic_code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """An error in the shape of the API the path belongs to (Coveo, Elastic, or plain JSON)."""
    if path.startswith(COVEO_PREFIX):
        return coveo_error_response(status, coveo_code, message, headers=headers)
    if path.startswith(ELASTIC_PREFIX):
        return elastic_error_response(status, elastic_code, message, headers=headers)
    return JSONResponse({"error": message}, status_code=status, headers=dict(headers or {}))


def injected_error_response(path: str, status: int, retry_after_s: int) -> Response:
    """An injected 429, 500 or 503 (a 429 says when to retry)."""
    coveo_code, elastic_code, message = INJECTED_ERRORS[status]
    headers = {"Retry-After": str(retry_after_s)} if status == 429 else {}
    return vendor_error_response(path, status, coveo_code, elastic_code, message, headers)


async def http_error(request: Request, error: Exception) -> Response:
    """Unknown paths and methods, answered in the shape of the API the path belongs to."""
    assert isinstance(error, HTTPException)
    status = error.status_code
    coveo_code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, "BAD_REQUEST")
    elastic_code = {404: "root.resource_not_found", 405: "root.method_not_allowed"}.get(status, "root.bad_request")
    message = f"{_REASONS.get(status, error.detail)}: {request.method} {request.url.path}"
    return vendor_error_response(request.url.path, status, coveo_code, elastic_code, message, headers=error.headers)


async def unexpected_error(request: Request, error: Exception) -> Response:
    """A bug in the emulator still answers in the vendor's error shape."""
    return vendor_error_response(
        request.url.path,
        500,
        "UNEXPECTED_EXCEPTION",
        "root.unexpected_error",
        f"The emulator failed: {type(error).__name__}: {error}",
    )


EXCEPTION_HANDLERS = {HTTPException: http_error, Exception: unexpected_error}
