"""HTTP side of the emulated Coveo APIs: parse the request, call `CoveoBackend`, render.

Every response of the vendor API carries an `X-Request-ID` header; error bodies are Coveo's
`{"message", "errorCode", "requestID"}` with the same request id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from .models import CoveoApiError, CoveoBackend

ORGANIZATION_PREFIX = "/rest/organizations/{organizationId}"
EXTENSIONS = ORGANIZATION_PREFIX + "/extensions"
EXTENSION = EXTENSIONS + "/{extensionId}"
SOURCE_EXTENSIONS = ORGANIZATION_PREFIX + "/sources/{sourceId}/extensions"
ADMIN_ORGANIZATION = "/_emulator/coveo/organizations/{organizationId}"

Endpoint = Callable[[Request], Awaitable[Response]]


def coveo_error_body(error_code: str, message: str, request_id: str) -> dict[str, str]:
    """Coveo's error body."""
    return {"message": message, "errorCode": error_code, "requestID": request_id}


def coveo_error_response(status: int, error_code: str, message: str, request_id: str) -> JSONResponse:
    """A Coveo error response, `X-Request-ID` header included."""
    return JSONResponse(
        coveo_error_body(error_code, message, request_id),
        status_code=status,
        headers={"X-Request-ID": request_id},
    )


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
        raise CoveoApiError(400, "INVALID_JSON", f"The request body is not valid JSON: {error}.") from None


def _int_query(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise CoveoApiError(400, "INVALID_PARAMETER", f"'{name}' must be an integer; got '{raw}'.") from None


def _bool_query(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false"):
        raise CoveoApiError(400, "INVALID_PARAMETER", f"'{name}' must be true or false; got '{raw}'.")
    return raw == "true"


def _api_route(backend: CoveoBackend, path: str, method: str, handler: Endpoint) -> Route:
    """A vendor route: bearer auth first, Coveo errors rendered, `X-Request-ID` on every answer."""

    async def endpoint(request: Request) -> Response:
        request_id = str(uuid.uuid4())
        try:
            backend.authorize(request.path_params["organizationId"], _bearer_token(request))
            response = await handler(request)
        except CoveoApiError as error:
            return coveo_error_response(error.status, error.error_code, error.message, request_id)
        response.headers["X-Request-ID"] = request_id
        return response

    return Route(path, endpoint, methods=[method])


def api_routes(backend: CoveoBackend) -> list[BaseRoute]:
    """The Coveo Extension API and the Source API's extension map, as Starlette routes."""

    def ids(request: Request) -> tuple[str, str]:
        return request.path_params["organizationId"], request.path_params["extensionId"]

    async def list_extensions(request: Request) -> Response:
        return JSONResponse(backend.list_extensions(request.path_params["organizationId"]))

    async def create_extension(request: Request) -> Response:
        body = await _json_body(request)
        return JSONResponse(backend.create_extension(request.path_params["organizationId"], body), status_code=201)

    async def get_extension(request: Request) -> Response:
        return JSONResponse(backend.get_extension(*ids(request)))

    async def update_extension(request: Request) -> Response:
        body = await _json_body(request)
        return JSONResponse(backend.update_extension(*ids(request), body))

    async def delete_extension(request: Request) -> Response:
        backend.delete_extension(*ids(request))
        return Response(status_code=204)

    async def enable_extension(request: Request) -> Response:
        backend.enable_extension(*ids(request))
        return Response(status_code=204)

    async def disable_extension(request: Request) -> Response:
        raw = await request.body()
        # The body is optional in practice (the JS client may send none).
        body = await _json_body(request) if raw.strip() else {}
        reason = body.get("reason") if isinstance(body, dict) else None
        if reason is not None and not isinstance(reason, str):
            raise CoveoApiError(400, "INVALID_PARAMETER", "'reason' must be a string.")
        backend.disable_extension(*ids(request), reason)
        return Response(status_code=204)

    async def get_code(request: Request) -> Response:
        return PlainTextResponse(backend.get_code(*ids(request)))

    async def update_code(request: Request) -> Response:
        try:
            code = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise CoveoApiError(400, "INVALID_PARAMETER", "The script must be UTF-8 text.") from None
        return JSONResponse(backend.update_code(*ids(request), code))

    async def set_timeout(request: Request) -> Response:
        body = await _json_body(request)
        backend.set_timeout(*ids(request), body)
        return Response(status_code=204)

    async def list_versions(request: Request) -> Response:
        return JSONResponse(backend.list_versions(*ids(request)))

    async def get_version(request: Request) -> Response:
        return JSONResponse(backend.get_version(*ids(request), request.path_params["versionId"]))

    async def compile_code(request: Request) -> Response:
        body = await _json_body(request)
        return JSONResponse(backend.compile_code(request.path_params["organizationId"], body))

    def page_of(request: Request, **selection: Any) -> Response:
        return JSONResponse(
            backend.page_extensions(
                request.path_params["organizationId"],
                page=_int_query(request, "page", 0),
                per_page=_int_query(request, "perPage", 100),
                filter_text=request.query_params.get("filter"),
                **selection,
            )
        )

    async def page_extensions(request: Request) -> Response:
        return page_of(request)

    async def extensions_by_ids(request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, list) or not all(isinstance(item, str) for item in body):
            raise CoveoApiError(400, "INVALID_PARAMETER", "The request body must be an array of extension ids.")
        return page_of(request, ids=body)

    async def extensions_by_project(request: Request) -> Response:
        return page_of(request, project_id=request.query_params.get("projectId"))

    async def get_source_extensions(request: Request) -> Response:
        params = request.path_params
        return JSONResponse(backend.get_source_extensions(params["organizationId"], params["sourceId"]))

    async def set_source_extensions(request: Request) -> Response:
        params = request.path_params
        _bool_query(request, "rebuild")  # validated; there is no index to rebuild
        backend.get_source_extensions(params["organizationId"], params["sourceId"])  # 404 before 400
        body = await _json_body(request)
        backend.set_source_extensions(params["organizationId"], params["sourceId"], body)
        return Response(status_code=204)

    # Fixed paths first: /extensions/page must not be taken for an extension id.
    table: list[tuple[str, str, Endpoint]] = [
        (EXTENSIONS + "/page", "GET", page_extensions),
        (EXTENSIONS + "/ids", "POST", extensions_by_ids),
        (EXTENSIONS + "/project", "GET", extensions_by_project),
        (EXTENSIONS + "/test/compile", "POST", compile_code),
        (EXTENSIONS, "GET", list_extensions),
        (EXTENSIONS, "POST", create_extension),
        (EXTENSION, "GET", get_extension),
        (EXTENSION, "PUT", update_extension),
        (EXTENSION, "DELETE", delete_extension),
        (EXTENSION + "/enable", "POST", enable_extension),
        (EXTENSION + "/disable", "POST", disable_extension),
        (EXTENSION + "/code", "GET", get_code),
        (EXTENSION + "/code", "PUT", update_code),
        (EXTENSION + "/timeouts", "PUT", set_timeout),
        (EXTENSION + "/versions", "GET", list_versions),
        (EXTENSION + "/versions/{versionId}", "GET", get_version),
        (SOURCE_EXTENSIONS, "GET", get_source_extensions),
        (SOURCE_EXTENSIONS, "PUT", set_source_extensions),
    ]
    return [_api_route(backend, path, method, handler) for path, method, handler in table]


def _admin_route(path: str, method: str, handler: Endpoint) -> Route:
    """An admin route: Coveo errors become the admin API's `{"error": message}` bodies."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except CoveoApiError as error:
            return JSONResponse({"error": error.message}, status_code=error.status)

    return Route(path, endpoint, methods=[method])


def admin_routes(backend: CoveoBackend) -> list[BaseRoute]:
    """`/_emulator/coveo/...`: create and delete sources, auto-disable an extension."""

    async def create_source(request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JSONResponse({"error": 'The request body must be JSON: {"name": ...}.'}, status_code=400)
        name = body.get("name") if isinstance(body, dict) else None
        return JSONResponse(backend.create_source(request.path_params["organizationId"], name), status_code=201)

    async def delete_source(request: Request) -> Response:
        backend.delete_source(request.path_params["organizationId"], request.path_params["sourceId"])
        return Response(status_code=204)

    async def auto_disable(request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JSONResponse({"error": 'The request body must be JSON: {"reason": ...}.'}, status_code=400)
        reason = body.get("reason") if isinstance(body, dict) else None
        model = backend.auto_disable_extension(
            request.path_params["organizationId"],
            request.path_params["extensionId"],
            reason if isinstance(reason, str) else None,
        )
        return JSONResponse(model)

    return [
        _admin_route(ADMIN_ORGANIZATION + "/sources", "POST", create_source),
        _admin_route(ADMIN_ORGANIZATION + "/sources/{sourceId}", "DELETE", delete_source),
        _admin_route(ADMIN_ORGANIZATION + "/extensions/{extensionId}/auto-disable", "POST", auto_disable),
    ]
