"""What CoveoSourceExtensions failures mean: the privilege its calls need, its exception class, and warnings."""

from __future__ import annotations

import sys
from functools import partial

from .. import errors
from ..errors import CoveoExtensionError, is_gone
from .schema import SOURCES_PRIVILEGE

__all__ = ["CoveoSourceExtensionsError", "describe", "explain", "is_gone", "warn"]


class CoveoSourceExtensionsError(CoveoExtensionError):
    """A CoveoSourceExtensions operation failed; the message alone tells the user what to fix.

    A `CoveoExtensionError`: catching that one class catches every Coveo failure.
    """


def warn(message: str) -> None:
    """A warning the engine shows (the provider's stdout reaches it; `pulumi.log` does not)."""
    print(f"warning: {message}", file=sys.stdout, flush=True)


describe = partial(errors.describe, privilege=SOURCES_PRIVILEGE)
"""(exc, props=None): the API error plus the likely fix, for messages that say more (see `coveo.errors.describe`)."""

explain = partial(errors.explain, privilege=SOURCES_PRIVILEGE, error=CoveoSourceExtensionsError)
"""(exc, props, *, action): the `explain` of `clear_errors`; each operation binds its action."""
