"""`ElasticExtensionProvider`: the dynamic provider of `ElasticExtension`, one small module per operation.

The class holds no state: dill pickles the instance into the Pulumi state, so stack config goes to
process memory (`configure`) and clients are built per call inside the provider process.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .._errors import short_errors_in_provider_host
from .._inputs import without_long_values
from .._settings import remember_stack_config
from .operations import check, create, delete, diff, read, update


class ElasticExtensionProvider(ResourceProvider):
    """Manages one Elastic Cloud (or ECE) custom extension: a plugin or bundle, its metadata and file."""

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps the stack config (`ec:apikey`, `ec:endpoint`, ...) for this provider process."""
        short_errors_in_provider_host()
        remember_stack_config(req.config)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates the inputs without calling the API; adds the effective endpoint and the file's hash."""
        return without_long_values(check.check(news), news)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compares the stored outputs with the checked inputs; type or endpoint changes replace."""
        create.note_existing_extension(id_, olds)  # never adopted by a create of this run
        return diff.diff(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Creates (or adopts) the extension and uploads its file; leaves nothing behind on failure."""
        return create.create(props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reads the extension for refresh; reports drift in metadata and file, or that it is gone."""
        return read.read(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Posts changed metadata and re-uploads a changed file."""
        return update.update(id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Deletes the extension; an already deleted one counts as deleted."""
        delete.delete(id_, props)
