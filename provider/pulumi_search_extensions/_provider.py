"""The one shape of every provider in this package: stack config in process memory, one module per operation.

A resource's provider package (`<vendor>/<resource>_provider/`) holds `check.py`, `diff.py`, `create.py`,
`read.py`, `update.py` and `delete.py`, each with one function of the same name and the signature below,
and a `provider.py` that lists them in an `Operations` and subclasses `OperationsProvider`.

The provider instance holds no state: dill pickles it into the Pulumi state of every resource (by reference
to its class, so a provider class keeps its module path across releases), so credentials, settings and HTTP
sessions are resolved inside the provider process, from `configure()` and at call time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from ._inflight import operation_in_flight
from ._inputs import without_long_values
from ._process_hooks import exit_quietly_when_cancelled, short_errors_in_provider_host
from ._settings import remember_stack_config

Props = dict[str, Any]


def _no_warnings(_inputs: Props) -> list[str]:
    return []


class Changes(DiffResult):
    """What a diff found, by property: the dynamic provider host reads it as the `DiffResult` it is, the
    provider plugin as a detailed diff (which property changes, and which of them replaces).

    Attributes:
        updates: properties whose change is applied in place (those that replace are in `replaces` only).
    """

    def __init__(self, updates: Sequence[str], replaces: Sequence[str], *, delete_before_replace: bool) -> None:
        super().__init__(
            changes=bool(updates or replaces),
            replaces=list(replaces),
            stables=[],
            delete_before_replace=delete_before_replace,
        )
        self.updates = [key for key in updates if key not in replaces]


@dataclass(frozen=True)
class Operations:
    """The six operations of one resource, each a function in its own module of the provider package."""

    check: Callable[[Props, Props], CheckResult]
    """(olds, news): validates and normalizes the inputs without any API call."""
    diff: Callable[[str, Props, Props], Changes]
    """(id, olds, news): what changes, and whether it replaces."""
    create: Callable[[Props], CreateResult]
    """(props): creates the remote object, leaving nothing behind on failure."""
    read: Callable[[str, Props], ReadResult]
    """(id, props): the object as the service has it now; no id when it is gone."""
    update: Callable[[str, Props, Props], UpdateResult]
    """(id, olds, news): applies the declared state in place."""
    delete: Callable[[str, Props], None]
    """(id, props): deletes the object; already gone counts as deleted."""
    preview_warnings: Callable[[Props], list[str]] = _no_warnings
    """(inputs): what the user should hear at preview about legal inputs, one message each. Both ways in show
    them on the resource: the plugin from `check`, the dynamic resources from their constructor (the dynamic
    provider host is told no resource name, so a warning from its `check` could name none)."""

    @classmethod
    def of(cls, package: str | None) -> Operations:
        """The operations of a provider package: the function named like each module (`check.check`, ...), and
        `check.preview_warnings` when the resource has some."""
        if not package:
            raise ValueError("give the provider package's __package__")
        module = {name: importlib.import_module(f"{package}.{name}") for name in _OPERATIONS}
        found = {name: getattr(module[name], name) for name in _OPERATIONS}
        return cls(**found, preview_warnings=getattr(module["check"], "preview_warnings", _no_warnings))


_OPERATIONS = ("check", "diff", "create", "read", "update", "delete")


class OperationsProvider(ResourceProvider):
    """A dynamic provider that keeps the stack config and hands each call to its resource's operation."""

    operations: ClassVar[Operations]

    def __init__(self) -> None:
        """Made when a program declares a resource (unpickling in the provider host makes none): in a program
        run by the Python language host, a failed step then ends it at once (see `_process_hooks`)."""
        super().__init__()
        exit_quietly_when_cancelled()

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps the stack config in process memory (never on the instance) and shortens our errors."""
        short_errors_in_provider_host()
        remember_stack_config(req.config)

    def check(self, olds: Props, news: Props) -> CheckResult:
        """Validates and normalizes the inputs without any API call."""
        return without_long_values(self.operations.check(olds, news), news)

    def diff(self, id_: str, olds: Props, news: Props) -> DiffResult:
        """Compares the stored outputs with the checked inputs."""
        return self.operations.diff(id_, olds, news)

    def create(self, props: Props) -> CreateResult:
        """Creates (or adopts) the remote object, transactionally."""
        with operation_in_flight():
            return self.operations.create(props)

    def read(self, id_: str, props: Props) -> ReadResult:
        """Reads the remote object as the service has it now; no id when it is gone."""
        with operation_in_flight():
            return self.operations.read(id_, props)

    def update(self, id_: str, olds: Props, news: Props) -> UpdateResult:
        """Applies the declared state and returns the refreshed outputs."""
        with operation_in_flight():
            return self.operations.update(id_, olds, news)

    def delete(self, id_: str, props: Props) -> None:
        """Deletes the remote object; already gone counts as deleted."""
        with operation_in_flight():
            self.operations.delete(id_, props)
