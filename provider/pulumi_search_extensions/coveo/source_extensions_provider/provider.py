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

Its module path is part of every user's state (dill pickles the instance by reference to this class): keep it.
"""

from __future__ import annotations

from ..._provider import Operations, OperationsProvider


class CoveoSourceExtensionsProvider(OperationsProvider):
    """Manages the whole extension map of one Coveo source per resource.

    The instance holds no state: dill pickles it into the Pulumi state of every resource, so credentials and
    settings are resolved inside the provider process, from `configure()` and at call time.
    """

    operations = Operations.of(__package__)
