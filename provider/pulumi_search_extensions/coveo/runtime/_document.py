"""The `document` and `log` an extension script sees: Coveo's Document Python API, over a mock document.

Loaded by the worker process only (standard library only, no import of the package: the worker runs it by
path). It reads the mock document in the shape of the test API (`ExtensionTestDocumentModel`) and writes it
back in that shape, with the extension's additions under its own origin. The rules it follows, and the
choices made where Coveo's documentation is silent, are in docs/ARCHITECTURE.md, "Running extensions".
"""

from __future__ import annotations

import base64
import copy
import gzip
import io
import lzma
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

STAGE_ORIGINS = {"pre_conversion": ("crawler",), "post_conversion": ("crawler", "converter", "mapping")}
"""The stage origins a script sees at each stage, oldest first (the mock's other stage origins do not exist yet)."""

_STAGE_RANK = {"crawler": 0, "converter": 1, "mapping": 2}

STREAM_KEYS = {
    "documentdata": "DOCUMENT_DATA",
    "body_text": "BODY_TEXT",
    "body_html": "BODY_HTML",
    "$thumbnail$": "THUMBNAIL",
    "body_markdown": "BODY_MARKDOWN",
}
"""A script's stream names -> the keys of the test API's data stream sets (and of `requiredDataStreams`)."""

STREAM_NAMES = {key: name for name, key in STREAM_KEYS.items()}

STAGE_STREAMS = {
    "pre_conversion": frozenset({"DOCUMENT_DATA"}),
    "post_conversion": frozenset(STREAM_KEYS.values()),
}
"""What exists at each stage: before processing only the original file; the bodies are made by processing."""

SEVERITIES = ("DEBUG", "DETAIL", "NORMAL", "IMPORTANT", "WARNING", "ERROR", "FATAL", "NOTIFICATION")
LOG_LIMIT = 4096  # characters of log comments per run (Coveo: "about 4K")
TRUNCATED = "truncated..."

IDENTITY_TYPES = {"user": "USER", "group": "GROUP", "virtualgroup": "VIRTUAL_GROUP", "unknown": "UNKNOWN"}
_IDENTITY_TYPE_NAMES = {model: name for name, model in IDENTITY_TYPES.items()}

_DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "ZLIB": zlib.decompress,
    "GZIP": gzip.decompress,
    "LZMA": lzma.decompress,
}


def visible_entries(entries: Iterable[Mapping[str, Any]], stage: str) -> list[Mapping[str, Any]]:
    """The metadata (or data stream) sets a script at `stage` sees, oldest first: the stage's origins in
    stage order, then the others (earlier extensions, a tester's input) as listed."""
    stage_origins = STAGE_ORIGINS[stage]
    visible = [e for e in entries if e.get("origin") in stage_origins or e.get("origin") not in _STAGE_RANK]
    return sorted(visible, key=lambda e: _STAGE_RANK.get(str(e.get("origin")), len(_STAGE_RANK)))


def looked_up(metadata: Iterable[Mapping[str, Any]], name: str, *, stage: str, origin: str) -> list[Any]:
    """What `get_meta_data_value(name)` gives in a document's metadata, for the extension `origin` at
    `stage` (its own origin newest): how a test's expectations are compared after a run."""
    entries = list(metadata)
    ordered = [*visible_entries([e for e in entries if e.get("origin") != origin], stage)]
    ordered += [e for e in entries if e.get("origin") == origin]
    for entry in reversed(ordered):
        values = entry.get("values") or {}
        if name in values:
            value = values[name]
            return copy.deepcopy(value) if isinstance(value, list) else [copy.deepcopy(value)]
    return []


_Info = Mapping[str, str]
"""The `additional_info` of a permission."""


class Rejected(BaseException):
    """Raised by `document.reject()`: the script stops and the item is rejected."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_stream(content: Mapping[str, Any]) -> bytes:
    """The bytes of a `DataStreamContentModel`: UTF-8 text when UNCOMPRESSED, else base64 of compressed bytes."""
    compression = content.get("compressionType") or "UNCOMPRESSED"
    inline = content.get("inlineContent") or ""
    if compression == "UNCOMPRESSED":
        return str(inline).encode("utf-8")
    return _DECOMPRESS[compression](base64.b64decode(inline))


def encode_stream(data: bytes) -> dict[str, str]:
    """A `DataStreamContentModel` for bytes: the text when it is UTF-8, else ZLIB-compressed and base64."""
    try:
        return {"inlineContent": data.decode("utf-8"), "compressionType": "UNCOMPRESSED"}
    except UnicodeDecodeError:
        return {"inlineContent": base64.b64encode(zlib.compress(data)).decode("ascii"), "compressionType": "ZLIB"}


class MetaDataValue:
    """The metadata of one origin: `origin` and `values` (name -> list of values)."""

    def __init__(self, origin: str, values: Mapping[str, Any]) -> None:
        self.origin = origin
        self.values = copy.deepcopy(dict(values))

    def __repr__(self) -> str:
        return f"MetaDataValue(origin={self.origin!r}, values={self.values!r})"


class ReadOnlyBytes(io.BytesIO):
    """A data stream as a script reads it: bytes (`read()`, iteration by lines); writing is refused."""

    def __init__(self, data: bytes, name: str, origin: str) -> None:
        super().__init__(data)
        self.name = name
        self.origin = origin

    def write(self, data: Any) -> int:
        raise io.UnsupportedOperation(f"data stream {self.name!r} is read-only; write a document.DataStream")


class _DataStream:
    """A data stream the script writes: `document.DataStream(name)`, `.write(text or bytes)`, then
    `document.add_data_stream(stream)` (which replaces the stream of that name)."""

    def __init__(self, name: str) -> None:
        if name not in STREAM_KEYS:
            raise ValueError(f"unknown data stream {name!r}; the streams are {', '.join(STREAM_KEYS)}")
        self.name = name
        self._buffer = io.BytesIO()

    def write(self, data: str | bytes) -> int:
        """Appends text (written as UTF-8) or bytes."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"DataStream.write takes text or bytes, got {type(data).__name__}")
        return self._buffer.write(data)

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()


class _Permission:
    """One identity: `document.Permission(identity, identity_type, security_provider, additional_info)`."""

    def __init__(
        self,
        identity: str,
        identity_type: str,
        security_provider: str,
        additional_info: Mapping[str, str] | None = None,
    ) -> None:
        kind = str(identity_type).lower()
        if kind not in IDENTITY_TYPES:
            raise ValueError(f"identity_type must be one of {', '.join(IDENTITY_TYPES)}, got {identity_type!r}")
        self.identity = identity
        self.identity_type = kind
        self.security_provider = security_provider
        self.additional_info = dict(additional_info or {})

    def to_model(self, allowed: bool) -> dict[str, Any]:
        return {
            "allowed": allowed,
            "identityType": IDENTITY_TYPES[self.identity_type],
            "identity": self.identity,
            "securityProvider": self.security_provider,
            "additionalInfo": dict(self.additional_info),
        }


class _PermissionSet:
    """`document.PermissionSet(name, allow_anonymous, allowed_permissions, denied_permissions)`."""

    def __init__(
        self,
        name: str,
        allow_anonymous: bool,
        allowed_permissions: Iterable[_Permission] = (),
        denied_permissions: Iterable[_Permission] = (),
    ) -> None:
        self.name = name
        self.allow_anonymous = bool(allow_anonymous)
        self.allowed_permissions = list(allowed_permissions)
        self.denied_permissions = list(denied_permissions)

    def to_model(self) -> dict[str, Any]:
        permissions = [p.to_model(True) for p in self.allowed_permissions]
        permissions += [p.to_model(False) for p in self.denied_permissions]
        return {"name": self.name, "anonymousAllowed": self.allow_anonymous, "permissions": permissions}


class _PermissionLevel:
    """`document.PermissionLevel(name, permission_sets)`."""

    def __init__(self, name: str, permission_sets: Iterable[_PermissionSet] = ()) -> None:
        self.name = name
        self.permission_sets = list(permission_sets)

    def to_model(self) -> dict[str, Any]:
        return {"name": self.name, "permissionSets": [s.to_model() for s in self.permission_sets]}


def _permission_of(model: Mapping[str, Any]) -> _Permission:
    kind = _IDENTITY_TYPE_NAMES.get(str(model.get("identityType") or "UNKNOWN"), "unknown")
    info = model.get("additionalInfo") or {}
    return _Permission(str(model.get("identity") or ""), kind, str(model.get("securityProvider") or ""), info)


def levels_of(models: Iterable[Mapping[str, Any]]) -> list[_PermissionLevel]:
    """The permission levels of the test API's `permissions`."""
    levels = []
    for level in models:
        sets = []
        for model in level.get("permissionSets") or []:
            entries = model.get("permissions") or []
            allowed = [_permission_of(p) for p in entries if p.get("allowed", True)]
            denied = [_permission_of(p) for p in entries if not p.get("allowed", True)]
            sets.append(
                _PermissionSet(str(model.get("name") or ""), bool(model.get("anonymousAllowed")), allowed, denied)
            )
        levels.append(_PermissionLevel(str(level.get("name") or ""), sets))
    return levels


class Document:
    """The `document` global: a mock document seen from one extension at one stage.

    Look-ups search origins from the newest: the extension's own additions, then other extensions' (the
    mock's origins that are not stage origins, newest last in the list), then the stage origins of the stage
    (`mapping`, `converter`, `crawler` at post-conversion; `crawler` alone at pre-conversion).
    """

    # What scripts construct: `document.DataStream(name)`, `document.PermissionLevel(...)`, ...
    DataStream = _DataStream
    Permission = _Permission
    PermissionSet = _PermissionSet
    PermissionLevel = _PermissionLevel

    def __init__(
        self,
        model: Mapping[str, Any],
        *,
        origin: str,
        stage: str,
        streams: Iterable[str],
        api_version: str,
    ) -> None:
        self._model = copy.deepcopy(dict(model))
        self._origin = origin
        self._api_version = api_version
        self._added: dict[str, Any] = {}
        self._written: dict[str, bytes] = {}
        self._levels: list[_PermissionLevel] | None = None  # None until the script changes permissions
        self.rejected = False
        stage_origins = STAGE_ORIGINS[stage]
        entries = [e for e in self._model.get("metadata") or [] if e.get("origin") != origin]
        visible = visible_entries(entries, stage)
        self._metadata: list[tuple[str, dict[str, Any]]] = [
            (str(e.get("origin")), dict(e.get("values") or {})) for e in visible
        ]
        readable = frozenset(streams) & STAGE_STREAMS[stage]
        sets = sorted(
            self._model.get("dataStreams") or [], key=lambda s: _STAGE_RANK.get(s.get("origin"), len(_STAGE_RANK))
        )
        self._streams: list[tuple[str, dict[str, bytes]]] = []
        for stream_set in sets:
            set_origin = str(stream_set.get("origin") or "")
            if set_origin in _STAGE_RANK and set_origin not in stage_origins:
                continue
            values = {
                key: decode_stream(content)
                for key, content in (stream_set.get("values") or {}).items()
                if key in readable
            }
            self._streams.append((set_origin, values))

    # -- the item ----------------------------------------------------------------------------------

    @property
    def uri(self) -> str:
        """The item's URI (the mock document's `id`)."""
        return str(self._model.get("id") or "")

    def get_uri(self) -> str:
        """The item's URI."""
        return self.uri

    def reject(self, reason: str = "") -> None:
        """Rejects the item (it is not indexed) and stops the script."""
        self.rejected = True
        raise Rejected(str(reason))

    # -- metadata ----------------------------------------------------------------------------------

    def _origins(self) -> list[tuple[str, Mapping[str, Any]]]:
        return [*self._metadata, (self._origin, self._added)]

    def get_meta_data(self) -> list[MetaDataValue]:
        """Every origin's metadata the script can see, oldest first (its own additions last)."""
        return [MetaDataValue(origin, values) for origin, values in self._origins() if values or origin != self._origin]

    def get_meta_data_value(self, name: str, origin: str | None = None, reverse: bool = True) -> list[Any]:
        """The values of metadata `name`: of `origin` when given, else of the newest origin that has it
        (`reverse=False`: the oldest). `[]` when absent."""
        origins = self._origins()
        if origin is not None:
            origins = [(o, values) for o, values in origins if o == origin]
        for _, values in reversed(origins) if reverse else origins:
            if name in values:
                value = values[name]
                return copy.deepcopy(value) if isinstance(value, list) else [copy.deepcopy(value)]
        return []

    def add_meta_data(self, metadata: Mapping[str, Any]) -> None:
        """Adds metadata under the extension's name; a value `''` (or None) unsets the metadata."""
        if not isinstance(metadata, Mapping):
            raise TypeError(f"add_meta_data takes a dict of metadata name -> value(s), got {type(metadata).__name__}")
        for name, value in metadata.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"metadata names are non-empty strings, got {name!r}")
            self._added[name] = self._values(name, value)

    def _values(self, name: str, value: Any) -> Any:
        if value is None or value == "":
            return []
        if isinstance(value, Mapping):
            if self._api_version != "v2":
                raise ValueError(f"metadata {name!r}: dictionary field values need the extension's apiVersion v2")
            return {str(key): _scalar(name, item) for key, item in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return [_scalar(name, item) for item in value]
        return [_scalar(name, value)]

    # -- data streams ------------------------------------------------------------------------------

    def _stream_origins(self) -> list[tuple[str, Mapping[str, bytes]]]:
        return [*self._streams, (self._origin, self._written)]

    def get_data_stream(self, name: str, origin: str | None = None, reverse: bool = True) -> Any:
        """The stream `name` (`documentdata`, `body_text`, `body_html`, `$thumbnail$`) as a read-only stream,
        or None when the extension does not declare it, the stage has none, or the item has none."""
        key = STREAM_KEYS.get(name)
        if key is None:
            return None
        origins = self._stream_origins()
        if origin is not None:
            origins = [(o, values) for o, values in origins if o == origin]
        for found_origin, values in reversed(origins) if reverse else origins:
            if key in values:
                return _reader(name, key, values[key], found_origin)
        return None

    def get_data_streams(self) -> list[Any]:
        """Every stream the script can read, oldest origin first."""
        return [
            _reader(STREAM_NAMES[key], key, data, origin)
            for origin, values in self._stream_origins()
            for key, data in values.items()
        ]

    def add_data_stream(self, stream: _DataStream) -> None:
        """Replaces the stream of `stream.name` with what was written to it."""
        if not isinstance(stream, _DataStream):
            raise TypeError("add_data_stream takes a document.DataStream(name)")
        self._written[STREAM_KEYS[stream.name]] = stream.getvalue()

    # -- permissions -------------------------------------------------------------------------------

    def get_permissions(self) -> list[_PermissionLevel]:
        """The item's permission levels."""
        if self._levels is None:
            self._levels = levels_of(self._model.get("permissions") or [])
        return self._levels

    def clear_permissions(self) -> None:
        """Removes every permission."""
        self._levels = []

    def set_permissions(self, levels: Iterable[_PermissionLevel]) -> None:
        """Replaces the permission model."""
        levels = list(levels)
        if not all(isinstance(level, _PermissionLevel) for level in levels):
            raise TypeError("set_permissions takes a list of document.PermissionLevel")
        self._levels = levels

    def _last_set(self) -> _PermissionSet:
        levels = self.get_permissions()
        if not levels:
            levels.append(_PermissionLevel("", []))
        if not levels[-1].permission_sets:
            levels[-1].permission_sets.append(_PermissionSet("", False))
        return levels[-1].permission_sets[-1]

    def add_allowed(
        self, identity: str, identity_type: str, security_provider: str, additional_info: _Info | None = None
    ) -> None:
        """Allows an identity (in the last permission set; one level with one set when there is none)."""
        self._last_set().allowed_permissions.append(
            _Permission(identity, identity_type, security_provider, additional_info)
        )

    def add_denied(
        self, identity: str, identity_type: str, security_provider: str, additional_info: _Info | None = None
    ) -> None:
        """Denies an identity (in the last permission set; one level with one set when there is none)."""
        self._last_set().denied_permissions.append(
            _Permission(identity, identity_type, security_provider, additional_info)
        )

    # -- the result --------------------------------------------------------------------------------

    def to_model(self) -> dict[str, Any]:
        """The mock document after the run: the input, the additions under the extension's origin."""
        model = copy.deepcopy(self._model)
        model.setdefault("metadata", [])
        model.setdefault("dataStreams", [])
        model.setdefault("permissions", [])
        if self._added:
            _merge_origin(model["metadata"], self._origin, copy.deepcopy(self._added))
        if self._written:
            _merge_origin(model["dataStreams"], self._origin, {k: encode_stream(v) for k, v in self._written.items()})
        if self._levels is not None:
            model["permissions"] = [level.to_model() for level in self._levels]
        return model


def _merge_origin(entries: list[dict[str, Any]], origin: str, values: dict[str, Any]) -> None:
    for entry in entries:
        if entry.get("origin") == origin:
            entry["values"] = {**(entry.get("values") or {}), **values}
            return
    entries.append({"origin": origin, "values": values})


def _scalar(name: str, value: Any) -> Any:
    if isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"metadata {name!r}: a value must be text, a number or a boolean, got {type(value).__name__}")


def _reader(name: str, key: str, data: bytes, origin: str) -> ReadOnlyBytes:
    # Every stream reads as bytes (`read().decode()`), the text ones UTF-8 encoded.
    return ReadOnlyBytes(data, name, origin)


class Log:
    """The `log` global: `log(message, severity='Normal')`, entries kept in the order logged."""

    def __init__(self, emit: Callable[[dict[str, str]], None]) -> None:
        self._emit = emit
        self._used = 0
        self._full = False

    def __call__(self, message: str, severity: str = "Normal") -> None:
        if not isinstance(message, str):
            raise TypeError(f"log takes the message as a string, got {type(message).__name__}")
        level = str(severity).upper()
        if level not in SEVERITIES:
            allowed = ", ".join(s.capitalize() for s in SEVERITIES)
            raise ValueError(f"log severity must be one of {allowed} (any case), got {severity!r}")
        if self._full:
            return  # entries after the limit are dropped
        self._used += len(message)
        if self._used > LOG_LIMIT:
            self._full = True
            message = TRUNCATED
        self._emit({"severity": level, "comment": message})
