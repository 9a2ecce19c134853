"""Helpers shared by the providers' `check` and `diff`: unknown values, failures, plain-dict conversion."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult
from pulumi.output import Unknown

from ._properties import properties_of

# The wire form of a value not yet known at preview (pulumi.runtime.rpc.UNKNOWN). The dynamic provider host
# deserializes check/diff inputs with keep_unknowns=True, so such values reach the provider as
# `pulumi.output.Unknown` instances, at any depth; the string form is accepted too.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def is_unknown(value: Any) -> bool:
    """True for a value Pulumi does not know yet (preview of a value computed by another resource)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    """True if the value, or anything nested in it, is not known yet."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


def failure(prop: str, reason: str) -> CheckFailure:
    """A check failure whose message names the field; `reason` says what is wrong and how to fix it."""
    return CheckFailure(prop, f"{prop}: {reason}")


_PLAIN_TYPES: dict[Any, str] = {str: "a string", bool: "true or false", int: "a whole number"}


def _plain_type(hint: Any) -> Any:
    """`str`, `bool` or `int` for such a type of the model (optional or not), else None."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kinds = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        hint = kinds[0] if len(kinds) == 1 else None
    return hint if hint in _PLAIN_TYPES else None


def plain_type_failures(model: type, inputs: Mapping[str, Any], failures: Iterable[CheckFailure]) -> list[CheckFailure]:
    """A failure for each sent value not of its plain type in the model (`str`, `bool`, `int`), unless one of
    the resource's own rules, in `failures`, already names the property."""
    named, hints = {existing.property for existing in failures}, typing.get_type_hints(model)
    found = []
    for key, meta in properties_of(model):
        expected, value = _plain_type(hints[key]), inputs.get(key)
        if not meta.sent or meta.output_only or key in named or expected is None or value is None:
            continue
        if not is_unknown(value) and (not isinstance(value, expected) or (expected is int and value is True)):
            found.append(failure(key, f"must be {_PLAIN_TYPES[expected]}, got {value!r}"))
    return found


ECHO_LIMIT = 80
"""Longest value (in characters) the engine may print next to a check failure (see `without_long_values`)."""


def _long(value: Any) -> bool:
    text = value if isinstance(value, str) else repr(value)
    return len(text) > ECHO_LIMIT


def without_long_values(result: CheckResult, news: Mapping[str, Any]) -> CheckResult:
    """`result` with each failure on an input longer than `ECHO_LIMIT` reported without a property name.

    The engine prints a failure on a property as `property <name> value {<the whole value>} has a problem:
    <reason>`, so a 300-line script would be echoed before its one-line message. A failure without a property
    is printed as `has a problem: <reason>`; our reasons start with the field's name, so nothing is lost.
    """
    failures = [
        CheckFailure("", f.reason) if f.property and _long(news.get(f.property)) else f for f in result.failures
    ]
    return CheckResult(result.inputs, failures)


def changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any], keys: Iterable[str]) -> list[str]:
    """The keys among `keys` whose known new value differs from the old one (unknown counts as changed)."""
    return [k for k in keys if contains_unknown(news.get(k)) or olds.get(k) != news.get(k)]
