"""Property values between the engine (camelCase `PropertyValue`s) and the operations (snake_case plain values).

The conversion follows the typed model: the properties of a dataclass are renamed, the keys of a map
(parameters, item types) and of an untyped value (`status`, `previous_map`) are kept as they are. A value the
engine does not know yet arrives, and goes back, as the `UNKNOWN` string the operations already understand.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue

from .._inputs import UNKNOWN, is_unknown
from .._properties import camel

Hint = Any
"""A resolved type of the models (`str`, `list[str]`, a dataclass, `X | None`, ...)."""


@functools.cache
def hints(model: type) -> dict[str, Hint]:
    """The resolved type of each property of a typed model (a dataclass)."""
    return typing.get_type_hints(model)


@functools.cache
def python_names(model: type) -> dict[str, str]:
    """The Python name of each property of a typed model, by its camelCase (schema) name."""
    return {camel(name): name for name in hints(model)}


def unwrap_optional(hint: Hint) -> Hint:
    """`X | None` -> `X`; anything else unchanged."""
    origin: Any = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _is_model(hint: Hint) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def item_type(hint: Hint) -> Hint:
    """The type of the items of a `list[X]` or the values of a `dict[str, X]`; `Any` for anything else."""
    origin: Any = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return Any


def to_plain(value: PropertyValue, hint: Hint = Any) -> Any:
    """A plain Python value of an engine value, shaped by its type in the model."""
    raw = value.value
    hint = unwrap_optional(hint)
    if isinstance(raw, Computed):
        return UNKNOWN
    if raw is None or isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, float):
        return int(raw) if hint is int and raw.is_integer() else raw
    if isinstance(raw, Mapping):
        if _is_model(hint):
            return from_engine(raw, hint)
        return {key: to_plain(entry, item_type(hint)) for key, entry in raw.items()}
    if isinstance(raw, (list, tuple)):
        return [to_plain(entry, item_type(hint)) for entry in raw]
    return raw  # assets, archives and resource references: no property of ours has one


def from_engine(values: Mapping[str, PropertyValue], model: type) -> dict[str, Any]:
    """The snake_case props of an engine property map of `model`; properties it does not know are dropped."""
    types_of = hints(model)
    by_camel = python_names(model)
    return {by_camel[key]: to_plain(value, types_of[by_camel[key]]) for key, value in values.items() if key in by_camel}


def to_value(value: Any, hint: Hint = Any) -> PropertyValue:
    """An engine value of a plain Python value, shaped by its type in the model."""
    hint = unwrap_optional(hint)
    if is_unknown(value) or isinstance(value, Unknown):
        return PropertyValue(UNKNOWN)  # the SDK marshals no `Computed`: the wire form is this string
    if value is None or isinstance(value, (bool, str)):
        return PropertyValue(value)
    if isinstance(value, (int, float)):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        if _is_model(hint):
            return PropertyValue(to_engine(value, hint))
        return PropertyValue({str(key): to_value(entry, item_type(hint)) for key, entry in value.items()})
    if isinstance(value, (list, tuple)):
        return PropertyValue([to_value(entry, item_type(hint)) for entry in value])
    raise TypeError(f"a value of type {type(value).__name__} cannot be sent to the engine")


def to_engine(props: Mapping[str, Any], model: type, secrets: frozenset[str] = frozenset()) -> dict[str, PropertyValue]:
    """The camelCase engine property map of snake_case `props` of `model`; `secrets` are marked secret."""
    types_of = hints(model)
    return {
        camel(name): to_value(value, types_of.get(name, Any)).with_secret(name in secrets)
        for name, value in props.items()
    }


def secret_names(values: Mapping[str, PropertyValue], model: type) -> frozenset[str]:
    """The snake_case names of the properties the engine sent as (or containing) secrets."""
    by_camel = python_names(model)
    return frozenset(by_camel[key] for key, value in values.items() if key in by_camel and value.contains_secret())
