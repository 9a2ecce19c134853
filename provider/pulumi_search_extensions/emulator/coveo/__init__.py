"""The emulated Coveo Extension API and Source API extension map.

`models.py` holds the state and rules (`CoveoBackend`), `exceptions.py` the errors and their
shape, `responses.py` the HTTP side (parse, call the backend, render) and `urls.py` the routes.
"""

from .exceptions import CoveoApiError
from .models import CoveoBackend
from .urls import admin_routes, api_routes

__all__ = ["CoveoApiError", "CoveoBackend", "admin_routes", "api_routes"]
