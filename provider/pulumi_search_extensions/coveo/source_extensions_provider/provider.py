"""CoveoSourceExtensionsProvider: the dynamic provider that owns a Coveo source's whole extension map.

The map (Source API `GET/PUT /rest/organizations/{org}/sources/{sourceId}/extensions`) says which indexing
pipeline extensions a source runs, in which order, in which stage, for all items (`common`) or per item type
(`items`). What the program declares is exactly what the source runs:

- check: every field and every `condition` (in Coveo's condition syntax) is validated without any API call;
  values not known yet at preview pass; an extension listed twice in one stage list prints a warning.
- create: reads the current map (to refuse to overwrite a map someone else configured, or to record it with
  `adopt`), PUTs the declared map, re-reads it; if anything fails after the PUT was sent, the map the
  source had is put back, so a failed create never leaves extensions bound (which would block their deletion).
- read: the map as Coveo has it now; stages changed in the console show as drift.
- update: PUTs the declared map. delete: PUTs an empty map, or the recorded one after `adopt`; a source that
  no longer exists counts as done.
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

from ..._errors import short_errors_in_provider_host
from ..._settings import remember_stack_config
from .check import check_source_extensions
from .create import create_source_extensions
from .delete import delete_source_extensions
from .diff import diff_source_extensions
from .read import read_source_extensions
from .update import update_source_extensions


class CoveoSourceExtensionsProvider(ResourceProvider):
    """Manages the whole extension map of one Coveo source per resource.

    The instance holds no state: dill pickles it into the Pulumi state of every resource, so credentials and
    settings are resolved inside the provider process, from `configure()` and at call time.
    """

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps the stack config (`coveo:*` keys) in process memory for the connection settings."""
        short_errors_in_provider_host()
        remember_stack_config(req.config)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates and normalizes the inputs, conditions included, without any API call."""
        return check_source_extensions(news)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replacement for another source or organization, in-place update for a changed map."""
        return diff_source_extensions(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Applies the declared map to the source, transactionally."""
        return create_source_extensions(props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reads the map as Coveo has it now; no id when the source is gone."""
        return read_source_extensions(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Applies the declared map and returns the refreshed outputs."""
        return update_source_extensions(id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Unwires the extensions (or restores the adopted map)."""
        delete_source_extensions(id_, props)
