"""A resource's properties declared once: a frozen dataclass whose field metadata says what each property is.

A provider's `schema.py` declares one `<Resource>Properties` class with a `field(metadata=prop(...))` per
property (argument or output, in Python names); the key lists its operations use (what replaces, what is only
an output, what is carried as given, the defaults `check` fills in) are read off that class, so a new property
is added in one place. The class is a declaration: it is never instantiated.
Nothing here is specific to Coveo.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

NO_DEFAULT: Any = object()
"""The `default` of a property `check` does not fill in."""


@dataclass(frozen=True)
class Property:
    """What one property is.

    Attributes:
        sent: part of the body sent to the service (and compared with its answer to decide whether to send it).
        declared: a field of the remote object the program declares: a change is an in-place update.
        kept: an input carried from inputs to outputs (and back on refresh) as the program gave it.
        replaces: a change means another remote object: the resource is replaced.
        secret: a credential: stored only when the program passed it, and then as a secret.
        output_only: known only once the service answers (or computed by `check`): never a resource argument.
        default: what `check` fills in when the program leaves the property out (the service's own default).
    """

    sent: bool = False
    declared: bool = False
    kept: bool = False
    replaces: bool = False
    secret: bool = False
    output_only: bool = False
    default: Any = NO_DEFAULT


def prop(
    *,
    sent: bool = False,
    declared: bool = False,
    kept: bool = False,
    replaces: bool = False,
    secret: bool = False,
    output_only: bool = False,
    default: Any = NO_DEFAULT,
) -> dict[str, Property]:
    """The metadata of a field of a properties class, `field(metadata=prop(...))` (`sent` implies `declared`)."""
    return {"property": Property(sent, declared or sent, kept, replaces, secret, output_only, default)}


def _props(properties: type) -> list[tuple[str, Property]]:
    return [(f.name, f.metadata["property"]) for f in fields(properties) if "property" in f.metadata]


def names(properties: type, which: Callable[[Property], bool]) -> tuple[str, ...]:
    """The names of the properties `which` selects, in declaration order."""
    return tuple(name for name, meta in _props(properties) if which(meta))


def defaults(properties: type) -> dict[str, Any]:
    """What `check` fills in for each property with a default (fresh copies: lists are never shared)."""
    return {name: copy.deepcopy(meta.default) for name, meta in _props(properties) if meta.default is not NO_DEFAULT}
