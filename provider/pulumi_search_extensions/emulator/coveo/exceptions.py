"""Coveo's errors: the domain error the backend raises, and the shape the API answers it in.

Error bodies are Coveo's `{"message", "errorCode", "requestID"}`, with the same request id in the
`X-Request-ID` header.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from starlette.responses import JSONResponse


class CoveoApiError(Exception):
    """A failed Coveo operation: HTTP status, Coveo `errorCode` and a human message."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message


def invalid_parameter(message: str) -> CoveoApiError:
    """400 `INVALID_PARAMETER`: a value of the request the service refuses."""
    return CoveoApiError(400, "INVALID_PARAMETER", message)


def invalid_json(message: str) -> CoveoApiError:
    """400 `INVALID_JSON`: a body that is not JSON, or not the JSON type the operation takes."""
    return CoveoApiError(400, "INVALID_JSON", message)


def coveo_error_body(error_code: str, message: str, request_id: str) -> dict[str, str]:
    """Coveo's error body."""
    return {"message": message, "errorCode": error_code, "requestID": request_id}


def coveo_error_response(
    status: int,
    error_code: str,
    message: str,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A Coveo error response, `X-Request-ID` header included (a new id unless given)."""
    request_id = request_id or str(uuid.uuid4())
    return JSONResponse(
        coveo_error_body(error_code, message, request_id),
        status_code=status,
        headers={**(headers or {}), "X-Request-ID": request_id},
    )
