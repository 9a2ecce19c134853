"""The fields of an Elastic extension resource, declared once, and the model <-> props conversions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._inputs import is_unknown
from ..._properties import defaults, names, prop
from ..client import Extension, ExtensionRequest

EXTENSION_TYPES = ("bundle", "plugin")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
PLUGIN_VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
# A bundle may pin a version or leave its tail open: `*`, `8.*`, `8.11.*`, `8.11.3`.
BUNDLE_VERSION_PATTERN = re.compile(r"\*|\d+\.\*|\d+\.\d+\.\*|\d+\.\d+\.\d+")
# What a changed file does: the file is replaced in place (the API keeps the id), or a new extension replaces it.
ON_FILE_CHANGE = ("update", "replace")


def default_extension_name(resource_name: str) -> str:
    """The resource name made valid for the extension name charset (other characters become `-`)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", resource_name) or "extension"


@dataclass(frozen=True)
class ElasticExtensionProperties:
    """Every property of an `ElasticExtension` (its arguments and outputs), declared once; see
    `_properties.Property`. The key tuples below are read off it."""

    # What the service stores, sent in full by create and update (the fields of `ExtensionRequest`).
    name: str = field(metadata=prop(sent=True, from_resource_name=default_extension_name))
    # The API ignores a type change: a new one needs a new extension.
    extension_type: str = field(metadata=prop(sent=True, replaces=True))
    version: str = field(metadata=prop(sent=True))
    description: str = field(metadata=prop(sent=True, default=""))
    download_url: str | None = field(metadata=prop(sent=True, blank_is_absent=True))
    # Where the file comes from and what it is: check hashes `file_path`, and the hash is what diff compares
    # (changed bytes plan an update; the same bytes at another path, in another clone, are no change).
    file_path: str | None = field(metadata=prop(kept=True, blank_is_absent=True, local_path=True))
    file_sha256: str | None = field(metadata=prop(declared=True, output_only=True, blank_is_absent=True))
    # Read by diff from the new inputs: "replace" makes a changed file (its hash, or download_url) a new extension.
    on_file_change: str = field(metadata=prop(kept=True, default="update"))
    # Only matters at creation (like Pulumi's `import` option): later changes are ignored.
    adopt_id: str | None = field(metadata=prop(kept=True, blank_is_absent=True))
    # How to reach the service. `endpoint` is resolved by check (argument, config or environment) and the
    # object lives at one endpoint; credentials are stored only when they were resource arguments.
    endpoint: str = field(metadata=prop(kept=True, replaces=True))
    api_key: str | None = field(metadata=prop(kept=True, credential=True, secret=True))
    username: str | None = field(metadata=prop(kept=True, credential=True, blank_is_absent=True))
    password: str | None = field(metadata=prop(kept=True, credential=True, secret=True))
    insecure: bool | None = field(metadata=prop(kept=True, credential=True))
    # What the service reports.
    extension_id: str = field(metadata=prop(output_only=True))
    url: str = field(metadata=prop(output_only=True))
    file_size: int | None = field(metadata=prop(output_only=True))
    file_last_modified: str | None = field(metadata=prop(output_only=True))
    deployments: list[str] = field(metadata=prop(output_only=True))


SENT_FIELDS = names(ElasticExtensionProperties, lambda p: p.sent)
"""The fields of the create / update body (`ExtensionRequest`): a change of one is a metadata POST."""

INPUT_FIELDS = names(ElasticExtensionProperties, lambda p: p.input)
"""What `check` returns: the arguments, and the file's hash it computes."""

COMPARED_FIELDS = names(ElasticExtensionProperties, lambda p: p.compared)
"""What diff compares: all inputs but `adopt_id` (which only matters at creation) and `file_path` (its bytes are
compared, as `file_sha256`)."""

REPLACE_FIELDS = names(ElasticExtensionProperties, lambda p: p.replaces)
"""A change means a new extension: the type (the API ignores a change), or another installation."""

OUTPUT_ONLY_FIELDS = names(ElasticExtensionProperties, lambda p: p.output_only)
"""The outputs no program sets: `ElasticExtension` registers them empty, the provider fills them."""

FILE_FIELDS = ("file_sha256", "download_url")
"""What a changed file changes: its content's hash (file_path), or where the service fetches it (download_url)."""

SECRET_FIELDS = names(ElasticExtensionProperties, lambda p: p.secret)
"""Secrets in the state, in outputs as in inputs."""

DEFAULTS = defaults(ElasticExtensionProperties)
"""What an absent argument means (description "")."""

_BLANK_IS_ABSENT_FIELDS = names(ElasticExtensionProperties, lambda p: p.blank_is_absent)

DRIFT_MARK = "drifted"


def normalized(key: str, value: Any) -> Any:
    """The value diff compares: an absent value is its default (description ""), a blank URL or path is absent."""
    if is_unknown(value):
        return value
    if value is None and key in DEFAULTS:
        return DEFAULTS[key]
    if key == "insecure":
        return bool(value) if not isinstance(value, str) else value
    if key in _BLANK_IS_ABSENT_FIELDS and value == "":
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
    outs: dict[str, Any] = {key: props.get(key) for key in INPUT_FIELDS}
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
    return {key: outs.get(key) for key in INPUT_FIELDS}
