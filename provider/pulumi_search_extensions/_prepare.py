"""One preparation of a resource's inputs for both ways in, driven by its properties class.

What happens to the inputs a program gives before `check` sees them: a `from_resource_name` property left out
(or blank) gets its value from the resource's name, a `local_path` is recorded relative to the project's folder
(`_paths`). The dynamic resources' constructors run it (on values that may be Outputs), the plugin's `check`
runs it (on the engine's plain values); the dynamic resources then add what only they need (`dynamic_props`):
secrets wrapped, output-only properties registered empty. The warnings of the inputs come from the operations'
`preview_warnings`, heard the same way by both.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from typing import Any

from ._inputs import is_unknown
from ._properties import names, properties_of


def _recorded(record_path: Callable[[str], str]) -> Callable[[Any], Any]:
    def record(path: Any) -> Any:
        if isinstance(path, (str, os.PathLike)) and str(path).strip() and not is_unknown(path):
            return record_path(os.fspath(path))
        return path  # left for check to name (a blank or wrong value), or not known yet

    return record


def _apply(value: Any, convert: Callable[[Any], Any]) -> Any:
    """`convert` of a plain value, or of an Output's value once it resolves."""
    import pulumi  # the plugin's values are plain

    return value.apply(convert) if isinstance(value, pulumi.Output) else convert(value)


def prepared_inputs(
    model: type, resource_name: str, props: Mapping[str, Any], record_path: Callable[[str], str]
) -> dict[str, Any]:
    """The inputs `check` receives: names from the resource's name, program paths as the state records them."""
    prepared = dict(props)
    for name, meta in properties_of(model):
        value = prepared.get(name)
        if meta.from_resource_name is not None and (value is None or value == ""):
            prepared[name] = meta.from_resource_name(resource_name)
        elif meta.local_path and value is not None:
            prepared[name] = _apply(value, _recorded(record_path))
    return prepared


def dynamic_props(model: type, resource_name: str, args: Any) -> tuple[dict[str, Any], Any]:
    """A dynamic resource's props from its `*Args`, prepared, and the options that keep its secrets secret."""
    import pulumi

    from ._paths import program_path

    arguments = {field.name: getattr(args, field.name) for field in dataclasses.fields(args)}
    props = prepared_inputs(model, resource_name, arguments, program_path)
    secrets = names(model, lambda p: p.secret)
    for key in secrets:
        if props.get(key) is not None:
            props[key] = pulumi.Output.secret(props[key])
    props.update(dict.fromkeys(names(model, lambda p: p.output_only)))
    return props, pulumi.ResourceOptions(additional_secret_outputs=list(secrets))
