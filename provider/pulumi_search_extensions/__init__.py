"""Pulumi resources for Coveo indexing pipeline extensions and Elastic Cloud custom extensions.

    from pulumi_search_extensions import CoveoExtension, ElasticExtension

Everything else in the package is private. Names are imported on first use, so importing the package
costs almost nothing until a resource is actually declared (the Pulumi SDK alone takes ~0.25 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AmbiguousCreateError",
    "ApiError",
    "CoveoExtension",
    "CoveoExtensionArgs",
    "CoveoExtensionError",
    "CoveoSourceExtensions",
    "CoveoSourceExtensionsArgs",
    "ElasticExtension",
    "ElasticExtensionArgs",
    "ElasticExtensionError",
]

_EXPORTS = {
    "AmbiguousCreateError": "._create",
    "ApiError": "._http",
    "CoveoExtensionError": ".coveo.errors",
    "CoveoExtension": ".coveo.extension",
    "CoveoExtensionArgs": ".coveo.extension",
    "CoveoSourceExtensions": ".coveo.source_extensions",
    "CoveoSourceExtensionsArgs": ".coveo.source_extensions",
    "ElasticExtension": ".elastic.extension",
    "ElasticExtensionArgs": ".elastic.extension",
    "ElasticExtensionError": ".elastic.extension_provider.errors",
}

if TYPE_CHECKING:
    from ._create import AmbiguousCreateError
    from ._http import ApiError
    from .coveo.errors import CoveoExtensionError
    from .coveo.extension import CoveoExtension, CoveoExtensionArgs
    from .coveo.source_extensions import CoveoSourceExtensions, CoveoSourceExtensionsArgs
    from .elastic.extension import ElasticExtension, ElasticExtensionArgs
    from .elastic.extension_provider.errors import ElasticExtensionError


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
