"""check: reject bad input before anything is sent (no API call), and complete the inputs.

Completes the inputs with what later steps compare: the effective `endpoint` (so a change of stack
config or environment shows as a replacement) and the SHA-256 of `file_path` (so a changed file shows
as a planned update). Values not known yet at preview pass.
"""

from __future__ import annotations

import os
import urllib.parse
import zipfile
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult

from ..._inputs import UNKNOWN, failure, is_unknown, plain_type_failures
from ..._paths import file_sha256, local_path
from ..._warnings import warn
from .. import archive, connection
from .schema import (
    BUNDLE_VERSION_PATTERN,
    DEFAULTS,
    EXTENSION_TYPES,
    INPUT_FIELDS,
    NAME_PATTERN,
    ON_FILE_CHANGE,
    PLUGIN_VERSION_PATTERN,
    ElasticExtensionProperties,
)

NO_SOURCE_WARNING = (
    "neither download_url nor file_path is set: the extension is created without a file, and a deployment plan "
    "that uses it will fail until a file is uploaded. Set file_path (a local zip) or download_url (a URL Elastic "
    "fetches), unless the file is uploaded some other way (console, ecctl)."
)
"""A warning, not an error: Elastic's API creates an extension without a file (its documented two-step flow
creates the extension, then uploads the file), and a file uploaded outside Pulumi is a legitimate set-up."""


def preview_warnings(inputs: Mapping[str, Any]) -> list[str]:
    """The warning about an extension with no file (none with `adopt_id`); a value not known yet counts as set."""
    if all(inputs.get(key) is None or inputs.get(key) == "" for key in ("download_url", "file_path", "adopt_id")):
        return [NO_SOURCE_WARNING]
    return []


def check(olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
    """Validates the program's inputs `news` and returns them completed with `endpoint` and `file_sha256`.

    `olds` (the previous inputs) play no part: every value is validated as declared now.
    """
    inputs = {key: news.get(key) for key in INPUT_FIELDS}
    inputs.update((key, default) for key, default in DEFAULTS.items() if inputs[key] is None)
    failures: list[CheckFailure] = []
    failures += _metadata_failures(inputs)
    failures += _source_failures(inputs)
    failures += plain_type_failures(ElasticExtensionProperties, inputs, failures)
    failures = _with_archive_failures(inputs, failures)
    try:  # the effective endpoint is recorded: a change of stack config or environment shows as a replacement
        inputs["endpoint"] = connection.resolve_endpoint(inputs)
    except ValueError as exc:
        failures.append(failure("endpoint", f"{exc} (from {connection.ENDPOINT.sources()})"))
    failures += _connection_failures(inputs)
    if not failures:
        inputs["file_sha256"] = _file_sha256(inputs.get("file_path"))
    return CheckResult(inputs, failures)


def _known(value: Any) -> bool:
    return value is not None and not is_unknown(value)


def _metadata_failures(inputs: Mapping[str, Any]) -> list[CheckFailure]:
    failures = []
    name, extension_type, version = inputs.get("name"), inputs.get("extension_type"), inputs.get("version")
    if not is_unknown(name) and (not isinstance(name, str) or not NAME_PATTERN.fullmatch(name)):
        failures.append(
            failure("name", f"{name!r} is not a valid extension name: use only ASCII letters, digits, '_', '.' and '-'")
        )
    if not is_unknown(extension_type) and extension_type not in EXTENSION_TYPES:
        failures.append(failure("extension_type", f"{extension_type!r} is not valid: use 'bundle' or 'plugin'"))
    if is_unknown(version) or is_unknown(extension_type):
        return failures
    if version is None or version == "":
        failures.append(failure("version", "is required: the Elasticsearch version the extension works with"))
    elif not isinstance(version, str):
        failures.append(failure("version", f"{version!r} must be a string such as '8.11.3' or '8.*'"))
    elif extension_type == "plugin" and not PLUGIN_VERSION_PATTERN.fullmatch(version):
        failures.append(
            failure("version", f"{version!r} is not valid for a plugin: give the exact Elasticsearch version x.y.z")
        )
    elif extension_type == "bundle" and not BUNDLE_VERSION_PATTERN.fullmatch(version):
        failures.append(
            failure(
                "version", f"{version!r} is not valid for a bundle: use x.y.z or a wildcard such as 8.*, 8.11.* or *"
            )
        )
    return failures + _on_file_change_failures(inputs)


def _on_file_change_failures(inputs: Mapping[str, Any]) -> list[CheckFailure]:
    value = inputs.get("on_file_change")
    if is_unknown(value) or value in ON_FILE_CHANGE:
        return []
    return [
        failure(
            "on_file_change",
            f"{value!r} is not valid: use 'update' (upload the new file into the same extension) or 'replace' "
            "(a new extension for the new file, the old one deleted once nothing uses it)",
        )
    ]


def _source_failures(inputs: Mapping[str, Any]) -> list[CheckFailure]:
    download_url, file_path = inputs.get("download_url"), inputs.get("file_path")
    if _known(download_url) and download_url and _known(file_path) and file_path:
        return [
            failure(
                "download_url",
                "set either download_url (the service fetches the file) or file_path (the provider uploads it), "
                "not both",
            )
        ]
    if _known(download_url) and download_url != "":
        parts = urllib.parse.urlsplit(str(download_url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return [failure("download_url", f"{download_url!r} is not valid: give an http:// or https:// URL")]
    if _known(file_path) and file_path != "":
        problem = _file_problem(str(file_path), inputs)
        if problem is not None:
            return [failure("file_path", problem)]
    return []


def _file_problem(recorded: str, inputs: Mapping[str, Any]) -> str | None:
    path = local_path(recorded)
    if not os.path.exists(path):
        where = "" if os.path.isabs(recorded) else f" (looked for at {path}, from the project's folder)"
        return f"{recorded!r} does not exist{where}: give the path of the extension's zip file"
    if not os.path.isfile(path):
        return f"{path!r} is not a regular file: give the path of the extension's zip file"
    try:
        with open(path, "rb") as file:
            file.read(1)
    except OSError as exc:
        return f"{path!r} cannot be read ({exc.strerror}): fix its permissions"
    if not zipfile.is_zipfile(path):
        return f"{path!r} is not a zip archive: Elastic extensions are uploaded as .zip files"
    try:
        limit = connection.upload_limit_bytes(inputs)
    except ValueError:
        return None  # reported with the connection settings
    size = os.path.getsize(path)
    if size > limit:
        return (
            f"{path!r} is {size / 1048576:.1f} MB, over the upload limit of {limit / 1048576:.0f} MB: host it and "
            f"use download_url, or raise the limit with stack config {connection.UPLOAD_LIMIT_MB.config_key} "
            f"(or ${connection.UPLOAD_LIMIT_MB.env_vars[0]}) if your subscription allows larger uploads"
        )
    return None


def _with_archive_failures(inputs: Mapping[str, Any], failures: list[CheckFailure]) -> list[CheckFailure]:
    """`failures` plus what `archive.findings` says of a readable `file_path` (its one read per check).

    Errors become failures (one on `version` replaces the plain version failure: it says what the archive
    holds); the rules the documentation only implies are warnings (`_warnings.warn`).
    """
    file_path, extension_type, version = inputs.get("file_path"), inputs.get("extension_type"), inputs.get("version")
    if not (_known(file_path) and file_path) or extension_type not in EXTENSION_TYPES:
        return failures
    if any(existing.property == "file_path" for existing in failures):
        return failures
    try:
        # The recorded path is relative to the project's folder: read where `_file_problem` looked.
        contents = archive.read_archive(local_path(str(file_path)))
    except archive.ArchiveError as exc:
        return [*failures, failure("file_path", f"{file_path!r} cannot be read as a zip archive ({exc}): zip it again")]
    found = archive.findings(
        contents,
        extension_type=str(extension_type),
        version=version if _known(version) and isinstance(version, str) and version else None,
        upload_limit_configured=connection.UPLOAD_LIMIT_MB.resolve(inputs) is not None,
    )
    for warning in (finding for finding in found if not finding.error):
        warn(warning.message)
    errors = [finding for finding in found if finding.error]
    superseded = {finding.field for finding in errors if finding.field == "version"}
    kept = [existing for existing in failures if existing.property not in superseded]
    return kept + [failure(finding.field, finding.reason) for finding in errors]


def _connection_failures(inputs: Mapping[str, Any]) -> list[CheckFailure]:
    failures = []
    problem = connection.credentials_problem(inputs)
    if problem is not None:
        failures.append(failure(*problem))
    settings_problem = connection.http_settings_problem(inputs)
    if settings_problem is not None:
        # Not a resource argument: the message names the stack config key and environment variable.
        failures.append(CheckFailure("", settings_problem))
    return failures


def _file_sha256(file_path: Any) -> Any:
    """Hex SHA-256 of the file, UNKNOWN while the path is unknown, None without a file."""
    if is_unknown(file_path):
        return UNKNOWN
    if not file_path:
        return None
    return file_sha256(str(file_path))
