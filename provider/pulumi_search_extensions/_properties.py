"""A resource's properties declared once: a frozen dataclass whose field metadata says what each property is.

Each provider's `schema.py` declares one `<Resource>Properties` class with a `field(metadata=prop(...))` per
property (argument or output, in Python names). The key lists its operations use (what is sent, what diff
compares, what replaces, what is only an output, which are secret, the defaults `check` fills in) are read off
that class with `names` and `defaults`, so a property is added, or changes kind, in one place. The class is a
declaration: it is never instantiated. The same vocabulary serves every vendor.

Every resource names its key lists the same way, `<what selects them>_FIELDS`: `SENT_FIELDS` (sent),
`KEPT_FIELDS` (kept), `REPLACE_FIELDS` (replaces), `SECRET_FIELDS` (secret), `OUTPUT_ONLY_FIELDS` (output_only),
`INPUT_FIELDS` (input), `COMPARED_FIELDS` (compared), `UPDATE_FIELDS` (declared or credential: a change is an
in-place update), and `DEFAULTS`.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Annotated, Any

NO_DEFAULT: Any = object()
"""The `default` of a property `check` does not fill in."""


@dataclass(frozen=True)
class Property:
    """What one property is.

    Attributes:
        sent: part of the body sent to the service on create and update (so `sent` implies `declared`).
        declared: a field of the remote object the program declares: diff compares it, a change is an update.
        kept: an input that is not part of the remote object, carried from inputs to outputs as given.
        replaces: a change means another remote object: the resource is replaced.
        credential: how the provider signs in: a change calls nothing, but the outputs must follow it (an
            in-place update that only rewrites the state).
        secret: stored only when the program passed it, and then as a secret.
        output_only: never a resource argument: the service's answer, or a value `check` computes (a hash).
        blank_is_absent: "" means the same as no value (an optional URL, path or id).
        default: what `check` fills in when the program leaves the property out (the service's own default).
        local_path: a file of the program, recorded relative to the project's folder (`_paths`) before `check`.
        from_resource_name: what an absent (or blank) value becomes, from the resource's name, before `check`.
    """

    sent: bool = False
    declared: bool = False
    kept: bool = False
    replaces: bool = False
    credential: bool = False
    secret: bool = False
    output_only: bool = False
    blank_is_absent: bool = False
    default: Any = NO_DEFAULT
    local_path: bool = False
    from_resource_name: Callable[[str], str] | None = None

    @property
    def compared(self) -> bool:
        """Whether diff compares it: a change is an update (declared, credential) or a replacement."""
        return self.declared or self.replaces or self.credential

    @property
    def input(self) -> bool:
        """Whether `check` returns it: an argument, or a declared value `check` computes."""
        return self.declared or self.kept or self.replaces or self.credential


def prop(
    *,
    sent: bool = False,
    declared: bool = False,
    kept: bool = False,
    replaces: bool = False,
    credential: bool = False,
    secret: bool = False,
    output_only: bool = False,
    blank_is_absent: bool = False,
    default: Any = NO_DEFAULT,
    local_path: bool = False,
    from_resource_name: Callable[[str], str] | None = None,
) -> dict[str, Property]:
    """The metadata of a field of a properties class: `field(metadata=prop(...))`."""
    meta = Property(
        sent,
        declared or sent,
        kept,
        replaces,
        credential,
        secret,
        output_only,
        blank_is_absent,
        default,
        local_path,
        from_resource_name,
    )
    return {"property": meta}


def properties_of(properties: type) -> list[tuple[str, Property]]:
    """Each property of a properties class, with what it is, in declaration order."""
    return [(f.name, f.metadata["property"]) for f in fields(properties) if "property" in f.metadata]


def names(properties: type, which: Callable[[Property], bool]) -> tuple[str, ...]:
    """The names of the properties `which` selects, in declaration order."""
    return tuple(name for name, meta in properties_of(properties) if which(meta))


def defaults(properties: type) -> dict[str, Any]:
    """What `check` fills in for each property with a default (fresh copies: lists are never shared)."""
    return {
        name: copy.deepcopy(meta.default) for name, meta in properties_of(properties) if meta.default is not NO_DEFAULT
    }


def properties_model(name: str, args: type, outputs: type) -> type:
    """A resource's properties class, from its two typed declarations: the `*Args` dataclass (each argument's
    type, doc and kind, `field(metadata=prop(...))`) and its outputs class (each output's `pulumi.Output[T]`,
    in order; an output that is no argument is output-only, its other kinds in `Annotated[..., prop(...)]`).

    Each property's plain type is its output's `T` (or the model type `Annotated` gives after it, for nested
    objects that Python programs read as dicts): what the plugin's schema and conversions read.
    """
    kinds = {f.name: f.metadata.get("property", Property()) for f in fields(args)}
    missing = set(kinds) - set(typing.get_type_hints(outputs))
    if missing:
        raise TypeError(f"{outputs.__name__} has no output for the arguments {sorted(missing)}")
    declared = []
    for key, hint in typing.get_type_hints(outputs, include_extras=True).items():
        meta, extras = kinds.get(key, Property(output_only=True)), list[Any]()
        if typing.get_origin(hint) is Annotated:
            hint, *extras = typing.get_args(hint)
        (plain,) = typing.get_args(hint)  # pulumi.Output[T] -> T
        for extra in extras:
            meta, plain = (extra["property"], plain) if isinstance(extra, dict) else (meta, extra)
        declared.append((key, plain, field(metadata={"property": meta})))
    return make_dataclass(name, declared, frozen=True)


def camel(name: str) -> str:
    """A Python property name as the schema and Coveo's API spell it: `api_key` -> `apiKey`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
