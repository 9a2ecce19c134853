"""What the emulated service does with extensions on documents: the test API's run, and a source's pipeline.

Both use the local runtime (`coveo.runtime`), as the service runs scripts: the test API on a mock document,
the pipeline on a pushed document through pre-conversion extensions, a simple conversion, the mapping and
post-conversion extensions. Pure rules over plain data: `models.py` holds the state and the lock, calls
these with copies, and stores what they return.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ...coveo.condition import And, Condition, Equals, Exists, Not, Or, parse_condition
from ...coveo.runtime._document import decode_stream, encode_stream
from ...coveo.runtime._run import check_document, execute

STAGES = (("preConversionExtensions", "pre_conversion"), ("postConversionExtensions", "post_conversion"))


@dataclass(frozen=True)
class Runnable:
    """What running one extension needs, copied out of the stored extension (the script of one version)."""

    id: str
    name: str
    script: str
    enabled: bool
    required_data_streams: tuple[str, ...]
    api_version: str
    timeout: float


def run_test(extension: Runnable, document: Mapping[str, Any], parameters: Mapping[str, str]) -> dict[str, Any]:
    """The test API's run: an ExtensionTestExecutionReportModel (DISABLED, with the document as given, when
    the extension is disabled). The file name in tracebacks is the extension's id, as the service's."""
    if not extension.enabled:
        checked = check_document(document)
        return {
            "document": checked,
            "logs": [],
            "dataStreamUris": [],
            "duration": 0.0,
            "result": {"status": "DISABLED"},
        }
    return execute(
        extension.script,
        document,
        parameters=parameters,
        origin=extension.name,
        script_name=extension.id,
        stage="post_conversion",
        required_data_streams=extension.required_data_streams,
        api_version=extension.api_version,
        timeout=extension.timeout,
    )


def latest_values(document: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Every metadata name's newest value (what a condition and the index see); unset names left out."""
    latest: dict[str, list[Any]] = {}
    for entry in document.get("metadata") or []:
        for name, value in (entry.get("values") or {}).items():
            latest[name] = value if isinstance(value, list) else [value]
    return {name: value for name, value in latest.items() if value}


def matches(condition: Condition | None, values: Mapping[str, list[Any]]) -> bool:
    """Whether an item with these (newest) metadata values meets a parsed condition (None: every item)."""
    if condition is None:
        return True
    if isinstance(condition, Exists):
        return bool(values.get(condition.name))
    if isinstance(condition, Equals):
        actual = [str(value) for value in values.get(condition.name, [])]
        if condition.is_list:
            return sorted(actual) == sorted(condition.values)
        return condition.values[0] in actual
    if isinstance(condition, Not):
        return not matches(condition.operand, values)
    if isinstance(condition, And):
        return all(matches(operand, values) for operand in condition.operands)
    if isinstance(condition, Or):
        return any(matches(operand, values) for operand in condition.operands)
    raise TypeError(f"not a condition: {condition!r}")


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.title: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title" and self.title is None:
            self.title = data.strip()
        elif self._in not in ("script", "style", "title"):
            self.parts.append(data)


def _newest_stream(document: Mapping[str, Any], key: str) -> bytes | None:
    found = None
    for stream_set in document.get("dataStreams") or []:
        content = (stream_set.get("values") or {}).get(key)
        if content is not None:
            found = decode_stream(content)
    return found


def convert(document: Mapping[str, Any]) -> dict[str, Any]:
    """The processing and mapping stages: the original file (`DOCUMENT_DATA`, newest origin) becomes
    `BODY_TEXT` (and `BODY_HTML` and a `title` when it is HTML) under `converter`; every metadata's newest
    value is mapped under `mapping`."""
    converted = copy.deepcopy(dict(document))
    data = _newest_stream(document, "DOCUMENT_DATA") or b""
    text = data.decode("utf-8", errors="replace")
    streams: dict[str, Any] = {}
    converter_values: dict[str, list[Any]] = {}
    if re.search(r"<\s*(html|body|p|div|title)\b", text, re.IGNORECASE):
        parser = _TextOfHtml()
        parser.feed(text)
        streams["BODY_HTML"] = encode_stream(data)
        text = html.unescape(" ".join(" ".join(parser.parts).split()))
        if parser.title:
            converter_values["title"] = [parser.title]
    streams["BODY_TEXT"] = encode_stream(text.encode("utf-8"))
    converted.setdefault("dataStreams", []).append({"origin": "converter", "values": streams})
    converted.setdefault("metadata", []).append({"origin": "converter", "values": converter_values})
    converted["metadata"].append({"origin": "mapping", "values": copy.deepcopy(latest_values(converted))})
    return converted


def _applies(entry: Mapping[str, Any], item_type: str | None) -> bool:
    return entry.get("itemType") in (None, "", item_type)


def _entries(extension_map: Mapping[str, Any], stage_key: str, item_type: str | None) -> list[dict[str, Any]]:
    """A stage's entries for an item: `common`, then its item type's (each entry's own `itemType` honoured)."""
    entries = list((extension_map.get("common") or {}).get(stage_key) or [])
    if item_type:
        entries += list(((extension_map.get("items") or {}).get(item_type) or {}).get(stage_key) or [])
    return [entry for entry in entries if _applies(entry, item_type)]


def run_pipeline(
    document: Mapping[str, Any],
    item_type: str | None,
    extension_map: Mapping[str, Any],
    runnables: Mapping[tuple[str, str | None], Runnable],
) -> dict[str, Any]:
    """A pushed document through a source's pipeline: the item as the index would hold it.

    `runnables` gives each `(extensionId, versionId or None)` of the map. Returns `{"id", "itemType",
    "rejected", "fields", "document", "extensions": [one entry per extension of the map that applies]}`.
    """
    current = copy.deepcopy(dict(check_document(document)))
    for entry in current["metadata"]:
        entry.setdefault("origin", "crawler")
    runs: list[dict[str, Any]] = []
    rejected = False
    for stage_key, stage in STAGES:
        if rejected:
            break
        if stage == "post_conversion":
            current = convert(current)
        for entry in _entries(extension_map, stage_key, item_type):
            extension = runnables[(entry["extensionId"], entry.get("versionId"))]
            run: dict[str, Any] = {"stage": stage, "extensionId": extension.id, "name": extension.name}
            runs.append(run)
            if not extension.enabled:
                run["status"] = "DISABLED"
                continue
            if not matches(parse_condition(entry.get("condition") or ""), latest_values(current)):
                run["status"] = "SKIPPED"  # the condition is false: the extension does not run
                continue
            report = execute(
                extension.script,
                current,
                parameters=entry.get("parameters") or {},
                origin=extension.name,
                script_name=extension.id,
                stage=stage,
                required_data_streams=extension.required_data_streams,
                api_version=extension.api_version,
                timeout=extension.timeout,
            )
            run.update({"status": report["result"]["status"], "logs": report["logs"], "duration": report["duration"]})
            if report["result"].get("reason"):
                run["reason"] = report["result"]["reason"]
            status = report["result"]["status"]
            if status == "SUCCESS":
                current = report["document"]
            elif status == "REJECTED" or entry.get("actionOnError") == "REJECT_DOCUMENT":
                rejected = True
                break
    return {
        "id": current.get("id", ""),
        "itemType": item_type,
        "rejected": rejected,
        "fields": latest_values(current),
        "document": current,
        "extensions": runs,
    }
