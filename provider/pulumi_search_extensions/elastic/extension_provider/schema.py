"""The fields of an Elastic extension resource, declared once, and the model <-> props conversions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..._inputs import is_unknown
from ..client import Extension, ExtensionRequest

EXTENSION_TYPES = ("bundle", "plugin")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
PLUGIN_VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
# A bundle may pin a version or leave its tail open: `*`, `8.*`, `8.11.*`, `8.11.3`.
BUNDLE_VERSION_PATTERN = re.compile(r"\*|\d+\.\*|\d+\.\d+\.\*|\d+\.\d+\.\d+")

# What the service stores, sent in full by create and update.
METADATA_KEYS = ("name", "extension_type", "version", "description", "download_url")
# Where the file comes from and what it is: `file_sha256` is computed by check, never an argument.
FILE_KEYS = ("file_path", "file_sha256")
# How to reach the service. `endpoint` is resolved by check (argument, config or environment); the
# credentials are stored only when they were resource arguments (then as secrets).
CONNECTION_KEYS = ("endpoint", "api_key", "username", "password", "insecure")
INPUT_KEYS = (*METADATA_KEYS, *FILE_KEYS, "adopt_id", *CONNECTION_KEYS)
# What the service reports, never compared by diff.
OUTPUT_ONLY_KEYS = ("extension_id", "url", "file_size", "file_last_modified", "deployments")
# The resource's outputs that no program sets: registered empty by `ElasticExtension`, filled by the provider.
COMPUTED_KEYS = ("file_sha256", *OUTPUT_ONLY_KEYS)
# Credentials given as arguments are secrets in the state, in outputs as in inputs.
SECRET_KEYS = ("api_key", "password")

# The API ignores a type change and the object lives at one endpoint: both need a new extension.
REPLACE_KEYS = ("extension_type", "endpoint")
# `adopt_id` only matters at creation (like Pulumi's `import` option): later changes are ignored.
DIFF_KEYS = tuple(key for key in INPUT_KEYS if key != "adopt_id")

DRIFT_MARK = "drifted"


def normalized(key: str, value: Any) -> Any:
    """The value diff compares: an absent description is "", an empty URL or path is absent."""
    if is_unknown(value):
        return value
    if key == "description":
        return value if value is not None else ""
    if key == "insecure":
        return bool(value) if not isinstance(value, str) else value
    if key in ("download_url", "file_path", "file_sha256", "adopt_id", "username") and value == "":
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
