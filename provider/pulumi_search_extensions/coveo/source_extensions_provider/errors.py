"""Errors of CoveoSourceExtensions: one exception whose message says what to fix, and warnings."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from ..._http import ApiError
from .. import errors
from ..errors import CoveoExtensionError
from .schema import SOURCES_PRIVILEGE

P = ParamSpec("P")
R = TypeVar("R")


class CoveoSourceExtensionsError(CoveoExtensionError):
    """A CoveoSourceExtensions operation failed; the message alone tells the user what to fix.

    A `CoveoExtensionError`: catching that one class catches every Coveo failure.
    """


def warn(message: str) -> None:
    """A warning the engine shows (the provider's stdout reaches it; `pulumi.log` does not)."""
    print(f"warning: {message}", file=sys.stdout, flush=True)


def is_gone(exc: ApiError) -> bool:
    """A 404 about the source (an unknown organization is a configuration problem, not a deletion)."""
    return exc.status == 404 and exc.code != "ORGANIZATION_NOT_FOUND"


def explain(exc: ApiError, props: Mapping[str, Any] | None = None) -> str:
    """The API error plus the likely fix (see `coveo.errors.explain`)."""
    return errors.explain(exc, SOURCES_PRIVILEGE, props)


def clear_errors(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates an operation: API and settings failures become one `CoveoSourceExtensionsError`."""
    return errors.clear_errors(action, CoveoSourceExtensionsError, SOURCES_PRIVILEGE)
