"""What CoveoExtension failures mean: the privilege its calls need and the one exception class it raises."""

from __future__ import annotations

from functools import partial

from .. import errors
from ..errors import CoveoExtensionError, is_gone

PRIVILEGE = "Extensions View/Edit/Create (INDEXING_PIPELINE_EXTENSION)"

__all__ = ["PRIVILEGE", "CoveoExtensionError", "describe", "explain", "is_gone"]

describe = partial(errors.describe, privilege=PRIVILEGE)
"""(exc, props=None): the API error plus the likely fix, for messages that say more (see `coveo.errors.describe`)."""

explain = partial(errors.explain, privilege=PRIVILEGE, error=CoveoExtensionError)
"""(exc, props, *, action): the `explain` of `clear_errors`; each operation binds its action."""
