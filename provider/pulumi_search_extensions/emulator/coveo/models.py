"""State and rules of the emulated Coveo Extension and Source APIs, apart from HTTP.

`CoveoBackend` holds, per organization, the indexing pipeline extensions (with their version
history) and the sources with their extension maps. Each public method is one API operation: it
validates its input, applies the change and returns a record (`ExtensionView`, `ExtensionPage`,
`CompileResult`, ...), a frozen copy taken under the lock whose `to_api()` is Coveo's model; or it
raises `CoveoApiError` (`exceptions.py`) carrying the HTTP status, Coveo error code and message.
`responses.py` renders the records.
"""

from __future__ import annotations

import base64
import copy
import math
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .exceptions import CoveoApiError, invalid_json, invalid_parameter
from .pipeline import Runnable, run_pipeline, run_test

DATA_STREAMS = ("BODY_TEXT", "BODY_HTML", "THUMBNAIL", "DOCUMENT_DATA", "BODY_MARKDOWN")
LANGUAGES = ("PYTHON3",)
API_VERSIONS = ("v1", "v2")
ACTIONS_ON_ERROR = ("REJECT_DOCUMENT", "SKIP_EXTENSION")
EXTENSION_STAGES = ("preConversionExtensions", "postConversionExtensions")
DEFAULT_EXECUTION_TIMEOUT_SECONDS = 5
AUTO_DISABLE_REASON = "The extension was automatically disabled because it timed out too often."

_VERSION_ID_ALPHABET = string.ascii_letters + string.digits + "."
_VERSION_ID_LENGTH = 33  # as in the spec's example `hdJSDb4hTkdnsCynNtF.d657FgLSDydcj`


def now_ms() -> int:
    """The current time in epoch milliseconds (Coveo's date format)."""
    return time.time_ns() // 1_000_000


def new_resource_id(organization_id: str) -> str:
    """An id shaped like Coveo's: `<organizationId>-<26 lowercase base32 characters>`."""
    suffix = base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()
    return f"{organization_id}-{suffix}"


def new_version_id() -> str:
    """A version id shaped like the spec's example (`hdJSDb4hTkdnsCynNtF.d657FgLSDydcj`)."""
    return "".join(secrets.choice(_VERSION_ID_ALPHABET) for _ in range(_VERSION_ID_LENGTH))


@dataclass(frozen=True)
class ExtensionVersion:
    """One saved version of an extension's script."""

    id: str
    last_modified: int
    content: str

    def to_api(self) -> dict[str, Any]:
        """The entry of `GET .../versions`."""
        return {"id": self.id, "lastModified": self.last_modified}


@dataclass
class StoredExtension:
    """An extension as the emulator stores it (field names follow Python, not the wire)."""

    id: str
    name: str
    description: str
    content: str
    language: str
    api_version: str
    required_data_streams: list[str]
    use_vault: bool
    enabled: bool
    groups_that_can_edit: list[dict[str, Any]]
    api_keys_that_can_edit: list[dict[str, Any]]
    project_ids: list[str]
    created_date: int
    last_modified: int
    timeout: int = DEFAULT_EXECUTION_TIMEOUT_SECONDS
    disabled_date: int | None = None
    disabled_reason: str | None = None
    last_auto_disabling_date: int | None = None
    timeout_health_problematic: bool = False
    versions: list[ExtensionVersion] = field(default_factory=list)  # oldest first

    @property
    def version_id(self) -> str:
        """The id of the latest version."""
        return self.versions[-1].id


@dataclass
class StoredSource:
    """A source: only what the extension map needs (id, name and the map itself)."""

    id: str
    name: str
    extensions: dict[str, Any] = field(default_factory=dict)  # normalized SourceExtensionsMap
    items: list[dict[str, Any]] = field(default_factory=list)  # documents pushed through its pipeline


@dataclass
class OrganizationState:
    """Everything one organization holds, in creation order."""

    extensions: dict[str, StoredExtension] = field(default_factory=dict)
    sources: dict[str, StoredSource] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtensionEdit:
    """A validated EditExtensionModel (the body of create and update)."""

    name: str
    content: str
    description: str
    language: str
    api_version: str
    required_data_streams: list[str]
    use_vault: bool
    enabled: bool | None  # None: not given
    groups_that_can_edit: list[dict[str, Any]]
    api_keys_that_can_edit: list[dict[str, Any]]
    project_ids: list[str]


def _optional_string(body: Mapping[str, Any], key: str, default: str) -> str:
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise invalid_parameter(f"'{key}' must be a string.")
    return value


def _optional_bool(body: Mapping[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid_parameter(f"'{key}' must be a boolean.")
    return value


def _optional_list(body: Mapping[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid_parameter(f"'{key}' must be an array.")
    return value


def parse_extension_edit(body: Any) -> ExtensionEdit:
    """Validate an EditExtensionModel body, reporting the first problem as a 400."""
    if not isinstance(body, dict):
        raise invalid_json("The request body must be a JSON object (EditExtensionModel).")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid_parameter("'name' is required and must be a non-blank string.")
    content = body.get("content")
    if not isinstance(content, str):
        raise invalid_parameter("'content' is required and must be a string.")
    language = _optional_string(body, "language", "PYTHON3")
    if language not in LANGUAGES:
        raise invalid_parameter(f"'language' must be one of {', '.join(LANGUAGES)}; got '{language}'.")
    api_version = _optional_string(body, "apiVersion", "v1")
    if api_version not in API_VERSIONS:
        raise invalid_parameter(f"'apiVersion' must be one of {', '.join(API_VERSIONS)}; got '{api_version}'.")
    data_streams = _optional_list(body, "requiredDataStreams")
    for stream in data_streams:
        if stream not in DATA_STREAMS:
            raise invalid_parameter(f"'requiredDataStreams' must only hold {', '.join(DATA_STREAMS)}; got '{stream}'.")
    editors: dict[str, list[dict[str, Any]]] = {}
    for key in ("groupsThatCanEdit", "apiKeysThatCanEdit"):
        entries = _optional_list(body, key)
        if not all(isinstance(entry, dict) for entry in entries):
            raise invalid_parameter(f"'{key}' must be an array of {{id, displayName}} objects.")
        editors[key] = [dict(entry) for entry in entries]
    # projectIds is not part of EditExtensionModel; accepting it is an emulator leniency so that
    # GET /extensions/project has something to filter on.
    project_ids = _optional_list(body, "projectIds")
    if not all(isinstance(project_id, str) for project_id in project_ids):
        raise invalid_parameter("'projectIds' must be an array of strings.")
    return ExtensionEdit(
        name=name,
        content=content,
        description=_optional_string(body, "description", ""),
        language=language,
        api_version=api_version,
        required_data_streams=list(data_streams),
        use_vault=bool(_optional_bool(body, "useVault")),
        enabled=_optional_bool(body, "enabled"),
        groups_that_can_edit=editors["groupsThatCanEdit"],
        api_keys_that_can_edit=editors["apiKeysThatCanEdit"],
        project_ids=list(project_ids),
    )


@dataclass(frozen=True)
class CompileError:
    """Why a script does not compile."""

    type: str
    line: int
    offset: int
    message: str


@dataclass(frozen=True)
class CompileResult:
    """What `POST /extensions/test/compile` reports."""

    error: CompileError | None = None

    def to_api(self) -> dict[str, Any]:
        """The ExtensionCompileResult body."""
        if self.error is None:
            return {"successful": True}
        error = self.error
        return {
            "successful": False,
            "error": {"type": error.type, "line": error.line, "offset": error.offset, "message": error.message},
        }


def compile_python3(code: str) -> CompileResult:
    """Compile a script as Python 3 the way `POST /extensions/test/compile` reports it."""
    try:
        compile(code, "<extension>", "exec", dont_inherit=True)
    except SyntaxError as error:  # includes IndentationError and TabError
        return CompileResult(CompileError(type(error).__name__, error.lineno or 0, error.offset or 0, error.msg))
    except (ValueError, MemoryError, RecursionError) as error:  # e.g. NUL bytes, absurd nesting
        return CompileResult(CompileError(type(error).__name__, 0, 0, str(error)))
    return CompileResult()


def _health(problematic: bool, reason: str) -> dict[str, Any]:
    if problematic:
        return {"healthIndicator": "PROBLEMATIC", "reason": reason}
    return {"healthIndicator": "UNKNOWN", "reason": ""}


@dataclass(frozen=True)
class SourceUse:
    """A source that applies an extension (an entry of `usedBy`)."""

    source_id: str
    source_name: str

    def to_api(self) -> dict[str, str]:
        """The `usedBy` entry."""
        return {"sourceId": self.source_id, "sourceName": self.source_name}


@dataclass(frozen=True)
class ExtensionView:
    """An extension as one answer shows it: copied under the backend's lock, rendered by `to_api()`."""

    id: str
    name: str
    description: str
    content: str
    enabled: bool
    language: str
    api_version: str
    required_data_streams: tuple[str, ...]
    version_id: str
    created_date: int
    last_modified: int
    use_vault: bool
    timeout: int
    project_ids: tuple[str, ...]
    disabled_date: int | None
    disabled_reason: str | None
    last_auto_disabling_date: int | None
    timeout_health_problematic: bool
    used_by: tuple[SourceUse, ...] | None = None  # None: not part of this answer

    @classmethod
    def of(cls, extension: StoredExtension, used_by: list[SourceUse] | None = None) -> ExtensionView:
        """A frozen copy of a stored extension (call under the backend's lock)."""
        return cls(
            id=extension.id,
            name=extension.name,
            description=extension.description,
            content=extension.content,
            enabled=extension.enabled,
            language=extension.language,
            api_version=extension.api_version,
            required_data_streams=tuple(extension.required_data_streams),
            version_id=extension.version_id,
            created_date=extension.created_date,
            last_modified=extension.last_modified,
            use_vault=extension.use_vault,
            timeout=extension.timeout,
            project_ids=tuple(extension.project_ids),
            disabled_date=extension.disabled_date,
            disabled_reason=extension.disabled_reason,
            last_auto_disabling_date=extension.last_auto_disabling_date,
            timeout_health_problematic=extension.timeout_health_problematic,
            used_by=None if used_by is None else tuple(used_by),
        )

    def to_api(self) -> dict[str, Any]:
        """The ExtensionModel (with `usedBy` only when the view has it)."""
        disabled_status: dict[str, Any] = {}
        if not self.enabled:
            disabled_status = {
                "disabledDate": self.disabled_date or self.last_modified,
                "reason": self.disabled_reason or "",
            }
        status: dict[str, Any] = {
            "durationHealth": _health(False, ""),
            "timeoutHealth": _health(self.timeout_health_problematic, "The extension often times out."),
            "dailyStatistics": {
                "averageDurationInSeconds": 0.0,
                "numberOfErrors": 0,
                "numberOfExecutions": 0,
                "numberOfSkips": 0,
                "numberOfTimeouts": 0,
            },
            "disabledStatus": disabled_status,
            "timeoutLikeliness": "HIGH" if self.timeout_health_problematic else "NONE",
        }
        if self.last_auto_disabling_date is not None:
            status["lastAutoDisablingDate"] = self.last_auto_disabling_date
        model: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "content": self.content,
            "enabled": self.enabled,
            "language": self.language,
            "apiVersion": self.api_version,
            "requiredDataStreams": list(self.required_data_streams),
            "versionId": self.version_id,
            "createdDate": self.created_date,
            "lastModified": self.last_modified,
            "status": status,
            "useVault": self.use_vault,
            "timeout": self.timeout,
            "projectIds": list(self.project_ids),
        }
        if self.used_by is not None:
            model["usedBy"] = [use.to_api() for use in self.used_by]
        return model


@dataclass(frozen=True)
class ExtensionPage:
    """One page of extensions (PageModelExtensionModel)."""

    items: tuple[ExtensionView, ...]
    total_entries: int
    total_pages: int

    def to_api(self) -> dict[str, Any]:
        """The PageModelExtensionModel body."""
        return {
            "items": [item.to_api() for item in self.items],
            "totalEntries": self.total_entries,
            "totalPages": self.total_pages,
        }


@dataclass(frozen=True)
class SourceView:
    """A source as the admin API shows it on creation."""

    id: str
    name: str

    def to_api(self) -> dict[str, str]:
        """`{"id", "name"}`."""
        return {"id": self.id, "name": self.name}


def _empty_stages() -> dict[str, list[dict[str, Any]]]:
    return {stage: [] for stage in EXTENSION_STAGES}


def empty_extension_map() -> dict[str, Any]:
    """The extension map of a source nothing was applied to."""
    return {"common": _empty_stages(), "items": {}}


def _referenced_extension_ids(extension_map: Mapping[str, Any]) -> Iterator[str]:
    groups = [extension_map.get("common", {}), *extension_map.get("items", {}).values()]
    for group in groups:
        for stage in EXTENSION_STAGES:
            for entry in group.get(stage, []):
                yield entry["extensionId"]


class CoveoBackend:
    """Every Coveo organization the emulator knows, with their extensions and sources.

    Thread-safe: every operation runs under one re-entrant lock. `on_change` is called after a
    change, once the lock is released (so a persistence callback may snapshot any backend).
    """

    def __init__(self, *, organizations: Mapping[str, str], on_change: Callable[[], None]) -> None:
        if not organizations:
            raise ValueError("at least one Coveo organization is needed")
        self._api_keys = dict(organizations)  # organization id -> API key
        self._on_change = on_change
        self._lock = threading.RLock()
        self._organizations: dict[str, OrganizationState] = {}
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every extension and source (the organizations and keys stay)."""
        with self._lock:
            self._organizations = {org: OrganizationState() for org in self._api_keys}

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-able data (see `restore`)."""
        with self._lock:
            return {
                org: {
                    "extensions": [asdict(extension) for extension in state.extensions.values()],
                    "sources": [asdict(source) for source in state.sources.values()],
                }
                for org, state in self._organizations.items()
            }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Replace the state with a `snapshot()`; organizations no longer configured are dropped."""
        with self._lock:
            self.reset()
            for org, saved in data.items():
                state = self._organizations.get(org)
                if state is None:
                    continue
                for raw in saved.get("extensions", []):
                    fields = dict(raw)
                    fields["versions"] = [ExtensionVersion(**version) for version in fields["versions"]]
                    extension = StoredExtension(**fields)
                    state.extensions[extension.id] = extension
                for raw in saved.get("sources", []):
                    source = StoredSource(**raw)
                    state.sources[source.id] = source

    def dump(self) -> dict[str, Any]:
        """The `coveo` part of `GET /_emulator/dump`: ExtensionModels and sources per organization."""
        with self._lock:
            return {
                org: {
                    "extensions": [
                        ExtensionView.of(extension, self._used_by(state, extension.id)).to_api()
                        for extension in state.extensions.values()
                    ],
                    "sources": [
                        {"id": source.id, "name": source.name, "extensions": self._filled_map(source)}
                        for source in state.sources.values()
                    ],
                }
                for org, state in self._organizations.items()
            }

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Run a mutation under the lock, then report the change (outside the lock)."""
        with self._lock:
            yield
        self._on_change()

    # -- auth --------------------------------------------------------------------------------------

    def authorize(self, organization_id: str, api_key: str | None) -> None:
        """Check a bearer key against an organization: 401 unknown key, 404 org, 403 other org."""
        if not api_key:
            raise CoveoApiError(401, "UNAUTHORIZED", "Missing bearer token in the Authorization header.")
        owner = next((org for org, key in self._api_keys.items() if secrets.compare_digest(key, api_key)), None)
        if owner is None:
            raise CoveoApiError(401, "INVALID_TOKEN", "The access token is invalid or expired.")
        if organization_id not in self._api_keys:
            raise CoveoApiError(404, "ORGANIZATION_NOT_FOUND", f"The organization '{organization_id}' does not exist.")
        if owner != organization_id:
            raise CoveoApiError(
                403,
                "ACCESS_DENIED",
                f"The access token does not grant the privilege INDEXING_PIPELINE_EXTENSION "
                f"in organization '{organization_id}'.",
            )

    # -- lookups -----------------------------------------------------------------------------------

    def _organization(self, organization_id: str) -> OrganizationState:
        state = self._organizations.get(organization_id)
        if state is None:
            raise CoveoApiError(404, "ORGANIZATION_NOT_FOUND", f"The organization '{organization_id}' does not exist.")
        return state

    def _extension(self, organization_id: str, extension_id: str) -> StoredExtension:
        extension = self._organization(organization_id).extensions.get(extension_id)
        if extension is None:
            raise CoveoApiError(404, "EXTENSION_NOT_FOUND", f"The extension '{extension_id}' does not exist.")
        return extension

    def _source(self, organization_id: str, source_id: str) -> StoredSource:
        source = self._organization(organization_id).sources.get(source_id)
        if source is None:
            raise CoveoApiError(404, "SOURCE_NOT_FOUND", f"The source '{source_id}' does not exist.")
        return source

    @staticmethod
    def _used_by(state: OrganizationState, extension_id: str) -> list[SourceUse]:
        return [
            SourceUse(source.id, source.name)
            for source in state.sources.values()
            if extension_id in set(_referenced_extension_ids(source.extensions))
        ]

    # -- extensions --------------------------------------------------------------------------------

    def list_extensions(self, organization_id: str) -> list[ExtensionView]:
        """Every extension of the organization (no `usedBy`), in creation order."""
        with self._lock:
            state = self._organization(organization_id)
            return [ExtensionView.of(extension) for extension in state.extensions.values()]

    def create_extension(self, organization_id: str, body: Any) -> ExtensionView:
        """Create an extension from an EditExtensionModel body."""
        edit = parse_extension_edit(body)
        with self._changing():
            state = self._organization(organization_id)
            created = now_ms()
            extension = StoredExtension(
                id=new_resource_id(organization_id),
                name=edit.name,
                description=edit.description,
                content=edit.content,
                language=edit.language,
                api_version=edit.api_version,
                required_data_streams=edit.required_data_streams,
                use_vault=edit.use_vault,
                enabled=True if edit.enabled is None else edit.enabled,
                groups_that_can_edit=edit.groups_that_can_edit,
                api_keys_that_can_edit=edit.api_keys_that_can_edit,
                project_ids=edit.project_ids,
                created_date=created,
                last_modified=created,
                versions=[ExtensionVersion(id=new_version_id(), last_modified=created, content=edit.content)],
            )
            if not extension.enabled:
                extension.disabled_date = created
            state.extensions[extension.id] = extension
            return ExtensionView.of(extension)

    def get_extension(self, organization_id: str, extension_id: str) -> ExtensionView:
        """One extension, with `usedBy`."""
        with self._lock:
            state = self._organization(organization_id)
            extension = self._extension(organization_id, extension_id)
            return ExtensionView.of(extension, self._used_by(state, extension_id))

    def update_extension(self, organization_id: str, extension_id: str, body: Any) -> ExtensionView:
        """Full replace from an EditExtensionModel; a new version only when the script changes.

        Fields left out take their defaults, except `enabled`, which keeps its current value when
        absent (the service may have auto-disabled the extension meanwhile).
        """
        edit = parse_extension_edit(body)
        with self._changing():
            state = self._organization(organization_id)
            extension = self._extension(organization_id, extension_id)
            before = ExtensionView.of(extension).to_api()
            stamp = now_ms()
            self._set_content(extension, edit.content, stamp)
            extension.name = edit.name
            extension.description = edit.description
            extension.language = edit.language
            extension.api_version = edit.api_version
            extension.required_data_streams = edit.required_data_streams
            extension.use_vault = edit.use_vault
            extension.groups_that_can_edit = edit.groups_that_can_edit
            extension.api_keys_that_can_edit = edit.api_keys_that_can_edit
            extension.project_ids = edit.project_ids
            if edit.enabled is not None:
                self._set_enabled(extension, edit.enabled, None, stamp)
            if ExtensionView.of(extension).to_api() != before:
                extension.last_modified = stamp
            return ExtensionView.of(extension, self._used_by(state, extension_id))

    @staticmethod
    def _set_content(extension: StoredExtension, content: str, stamp: int) -> None:
        if content != extension.content:
            extension.content = content
            extension.versions.append(ExtensionVersion(id=new_version_id(), last_modified=stamp, content=content))

    @staticmethod
    def _set_enabled(extension: StoredExtension, enabled: bool, reason: str | None, stamp: int) -> None:
        if enabled:
            extension.enabled = True
            extension.disabled_date = None
            extension.disabled_reason = None
        elif extension.enabled or reason is not None:
            extension.enabled = False
            extension.disabled_date = stamp
            extension.disabled_reason = reason

    def delete_extension(self, organization_id: str, extension_id: str) -> None:
        """Delete an extension; refused (409 EXTENSION_IN_USE) while a source applies it."""
        with self._changing():
            state = self._organization(organization_id)
            self._extension(organization_id, extension_id)
            used_by = self._used_by(state, extension_id)
            if used_by:
                names = ", ".join(f"{use.source_name} ({use.source_id})" for use in used_by)
                raise CoveoApiError(
                    409,
                    "EXTENSION_IN_USE",
                    f"The extension '{extension_id}' cannot be deleted because it is used by the "
                    f"following sources: {names}.",
                )
            del state.extensions[extension_id]

    def enable_extension(self, organization_id: str, extension_id: str) -> None:
        """Enable an extension (clears `status.disabledStatus`)."""
        with self._changing():
            extension = self._extension(organization_id, extension_id)
            if not extension.enabled:
                stamp = now_ms()
                self._set_enabled(extension, True, None, stamp)
                extension.last_modified = stamp

    def disable_extension(self, organization_id: str, extension_id: str, reason: str | None) -> None:
        """Disable an extension, recording the date and the optional reason."""
        with self._changing():
            extension = self._extension(organization_id, extension_id)
            stamp = now_ms()
            self._set_enabled(extension, False, reason, stamp)
            extension.last_modified = stamp

    def auto_disable_extension(self, organization_id: str, extension_id: str, reason: str | None) -> ExtensionView:
        """What the service does to an extension that keeps timing out (admin operation)."""
        with self._changing():
            state = self._organization(organization_id)
            extension = self._extension(organization_id, extension_id)
            stamp = now_ms()
            self._set_enabled(extension, False, reason or AUTO_DISABLE_REASON, stamp)
            extension.last_auto_disabling_date = stamp
            extension.timeout_health_problematic = True
            return ExtensionView.of(extension, self._used_by(state, extension_id))

    def get_code(self, organization_id: str, extension_id: str) -> str:
        """The script of an extension."""
        with self._lock:
            return self._extension(organization_id, extension_id).content

    def update_code(self, organization_id: str, extension_id: str, code: str) -> ExtensionView:
        """Replace only the script (a new version when it differs)."""
        with self._changing():
            extension = self._extension(organization_id, extension_id)
            if code != extension.content:
                stamp = now_ms()
                self._set_content(extension, code, stamp)
                extension.last_modified = stamp
            return ExtensionView.of(extension)

    def set_timeout(self, organization_id: str, extension_id: str, body: Any) -> None:
        """Store an ExtensionTimeoutModel (`executionTimeout` in seconds, default 5)."""
        if not isinstance(body, dict):
            raise invalid_json("The request body must be a JSON object.")
        seconds = body.get("executionTimeout", DEFAULT_EXECUTION_TIMEOUT_SECONDS)
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
            raise invalid_parameter("'executionTimeout' must be a positive integer (seconds).")
        with self._changing():
            extension = self._extension(organization_id, extension_id)
            if extension.timeout != seconds:
                extension.timeout = seconds
                extension.last_modified = now_ms()

    def list_versions(self, organization_id: str, extension_id: str) -> list[ExtensionVersion]:
        """The versions of an extension, newest first."""
        with self._lock:
            extension = self._extension(organization_id, extension_id)
            return list(reversed(extension.versions))

    def get_version(self, organization_id: str, extension_id: str, version_id: str) -> ExtensionView:
        """The ExtensionModel as of a version: that version's script, id and date."""
        with self._lock:
            extension = self._extension(organization_id, extension_id)
            version = next((v for v in extension.versions if v.id == version_id), None)
            if version is None:
                raise CoveoApiError(
                    404,
                    "EXTENSION_VERSION_NOT_FOUND",
                    f"The version '{version_id}' of extension '{extension_id}' does not exist.",
                )
            current = ExtensionView.of(extension)
            # Only the script, its id and its date are the version's; the rest (the disabled date
            # included, which falls back to the extension's own date) is the extension's today.
            return replace(
                current,
                content=version.content,
                version_id=version.id,
                last_modified=version.last_modified,
                disabled_date=current.disabled_date or current.last_modified,
            )

    def compile_code(self, organization_id: str, body: Any) -> CompileResult:
        """Compile an ExtensionCompileModel's code as Python 3."""
        with self._lock:
            self._organization(organization_id)
        if not isinstance(body, dict):
            raise invalid_json("The request body must be a JSON object.")
        code = body.get("code")
        if not isinstance(code, str):
            raise invalid_parameter("'code' is required and must be a string.")
        language = body.get("language", "PYTHON3")
        if language not in LANGUAGES:
            raise invalid_parameter(f"'language' must be one of {', '.join(LANGUAGES)}; got '{language}'.")
        return compile_python3(code)

    # -- running extensions (the test API and a source's pipeline: see pipeline.py) -------------------

    @staticmethod
    def _runnable(extension: StoredExtension, version_id: str | None) -> Runnable:
        version: ExtensionVersion | None = extension.versions[-1]
        if version_id is not None:
            version = next((v for v in extension.versions if v.id == version_id), None)
            if version is None:
                raise CoveoApiError(
                    404,
                    "EXTENSION_VERSION_NOT_FOUND",
                    f"The version '{version_id}' of extension '{extension.id}' does not exist.",
                )
        assert version is not None  # an extension always has a version
        return Runnable(
            id=extension.id,
            name=extension.name,
            script=version.content,
            enabled=extension.enabled,
            required_data_streams=tuple(extension.required_data_streams),
            api_version=extension.api_version,
            timeout=float(extension.timeout),
        )

    def test_extension(self, organization_id: str, extension_id: str, body: Any) -> dict[str, Any]:
        """`POST .../extensions/{id}/test`: run the stored script (or `versionId`'s) on the mock document."""
        if not isinstance(body, dict):
            raise invalid_json("The request body must be an ExtensionTestModel object.")
        with self._lock:
            runnable = self._runnable(self._extension(organization_id, extension_id), body.get("versionId"))
        language = body.get("language", "PYTHON3")
        if language not in LANGUAGES:
            raise invalid_parameter(f"'language' must be one of {', '.join(LANGUAGES)}; got '{language}'.")
        parameters = body.get("parameters") or {}
        if not isinstance(parameters, dict) or not all(isinstance(v, str) for v in parameters.values()):
            raise invalid_parameter("'parameters' must be an object of string values.")
        try:
            return run_test(runnable, body.get("document") or {}, parameters)
        except ValueError as error:
            raise invalid_parameter(f"{error}.") from None

    def push_document(self, organization_id: str, source_id: str, body: Any) -> dict[str, Any]:
        """Admin: a document through the source's pipeline; the resulting item is kept and returned."""
        if not isinstance(body, dict) or not isinstance(body.get("document", {}), dict):
            raise invalid_json('The request body must be {"document": ExtensionTestDocumentModel, "itemType": ...}.')
        item_type = body.get("itemType")
        if item_type is not None and not isinstance(item_type, str):
            raise invalid_parameter("'itemType' must be a string.")
        with self._lock:
            source = self._source(organization_id, source_id)
            extension_map = self._filled_map(source)
            state = self._organization(organization_id)
            runnables = {
                (entry["extensionId"], entry.get("versionId")): self._runnable(
                    state.extensions[entry["extensionId"]], entry.get("versionId")
                )
                for group in [extension_map["common"], *extension_map["items"].values()]
                for stage in EXTENSION_STAGES
                for entry in group.get(stage, [])
                if entry["extensionId"] in state.extensions
            }
        try:  # the scripts run outside the lock: other calls go on meanwhile
            item = run_pipeline(body.get("document") or {}, item_type, extension_map, runnables)
        except (ValueError, KeyError) as error:
            raise invalid_parameter(f"{error}.") from None
        with self._changing():
            self._source(organization_id, source_id).items.append(item)
        return item

    def list_documents(self, organization_id: str, source_id: str) -> list[dict[str, Any]]:
        """Admin: the items pushed to a source, oldest first (rejected ones marked `rejected`)."""
        with self._lock:
            return copy.deepcopy(self._source(organization_id, source_id).items)

    def page_extensions(
        self,
        organization_id: str,
        *,
        page: int,
        per_page: int,
        filter_text: str | None,
        ids: list[str] | None = None,
        project_id: str | None = None,
    ) -> ExtensionPage:
        """A PageModelExtensionModel, optionally restricted to ids, a project or a name filter."""
        if page < 0:
            raise invalid_parameter("'page' must be zero or more.")
        if per_page < 1:
            raise invalid_parameter("'perPage' must be one or more.")
        with self._lock:
            extensions = list(self._organization(organization_id).extensions.values())
            if ids is not None:
                by_id = {extension.id: extension for extension in extensions}
                extensions = [by_id[extension_id] for extension_id in dict.fromkeys(ids) if extension_id in by_id]
            if project_id is not None:
                extensions = [extension for extension in extensions if project_id in extension.project_ids]
            if filter_text:
                needle = filter_text.casefold()
                extensions = [
                    extension
                    for extension in extensions
                    if needle in extension.name.casefold() or needle in extension.description.casefold()
                ]
            selected = extensions[page * per_page : (page + 1) * per_page]
            return ExtensionPage(
                items=tuple(ExtensionView.of(extension) for extension in selected),
                total_entries=len(extensions),
                total_pages=math.ceil(len(extensions) / per_page),
            )

    # -- sources -----------------------------------------------------------------------------------

    def create_source(self, organization_id: str, name: Any) -> SourceView:
        """Create a source (admin operation: the emulator does not implement the Source API)."""
        if not isinstance(name, str) or not name.strip():
            raise invalid_parameter("'name' is required and must be a non-blank string.")
        with self._changing():
            state = self._organization(organization_id)
            source = StoredSource(id=new_resource_id(organization_id), name=name)
            state.sources[source.id] = source
            return SourceView(source.id, source.name)

    def delete_source(self, organization_id: str, source_id: str) -> None:
        """Delete a source and, with it, its extension map."""
        with self._changing():
            self._source(organization_id, source_id)
            del self._organization(organization_id).sources[source_id]

    def _filled_map(self, source: StoredSource) -> dict[str, Any]:
        filled = empty_extension_map()
        stored = source.extensions
        filled["common"].update(copy.deepcopy(stored.get("common", {})))
        for item_type, group in stored.get("items", {}).items():
            filled["items"][item_type] = {**_empty_stages(), **copy.deepcopy(group)}
        return filled

    def get_source_extensions(self, organization_id: str, source_id: str) -> dict[str, Any]:
        """A source's SourceExtensionsMap as stored, defaults filled in."""
        with self._lock:
            return self._filled_map(self._source(organization_id, source_id))

    def set_source_extensions(self, organization_id: str, source_id: str, body: Any) -> None:
        """Replace a source's SourceExtensionsMap after validating every entry."""
        with self._changing():
            state = self._organization(organization_id)
            source = self._source(organization_id, source_id)
            source.extensions = self._normalize_map(state, body)

    def _normalize_map(self, state: OrganizationState, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid_json("The request body must be a SourceExtensionsMap object.")
        normalized: dict[str, Any] = {}
        common = body.get("common")
        if common is not None:
            normalized["common"] = self._normalize_group(state, common, "common")
        items = body.get("items")
        if items is not None:
            if not isinstance(items, dict):
                raise invalid_parameter("'items' must be an object keyed by item type.")
            normalized["items"] = {
                item_type: self._normalize_group(state, group, f"items.{item_type}")
                for item_type, group in items.items()
            }
        return normalized

    def _normalize_group(self, state: OrganizationState, group: Any, where: str) -> dict[str, Any]:
        if not isinstance(group, dict):
            raise invalid_parameter(f"'{where}' must be a SourceExtensionsModel object.")
        normalized: dict[str, Any] = {}
        for stage in EXTENSION_STAGES:
            entries = group.get(stage)
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise invalid_parameter(f"'{where}.{stage}' must be an array.")
            normalized[stage] = [
                self._normalize_entry(state, entry, f"{where}.{stage}[{index}]") for index, entry in enumerate(entries)
            ]
        return normalized

    @staticmethod
    def _normalize_entry(state: OrganizationState, entry: Any, where: str) -> dict[str, Any]:
        if not isinstance(entry, dict):
            raise invalid_parameter(f"'{where}' must be a SourceExtensionModel object.")
        extension_id = entry.get("extensionId")
        if not isinstance(extension_id, str) or extension_id not in state.extensions:
            raise CoveoApiError(
                400, "INVALID_EXTENSION_ID", f"'{where}.extensionId': the extension '{extension_id}' does not exist."
            )
        action = entry.get("actionOnError", "SKIP_EXTENSION")
        if action not in ACTIONS_ON_ERROR:
            raise invalid_parameter(
                f"'{where}.actionOnError' must be one of {', '.join(ACTIONS_ON_ERROR)}; got '{action}'."
            )
        condition = entry.get("condition", "")
        if not isinstance(condition, str):
            raise invalid_parameter(f"'{where}.condition' must be a string.")
        parameters = entry.get("parameters", {})
        if not isinstance(parameters, dict) or not all(isinstance(v, str) for v in parameters.values()):
            raise invalid_parameter(f"'{where}.parameters' must be an object of string values.")
        normalized: dict[str, Any] = {
            "extensionId": extension_id,
            "actionOnError": action,
            "condition": condition,
            "parameters": dict(parameters),
        }
        version_id = entry.get("versionId")
        if version_id is not None:
            versions = {version.id for version in state.extensions[extension_id].versions}
            if version_id not in versions:
                raise invalid_parameter(f"'{where}.versionId': '{version_id}' is not a version of '{extension_id}'.")
            normalized["versionId"] = version_id
        item_type = entry.get("itemType")
        if item_type is not None:
            if not isinstance(item_type, str):
                raise invalid_parameter(f"'{where}.itemType' must be a string.")
            normalized["itemType"] = item_type
        return normalized
