"""HTTP side of the emulated Coveo APIs: parse the request, call `CoveoBackend`, render its record.

Every response of the vendor API carries an `X-Request-ID` header; a `CoveoApiError` becomes
Coveo's error body (`exceptions.py`) with the same request id. Admin routes answer errors as the
admin API's `{"error": message}`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from .exceptions import CoveoApiError, coveo_error_response, invalid_json, invalid_parameter
from .models import CoveoBackend

Endpoint = Callable[[Request], Awaitable[Response]]


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid_json(f"The request body is not valid JSON: {error}.") from None


async def _optional_json_object(request: Request, shape: str) -> dict[str, Any] | JSONResponse:
    """An admin body: empty means `{}`; anything but JSON is answered with a 400 right away."""
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JSONResponse({"error": f"The request body must be JSON: {shape}."}, status_code=400)
    return body if isinstance(body, dict) else {}


def _int_query(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_parameter(f"'{name}' must be an integer; got '{raw}'.") from None


def _bool_query(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false"):
        raise invalid_parameter(f"'{name}' must be true or false; got '{raw}'.")
    return raw == "true"


def _ids(request: Request) -> tuple[str, str]:
    return request.path_params["organizationId"], request.path_params["extensionId"]


def _no_content() -> Response:
    return Response(status_code=204)


class CoveoResponses:
    """One handler per operation of the Coveo APIs (and of the Coveo admin routes)."""

    def __init__(self, backend: CoveoBackend) -> None:
        self.backend = backend

    def authorized(self, handler: Endpoint) -> Endpoint:
        """A vendor route: bearer auth first, Coveo errors rendered, `X-Request-ID` on every answer."""

        async def endpoint(request: Request) -> Response:
            request_id = str(uuid.uuid4())
            try:
                self.backend.authorize(request.path_params["organizationId"], _bearer_token(request))
                response = await handler(request)
            except CoveoApiError as error:
                return coveo_error_response(error.status, error.error_code, error.message, request_id)
            response.headers["X-Request-ID"] = request_id
            return response

        return endpoint

    @staticmethod
    def admin(handler: Endpoint) -> Endpoint:
        """An admin route: Coveo errors become the admin API's `{"error": message}` bodies."""

        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except CoveoApiError as error:
                return JSONResponse({"error": error.message}, status_code=error.status)

        return endpoint

    # -- extensions --------------------------------------------------------------------------------

    async def list_extensions(self, request: Request) -> Response:
        views = self.backend.list_extensions(request.path_params["organizationId"])
        return JSONResponse([view.to_api() for view in views])

    async def create_extension(self, request: Request) -> Response:
        body = await _json_body(request)
        view = self.backend.create_extension(request.path_params["organizationId"], body)
        return JSONResponse(view.to_api(), status_code=201)

    async def get_extension(self, request: Request) -> Response:
        return JSONResponse(self.backend.get_extension(*_ids(request)).to_api())

    async def update_extension(self, request: Request) -> Response:
        body = await _json_body(request)
        return JSONResponse(self.backend.update_extension(*_ids(request), body).to_api())

    async def delete_extension(self, request: Request) -> Response:
        self.backend.delete_extension(*_ids(request))
        return _no_content()

    async def enable_extension(self, request: Request) -> Response:
        self.backend.enable_extension(*_ids(request))
        return _no_content()

    async def disable_extension(self, request: Request) -> Response:
        raw = await request.body()
        # The body is optional in practice (the JS client may send none).
        body = await _json_body(request) if raw.strip() else {}
        reason = body.get("reason") if isinstance(body, dict) else None
        if reason is not None and not isinstance(reason, str):
            raise invalid_parameter("'reason' must be a string.")
        self.backend.disable_extension(*_ids(request), reason)
        return _no_content()

    async def get_code(self, request: Request) -> Response:
        return PlainTextResponse(self.backend.get_code(*_ids(request)))

    async def update_code(self, request: Request) -> Response:
        try:
            code = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise invalid_parameter("The script must be UTF-8 text.") from None
        return JSONResponse(self.backend.update_code(*_ids(request), code).to_api())

    async def set_timeout(self, request: Request) -> Response:
        body = await _json_body(request)
        self.backend.set_timeout(*_ids(request), body)
        return _no_content()

    async def list_versions(self, request: Request) -> Response:
        return JSONResponse([version.to_api() for version in self.backend.list_versions(*_ids(request))])

    async def get_version(self, request: Request) -> Response:
        view = self.backend.get_version(*_ids(request), request.path_params["versionId"])
        return JSONResponse(view.to_api())

    async def compile_code(self, request: Request) -> Response:
        body = await _json_body(request)
        return JSONResponse(self.backend.compile_code(request.path_params["organizationId"], body).to_api())

    async def test_extension(self, request: Request) -> Response:
        body = await _json_body(request)
        # The script runs in a process of its own; the server's loop serves other calls meanwhile.
        report = await run_in_threadpool(self.backend.test_extension, *_ids(request), body)
        return JSONResponse(report)

    # -- pages of extensions -----------------------------------------------------------------------

    def _page(self, request: Request, **selection: Any) -> Response:
        page = self.backend.page_extensions(
            request.path_params["organizationId"],
            page=_int_query(request, "page", 0),
            per_page=_int_query(request, "perPage", 100),
            filter_text=request.query_params.get("filter"),
            **selection,
        )
        return JSONResponse(page.to_api())

    async def page_extensions(self, request: Request) -> Response:
        return self._page(request)

    async def extensions_by_ids(self, request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, list) or not all(isinstance(item, str) for item in body):
            raise invalid_parameter("The request body must be an array of extension ids.")
        return self._page(request, ids=body)

    async def extensions_by_project(self, request: Request) -> Response:
        return self._page(request, project_id=request.query_params.get("projectId"))

    # -- source extension maps ---------------------------------------------------------------------

    async def get_source_extensions(self, request: Request) -> Response:
        params = request.path_params
        return JSONResponse(self.backend.get_source_extensions(params["organizationId"], params["sourceId"]))

    async def set_source_extensions(self, request: Request) -> Response:
        params = request.path_params
        _bool_query(request, "rebuild")  # validated; there is no index to rebuild
        self.backend.get_source_extensions(params["organizationId"], params["sourceId"])  # 404 before 400
        body = await _json_body(request)
        self.backend.set_source_extensions(params["organizationId"], params["sourceId"], body)
        return _no_content()

    # -- admin -------------------------------------------------------------------------------------

    async def create_source(self, request: Request) -> Response:
        body = await _optional_json_object(request, '{"name": ...}')
        if isinstance(body, Response):
            return body
        source = self.backend.create_source(request.path_params["organizationId"], body.get("name"))
        return JSONResponse(source.to_api(), status_code=201)

    async def delete_source(self, request: Request) -> Response:
        self.backend.delete_source(request.path_params["organizationId"], request.path_params["sourceId"])
        return _no_content()

    async def push_document(self, request: Request) -> Response:
        params = request.path_params
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JSONResponse({"error": 'The request body must be JSON: {"document": ..., "itemType": ...}.'}, 400)
        item = await run_in_threadpool(self.backend.push_document, params["organizationId"], params["sourceId"], body)
        return JSONResponse(item, status_code=201)

    async def list_documents(self, request: Request) -> Response:
        params = request.path_params
        return JSONResponse({"items": self.backend.list_documents(params["organizationId"], params["sourceId"])})

    async def auto_disable(self, request: Request) -> Response:
        body = await _optional_json_object(request, '{"reason": ...}')
        if isinstance(body, Response):
            return body
        reason = body.get("reason")
        view = self.backend.auto_disable_extension(
            request.path_params["organizationId"],
            request.path_params["extensionId"],
            reason if isinstance(reason, str) else None,
        )
        return JSONResponse(view.to_api())
