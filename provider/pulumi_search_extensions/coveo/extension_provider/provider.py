"""CoveoExtensionProvider: the dynamic provider of CoveoExtension, one small module per operation."""

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

from ..._errors import short_errors_in_provider_host
from ..._inputs import without_long_values
from ..._settings import remember_stack_config
from .check import check_extension
from .create import create_extension, note_existing_extension
from .delete import delete_extension
from .diff import diff_extension
from .read import read_extension
from .update import update_extension


class CoveoExtensionProvider(ResourceProvider):
    """Manages one Coveo indexing pipeline extension per resource.

    The instance holds no state: dill pickles it into the Pulumi state of every resource, so credentials,
    settings and HTTP sessions are resolved inside the provider process, from `configure()` and at call time.
    """

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps the stack config (`coveo:*` keys) in process memory for the connection settings."""
        short_errors_in_provider_host()
        remember_stack_config(req.config)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates and normalizes the inputs without any API call."""
        return without_long_values(check_extension(news), news)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replacement for a new organization or host, in-place update for anything else declared."""
        note_existing_extension(id_, olds)  # never adopted by a create of this run
        return diff_extension(id_, olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Creates (or adopts) the extension, transactionally."""
        return create_extension(props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reads the extension as Coveo has it now; no id when it is gone."""
        return read_extension(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Applies the declared state and returns the refreshed outputs."""
        return update_extension(id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Deletes the extension; already gone counts as deleted."""
        delete_extension(id_, props)
