"""The emulated Elastic Cloud extensions API: `ElasticBackend` (state and rules) and its routes."""

from .models import ElasticApiError, ElasticBackend
from .responses import admin_routes, api_routes

__all__ = ["ElasticApiError", "ElasticBackend", "admin_routes", "api_routes"]
