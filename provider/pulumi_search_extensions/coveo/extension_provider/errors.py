"""Turning CoveoExtension failures into one message that says what happened and what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..._http import ApiError
from .. import errors

P = ParamSpec("P")
R = TypeVar("R")

PRIVILEGE = "Extensions View/Edit/Create (INDEXING_PIPELINE_EXTENSION)"


class CoveoExtensionError(Exception):
    """A CoveoExtension operation failed; the message alone tells the user what to fix."""


def explain(exc: ApiError) -> str:
    """The API error plus the likely fix (see `coveo.errors.explain`)."""
    return errors.explain(exc, PRIVILEGE)


def clear_errors(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates an operation: API and settings failures become one `CoveoExtensionError`."""
    return errors.clear_errors(action, CoveoExtensionError, PRIVILEGE)
