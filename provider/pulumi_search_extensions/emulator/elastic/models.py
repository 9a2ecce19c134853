"""State and rules of the emulated Elastic Cloud extensions API, apart from HTTP (moto style).

`ElasticBackend` holds extensions, their files and the deployments that reference them, and
implements one method per API operation, returning frozen records (`ExtensionRecord`,
`DeploymentRecord`) whose `to_api()` is the service's body.  Every rule the service enforces
raises an `ElasticApiError` (`exceptions.py`) carrying the HTTP status and the service's error
elements; `responses.py` only parses requests and renders what this module returns.  The archives
on disk are `files.py`'s job, fetching a download_url is `downloads.py`'s.

Error codes, where the spec and `tests/specs/elastic-extension-api.md` name one, are the
service's own.  Where they are silent the emulator uses codes in the same style:

- `root.unauthorized` (401): missing or wrong credentials (the spec's code for invalid credentials).
- `root.invalid_json_request` (400): a body that is not JSON, not an object, misses a required
  field or has a field of the wrong type or outside its enum.
- `root.invalid_data` (400): a query parameter that cannot be parsed.
- `extensions.invalid_name` / `extensions.invalid_version` / `extensions.invalid_download_url`
  (400): values the service rejects although their JSON type is right.
- `extensions.unauthorised` (403, ESS only): an unknown id.  The spec promises 404
  `extensions.not_found`, but Elastic Cloud (ESS) answers 403 for an id that does not exist or was
  deleted, because it checks ownership before existence; the spec's code for "the extension does
  not belong to you" is `extensions.unauthorised`, so that is what the 403 carries.
- `clusters.invalid_extension_url` / `deployments.deployment_not_found`: emulator-only deployment
  routes, in the style of the service's deployment errors.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import secrets
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from .downloads import downloaded
from .exceptions import ElasticApiError, ErrorElement, request_execution_failed
from .files import FileSink, FileStore, file_download_path

ElasticMode = Literal["ess", "ece"]
ExtensionType = Literal["bundle", "plugin"]

# Lookups that turn a checked string into its Literal type.
EXTENSION_TYPES: dict[str, ExtensionType] = {"bundle": "bundle", "plugin": "plugin"}
ELASTIC_MODES: dict[str, ElasticMode] = {"ess": "ess", "ece": "ece"}
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
PLUGIN_VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
# A bundle may pin a version or leave its tail open: `*`, `8.*`, `8.11.*`, `8.11.3`.
BUNDLE_VERSION_PATTERN = re.compile(r"\*|\d+\.\*|\d+\.\d+\.\*|\d+\.\d+\.\d+")

_SNAPSHOT_FORMAT = 1


def utc_now() -> datetime:
    """The current time in UTC, to the millisecond: what the service prints, and what a snapshot keeps."""
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso_utc(moment: datetime) -> str:
    """`moment` as the service prints it: ISO-8601 UTC with milliseconds and a `Z`."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_iso_utc(text: str) -> datetime:
    """Inverse of `iso_utc` (Python 3.10's `fromisoformat` does not accept a trailing `Z`)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class ResourceStamp:
    """What the `x-cloud-resource-*` headers report about a resource."""

    version: int
    created: datetime
    last_modified: datetime


@dataclass(frozen=True)
class StoredFile:
    """An extension archive kept in the backend's files directory."""

    sha256: str
    size: int
    last_modified: datetime

    def to_snapshot(self) -> dict[str, Any]:
        """JSON-able form for persistence."""
        return {"sha256": self.sha256, "size": self.size, "last_modified": iso_utc(self.last_modified)}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> StoredFile:
        """Inverse of `to_snapshot`."""
        return cls(str(data["sha256"]), int(data["size"]), parse_iso_utc(data["last_modified"]))


@dataclass(frozen=True)
class ExtensionFields:
    """The validated fields of a CreateExtensionRequest or UpdateExtensionRequest (the API's names for the bodies)."""

    name: str
    extension_type: ExtensionType
    version: str
    description: str | None = None
    download_url: str | None = None


@dataclass(frozen=True)
class ExtensionRecord:
    """One extension as the service stores it (immutable: each change makes a new record)."""

    id: str
    name: str
    extension_type: ExtensionType
    version: str
    description: str | None
    download_url: str | None
    stamp: ResourceStamp
    file: StoredFile | None = None

    @property
    def url(self) -> str:
        """The value a deployment plan uses to reference this extension."""
        return f"repo://{self.id}"

    def to_api(self, *, file_url: str | None, deployments: Sequence[str] | None) -> dict[str, Any]:
        """The `Extension` body.

        Like the live service (and unlike the spec, which types them as strings), an unset
        `download_url` and unrequested `deployments` are sent as JSON null.
        """
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "extension_type": self.extension_type,
            "version": self.version,
            "url": self.url,
            "download_url": self.download_url,
            "deployments": None if deployments is None else list(deployments),
        }
        if self.description is not None:
            body["description"] = self.description
        if self.file is not None:
            body["file_metadata"] = {
                "last_modified_date": iso_utc(self.file.last_modified),
                "size": self.file.size,
                "url": file_url,
            }
        return body

    def to_snapshot(self) -> dict[str, Any]:
        """JSON-able form for persistence."""
        return {
            "id": self.id,
            "name": self.name,
            "extension_type": self.extension_type,
            "version": self.version,
            "description": self.description,
            "download_url": self.download_url,
            "resource_version": self.stamp.version,
            "created": iso_utc(self.stamp.created),
            "last_modified": iso_utc(self.stamp.last_modified),
            "file": None if self.file is None else self.file.to_snapshot(),
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> ExtensionRecord:
        """Inverse of `to_snapshot`."""
        stamp = ResourceStamp(
            int(data["resource_version"]), parse_iso_utc(data["created"]), parse_iso_utc(data["last_modified"])
        )
        stored = data.get("file")
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            extension_type=data["extension_type"],
            version=str(data["version"]),
            description=data.get("description"),
            download_url=data.get("download_url"),
            stamp=stamp,
            file=None if stored is None else StoredFile.from_snapshot(stored),
        )


@dataclass(frozen=True)
class DeploymentRecord:
    """A deployment, reduced to what the extensions API cares about: which extensions it uses."""

    id: str
    name: str
    extension_ids: tuple[str, ...]

    def to_api(self) -> dict[str, Any]:
        """The admin API's (and dump's) view of the deployment."""
        return {"id": self.id, "name": self.name, "extension_ids": list(self.extension_ids)}


def parse_extension_request(body: Any, *, check_version: bool = True) -> ExtensionFields:
    """Validate a CreateExtensionRequest / UpdateExtensionRequest body, reporting every problem.

    `check_version=False` leaves the version-for-type rule to the caller: an update checks the
    version against the stored type, since the service ignores a changed `extension_type`.
    """
    if not isinstance(body, dict):
        raise ElasticApiError.single(400, "root.invalid_json_request", "The request body must be a JSON object.")
    problems: list[ErrorElement] = []

    def text_field(name: str, *, required: bool) -> str | None:
        value = body.get(name)
        if value is None:
            if required:
                problems.append(ErrorElement("root.invalid_json_request", f"The field [{name}] is required.", (name,)))
            return None
        if not isinstance(value, str):
            problems.append(ErrorElement("root.invalid_json_request", f"The field [{name}] must be a string.", (name,)))
            return None
        return value

    name = text_field("name", required=True)
    type_text = text_field("extension_type", required=True)
    extension_type = None if type_text is None else EXTENSION_TYPES.get(type_text)
    version = text_field("version", required=True)
    description = text_field("description", required=False)
    download_url = text_field("download_url", required=False)

    if name is not None and not NAME_PATTERN.fullmatch(name):
        problems.append(
            ErrorElement(
                "extensions.invalid_name",
                f"Invalid extension name [{name}]: only ASCII alphanumeric and [_.-] characters allowed.",
                ("name",),
            )
        )
    if type_text is not None and extension_type is None:
        problems.append(
            ErrorElement(
                "root.invalid_json_request",
                f"Invalid extension_type [{type_text}]: expected one of [bundle, plugin].",
                ("extension_type",),
            )
        )
    if check_version and version is not None and extension_type is not None:
        problem = version_problem(version, extension_type)
        if problem is not None:
            problems.append(problem)
    if download_url is not None:
        scheme_and_host = urllib.parse.urlsplit(download_url)
        if scheme_and_host.scheme not in ("http", "https") or not scheme_and_host.hostname:
            problems.append(
                ErrorElement(
                    "extensions.invalid_download_url",
                    f"Invalid download_url [{download_url}]: only http and https URLs are supported.",
                    ("download_url",),
                )
            )
    # A missing required field is always among the problems; the None checks are for the type checker.
    if problems or name is None or extension_type is None or version is None:
        raise ElasticApiError(400, problems)
    return ExtensionFields(name, extension_type, version, description, download_url)


def version_problem(version: str, extension_type: ExtensionType) -> ErrorElement | None:
    """Why `version` is not acceptable for an extension of `extension_type`, or None."""
    if extension_type == "plugin" and not PLUGIN_VERSION_PATTERN.fullmatch(version):
        return ErrorElement(
            "extensions.invalid_version",
            f"Invalid version [{version}]: a plugin needs an exact Elasticsearch version (x.y.z).",
            ("version",),
        )
    if extension_type == "bundle" and not BUNDLE_VERSION_PATTERN.fullmatch(version):
        return ErrorElement(
            "extensions.invalid_version",
            f"Invalid version [{version}]: a bundle needs an Elasticsearch version such as 8.11.3, 8.* or *.",
            ("version",),
        )
    return None


@dataclass
class _State:
    """Everything `reset()` forgets; guarded by the backend's lock."""

    extensions: dict[str, ExtensionRecord] = field(default_factory=dict)
    deployments: dict[str, DeploymentRecord] = field(default_factory=dict)
    # The extension collection's own stamp, reported on list responses.
    collection: ResourceStamp = field(default_factory=lambda: _fresh_stamp(0))


class ElasticBackend:
    """The emulated Elastic Cloud extensions service: extensions, their files, deployments.

    Thread-safe: state changes happen under one lock; slow work (downloads, streaming uploads)
    happens outside it.  `on_change` is called, outside the lock, after every state change.
    """

    def __init__(
        self,
        *,
        files_dir: Path,
        mode: str,
        api_key: str,
        username: str,
        password: str,
        upload_limit_bytes: int,
        on_change: Callable[[], None],
    ) -> None:
        if mode not in ELASTIC_MODES:
            raise ValueError(f"Elastic mode must be 'ess' or 'ece', not {mode!r}")
        self.files_dir = files_dir
        self._files = FileStore(files_dir)
        self.mode = ELASTIC_MODES[mode]
        self.upload_limit_bytes = upload_limit_bytes
        self._api_key = api_key
        self._username = username
        self._password = password
        self._on_change = on_change
        self._lock = threading.Lock()
        self._state = _State()

    # ----------------------------------------------------------------- auth

    def authenticate(self, authorization: str | None) -> None:
        """Accept `ApiKey <key>` (and, in ECE mode, basic auth) or raise 401 `root.unauthorized`."""
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        scheme = scheme.lower()
        credentials = credentials.strip()
        if scheme == "apikey" and _same(credentials, self._api_key):
            return
        if scheme == "basic" and self.mode == "ece" and self._basic_matches(credentials):
            return
        accepted = "ApiKey or basic" if self.mode == "ece" else "ApiKey"
        raise ElasticApiError.single(
            401, "root.unauthorized", f"Credentials were invalid: {accepted} authentication required."
        )

    def _basic_matches(self, credentials: str) -> bool:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, separator, password = decoded.partition(":")
        # `&`, not `and`: both comparisons always run, so timing does not tell which one failed.
        return bool(separator) and _same(username, self._username) & _same(password, self._password)

    # ----------------------------------------------------------- extensions

    def list_extensions(self) -> tuple[list[ExtensionRecord], ResourceStamp]:
        """All extensions in creation order, and the collection's stamp."""
        with self._lock:
            return list(self._state.extensions.values()), self._state.collection

    def get_extension(self, extension_id: str) -> ExtensionRecord:
        """One extension, or the mode's not-found error."""
        with self._lock:
            return self._require(extension_id)

    def deployments_using(self, extension_id: str) -> list[str]:
        """Ids of the deployments that reference the extension (at most 10,000, as the service)."""
        with self._lock:
            return [d.id for d in self._using(extension_id)][:10_000]

    def create_extension(self, request: ExtensionFields) -> ExtensionRecord:
        """Create an extension; with a download_url the file is fetched first.  Blocking."""
        with downloaded(request.download_url, self._files) as fetched, self._lock:
            extension_id = self._new_extension_id()
            record = ExtensionRecord(
                id=extension_id,
                name=request.name,
                extension_type=request.extension_type,
                version=request.version,
                description=request.description,
                download_url=request.download_url,
                stamp=_fresh_stamp(1),
            )
            record = self._stored(record, fetched)
        self._on_change()
        return record

    def update_extension(self, extension_id: str, request: ExtensionFields) -> ExtensionRecord:
        """Replace name, version, description and download_url; the type is kept.  Blocking.

        The service keeps `extension_type` fixed after creation and ignores a changed one without
        an error, so the version is validated against the stored type.  A download_url in the
        request is fetched again: the spec gives update the same "could not download" error as
        create, so the emulator copies the file on every update that carries one.
        """
        current = self.get_extension(extension_id)
        problem = version_problem(request.version, current.extension_type)
        if problem is not None:
            raise ElasticApiError(400, [problem])
        with downloaded(request.download_url, self._files) as fetched, self._lock:
            current = self._require(extension_id)
            record = replace(
                current,
                name=request.name,
                version=request.version,
                description=request.description,
                download_url=request.download_url,
                stamp=_bumped(current.stamp),
            )
            record = self._stored(record, fetched)
        self._on_change()
        return record

    def _stored(self, record: ExtensionRecord, fetched: FileSink | None) -> ExtensionRecord:
        """`record`, with the fetched file if any, kept in the state (the caller holds the lock)."""
        if fetched is not None:
            record = replace(record, file=self._adopt(record.id, fetched))
        self._state.extensions[record.id] = record
        self._touch_collection()
        return record

    def open_upload(self) -> FileSink:
        """A sink for an uploaded file, limited to `upload_limit_bytes`; pass it to `attach_file`."""
        return self._files.new_sink(self.upload_limit_bytes)

    def attach_file(self, extension_id: str, sink: FileSink) -> ExtensionRecord:
        """Make the file received by `sink` the extension's archive (synchronous, as the service)."""
        sink.finish()
        if sink.too_large:
            # The spec lists no 413 for this operation: its only documented refusal of a file is
            # 400 extensions.request_execution_failed ("Could not accept the extensions file").
            raise request_execution_failed(
                f"Could not accept the extensions file: it exceeds the upload limit of "
                f"{self.upload_limit_bytes} bytes. Use download_url for larger files."
            )
        if sink.size == 0:
            raise request_execution_failed("Could not accept the extensions file: the request holds no file.")
        with self._lock:
            current = self._require(extension_id)
            record = replace(
                current,
                stamp=_bumped(current.stamp),
                file=self._adopt(extension_id, sink),
            )
            self._state.extensions[extension_id] = record
            self._touch_collection()
        self._on_change()
        return record

    def delete_extension(self, extension_id: str) -> ExtensionRecord:
        """Delete an extension no deployment uses; returns it with its final stamp."""
        with self._lock:
            current = self._require(extension_id)
            users = self._using(extension_id)
            if users:
                names = ", ".join(deployment.name for deployment in users)
                raise ElasticApiError.single(
                    400,
                    "extensions.extension_in_use",
                    f"Cannot delete extension [{extension_id}]. It is used by deployments [{names}].",
                )
            del self._state.extensions[extension_id]
            self._files.remove(extension_id)
            self._touch_collection()
        self._on_change()
        return replace(current, stamp=_bumped(current.stamp))

    def file_path(self, extension_id: str) -> Path:
        """Where the extension's archive lives (whether or not it exists)."""
        return self._files.path(extension_id)

    def stored_file(self, extension_id: str) -> tuple[Path, StoredFile] | None:
        """The extension's archive and its metadata, or None when there is no such file."""
        with self._lock:
            record = self._state.extensions.get(extension_id)
            if record is None or record.file is None:
                return None
            return self.file_path(extension_id), record.file

    # ---------------------------------------------------------- deployments

    def create_deployment(self, name: Any, extension_ids: Any) -> DeploymentRecord:
        """Create a deployment whose plan references `extension_ids`."""
        with self._lock:
            deployment = DeploymentRecord(uuid.uuid4().hex, *self._deployment_fields(name, extension_ids))
            self._state.deployments[deployment.id] = deployment
        self._on_change()
        return deployment

    def update_deployment(self, deployment_id: str, name: Any, extension_ids: Any) -> DeploymentRecord:
        """Replace a deployment's name and extension references."""
        with self._lock:
            self._require_deployment(deployment_id)
            deployment = DeploymentRecord(deployment_id, *self._deployment_fields(name, extension_ids))
            self._state.deployments[deployment_id] = deployment
        self._on_change()
        return deployment

    def delete_deployment(self, deployment_id: str) -> None:
        """Remove a deployment, releasing its extensions."""
        with self._lock:
            self._require_deployment(deployment_id)
            del self._state.deployments[deployment_id]
        self._on_change()

    # -------------------------------------------------- lifecycle and views

    def reset(self) -> None:
        """Forget every extension, deployment and file."""
        with self._lock:
            self._state = _State()
            self._files.clear()
        self._on_change()

    def snapshot(self) -> dict[str, Any]:
        """All state as JSON-able data (the archives stay in `files_dir`)."""
        with self._lock:
            collection = self._state.collection
            return {
                "format": _SNAPSHOT_FORMAT,
                "collection": {
                    "resource_version": collection.version,
                    "created": iso_utc(collection.created),
                    "last_modified": iso_utc(collection.last_modified),
                },
                "extensions": [record.to_snapshot() for record in self._state.extensions.values()],
                "deployments": [deployment.to_api() for deployment in self._state.deployments.values()],
            }

    def restore(self, data: dict[str, Any]) -> None:
        """Replace all state with a `snapshot()` (not reported through `on_change`: it is a load).

        An empty mapping (a saved state from before the Elastic side existed) means no state.
        """
        if not data:
            with self._lock:
                self._state = _State()
            return
        if data.get("format") != _SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported Elastic snapshot format: {data.get('format')!r}")
        collection = data["collection"]
        state = _State(
            extensions={record.id: record for record in map(ExtensionRecord.from_snapshot, data["extensions"])},
            deployments={
                str(item["id"]): DeploymentRecord(
                    str(item["id"]), str(item["name"]), tuple(map(str, item["extension_ids"]))
                )
                for item in data["deployments"]
            },
            collection=ResourceStamp(
                int(collection["resource_version"]),
                parse_iso_utc(collection["created"]),
                parse_iso_utc(collection["last_modified"]),
            ),
        )
        with self._lock:
            self._state = state

    def dump(self) -> dict[str, Any]:
        """Everything, for `/_emulator/dump`: Extensions with deployments and `file_sha256`.

        `file_metadata.url` is the emulator-relative download path: a dump is not tied to the
        host name a client used.
        """
        with self._lock:
            extensions = []
            for record in self._state.extensions.values():
                body = record.to_api(
                    file_url=file_download_path(record.id),
                    deployments=[d.id for d in self._using(record.id)],
                )
                body["file_sha256"] = None if record.file is None else record.file.sha256
                extensions.append(body)
            return {
                "extensions": extensions,
                "deployments": [deployment.to_api() for deployment in self._state.deployments.values()],
            }

    # ------------------------------------------------------------- helpers

    def _require(self, extension_id: str) -> ExtensionRecord:
        record = self._state.extensions.get(extension_id)
        if record is not None:
            return record
        if self.mode == "ess":
            raise ElasticApiError.single(
                403, "extensions.unauthorised", f"The extension [{extension_id}] does not belong to you."
            )
        raise ElasticApiError.single(404, "extensions.not_found", f"The extension [{extension_id}] does not exist.")

    def _require_deployment(self, deployment_id: str) -> DeploymentRecord:
        deployment = self._state.deployments.get(deployment_id)
        if deployment is None:
            raise ElasticApiError.single(
                404, "deployments.deployment_not_found", f"The deployment [{deployment_id}] does not exist."
            )
        return deployment

    def _deployment_fields(self, name: Any, extension_ids: Any) -> tuple[str, tuple[str, ...]]:
        problems: list[ErrorElement] = []
        if not isinstance(name, str) or not name:
            problems.append(ErrorElement("root.invalid_json_request", "A deployment needs a name.", ("name",)))
        if not isinstance(extension_ids, list) or not all(isinstance(i, str) for i in extension_ids):
            problems.append(
                ErrorElement(
                    "root.invalid_json_request", "extension_ids must be a list of strings.", ("extension_ids",)
                )
            )
        else:
            problems.extend(
                ErrorElement(
                    "clusters.invalid_extension_url",
                    f"The plan references extension [{unknown}], which does not exist.",
                    ("extension_ids",),
                )
                for unknown in extension_ids
                if unknown not in self._state.extensions
            )
        if problems:
            raise ElasticApiError(400, problems)
        return name, tuple(dict.fromkeys(extension_ids))

    def _using(self, extension_id: str) -> list[DeploymentRecord]:
        return [d for d in self._state.deployments.values() if extension_id in d.extension_ids]

    def _new_extension_id(self) -> str:
        # Ten digits, like the service's ids (e.g. "4226448541"), never a leading zero.
        while True:
            candidate = str(1_000_000_000 + secrets.randbelow(9_000_000_000))
            if candidate not in self._state.extensions:
                return candidate

    def _adopt(self, extension_id: str, sink: FileSink) -> StoredFile:
        """Move a received file into place as the extension's archive (call under the lock)."""
        self._files.adopt(extension_id, sink)
        return StoredFile(sink.sha256, sink.size, utc_now())

    def _touch_collection(self) -> None:
        self._state.collection = _bumped(self._state.collection)


def _fresh_stamp(version: int) -> ResourceStamp:
    now = utc_now()
    return ResourceStamp(version, now, now)


def _bumped(stamp: ResourceStamp) -> ResourceStamp:
    return replace(stamp, version=stamp.version + 1, last_modified=utc_now())


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
