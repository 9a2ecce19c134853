"""Coveo API calls the providers never make, which tests use to look at what the emulator holds.

They are not in `CoveoClient` (which carries only what a provider calls); named after their HTTP calls the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


class ConsoleCalls:
    """Calls to the emulator's main Coveo organization, as the console or the Coveo CLI would make them."""

    def __init__(self, emulator: EmulatorHandle) -> None:
        self._extensions = f"{emulator.url}/rest/organizations/{emulator.coveo_organization_id}/extensions"
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {emulator.coveo_api_key}"

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self._session.request(method, f"{self._extensions}{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response

    def get_extension_code(self, extension_id: str) -> str:
        """The script alone (`GET /extensions/{id}/code`, text/plain)."""
        return self._call("GET", f"/{extension_id}/code", headers={"Accept": "text/plain"}).text

    def get_extension_versions(self, extension_id: str) -> list[dict[str, Any]]:
        """The saved versions `[{id, lastModified}]`, newest first (`GET /extensions/{id}/versions`)."""
        versions: list[dict[str, Any]] = self._call("GET", f"/{extension_id}/versions").json()
        return versions

    def get_extension_version(self, extension_id: str, version_id: str) -> dict[str, Any]:
        """The ExtensionModel as of one version (`GET /extensions/{id}/versions/{versionId}`)."""
        model: dict[str, Any] = self._call("GET", f"/{extension_id}/versions/{version_id}").json()
        return model

    def post_extension_compile(self, code: str) -> dict[str, Any]:
        """The service's compilation of a script: `{successful, error: {type, line, offset, message}}`."""
        result: dict[str, Any] = self._call("POST", "/test/compile", json={"code": code, "language": "PYTHON3"}).json()
        return result
