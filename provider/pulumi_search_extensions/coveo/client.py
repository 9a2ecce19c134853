"""CoveoClient: one method per Coveo API call the providers make, named after it (`PUT /extensions/{id}` is
`put_extension`).

No resource logic lives here: the providers decide what to call; this module only knows paths, verbs,
expected statuses and Coveo's error shape. Every call goes through the shared `HttpClient`, which
retries idempotent calls within the time budget; `post_extension` is sent exactly once (see
`_create.create_once` for what a failed create means).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from .._http import HttpClient, HttpSettings
from .connection import CoveoConnection

SERVICE = "Coveo"
_MESSAGE_LIMIT = 500  # characters of a non-JSON error body worth showing


def parse_coveo_error(response: requests.Response) -> tuple[str | None, str, str | None]:
    """(errorCode, message, request id) of a Coveo error response.

    Coveo answers `{"message", "errorCode", "requestID"}` and an `X-Request-ID` header; proxies in front of it
    may answer plain text or HTML, in which case the start of the body (or the reason phrase) is the message.
    """
    header_request_id = response.headers.get("X-Request-ID")
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("errorCode") or body.get("type")
        message = body.get("message") or body.get("errorMessage") or response.reason or "no message"
        request_id = body.get("requestID") or body.get("requestId") or header_request_id
        return (str(code) if code else None, str(message), str(request_id) if request_id else None)
    text = (response.text or "").strip()
    message = text[:_MESSAGE_LIMIT] if text else (response.reason or f"HTTP {response.status_code}")
    return None, message, header_request_id


def _number(value: Any) -> float | None:
    """A JSON number, or None (booleans are not numbers here)."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class SourceUse:
    """A source that applies an extension (an entry of the ExtensionModel's `usedBy`)."""

    source_id: str
    source_name: str


@dataclass(frozen=True)
class Extension:
    """An extension as Coveo answers it (its ExtensionModel), in Python names; the providers read nothing else.

    Attributes:
        id: the extension id (`<organization>-<random>`).
        name, description, content: as stored (absent text is "").
        required_data_streams: the data streams it reads, in the service's order.
        api_version: `v1` or `v2`, None when the service leaves it out.
        use_vault: whether the script may read vault parameters.
        enabled: False once disabled (by a user or by the service after repeated failures).
        timeout: the execution time limit in seconds, None when the service leaves it out.
        version_id: the id of the current version of the script.
        created_date, last_modified: epoch milliseconds, None when absent.
        status: the service's `status` object as it is (free-form: health, disabled status, daily statistics).
        used_by: the sources that apply it; None when the answer does not say (the list and the POST leave it out).
    """

    id: str
    name: str = ""
    description: str = ""
    content: str = ""
    required_data_streams: tuple[str, ...] = ()
    api_version: str | None = None
    use_vault: bool = False
    enabled: bool = True
    timeout: float | None = None
    version_id: str | None = None
    created_date: float | None = None
    last_modified: float | None = None
    status: Mapping[str, Any] = field(default_factory=dict)
    used_by: tuple[SourceUse, ...] | None = None

    @classmethod
    def from_api(cls, body: Mapping[str, Any]) -> Extension:
        """The model of a JSON ExtensionModel."""
        used_by = body.get("usedBy")
        status = body.get("status")
        return cls(
            id=str(body.get("id") or ""),
            name=str(body.get("name") or ""),
            description=str(body.get("description") or ""),
            content=str(body.get("content") or ""),
            required_data_streams=tuple(str(stream) for stream in body.get("requiredDataStreams") or []),
            api_version=str(body["apiVersion"]) if body.get("apiVersion") else None,
            use_vault=bool(body.get("useVault", False)),
            enabled=bool(body.get("enabled", True)),
            timeout=_number(body.get("timeout")),
            version_id=str(body["versionId"]) if body.get("versionId") is not None else None,
            created_date=_number(body.get("createdDate")),
            last_modified=_number(body.get("lastModified")),
            status=dict(status) if isinstance(status, Mapping) else {},
            used_by=None
            if not isinstance(used_by, list)
            else tuple(
                SourceUse(str(use.get("sourceId", "?")), str(use.get("sourceName", "?")))
                for use in used_by
                if isinstance(use, Mapping)
            ),
        )


def _segment(value: str) -> str:
    """One path segment, escaped (ids come from users and must not change the path)."""
    return urllib.parse.quote(value, safe="")


class CoveoClient:
    """Calls one Coveo organization. Cheap to build: make one per provider operation, never keep or pickle it.

    Args:
        connection: the organization, base URL, API key and HTTP settings (see `connection.resolve_connection`).
    """

    def __init__(self, connection: CoveoConnection) -> None:
        self.organization_id = connection.organization_id
        self._http = HttpClient(
            service=SERVICE,
            base_url=connection.base_url,
            auth_header=f"Bearer {connection.api_key}",
            settings=connection.http,
            parse_error=parse_coveo_error,  # HttpClient masks the key should Coveo echo it
        )

    def __repr__(self) -> str:
        return f"CoveoClient(organization_id={self.organization_id!r}, base_url={self._http.base_url!r})"

    @property
    def settings(self) -> HttpSettings:
        """The HTTP settings (time budget, retries) of this client's calls."""
        return self._http.settings

    def _organization_path(self) -> str:
        return f"/rest/organizations/{_segment(self.organization_id)}"

    def _extensions_path(self, extension_id: str | None = None) -> str:
        path = f"{self._organization_path()}/extensions"
        return path if extension_id is None else f"{path}/{_segment(extension_id)}"

    # -- Extension API ------------------------------------------------------------------------------

    def list_extensions(self) -> list[Extension]:
        """Every extension of the organization (`GET /extensions`, not paged; entries have no `usedBy`)."""
        found: list[dict[str, Any]] = self._http.request("GET", self._extensions_path(), idempotent=True).json()
        return [Extension.from_api(body) for body in found]

    def post_extension(self, body: dict[str, Any]) -> Extension:
        """Creates an extension from an EditExtensionModel (`POST /extensions`, 201). Sent once, never retried."""
        response = self._http.request("POST", self._extensions_path(), idempotent=False, expected=(200, 201), json=body)
        return Extension.from_api(response.json())

    def get_extension(self, extension_id: str) -> Extension:
        """One extension, `used_by` included (`GET /extensions/{id}`)."""
        return Extension.from_api(
            self._http.request("GET", self._extensions_path(extension_id), idempotent=True).json()
        )

    def put_extension(self, extension_id: str, body: dict[str, Any]) -> Extension:
        """Replaces an extension with a full EditExtensionModel (`PUT /extensions/{id}`); `used_by` included."""
        response = self._http.request("PUT", self._extensions_path(extension_id), idempotent=True, json=body)
        return Extension.from_api(response.json())

    def delete_extension(self, extension_id: str) -> None:
        """Deletes an extension (`DELETE /extensions/{id}`, 204)."""
        self._http.request("DELETE", self._extensions_path(extension_id), idempotent=True, expected=(200, 204))

    def post_extension_enable(self, extension_id: str) -> None:
        """Enables a disabled extension (`POST /extensions/{id}/enable`, 204)."""
        path = f"{self._extensions_path(extension_id)}/enable"
        self._http.request("POST", path, idempotent=True, expected=(200, 204))

    def post_extension_disable(self, extension_id: str, reason: str | None = None) -> None:
        """Disables an extension, recording `reason` (`POST /extensions/{id}/disable`, 204)."""
        path = f"{self._extensions_path(extension_id)}/disable"
        body = {"reason": reason} if reason else {}
        self._http.request("POST", path, idempotent=True, expected=(200, 204), json=body)

    def put_extension_timeouts(self, extension_id: str, seconds: int) -> None:
        """Sets the execution time limit in seconds (`PUT /extensions/{id}/timeouts`, 204)."""
        path = f"{self._extensions_path(extension_id)}/timeouts"
        self._http.request("PUT", path, idempotent=True, expected=(200, 204), json={"executionTimeout": seconds})

    # -- Source API: the extension map of a source ----------------------------------------------------

    def _source_extensions_path(self, source_id: str) -> str:
        return f"{self._organization_path()}/sources/{_segment(source_id)}/extensions"

    def get_source_extensions(self, source_id: str) -> dict[str, Any]:
        """The extensions a source applies: `{common: {preConversionExtensions, postConversionExtensions}, items}`."""
        extension_map: dict[str, Any] = self._http.request(
            "GET", self._source_extensions_path(source_id), idempotent=True
        ).json()
        return extension_map

    def put_source_extensions(self, source_id: str, body: dict[str, Any], rebuild: bool = False) -> None:
        """Replaces a source's extension map (`PUT .../sources/{id}/extensions?rebuild=`, 204)."""
        self._http.request(
            "PUT",
            self._source_extensions_path(source_id),
            idempotent=True,
            expected=(200, 204),
            json=body,
            params={"rebuild": "true" if rebuild else "false"},
        )
