"""Which route template (`/rest/organizations/{organizationId}/...`) serves a request.

Fault rules and the request log speak in templates, not in raw paths, so that one rule or one
count covers every extension id.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Scope


class RouteResolver:
    """Finds the route template of a request among the app's routes."""

    CACHE_SIZE = 4096

    def __init__(self, routes: list[BaseRoute]) -> None:
        self._routes = routes
        # Matching walks every route's regex; clients repeat the same paths, so remember them.
        self._cache: dict[tuple[str, str], str | None] = {}

    def template(self, scope: Scope) -> str | None:
        """The template of the route serving the request (a method mismatch still names it)."""
        key = (scope["method"], scope["path"])
        if key not in self._cache:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = self._search(self._routes, scope, "")
        return self._cache[key]

    def _search(self, routes: list[BaseRoute], scope: Scope, prefix: str) -> str | None:
        partial: str | None = None
        for route in routes:
            match, child_scope = route.matches(scope)
            if match is Match.NONE:
                continue
            if isinstance(route, Mount):
                found = self._search(list(route.routes), {**scope, **child_scope}, prefix + route.path)
                if found is not None:
                    return found
            elif isinstance(route, Route):
                if match is Match.FULL:
                    return prefix + route.path
                partial = partial or prefix + route.path
        return partial
