"""Elastic's errors: the domain error the backend raises, and the shape the API answers it in.

An error is a status plus one or more `BasicFailedReplyElement`s; the body is
`{"errors": [{"code", "message", "fields"?}]}` and the `x-cloud-error-codes` header lists the codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse


@dataclass(frozen=True)
class ErrorElement:
    """One element of the service's error body (`BasicFailedReplyElement`)."""

    code: str
    message: str
    fields: tuple[str, ...] = ()

    def to_api(self) -> dict[str, Any]:
        """The element as JSON; `fields` only when the error is tied to request fields."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = list(self.fields)
        return body


class ElasticApiError(Exception):
    """A refusal of the emulated service: an HTTP status and one or more error elements."""

    def __init__(self, status: int, errors: Sequence[ErrorElement]) -> None:
        super().__init__("; ".join(f"{error.code}: {error.message}" for error in errors))
        self.status = status
        self.errors = tuple(errors)

    @classmethod
    def single(cls, status: int, code: str, message: str, *fields: str) -> ElasticApiError:
        """An error with a single element."""
        return cls(status, [ErrorElement(code, message, tuple(fields))])

    @property
    def codes(self) -> list[str]:
        """The distinct error codes, in order: the value of `x-cloud-error-codes`."""
        return list(dict.fromkeys(error.code for error in self.errors))

    def to_api(self) -> dict[str, Any]:
        """The `BasicFailedReply` body."""
        return {"errors": [error.to_api() for error in self.errors]}

    def response(self, headers: Mapping[str, str] | None = None) -> JSONResponse:
        """The service's answer to this error."""
        return JSONResponse(
            self.to_api(),
            status_code=self.status,
            headers={**(headers or {}), "x-cloud-error-codes": ",".join(self.codes)},
        )


def request_execution_failed(message: str) -> ElasticApiError:
    """400 `extensions.request_execution_failed`: the service could not obtain or accept a file."""
    return ElasticApiError.single(400, "extensions.request_execution_failed", message)


def elastic_error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A one-element Elastic error response."""
    return ElasticApiError.single(status, code, message).response(headers)
