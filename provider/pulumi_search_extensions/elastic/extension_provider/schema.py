"""The fields of an Elastic extension resource, declared once, and the model <-> props conversions."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..._inputs import is_unknown
from ..client import Extension, ExtensionRequest

EXTENSION_TYPES = ("bundle", "plugin")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
PLUGIN_VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
# A bundle may pin a version or leave its tail open: `*`, `8.*`, `8.11.*`, `8.11.3`.
BUNDLE_VERSION_PATTERN = re.compile(r"\*|\d+\.\*|\d+\.\d+\.\*|\d+\.\d+\.\d+")


@dataclass(frozen=True)
class Property:
    """What a property of the resource is, beyond its name and type (the metadata of its field).

    Attributes:
        replaces: a change needs a new extension.
        secret: a secret in the state, in outputs as in inputs.
        output_only: reported by the service; never an input, never compared by diff.
        argument: a program may set it (False for what check computes, such as the file's hash).
        compared: diff compares it (False for what only matters at creation).
        blank_is_absent: "" means the same as no value.
    """

    replaces: bool = False
    secret: bool = False
    output_only: bool = False
    argument: bool = True
    compared: bool = True
    blank_is_absent: bool = False


def _prop(default: Any = None, **meta: bool) -> Any:
    return field(default=default, metadata={"property": Property(**meta)})


def _output(**meta: bool) -> Any:
    return _prop(output_only=True, argument=False, compared=False, **meta)


@dataclass(frozen=True)
class ExtensionProperties:
    """Every property of an `ElasticExtension`, declared once; the key tuples below follow from it.

    A field's default is what an absent value means (diff compares it, check fills it in).
    """

    # What the service stores, sent in full by create and update (the fields of `ExtensionRequest`).
    name: str | None = _prop()
    # The API ignores a type change: a new one needs a new extension.
    extension_type: str | None = _prop(replaces=True)
    version: str | None = _prop()
    description: str = _prop("")
    download_url: str | None = _prop(blank_is_absent=True)
    # Where the file comes from and what it is: check hashes `file_path` (a changed file plans an update).
    file_path: str | None = _prop(blank_is_absent=True)
    file_sha256: str | None = _prop(argument=False, blank_is_absent=True)
    # Only matters at creation (like Pulumi's `import` option): later changes are ignored.
    adopt_id: str | None = _prop(compared=False, blank_is_absent=True)
    # How to reach the service. `endpoint` is resolved by check (argument, config or environment) and the
    # object lives at one endpoint; credentials are stored only when they were resource arguments.
    endpoint: str | None = _prop(replaces=True)
    api_key: str | None = _prop(secret=True)
    username: str | None = _prop(blank_is_absent=True)
    password: str | None = _prop(secret=True)
    insecure: bool | None = _prop()
    # What the service reports.
    extension_id: str | None = _output()
    url: str | None = _output()
    file_size: int | None = _output()
    file_last_modified: str | None = _output()
    deployments: tuple[str, ...] | None = _output()


def _keys(where: Callable[[Property], bool]) -> tuple[str, ...]:
    return tuple(item.name for item in fields(ExtensionProperties) if where(item.metadata["property"]))


METADATA_KEYS = tuple(item.name for item in fields(ExtensionRequest))
INPUT_KEYS = _keys(lambda prop: not prop.output_only)
OUTPUT_ONLY_KEYS = _keys(lambda prop: prop.output_only)
# The outputs no program sets: `ElasticExtension` registers them empty, the provider fills them.
COMPUTED_KEYS = _keys(lambda prop: not prop.argument)
SECRET_KEYS = _keys(lambda prop: prop.secret)
REPLACE_KEYS = _keys(lambda prop: prop.replaces)
DIFF_KEYS = _keys(lambda prop: prop.compared)
DEFAULTS = {item.name: item.default for item in fields(ExtensionProperties) if item.default is not None}
_BLANK_IS_ABSENT = _keys(lambda prop: prop.blank_is_absent)

DRIFT_MARK = "drifted"


def normalized(key: str, value: Any) -> Any:
    """The value diff compares: an absent value is its default (description ""), a blank URL or path is absent."""
    if is_unknown(value):
        return value
    if value is None and key in DEFAULTS:
        return DEFAULTS[key]
    if key == "insecure":
        return bool(value) if not isinstance(value, str) else value
    if key in _BLANK_IS_ABSENT and value == "":
        return None
    return value


def extension_request(props: Mapping[str, Any]) -> ExtensionRequest:
    """The create/update body declared by checked inputs."""
    return ExtensionRequest(
        name=str(props["name"]),
        extension_type=str(props["extension_type"]),
        version=str(props["version"]),
        description=str(props.get("description") or ""),
        download_url=props.get("download_url") or None,
    )


def has_file_source(props: Mapping[str, Any]) -> bool:
    """Whether the file comes from this program (uploaded `file_path` or fetched `download_url`)."""
    return bool(props.get("file_path") or props.get("download_url"))


def file_drift(recorded: Mapping[str, Any], remote: Extension) -> str | None:
    """A `file_sha256` value that marks the remote file as changed behind Pulumi's back, or None.

    The provider records the file's size and modification date at each upload or fetch; a different
    size or date means someone replaced (or removed) the file. The mark differs from any real hash, so
    the next preview plans a re-upload (or, with `download_url`, a re-fetch). A declared file that the
    service does not hold at all is always drift, even when nothing was recorded (an interrupted upload).
    """
    if not has_file_source(recorded):
        return None
    if remote.file is None:
        return f"{DRIFT_MARK}:none:none"
    size = remote.file.size if remote.file else None
    modified = remote.file.last_modified_date if remote.file else None
    if size == recorded.get("file_size") and modified == recorded.get("file_last_modified"):
        return None
    return f"{DRIFT_MARK}:{size if size is not None else 'none'}:{modified or 'none'}"


def outputs(props: Mapping[str, Any], remote: Extension) -> dict[str, Any]:
    """The outputs: every input as stored, with the service's metadata, plus the output-only fields."""
    outs: dict[str, Any] = {key: props.get(key) for key in INPUT_KEYS}
    outs.update(
        name=remote.name,
        extension_type=remote.extension_type,
        version=remote.version,
        description=remote.description,
        download_url=remote.download_url,
        extension_id=remote.id,
        url=remote.url,
        file_size=remote.file.size if remote.file else None,
        file_last_modified=remote.file.last_modified_date if remote.file else None,
        deployments=list(remote.deployments or ()),
    )
    return outs


def inputs_of(outs: Mapping[str, Any]) -> dict[str, Any]:
    """The input fields of a set of outputs (what refresh reports as the resource's inputs)."""
    return {key: outs.get(key) for key in INPUT_KEYS}
