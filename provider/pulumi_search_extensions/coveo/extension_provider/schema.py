"""The fields of a CoveoExtension, declared once: names, defaults, allowed values, and the mapping between
the resource's properties (snake_case) and Coveo's ExtensionModel (camelCase).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..._properties import defaults, names, prop
from ..client import Extension
from .script import script_of, sha256_text

DATA_STREAMS = ("BODY_TEXT", "BODY_HTML", "THUMBNAIL", "DOCUMENT_DATA", "BODY_MARKDOWN")
API_VERSIONS = ("v1", "v2")
LANGUAGE = "PYTHON3"
DEFAULT_EXECUTION_TIMEOUT = 5  # seconds: the service's own default


@dataclass(frozen=True)
class CoveoExtensionProperties:
    """Every property of a CoveoExtension (its arguments and outputs), declared once; see `_properties.Property`."""

    name: str = field(metadata=prop(sent=True, from_resource_name=str))  # the resource name as it is
    description: str = field(metadata=prop(sent=True, default=""))
    content: str | None = field(metadata=prop())
    """The script inline; exactly one of `content` and `script_path` is declared."""
    script_path: str | None = field(metadata=prop(kept=True, local_path=True))
    """The script as a file: the state keeps the path and the hash, never the text."""
    content_sha256: str = field(metadata=prop(sent=True, output_only=True))
    """The hash of the script, computed by `check`: how the script is compared (it is sent as `content`)."""
    required_data_streams: list[str] = field(metadata=prop(sent=True, default=[]))
    api_version: str = field(metadata=prop(sent=True, default="v1"))
    enabled: bool = field(metadata=prop(declared=True, default=True))
    execution_timeout: int = field(metadata=prop(declared=True, default=DEFAULT_EXECUTION_TIMEOUT))
    adopt_id: str | None = field(metadata=prop(kept=True))
    organization_id: str = field(metadata=prop(kept=True, replaces=True))
    host: str = field(metadata=prop(kept=True, replaces=True))
    """Where the extension lives: with `organization_id`, a change means a new extension elsewhere."""
    region: str | None = field(metadata=prop(kept=True))
    api_key: str | None = field(metadata=prop(kept=True, credential=True, secret=True))
    extension_id: str = field(metadata=prop(output_only=True))
    version_id: str = field(metadata=prop(output_only=True))
    created_date: str = field(metadata=prop(output_only=True))
    last_modified: str = field(metadata=prop(output_only=True))
    status: dict[str, Any] = field(metadata=prop(output_only=True))
    used_by: list[CoveoExtensionUseProperties] = field(metadata=prop(output_only=True))
    tests: list[CoveoExtensionTestProperties] | None = field(metadata=prop())
    """Tests `check` runs on the script with the local runtime at every preview; not part of the extension."""


@dataclass(frozen=True)
class CoveoExtensionUseProperties:
    """A source that runs the extension (an entry of `used_by`)."""

    source_id: str = field(metadata=prop())
    """The id of the source."""
    source_name: str = field(metadata=prop())
    """The name of the source."""


@dataclass(frozen=True)
class CoveoExtensionTestProperties:
    """A test of an extension (an entry of `tests`): a mock document, parameters, and what to expect."""

    name: str = field(metadata=prop())
    document: dict[str, Any] | None = field(metadata=prop(default={}))
    parameters: dict[str, str] | None = field(metadata=prop(default={}))
    stage: str | None = field(metadata=prop(default="post_conversion"))
    expect: CoveoExtensionExpectationProperties | None = field(metadata=prop())


@dataclass(frozen=True)
class CoveoExtensionExpectationProperties:
    """What a test expects of the run (the `expect` of an entry of `tests`)."""

    status: str | None = field(metadata=prop(default="SUCCESS"))
    metadata: dict[str, Any] | None = field(metadata=prop())
    logs: list[str] | None = field(metadata=prop())


DEFAULTS = defaults(CoveoExtensionProperties)
"""What an absent argument means: the service's own default, so that its echo compares equal."""

SENT_FIELDS = names(CoveoExtensionProperties, lambda p: p.sent)
"""Declared fields sent in the EditExtensionModel of a create or an update, the script by its hash: what
is compared with the service's model to decide whether to send one."""

UPDATE_FIELDS = names(CoveoExtensionProperties, lambda p: p.declared or p.credential)
"""In-place changes. A new `api_key` argument changes no remote field, but the stored outputs must follow it."""

SECRET_FIELDS = names(CoveoExtensionProperties, lambda p: p.secret)
"""Secrets in the state, in outputs as in inputs."""

REPLACE_FIELDS = names(CoveoExtensionProperties, lambda p: p.replaces)
"""Where the extension lives: a change means a new extension elsewhere."""

KEPT_FIELDS = names(CoveoExtensionProperties, lambda p: p.kept)
"""Inputs that are not part of the remote object: carried from inputs to outputs and back as they are."""

OUTPUT_ONLY_FIELDS = names(CoveoExtensionProperties, lambda p: p.output_only)
"""What only the service knows (and the script's hash); never the cause of a diff by themselves."""

DROPPED_STATUS_KEYS = ("dailyStatistics",)
"""Parts of the service's `status` not kept in the outputs: the day's execution counters change all the time,
so they would make every `refresh` report a change that is not drift, and every checkpoint rewrite them."""


def edit_model(props: Mapping[str, Any]) -> dict[str, Any]:
    """The EditExtensionModel body for the declared (checked) properties."""
    return {
        "name": props["name"],
        "content": script_of(props),
        "description": props.get("description", DEFAULTS["description"]),
        "requiredDataStreams": list(props.get("required_data_streams") or []),
        "language": LANGUAGE,
        "apiVersion": props.get("api_version") or DEFAULTS["api_version"],
        "enabled": bool(props.get("enabled", DEFAULTS["enabled"])),
    }


def declared_from_model(model: Extension) -> dict[str, Any]:
    """The declared fields as the service stores them, normalized like `check` normalizes the program's; the
    script by its hash (`content_sha256`), never the script itself."""
    return {
        "name": model.name,
        "description": model.description,
        "content_sha256": sha256_text(model.content),
        "required_data_streams": normalize_streams(model.required_data_streams),
        "api_version": model.api_version or DEFAULTS["api_version"],
        "enabled": model.enabled,
        "execution_timeout": int(model.timeout) if model.timeout is not None else DEFAULT_EXECUTION_TIMEOUT,
    }


def normalize_streams(streams: Any) -> list[str]:
    """Required data streams as stored in inputs and outputs: sorted, without duplicates (order has no meaning)."""
    return sorted({str(stream) for stream in streams})


def iso_from_epoch_ms(value: Any) -> str | None:
    """Coveo's epoch-milliseconds dates as ISO-8601 UTC (`2025-01-31T12:00:00.000Z`), None when absent."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    moment = datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_keys(value: Any) -> Any:
    """`value` with every dict key turned from camelCase into snake_case, recursively (Pythonic outputs)."""
    if isinstance(value, Mapping):
        return {_CAMEL_BOUNDARY.sub("_", str(key)).lower(): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


def kept_status(status: Any) -> dict[str, Any]:
    """The service's `status` without the parts not kept in the outputs (see `DROPPED_STATUS_KEYS`)."""
    if not isinstance(status, Mapping):
        return {}
    return {key: value for key, value in status.items() if key not in DROPPED_STATUS_KEYS}


def outputs(props: Mapping[str, Any], model: Extension) -> dict[str, Any]:
    """The resource's outputs: the kept inputs as given, the declared fields as stored, and what only Coveo knows."""
    outs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    outs.update(declared_from_model(model))
    outs.update(
        {
            "extension_id": model.id,
            "version_id": model.version_id,
            "created_date": iso_from_epoch_ms(model.created_date),
            "last_modified": iso_from_epoch_ms(model.last_modified),
            "status": snake_keys(kept_status(model.status)),
            "used_by": [{"source_id": use.source_id, "source_name": use.source_name} for use in model.used_by or ()],
        }
    )
    return outs


def inputs_from_remote(props: Mapping[str, Any], model: Extension) -> dict[str, Any]:
    """The inputs a refresh records: kept inputs as they were, declared fields as the service now has them.

    A script edited in the console or an extension the service disabled then shows as a diff against the
    program in the next preview. The script is recorded the way the program gives it: with `script_path`,
    the path and the service's hash; otherwise the service's text as `content` (the one copy in the state).
    """
    inputs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    inputs.update(declared_from_model(model))
    if not props.get("script_path"):
        inputs["content"] = model.content
    return inputs
