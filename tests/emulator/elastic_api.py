"""A checking client of the emulated Elastic Cloud extensions API, shared by the test_elastic_* modules.

Every call asserts its status; every answer is checked the way the service documents it:
2xx answers carry the `x-cloud-resource-*` headers (ISO-8601 UTC) and a body valid against the
named spec definition; errors carry `x-cloud-error-codes` and a `BasicFailedReply` body.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

import requests

from .spec_validation import validate_elastic

EXTENSIONS_PATH = "/api/v1/deployments/extensions"
ISO_8601_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
RESOURCE_HEADERS = ("x-cloud-resource-version", "x-cloud-resource-created", "x-cloud-resource-last-modified")

# tests/specs/elastic-extension-api.md: "Real responses can carry JSON null for download_url, url and
# deployments", which the spec types as a string and an array.  The emulator sends those nulls like
# the service; everything else in an Extension is checked against the spec as written.
FIELDS_THE_SERVICE_SENDS_AS_NULL = ("download_url", "url", "deployments")


def without_documented_nulls(extension: dict[str, Any]) -> dict[str, Any]:
    """`extension` without the null fields the reference documents and the spec does not allow."""
    return {
        key: value
        for key, value in extension.items()
        if not (value is None and key in FIELDS_THE_SERVICE_SENDS_AS_NULL)
    }


def validate_extension_body(definition: str, body: Any) -> None:
    """Validate an `Extension`, an `Extensions` list or any other definition, minding documented nulls."""
    if definition == "Extension":
        body = without_documented_nulls(body)
    elif definition == "Extensions":
        body = {**body, "extensions": [without_documented_nulls(item) for item in body["extensions"]]}
    validate_elastic(definition, body)


def check_elastic_response(response: requests.Response, definition: str | None) -> None:
    """The headers and body checks every answer of the extensions API passes."""
    if response.status_code >= 400:
        body = response.json()
        validate_elastic("BasicFailedReply", body)
        header = response.headers.get("x-cloud-error-codes")
        assert header, "every error carries x-cloud-error-codes"
        assert header.split(",") == list(dict.fromkeys(error["code"] for error in body["errors"]))
        return
    for name in RESOURCE_HEADERS[1:]:
        assert ISO_8601_UTC.fullmatch(response.headers.get(name, "")), f"{name}: {response.headers.get(name)}"
    assert response.headers.get(RESOURCE_HEADERS[0], "").isdigit()
    assert definition is not None, "a JSON success needs a definition to be validated against"
    validate_extension_body(definition, response.json())


def error_codes(response: requests.Response) -> list[str]:
    """The `code` of every error element of an error answer."""
    return [error["code"] for error in response.json()["errors"]]


class ElasticApi:
    """Calls to `/api/v1/deployments/extensions...` with one set of credentials."""

    def __init__(self, base_url: str, *, api_key: str | None = None, basic: tuple[str, str] | None = None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        if api_key is not None:
            self.session.headers["Authorization"] = f"ApiKey {api_key}"
        if basic is not None:
            self.session.auth = basic

    def url(self, path: str = "") -> str:
        """The absolute URL of `/api/v1/deployments/extensions<path>`."""
        return f"{self.base_url}{EXTENSIONS_PATH}{path}"

    def call(
        self, method: str, path: str = "", *, expect: int, definition: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send a request; assert its status, its headers and its body."""
        kwargs.setdefault("timeout", 60)
        response = self.session.request(method, self.url(path), **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        check_elastic_response(response, definition)
        return response

    def create(self, **fields: Any) -> dict[str, Any]:
        """Create an extension (a valid bundle unless `fields` say otherwise) and return it."""
        body = {"name": "synonyms-bundle", "extension_type": "bundle", "version": "8.*", **fields}
        created: dict[str, Any] = self.call("POST", json=body, expect=201, definition="Extension").json()
        return created

    def upload(self, extension_id: str, content: bytes) -> dict[str, Any]:
        """PUT a raw `application/zip` body as the extension's file; return the Extension."""
        response = self.call(
            "PUT",
            f"/{extension_id}",
            data=content,
            headers={"Content-Type": "application/zip"},
            expect=200,
            definition="Extension",
        )
        uploaded: dict[str, Any] = response.json()
        return uploaded

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

    def __enter__(self) -> ElasticApi:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
