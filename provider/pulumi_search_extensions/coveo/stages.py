"""Which data streams exist at which stage of Coveo's indexing pipeline, and the warning when they do not.

A pre-conversion extension runs before the item is converted: only the original file (`DOCUMENT_DATA`)
exists then; `BODY_TEXT`, `BODY_HTML`, `BODY_MARKDOWN` and `THUMBNAIL` are made by the conversion
(Coveo documentation "Indexing pipeline extension overview", docs.coveo.com/en/1556, and "Modifying item
bodies", docs.coveo.com/en/2749: a pre-conversion script works on `documentdata`). Post-conversion
extensions see every stream.

The check makes no API call, and both ways in make it (`source_extensions_provider.check.preview_warnings`):

- in a Python program, at preview: `CoveoExtension` remembers the streams it declares under its `extension_id`
  output, and `CoveoSourceExtensions` looks up each extension it applies before conversion;
- through the provider plugin (every language), in `check`: the plugin process remembers the streams of each
  CoveoExtension under its id when it diffs or creates it, so an extension already deployed is checked at
  preview, and a new one at `up` (its id is known once it is created, before the source's `check`).

Streams given as outputs of other resources are not known then and are not checked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

STREAMS_BEFORE_CONVERSION = frozenset({"DOCUMENT_DATA"})

_declared: dict[int, tuple[Any, str, tuple[str, ...]]] = {}
_declared_by_id: dict[str, tuple[str, tuple[str, ...]]] = {}
_lock = threading.Lock()


def remember(extension_id: Any, name: Any, streams: Any) -> None:
    """Records the data streams a CoveoExtension declares, if given as a plain list of names: under its id
    (a string, in the provider process) or its `extension_id` output object (in the program)."""
    if not isinstance(streams, (list, tuple)) or not all(isinstance(s, str) for s in streams):
        return
    with _lock:
        if isinstance(extension_id, str):
            _declared_by_id[extension_id] = (str(name), tuple(streams))
        else:
            # The output object is kept with its id so that the id cannot be reused by another object.
            _declared[id(extension_id)] = (extension_id, str(name), tuple(streams))


def _declared_by(extension_id: Any) -> tuple[str, tuple[str, ...]] | None:
    with _lock:
        if isinstance(extension_id, str):
            return _declared_by_id.get(extension_id)
        found = _declared.get(id(extension_id))
    return (found[1], found[2]) if found is not None and found[0] is extension_id else None


def _extension_id_of(entry: Any) -> Any:
    return entry.get("extension_id") if isinstance(entry, Mapping) else getattr(entry, "extension_id", None)


def pre_conversion_warnings(where: str, entries: Any) -> list[str]:
    """One message per extension in the pre-conversion list `entries` that requires a stream made later."""
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        return []
    messages = []
    for index, entry in enumerate(entries):
        declared = _declared_by(_extension_id_of(entry))
        if declared is None:
            continue
        name, streams = declared
        missing = [s for s in streams if s not in STREAMS_BEFORE_CONVERSION]
        if missing:
            messages.append(
                f"{where}[{index}]: CoveoExtension {name!r} requires {', '.join(missing)}, which does not exist "
                f"yet at pre_conversion (only DOCUMENT_DATA, the original file, does): the script will not get "
                f"{'it' if len(missing) == 1 else 'them'}. Apply it at post_conversion, or make it read "
                "DOCUMENT_DATA and declare only that."
            )
    return messages


def stream_warnings(pre_conversion: Any, item_types: Any) -> list[str]:
    """One message per extension applied before conversion (for all items or per item type) that needs a
    stream made later."""
    lists: Iterable[tuple[str, Any]] = [("pre_conversion", pre_conversion)]
    if isinstance(item_types, Mapping):
        lists = [
            *lists,
            *((f"item_types[{key!r}].pre_conversion", _stage(group)) for key, group in item_types.items()),
        ]
    return [message for where, entries in lists for message in pre_conversion_warnings(where, entries)]


def _stage(group: Any) -> Any:
    if isinstance(group, Mapping):
        return group.get("pre_conversion")
    return getattr(group, "pre_conversion", None)
