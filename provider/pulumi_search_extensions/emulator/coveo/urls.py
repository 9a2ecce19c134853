"""The paths of the emulated Coveo APIs and which `CoveoResponses` method serves each."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from .models import CoveoBackend
from .responses import CoveoResponses

API_PREFIX = "/rest/"
ORGANIZATION_PREFIX = "/rest/organizations/{organizationId}"
EXTENSIONS = ORGANIZATION_PREFIX + "/extensions"
EXTENSION = EXTENSIONS + "/{extensionId}"
SOURCE_EXTENSIONS = ORGANIZATION_PREFIX + "/sources/{sourceId}/extensions"
ADMIN_ORGANIZATION = "/_emulator/coveo/organizations/{organizationId}"


def api_routes(backend: CoveoBackend) -> list[BaseRoute]:
    """The Coveo Extension API and the Source API's extension map, as Starlette routes."""
    api = CoveoResponses(backend)
    # Fixed paths first: /extensions/page must not be taken for an extension id.
    table = [
        (EXTENSIONS + "/page", "GET", api.page_extensions),
        (EXTENSIONS + "/ids", "POST", api.extensions_by_ids),
        (EXTENSIONS + "/project", "GET", api.extensions_by_project),
        (EXTENSIONS + "/test/compile", "POST", api.compile_code),
        (EXTENSION + "/test", "POST", api.test_extension),
        (EXTENSIONS, "GET", api.list_extensions),
        (EXTENSIONS, "POST", api.create_extension),
        (EXTENSION, "GET", api.get_extension),
        (EXTENSION, "PUT", api.update_extension),
        (EXTENSION, "DELETE", api.delete_extension),
        (EXTENSION + "/enable", "POST", api.enable_extension),
        (EXTENSION + "/disable", "POST", api.disable_extension),
        (EXTENSION + "/code", "GET", api.get_code),
        (EXTENSION + "/code", "PUT", api.update_code),
        (EXTENSION + "/timeouts", "PUT", api.set_timeout),
        (EXTENSION + "/versions", "GET", api.list_versions),
        (EXTENSION + "/versions/{versionId}", "GET", api.get_version),
        (SOURCE_EXTENSIONS, "GET", api.get_source_extensions),
        (SOURCE_EXTENSIONS, "PUT", api.set_source_extensions),
    ]
    return [Route(path, api.authorized(handler), methods=[method]) for path, method, handler in table]


def admin_routes(backend: CoveoBackend) -> list[BaseRoute]:
    """`/_emulator/coveo/...`: create and delete sources, auto-disable an extension."""
    api = CoveoResponses(backend)
    table = [
        (ADMIN_ORGANIZATION + "/sources", "POST", api.create_source),
        (ADMIN_ORGANIZATION + "/sources/{sourceId}", "DELETE", api.delete_source),
        (ADMIN_ORGANIZATION + "/sources/{sourceId}/documents", "POST", api.push_document),
        (ADMIN_ORGANIZATION + "/sources/{sourceId}/documents", "GET", api.list_documents),
        (ADMIN_ORGANIZATION + "/extensions/{extensionId}/auto-disable", "POST", api.auto_disable),
    ]
    return [Route(path, api.admin(handler), methods=[method]) for path, method, handler in table]
