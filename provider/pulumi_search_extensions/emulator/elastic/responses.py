"""HTTP side of the emulated Elastic Cloud extensions API: parse, call `ElasticBackend`, render its record.

Every 2xx answer carries the `x-cloud-resource-*` headers and every error the
`x-cloud-error-codes` header, as the service does (`exceptions.py`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response

from .exceptions import ElasticApiError
from .files import file_download_path
from .models import (
    DeploymentRecord,
    ElasticBackend,
    ExtensionRecord,
    ResourceStamp,
    iso_utc,
    parse_extension_request,
)
from .multipart import receive_multipart_file

Endpoint = Callable[[Request], Awaitable[Response]]


class ElasticResponses:
    """One handler per operation of the extensions API (and of the Elastic admin routes)."""

    def __init__(self, backend: ElasticBackend) -> None:
        self.backend = backend

    @staticmethod
    def rendering_errors(handler: Endpoint) -> Endpoint:
        """Turn an `ElasticApiError` into the service's error response."""

        async def rendered(request: Request) -> Response:
            try:
                return await handler(request)
            except ElasticApiError as error:
                await _discard_unread_body(request)
                return error.response()

        return rendered

    def authenticated(self, handler: Endpoint) -> Endpoint:
        """`handler` behind the service's authentication, with errors rendered."""

        async def checked(request: Request) -> Response:
            self.backend.authenticate(request.headers.get("authorization"))
            return await handler(request)

        return self.rendering_errors(checked)

    # ----------------------------------------------------------- extensions

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
                await receive_multipart_file(request, options.get(b"boundary", b""), sink)
            else:
                # Raw body, what Elastic's docs prefer (`application/zip`, octet-stream, ...).
                async for chunk in request.stream():
                    sink.write(chunk)
            record = self.backend.attach_file(extension_id, sink)
        return _extension_response(request, record, 200)

    async def delete_extension(self, request: Request) -> Response:
        record = self.backend.delete_extension(request.path_params["extension_id"])
        return _json({}, 200, record.stamp)

    # ------------------------------------------------ admin (emulator only)

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
        """The temporary link of `file_metadata.url`."""
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


async def _discard_unread_body(request: Request) -> None:
    """Read what is left of the body, so a client still sending an upload gets the answer
    instead of a reset connection."""
    try:
        async for _ in request.stream():
            pass
    except (RuntimeError, ClientDisconnect):
        # Already consumed, or the client has gone: nothing left to read.
        pass


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
