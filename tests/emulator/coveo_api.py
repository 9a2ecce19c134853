"""`CoveoApi`: calls to the emulated Coveo API that check status, request id and schema."""

from __future__ import annotations

from typing import Any

import requests

from .spec_validation import validate_coveo


class CoveoApi:
    """Calls to the emulated Coveo API that check the status and validate every JSON body.

    `call()` asserts the expected status; a JSON success body is validated against the schema
    named by `schema` (required whenever the body is JSON), and every error body against
    Coveo's error shape, with `X-Request-ID` equal to its `requestID`.
    """

    def __init__(self, base_url: str, organization_id: str, api_key: str) -> None:
        self.base_url = base_url
        self.organization_id = organization_id
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def url(self, path: str = "") -> str:
        """`/rest/organizations/{org}/extensions<path>`, or the organization root for `/sources...`."""
        root = f"{self.base_url}/rest/organizations/{self.organization_id}"
        return f"{root}{path}" if path.startswith("/sources") else f"{root}/extensions{path}"

    def call(
        self, method: str, path: str = "", *, expect: int, schema: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send a request; assert its status, its `X-Request-ID` and its body's schema."""
        response = self.session.request(method, self.url(path), timeout=30, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        check_coveo_response(response, schema)
        return response

    def create(self, **fields: Any) -> dict[str, Any]:
        """Create an extension (valid defaults for `name` and `content`) and return its model."""
        body = {"name": "Title cleaner", "content": "document.add_meta_data({'clean': True})\n", **fields}
        created: dict[str, Any] = self.call("POST", json=body, expect=201, schema="ExtensionModel").json()
        return created

    def replace(self, extension_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT a full EditExtensionModel over an extension (200) and return the new model."""
        path = f"/{extension_id}"
        replaced: dict[str, Any] = self.call("PUT", path, json=body, expect=200, schema="ExtensionModel").json()
        return replaced

    def put_code(self, extension_id: str, script: str) -> dict[str, Any]:
        """PUT the script alone, as text/plain (200), and return the new model."""
        headers = {"Content-Type": "text/plain"}
        path = f"/{extension_id}/code"
        model = self.call("PUT", path, data=script.encode(), headers=headers, expect=200, schema="ExtensionModel")
        replaced: dict[str, Any] = model.json()
        return replaced

    def apply(self, source_id: str, extension_map: dict[str, Any]) -> None:
        """PUT a source's extension map."""
        self.call("PUT", f"/sources/{source_id}/extensions", json=extension_map, expect=204)


def check_coveo_response(response: requests.Response, schema: str | None) -> None:
    """The checks every Coveo response passes: request id header, and a valid body."""
    request_id = response.headers.get("X-Request-ID")
    assert request_id, "every Coveo response carries X-Request-ID"
    if response.status_code >= 400:
        body = response.json()
        validate_coveo("CoveoError", body)
        assert body["requestID"] == request_id
    elif response.headers.get("content-type", "").startswith("application/json"):
        assert schema is not None, "a JSON response needs a schema to be validated against"
        validate_coveo(schema, response.json())
    else:
        assert schema is None, f"expected a JSON {schema}, got {response.headers.get('content-type')}"
