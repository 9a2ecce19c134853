"""CoveoSourceExtensionsProvider: the dynamic provider of CoveoSourceExtensions, one small module per operation."""

from .errors import CoveoSourceExtensionsError
from .provider import CoveoSourceExtensionsProvider

__all__ = ["CoveoSourceExtensionsError", "CoveoSourceExtensionsProvider"]
