"""The fields of a CoveoExtension, declared once: names, defaults, allowed values, and the mapping between
the resource's properties (snake_case) and Coveo's ExtensionModel (camelCase).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

DATA_STREAMS = ("BODY_TEXT", "BODY_HTML", "THUMBNAIL", "DOCUMENT_DATA", "BODY_MARKDOWN")
API_VERSIONS = ("v1", "v2")
LANGUAGE = "PYTHON3"
DEFAULT_EXECUTION_TIMEOUT = 5  # seconds: the service's own default

DEFAULTS: dict[str, Any] = {
    "description": "",
    "required_data_streams": [],
    "enabled": True,
    "api_version": "v1",
    "execution_timeout": DEFAULT_EXECUTION_TIMEOUT,
}
"""What an absent argument means: the service's own default, so that its echo compares equal."""

MODEL_FIELDS = ("name", "description", "content", "required_data_streams", "api_version")
"""Declared fields sent in the EditExtensionModel of a create or an update."""

DECLARED_FIELDS = (*MODEL_FIELDS, "enabled", "execution_timeout")
"""Every field the program declares about the extension itself (a change is an in-place update)."""

REPLACE_FIELDS = ("organization_id", "host")
"""Where the extension lives: a change means a new extension elsewhere."""

KEPT_INPUTS = ("organization_id", "host", "region", "api_key", "adopt_id")
"""Inputs that are not part of the remote object: carried from inputs to outputs and back as they are."""

OUTPUT_ONLY_FIELDS = ("extension_id", "version_id", "created_date", "last_modified", "status", "used_by")
"""What only the service knows; never the cause of a diff."""


def edit_model(props: Mapping[str, Any]) -> dict[str, Any]:
    """The EditExtensionModel body for the declared (checked) properties."""
    return {
        "name": props["name"],
        "content": props["content"],
        "description": props.get("description", DEFAULTS["description"]),
        "requiredDataStreams": list(props.get("required_data_streams") or []),
        "language": LANGUAGE,
        "apiVersion": props.get("api_version") or DEFAULTS["api_version"],
        "enabled": bool(props.get("enabled", DEFAULTS["enabled"])),
    }


def declared_from_model(model: Mapping[str, Any]) -> dict[str, Any]:
    """The declared fields as the service stores them, normalized like `check` normalizes the program's."""
    timeout = model.get("timeout")
    return {
        "name": model.get("name", ""),
        "description": model.get("description") or "",
        "content": model.get("content") or "",
        "required_data_streams": normalize_streams(model.get("requiredDataStreams") or []),
        "api_version": model.get("apiVersion") or DEFAULTS["api_version"],
        "enabled": bool(model.get("enabled", True)),
        "execution_timeout": int(timeout) if isinstance(timeout, (int, float)) else DEFAULT_EXECUTION_TIMEOUT,
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


def outputs(props: Mapping[str, Any], model: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's outputs: the kept inputs as given, the declared fields as stored, and what only Coveo knows."""
    outs = {key: props[key] for key in KEPT_INPUTS if props.get(key) is not None}
    outs.update(declared_from_model(model))
    outs.update(
        {
            "extension_id": model.get("id"),
            "version_id": model.get("versionId"),
            "created_date": iso_from_epoch_ms(model.get("createdDate")),
            "last_modified": iso_from_epoch_ms(model.get("lastModified")),
            "status": snake_keys(model.get("status") or {}),
            "used_by": snake_keys(model.get("usedBy") or []),
        }
    )
    return outs


def inputs_from_remote(props: Mapping[str, Any], model: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs a refresh records: kept inputs as they were, declared fields as the service now has them.

    A script edited in the console or an extension the service disabled then shows as a diff against the
    program in the next preview.
    """
    inputs = {key: props[key] for key in KEPT_INPUTS if props.get(key) is not None}
    inputs.update(declared_from_model(model))
    return inputs
