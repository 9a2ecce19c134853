"""`ElasticClient`: one method per Elastic Cloud extensions API call, over the shared HTTP layer.

The client knows paths, bodies and status codes; it knows nothing about Pulumi. Every failure is an
`ApiError` carrying the HTTP status, the Elastic error codes (`errors[].code`, `x-cloud-error-codes`)
and messages, never a credential.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .._http import ApiError, HttpClient, HttpSettings

SERVICE = "Elastic"
API_PREFIX = "/api/v1"
EXTENSIONS_PATH = "/deployments/extensions"

# An upload sends the whole file and then waits while the service stores it; the wait between bytes
# may be longer than for a metadata call. This is per attempt and between bytes, never a total limit.
DEFAULT_UPLOAD_TIMEOUT = 600.0


def api_base_url(endpoint: str) -> str:
    """The API root for an endpoint given with or without `/api/v1` (and with or without a trailing `/`)."""
    root = endpoint.rstrip("/")
    if root.endswith(API_PREFIX):
        root = root[: -len(API_PREFIX)]
    return root + API_PREFIX


def parse_elastic_error(response: requests.Response) -> tuple[str | None, str, str | None]:
    """(codes, messages, request id) of an Elastic error response (`{"errors": [{code, message}]}`)."""
    codes: list[str] = []
    messages: list[str] = []
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    elements = body.get("errors") if isinstance(body, Mapping) else None
    for element in elements if isinstance(elements, list) else []:
        if not isinstance(element, Mapping):
            continue
        code, message, fields = element.get("code"), element.get("message"), element.get("fields")
        if isinstance(code, str) and code not in codes:
            codes.append(code)
        if isinstance(message, str) and message:
            on_fields = f" (fields: {', '.join(map(str, fields))})" if isinstance(fields, list) and fields else ""
            messages.append(message + on_fields)
    for code in (response.headers.get("x-cloud-error-codes") or "").split(","):
        if code.strip() and code.strip() not in codes:
            codes.append(code.strip())
    if not messages:
        text = response.text.strip()[:300] if response.text else ""
        messages.append(text or response.reason or "no error message in the response")
    request_id = response.headers.get("x-request-id") or response.headers.get("x-cloud-request-id")
    return (", ".join(codes) or None), "; ".join(messages), request_id


def has_error_code(error: ApiError, code: str) -> bool:
    """Whether an `ApiError` from this client carries the Elastic error `code`."""
    return code in (error.code or "").split(", ")


@dataclass(frozen=True)
class ExtensionRequest:
    """The body of a create or update call (CreateExtensionRequest / UpdateExtensionRequest).

    Attributes:
        name: ASCII letters, digits and `_ . -` only.
        extension_type: `bundle` or `plugin` (fixed after creation).
        version: `x.y.z` for a plugin; a bundle may use wildcards such as `8.*` or `*`.
        description: free text.
        download_url: where the service fetches the file from, or None when the file is uploaded.
    """

    name: str
    extension_type: str
    version: str
    description: str = ""
    download_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON body: every field set (an uploaded file has no `download_url`)."""
        return {key: value for key, value in dataclasses.asdict(self).items() if value is not None}


@dataclass(frozen=True)
class FileMetadata:
    """What the service reports about an extension's stored file.

    Attributes:
        size: bytes, if reported.
        last_modified_date: ISO-8601 UTC, if reported.
    """

    size: int | None
    last_modified_date: str | None


@dataclass(frozen=True)
class Extension:
    """An extension as the service returns it.

    Attributes:
        id: numeric string.
        name, extension_type, version, description, download_url: the stored metadata.
        url: `repo://<id>`, what a deployment plan references.
        deployments: ids of the deployments using it (only with `include_deployments`), else None.
        file: the stored file's metadata, or None when no file was uploaded or fetched.
        created: the `x-cloud-resource-created` header (ISO-8601 UTC), when the response carried it.
    """

    id: str
    name: str
    extension_type: str
    version: str
    url: str
    description: str
    download_url: str | None
    deployments: tuple[str, ...] | None
    file: FileMetadata | None
    created: str | None = None

    @classmethod
    def from_json(cls, body: Mapping[str, Any], created: str | None = None) -> Extension:
        """Reads an `Extension` body; JSON null is accepted wherever the live service sends it."""
        extension_id = str(body["id"])
        deployments = body.get("deployments")
        metadata = body.get("file_metadata")
        file = None
        if isinstance(metadata, Mapping):
            size = metadata.get("size")
            file = FileMetadata(
                size=int(size) if isinstance(size, (int, float)) else None,
                last_modified_date=metadata.get("last_modified_date"),
            )
        return cls(
            id=extension_id,
            name=str(body.get("name") or ""),
            extension_type=str(body.get("extension_type") or ""),
            version=str(body.get("version") or ""),
            url=str(body.get("url") or f"repo://{extension_id}"),
            description=str(body.get("description") or ""),
            download_url=body.get("download_url") or None,
            deployments=tuple(map(str, deployments)) if isinstance(deployments, list) else None,
            file=file,
            created=created,
        )

    def matches(self, request: ExtensionRequest) -> bool:
        """Whether this extension has the declared name, type, version and description."""
        return (
            self.name == request.name
            and self.extension_type == request.extension_type
            and self.version == request.version
            and self.description == request.description
        )


class ElasticClient:
    """One method per call of the Elastic Cloud (and ECE) extensions API, named after its HTTP method.

    `post_extension` is the API's create-extension and `post_extension_metadata` its update-extension: the
    names `create` and `update` belong to the provider's operations, which make several of these calls.

    Args:
        endpoint: the API host, e.g. `https://api.elastic-cloud.com`, with or without `/api/v1`.
        auth_header: the `Authorization` value (`ApiKey ...` or `Basic ...`); kept only in this object,
            which lives for one provider operation and is never pickled.
        settings: time limits and retries of metadata calls.
        upload_timeout: seconds to wait between bytes of an upload (per attempt, not a total).
    """

    def __init__(
        self,
        endpoint: str,
        auth_header: str,
        settings: HttpSettings,
        *,
        upload_timeout: float = DEFAULT_UPLOAD_TIMEOUT,
    ) -> None:
        self.base_url = api_base_url(endpoint)
        self.settings = settings
        self.upload_timeout = upload_timeout
        self._http = HttpClient(SERVICE, self.base_url, auth_header, settings, parse_elastic_error)

    def list_extensions(self) -> list[Extension]:
        """`GET /deployments/extensions`: all extensions visible to the credentials (retried)."""
        response = self._http.request("GET", EXTENSIONS_PATH, idempotent=True)
        items = _json(response).get("extensions") or []
        return [Extension.from_json(item) for item in items if isinstance(item, Mapping)]

    def post_extension(self, request: ExtensionRequest) -> Extension:
        """`POST /deployments/extensions`: creates an extension (sent once: the caller reconciles an uncertain
        outcome).

        With a `download_url` the service fetches the file before answering, so the wait for the answer
        uses the upload time limit.
        """
        response = self._http.request(
            "POST",
            EXTENSIONS_PATH,
            idempotent=False,
            expected=(200, 201),
            json=request.to_json(),
            timeout=self._transfer_timeout() if request.download_url else None,
        )
        return _extension(response)

    def get_extension(self, extension_id: str, *, include_deployments: bool = False) -> Extension:
        """`GET /deployments/extensions/{id}`: one extension, with the deployments using it when asked (retried)."""
        response = self._http.request(
            "GET",
            _extension_path(extension_id),
            idempotent=True,
            params={"include_deployments": "true"} if include_deployments else None,
        )
        return _extension(response)

    def post_extension_metadata(self, extension_id: str, request: ExtensionRequest) -> Extension:
        """`POST /deployments/extensions/{id}`: replaces the metadata (the full body: retrying it is safe)."""
        response = self._http.request(
            "POST",
            _extension_path(extension_id),
            idempotent=True,
            json=request.to_json(),
            timeout=self._transfer_timeout() if request.download_url else None,
        )
        return _extension(response)

    def put_extension_file(self, extension_id: str, file_path: str | Path) -> Extension:
        """`PUT /deployments/extensions/{id}`: uploads the zip file (raw `application/zip` streamed from disk, retried).

        Memory use does not grow with the file: the open file is sent in small blocks (and rewound on a
        retry). There is no total time limit, only `upload_timeout` between bytes.
        """
        with open(file_path, "rb") as file:
            response = self._http.request(
                "PUT",
                _extension_path(extension_id),
                idempotent=True,
                data=file,
                headers={"Content-Type": "application/zip"},
                timeout=self._transfer_timeout(),
            )
        return _extension(response)

    def delete_extension(self, extension_id: str) -> None:
        """`DELETE /deployments/extensions/{id}`: deletes an extension (retried; a retry after an applied delete
        sees it gone)."""
        self._http.request("DELETE", _extension_path(extension_id), idempotent=True)

    def _transfer_timeout(self) -> float:
        return max(self.upload_timeout, self.settings.timeout)


def _extension_path(extension_id: str) -> str:
    return f"{EXTENSIONS_PATH}/{urllib.parse.quote(extension_id, safe='')}"


def _json(response: requests.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, Mapping):
        request = response.request
        raise ApiError(
            SERVICE,
            str(request.method),
            urllib.parse.urlsplit(str(request.url)).path,
            "the response is not a JSON object",
            status=response.status_code,
        )
    return body


def _extension(response: requests.Response) -> Extension:
    return Extension.from_json(_json(response), created=response.headers.get("x-cloud-resource-created"))
