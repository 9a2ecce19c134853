"""`ElasticExtensionProvider`: the dynamic provider of `ElasticExtension`, one small module per operation."""

from __future__ import annotations

from ..._provider import Operations, OperationsProvider


class ElasticExtensionProvider(OperationsProvider):
    """Manages one Elastic Cloud (or ECE) custom extension: a plugin or bundle, its metadata and file.

    Stack config (`ec:apikey`, `ec:endpoint`, ...) is kept per provider process by `configure`.
    """

    operations = Operations.of(__package__)
