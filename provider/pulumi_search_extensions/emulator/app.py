"""The emulator's ASGI application: both backends, the admin API, persistence and faults.

`Emulator(settings)` builds the backends (restoring a saved snapshot when a data directory is
given), composes their routes with the admin routes into one Starlette app and wraps it in the
fault-injection middleware; `Emulator.asgi_app` is what uvicorn serves.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp

from . import (
    DEFAULT_COVEO_ORGANIZATIONS,
    DEFAULT_ELASTIC_API_KEY,
    DEFAULT_ELASTIC_PASSWORD,
    DEFAULT_ELASTIC_UPLOAD_LIMIT_MB,
    DEFAULT_ELASTIC_USERNAME,
    coveo,
    elastic,
)
from .admin import admin_routes
from .errors import EXCEPTION_HANDLERS
from .faults import FaultConfig, FaultInjector
from .middleware import FaultInjectionMiddleware
from .persistence import ELASTIC_FILES_DIR_NAME, SnapshotStore
from .request_log import RequestLog
from .routes import RouteResolver


@dataclass(frozen=True)
class EmulatorSettings:
    """Everything the command line can set (defaults as in docs/ARCHITECTURE.md)."""

    coveo_organizations: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COVEO_ORGANIZATIONS))
    elastic_api_key: str = DEFAULT_ELASTIC_API_KEY
    elastic_mode: str = "ess"
    elastic_username: str = DEFAULT_ELASTIC_USERNAME
    elastic_password: str = DEFAULT_ELASTIC_PASSWORD
    elastic_upload_limit_bytes: int = DEFAULT_ELASTIC_UPLOAD_LIMIT_MB * 1024 * 1024
    data_dir: Path | None = None
    fault_config: FaultConfig = field(default_factory=FaultConfig)
    seed: int | None = None


class Emulator:
    """The parts of one running emulator and the ASGI app that serves them."""

    def __init__(self, settings: EmulatorSettings) -> None:
        self.settings = settings
        self._restoring = False
        self._store = SnapshotStore(settings.data_dir) if settings.data_dir is not None else None
        if settings.data_dir is not None:
            self._files_dir = settings.data_dir / ELASTIC_FILES_DIR_NAME
            self._temporary_files_dir: str | None = None
        else:
            self._temporary_files_dir = tempfile.mkdtemp(prefix="search-extensions-emulator-")
            self._files_dir = Path(self._temporary_files_dir)
        self._files_dir.mkdir(parents=True, exist_ok=True)

        self.coveo = coveo.CoveoBackend(organizations=settings.coveo_organizations, on_change=self.save)
        self.elastic = elastic.ElasticBackend(
            files_dir=self._files_dir,
            mode=settings.elastic_mode,
            api_key=settings.elastic_api_key,
            username=settings.elastic_username,
            password=settings.elastic_password,
            upload_limit_bytes=settings.elastic_upload_limit_bytes,
            on_change=self.save,
        )
        self.injector = FaultInjector(settings.fault_config, default_seed=settings.seed)
        self.request_log = RequestLog()
        self._restore()

        routes = [
            *coveo.api_routes(self.coveo),
            *elastic.api_routes(self.elastic),
            *admin_routes(reset=self.reset, dump=self.dump, injector=self.injector, request_log=self.request_log),
            *coveo.admin_routes(self.coveo),
            *elastic.admin_routes(self.elastic),
        ]
        self.starlette = Starlette(
            routes=routes,
            exception_handlers=EXCEPTION_HANDLERS,
        )
        self.asgi_app: ASGIApp = FaultInjectionMiddleware(
            self.starlette,
            injector=self.injector,
            request_log=self.request_log,
            resolver=RouteResolver(list(self.starlette.routes)),
        )

    def _restore(self) -> None:
        if self._store is None:
            return
        saved = self._store.read()
        if saved is None:
            return
        # A backend may report its own restore as a change; save only once both are back.
        self._restoring = True
        try:
            self.coveo.restore(saved.get("coveo", {}))
            self.elastic.restore(saved.get("elastic", {}))
        finally:
            self._restoring = False

    def snapshot(self) -> dict[str, Any]:
        """Both backends' state, JSON-able."""
        return {"coveo": self.coveo.snapshot(), "elastic": self.elastic.snapshot()}

    def save(self) -> None:
        """Persist the state (a no-op without a data directory)."""
        if self._store is not None and not self._restoring:
            self._store.write(self.snapshot)

    def reset(self) -> None:
        """Forget every extension, source, deployment, file, fault rule and logged request."""
        self.coveo.reset()
        self.elastic.reset()
        self.injector.clear()
        self.request_log.clear()
        self.save()

    def dump(self) -> dict[str, Any]:
        """`GET /_emulator/dump`."""
        return {"coveo": self.coveo.dump(), "elastic": self.elastic.dump()}

    def close(self) -> None:
        """Remove the temporary files directory (in-memory mode only)."""
        if self._temporary_files_dir is not None:
            shutil.rmtree(self._temporary_files_dir, ignore_errors=True)
            self._temporary_files_dir = None
