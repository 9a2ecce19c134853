"""What CoveoSourceExtensions failures mean: the privilege its calls need, its exception class, and warnings."""

from __future__ import annotations

from functools import partial

from ... import _warnings
from .. import errors
from ..errors import CoveoExtensionError, is_gone
from .schema import SOURCES_PRIVILEGE

__all__ = ["CoveoSourceExtensionsError", "describe", "explain", "is_gone", "warn"]


class CoveoSourceExtensionsError(CoveoExtensionError):
    """A CoveoSourceExtensions operation failed; the message alone tells the user what to fix.

    A `CoveoExtensionError`: catching that one class catches every Coveo failure.
    """


warn = _warnings.warn
"""(message): a warning the engine shows, through the dynamic provider (stdout) and the plugin (its log)."""


describe = partial(errors.describe, privilege=SOURCES_PRIVILEGE)
"""(exc, props=None): the API error plus the likely fix, for messages that say more (see `coveo.errors.describe`)."""

explain = partial(errors.explain, privilege=SOURCES_PRIVILEGE, error=CoveoSourceExtensionsError)
"""(exc, props, *, action): the `explain` of `clear_errors`; each operation binds its action."""
