"""The emulated Coveo Extension API and Source API extension map: `CoveoBackend` and its routes."""

from .models import CoveoApiError, CoveoBackend
from .responses import admin_routes, api_routes

__all__ = ["CoveoApiError", "CoveoBackend", "admin_routes", "api_routes"]
