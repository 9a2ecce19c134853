"""The emulated Elastic Cloud extensions API.

`models.py` holds the state and rules (`ElasticBackend`), `exceptions.py` the errors and their
shape, `responses.py` the HTTP side (parse, call the backend, render) and `urls.py` the routes;
`files.py` keeps the archives on disk, `downloads.py` fetches a download_url and `multipart.py`
streams an upload.
"""

from .exceptions import ElasticApiError
from .models import ElasticBackend
from .urls import admin_routes, api_routes

__all__ = ["ElasticApiError", "ElasticBackend", "admin_routes", "api_routes"]
