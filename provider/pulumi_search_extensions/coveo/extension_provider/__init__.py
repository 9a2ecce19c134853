"""The dynamic provider of CoveoExtension, split per operation (check, diff, create, read, update, delete)."""

from .provider import CoveoExtensionProvider

__all__ = ["CoveoExtensionProvider"]
