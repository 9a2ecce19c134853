"""HTTP face of the emulated Elastic Cloud extensions API: parse, call `ElasticBackend`, render.

Every 2xx answer carries the `x-cloud-resource-*` headers and every error the
`x-cloud-error-codes` header, as the service does.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .models import (
    DeploymentRecord,
    ElasticApiError,
    ElasticBackend,
    ExtensionRecord,
    FileSink,
    ResourceStamp,
    file_download_path,
    iso_utc,
    parse_extension_request,
    request_execution_failed,
)

EXTENSIONS_PATH = "/api/v1/deployments/extensions"
EXTENSION_PATH = EXTENSIONS_PATH + "/{extension_id}"
ADMIN_DEPLOYMENTS_PATH = "/_emulator/elastic/deployments"
ADMIN_FILE_PATH = file_download_path("{extension_id}")

Endpoint = Callable[[Request], Awaitable[Response]]


def api_routes(backend: ElasticBackend) -> list[BaseRoute]:
    """The `/api/v1/deployments/extensions...` routes, served from `backend`."""
    api = _ExtensionsApi(backend)
    return [
        Route(EXTENSIONS_PATH, api.authenticated(api.list_extensions), methods=["GET"]),
        Route(EXTENSIONS_PATH, api.authenticated(api.create_extension), methods=["POST"]),
        Route(EXTENSION_PATH, api.authenticated(api.get_extension), methods=["GET"]),
        Route(EXTENSION_PATH, api.authenticated(api.update_extension), methods=["POST"]),
        Route(EXTENSION_PATH, api.authenticated(api.upload_extension), methods=["PUT"]),
        Route(EXTENSION_PATH, api.authenticated(api.delete_extension), methods=["DELETE"]),
    ]


def admin_routes(backend: ElasticBackend) -> list[BaseRoute]:
    """The `/_emulator/elastic/...` routes: deployments that reference extensions, file downloads."""
    admin = _ElasticAdmin(backend)
    return [
        Route(ADMIN_DEPLOYMENTS_PATH, _rendering_errors(admin.create_deployment), methods=["POST"]),
        Route(
            ADMIN_DEPLOYMENTS_PATH + "/{deployment_id}",
            _rendering_errors(admin.update_deployment),
            methods=["PUT"],
        ),
        Route(
            ADMIN_DEPLOYMENTS_PATH + "/{deployment_id}",
            _rendering_errors(admin.delete_deployment),
            methods=["DELETE"],
        ),
        Route(ADMIN_FILE_PATH, admin.download_file, methods=["GET"]),
    ]


class _ExtensionsApi:
    """One handler per operation of the extensions API."""

    def __init__(self, backend: ElasticBackend) -> None:
        self.backend = backend

    def authenticated(self, handler: Endpoint) -> Endpoint:
        """`handler` behind the service's authentication, with errors rendered."""

        async def checked(request: Request) -> Response:
            self.backend.authenticate(request.headers.get("authorization"))
            return await handler(request)

        return _rendering_errors(checked)

    async def list_extensions(self, request: Request) -> Response:
        records, stamp = self.backend.list_extensions()
        base_url = _base_url(request)
        body = {"extensions": [_extension_body(record, base_url, deployments=None) for record in records]}
        return _json(body, 200, stamp)

    async def create_extension(self, request: Request) -> Response:
        extension_request = parse_extension_request(await _json_body(request))
        # Blocking: a download_url is fetched before the extension exists.
        record = await run_in_threadpool(self.backend.create_extension, extension_request)
        return _extension_response(request, record, 201)

    async def get_extension(self, request: Request) -> Response:
        extension_id = request.path_params["extension_id"]
        include_deployments = _boolean_query(request, "include_deployments", default=False)
        record = self.backend.get_extension(extension_id)
        deployments = self.backend.deployments_using(extension_id) if include_deployments else None
        return _extension_response(request, record, 200, deployments=deployments)

    async def update_extension(self, request: Request) -> Response:
        extension_request = parse_extension_request(await _json_body(request), check_version=False)
        record = await run_in_threadpool(
            self.backend.update_extension, request.path_params["extension_id"], extension_request
        )
        return _extension_response(request, record, 200)

    async def upload_extension(self, request: Request) -> Response:
        extension_id = request.path_params["extension_id"]
        self.backend.get_extension(extension_id)  # refuse an unknown id before reading the file
        content_type, options = parse_options_header(request.headers.get("content-type"))
        with self.backend.open_upload() as sink:
            if content_type == b"multipart/form-data":
                await _receive_multipart_file(request, options.get(b"boundary", b""), sink)
            else:
                # Raw body, what Elastic's docs prefer (`application/zip`, octet-stream, ...).
                async for chunk in request.stream():
                    sink.write(chunk)
            record = self.backend.attach_file(extension_id, sink)
        return _extension_response(request, record, 200)

    async def delete_extension(self, request: Request) -> Response:
        record = self.backend.delete_extension(request.path_params["extension_id"])
        return _json({}, 200, record.stamp)


class _ElasticAdmin:
    """Emulator-only routes: what a deployment plan would do, and the temporary file links."""

    def __init__(self, backend: ElasticBackend) -> None:
        self.backend = backend

    async def create_deployment(self, request: Request) -> Response:
        body = await _json_object(request)
        deployment = self.backend.create_deployment(body.get("name"), body.get("extension_ids"))
        return _deployment_response(deployment, 201)

    async def update_deployment(self, request: Request) -> Response:
        body = await _json_object(request)
        deployment = self.backend.update_deployment(
            request.path_params["deployment_id"], body.get("name"), body.get("extension_ids")
        )
        return _deployment_response(deployment, 200)

    async def delete_deployment(self, request: Request) -> Response:
        self.backend.delete_deployment(request.path_params["deployment_id"])
        return JSONResponse({})

    async def download_file(self, request: Request) -> Response:
        extension_id = request.path_params["extension_id"]
        found = self.backend.stored_file(extension_id)
        if found is None:
            return JSONResponse({"error": f"extension [{extension_id}] has no file"}, status_code=404)
        path, stored = found
        # Streamed from disk by Starlette; the ETag lets a client check it got the file it expected.
        return FileResponse(
            path,
            media_type="application/zip",
            filename=f"{extension_id}.zip",
            headers={"etag": f'"{stored.sha256}"'},
        )


def _rendering_errors(handler: Endpoint) -> Endpoint:
    """Turn an `ElasticApiError` into the service's error response."""

    async def rendered(request: Request) -> Response:
        try:
            return await handler(request)
        except ElasticApiError as error:
            await _discard_unread_body(request)
            return JSONResponse(
                error.to_api(),
                status_code=error.status,
                headers={"x-cloud-error-codes": ",".join(error.codes)},
            )

    return rendered


async def _discard_unread_body(request: Request) -> None:
    """Read what is left of the body, so a client still sending an upload gets the answer
    instead of a reset connection."""
    try:
        async for _ in request.stream():
            pass
    except (RuntimeError, ClientDisconnect):
        # Already consumed, or the client has gone: nothing left to read.
        pass


async def _receive_multipart_file(request: Request, boundary: bytes, sink: FileSink) -> None:
    """Stream the `file` field of a multipart/form-data body into `sink`, in constant memory."""
    if not boundary:
        raise request_execution_failed("Could not accept the extensions file: multipart body without boundary.")
    receiver = _MultipartFileField(sink)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise request_execution_failed(f"Could not accept the extensions file: {error}") from error
    if not receiver.complete:
        raise request_execution_failed("Could not accept the extensions file: no complete [file] field.")


class _MultipartFileField:
    """Callbacks for python-multipart's streaming parser that keep only the first `file` part."""

    def __init__(self, sink: FileSink) -> None:
        self.sink = sink
        self.complete = False
        self._receiving = False
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""

    def callbacks(self) -> Any:
        """The callback table (a TypedDict in python-multipart, hence `Any`)."""
        return {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
        }

    def _on_part_begin(self) -> None:
        self._disposition = b""

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._receiving = not self.complete and options.get(b"name") == b"file"

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._receiving:
            self.sink.write(data[start:end])

    def _on_part_end(self) -> None:
        if self._receiving:
            self.complete = True
            self._receiving = False


async def _json_body(request: Request) -> Any:
    """The parsed JSON body, or 400 `root.invalid_json_request`."""
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ElasticApiError.single(
            400, "root.invalid_json_request", f"The request body is not valid JSON: {error}"
        ) from error


async def _json_object(request: Request) -> dict[str, Any]:
    """The JSON body, which must be an object."""
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise ElasticApiError.single(400, "root.invalid_json_request", "The request body must be a JSON object.")
    return body


def _boolean_query(request: Request, name: str, *, default: bool) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ElasticApiError.single(400, "root.invalid_data", f"Query parameter [{name}] must be true or false.")


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _extension_body(record: ExtensionRecord, base_url: str, *, deployments: list[str] | None) -> dict[str, Any]:
    return record.to_api(file_url=base_url + file_download_path(record.id), deployments=deployments)


def _extension_response(
    request: Request, record: ExtensionRecord, status: int, *, deployments: list[str] | None = None
) -> Response:
    return _json(_extension_body(record, _base_url(request), deployments=deployments), status, record.stamp)


def _deployment_response(deployment: DeploymentRecord, status: int) -> Response:
    return JSONResponse(deployment.to_api(), status_code=status)


def _json(body: dict[str, Any], status: int, stamp: ResourceStamp) -> Response:
    return JSONResponse(
        body,
        status_code=status,
        headers={
            "x-cloud-resource-version": str(stamp.version),
            "x-cloud-resource-created": iso_utc(stamp.created),
            "x-cloud-resource-last-modified": iso_utc(stamp.last_modified),
        },
    )
