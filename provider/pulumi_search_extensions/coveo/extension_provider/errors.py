"""Turning CoveoExtension failures into one message that says what happened and what to do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from ..._http import ApiError
from .. import errors
from ..errors import CoveoExtensionError

P = ParamSpec("P")
R = TypeVar("R")

PRIVILEGE = "Extensions View/Edit/Create (INDEXING_PIPELINE_EXTENSION)"

__all__ = ["PRIVILEGE", "CoveoExtensionError", "clear_errors", "explain"]


def explain(exc: ApiError, props: Mapping[str, Any] | None = None) -> str:
    """The API error plus the likely fix (see `coveo.errors.explain`)."""
    return errors.explain(exc, PRIVILEGE, props)


def clear_errors(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates an operation: API and settings failures become one `CoveoExtensionError`."""
    return errors.clear_errors(action, CoveoExtensionError, PRIVILEGE)
