"""CoveoExtensionProvider: the dynamic provider of CoveoExtension, one small module per operation.

Its module path is part of every user's state (dill pickles the instance by reference to this class): keep it.
"""

from __future__ import annotations

from ..._provider import Operations, OperationsProvider


class CoveoExtensionProvider(OperationsProvider):
    """Manages one Coveo indexing pipeline extension per resource.

    The instance holds no state: dill pickles it into the Pulumi state of every resource, so credentials,
    settings and HTTP sessions are resolved inside the provider process, from `configure()` and at call time.
    """

    operations = Operations.of(__package__)
