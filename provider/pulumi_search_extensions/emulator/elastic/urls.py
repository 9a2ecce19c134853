"""The paths of the emulated Elastic Cloud extensions API and which `ElasticResponses` method serves each."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from .files import file_download_path
from .models import ElasticBackend
from .responses import ElasticResponses

API_PREFIX = "/api/v1/"
EXTENSIONS_PATH = "/api/v1/deployments/extensions"
EXTENSION_PATH = EXTENSIONS_PATH + "/{extension_id}"
ADMIN_DEPLOYMENTS_PATH = "/_emulator/elastic/deployments"
ADMIN_DEPLOYMENT_PATH = ADMIN_DEPLOYMENTS_PATH + "/{deployment_id}"
ADMIN_FILE_PATH = file_download_path("{extension_id}")


def api_routes(backend: ElasticBackend) -> list[BaseRoute]:
    """The `/api/v1/deployments/extensions...` routes, served from `backend`."""
    api = ElasticResponses(backend)
    table = [
        (EXTENSIONS_PATH, "GET", api.list_extensions),
        (EXTENSIONS_PATH, "POST", api.create_extension),
        (EXTENSION_PATH, "GET", api.get_extension),
        (EXTENSION_PATH, "POST", api.update_extension),
        (EXTENSION_PATH, "PUT", api.upload_extension),
        (EXTENSION_PATH, "DELETE", api.delete_extension),
    ]
    return [Route(path, api.authenticated(handler), methods=[method]) for path, method, handler in table]


def admin_routes(backend: ElasticBackend) -> list[BaseRoute]:
    """The `/_emulator/elastic/...` routes: deployments that reference extensions, file downloads."""
    api = ElasticResponses(backend)
    table = [
        (ADMIN_DEPLOYMENTS_PATH, "POST", api.create_deployment),
        (ADMIN_DEPLOYMENT_PATH, "PUT", api.update_deployment),
        (ADMIN_DEPLOYMENT_PATH, "DELETE", api.delete_deployment),
    ]
    return [
        *(Route(path, api.rendering_errors(handler), methods=[method]) for path, method, handler in table),
        Route(ADMIN_FILE_PATH, api.download_file, methods=["GET"]),
    ]
