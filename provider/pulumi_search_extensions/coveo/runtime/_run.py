"""Running one extension script on one mock document, in a process of its own, and reporting like Coveo's test API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._document import STREAM_KEYS, decode_stream

STAGES = ("pre_conversion", "post_conversion")
STATUSES = ("SUCCESS", "REJECTED", "EXECUTION_ERROR", "TIMEOUT")
API_VERSIONS = ("v1", "v2")
DATA_STREAMS = tuple(STREAM_KEYS.values())
COMPRESSIONS = ("UNCOMPRESSED", "ZLIB", "GZIP", "LZMA")

KILL_GRACE_SECONDS = 10.0
"""How long after its time-out the process is killed when the script does not stop (the process's start
is not counted in the time-out: the worker times the script itself)."""

_WORKER = Path(__file__).with_name("_worker.py")

_PASSED_ENVIRONMENT = (
    *("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT"),
    *("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy"),
    *("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE"),
)
"""What the script sees of the caller's environment (scripts may call HTTP services, as Coveo's documented
examples do): never API keys (COVEO_API_KEY...) or anything else."""


def _problem(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _check_stream_set(where: str, stream_set: Any) -> None:
    if not isinstance(stream_set, Mapping) or not isinstance(stream_set.get("values", {}), Mapping):
        raise _problem(where, 'must be {"origin": ..., "values": {"BODY_TEXT": {"inlineContent": ...}, ...}}')
    for key, content in stream_set.get("values", {}).items():
        at = f"{where}.values.{key}"
        if key not in DATA_STREAMS:
            raise _problem(at, f"unknown data stream; use {', '.join(DATA_STREAMS)}")
        if not isinstance(content, Mapping):
            raise _problem(at, 'must be {"inlineContent": "...", "compressionType": "UNCOMPRESSED"}')
        if content.get("id") and content.get("inlineContent") is None:
            raise _problem(at, "a stream uploaded by id cannot be read here; give its content as inlineContent")
        if (content.get("compressionType") or "UNCOMPRESSED") not in COMPRESSIONS:
            raise _problem(at + ".compressionType", f"must be one of {', '.join(COMPRESSIONS)}")
        try:
            decode_stream(content)
        except Exception as error:
            raise _problem(at, f"cannot be decoded ({error}); compressed content is base64 text") from None


def check_document(document: Any) -> dict[str, Any]:
    """The mock document (`ExtensionTestDocumentModel`) with its lists defaulted; a ValueError naming the field
    when it does not have that shape."""
    if not isinstance(document, Mapping):
        raise _problem("document", 'must be an object: {"metadata": [...], "dataStreams": [...], "permissions": [...]}')
    checked = {"metadata": [], "dataStreams": [], "permissions": [], **document}
    for key in ("metadata", "dataStreams", "permissions"):
        if not isinstance(checked[key], list):
            raise _problem(f"document.{key}", "must be a list")
    for index, entry in enumerate(checked["metadata"]):
        where = f"document.metadata[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values", {}), Mapping):
            raise _problem(where, 'must be {"origin": "crawler", "values": {"name": ["value", ...]}}')
        if not isinstance(entry.get("origin", ""), str):
            raise _problem(where + ".origin", "must be a string (crawler, converter, mapping or an extension's name)")
    for index, stream_set in enumerate(checked["dataStreams"]):
        _check_stream_set(f"document.dataStreams[{index}]", stream_set)
    if "id" in checked and not isinstance(checked["id"], str):
        raise _problem("document.id", "must be a string (the item's URI)")
    return checked


def _checked_parameters(parameters: Mapping[str, Any] | None) -> dict[str, str]:
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise _problem("parameters", "must be an object of names to string values")
    for key, value in parameters.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise _problem(f"parameters.{key}", f"must be a string (as a source's parameters are), got {value!r}")
    return dict(parameters)


def _checked_streams(streams: Iterable[str]) -> list[str]:
    if isinstance(streams, str):
        raise _problem("required_data_streams", "must be a list of data stream names, not one string")
    listed = list(streams)
    unknown = [s for s in listed if s not in DATA_STREAMS]
    if unknown:
        raise _problem("required_data_streams", f"unknown {unknown}; use {', '.join(DATA_STREAMS)}")
    return sorted(set(listed))


def _environment() -> dict[str, str]:
    return {key: os.environ[key] for key in _PASSED_ENVIRONMENT if key in os.environ}


def _parse_output(output: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    logs, end = [], None
    for line in output.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            break  # a line cut by a kill: what came before stands
        if "log" in message:
            logs.append(message["log"])
        elif "end" in message:
            end = message["end"]
    return logs, end


def execute(
    script: str,
    document: Mapping[str, Any],
    *,
    parameters: Mapping[str, Any] | None,
    origin: str,
    script_name: str,
    stage: str,
    required_data_streams: Iterable[str],
    api_version: str,
    timeout: float,
) -> dict[str, Any]:
    """`run_extension` with the script's file name given apart from its origin (the service names the file
    after the extension's id, the origin after its name)."""
    if not isinstance(script, str):
        raise _problem("script", f"must be the script's text, got {type(script).__name__}")
    checked = check_document(document)
    if stage not in STAGES:
        raise _problem("stage", f"must be one of {', '.join(STAGES)}, got {stage!r}")
    if api_version not in API_VERSIONS:
        raise _problem("api_version", f"must be one of {', '.join(API_VERSIONS)}, got {api_version!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise _problem("timeout", f"must be a positive number of seconds, got {timeout!r}")
    if not isinstance(origin, str) or not origin:
        raise _problem("name", "must be the extension's name (its additions' origin)")
    run = {
        "script": script,
        "script_name": script_name,
        "document": checked,
        "parameters": _checked_parameters(parameters),
        "origin": origin,
        "stage": stage,
        "streams": _checked_streams(required_data_streams),
        "api_version": api_version,
        "timeout": float(timeout),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coveo-extension-") as workdir:
        process = subprocess.Popen(
            [sys.executable, "-I", "-X", "utf8", str(_WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=_environment(),
            text=True,
            encoding="utf-8",
        )
        try:
            output, errors = process.communicate(json.dumps(run), timeout=float(timeout) + KILL_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            output, errors = process.communicate()
    logs, end = _parse_output(output)
    if end is None:
        elapsed = time.perf_counter() - started
        if process.returncode in (-9, 137) or elapsed >= timeout:
            end = {"status": "TIMEOUT", "reason": f"The extension exceeded its execution time limit of {timeout:g} s."}
        else:
            last = (errors.strip().splitlines() or ["the process ended without a result"])[-1]
            end = {"status": "EXECUTION_ERROR", "reason": f"Coveo::PythonScriptException: {last}"}
        end["duration"] = min(elapsed, float(timeout))
    result = {"status": end["status"]}
    if end.get("reason"):
        result["reason"] = end["reason"]
    return {
        "document": end.get("document", checked),
        "logs": logs,
        "dataStreamUris": [],
        "duration": round(float(end["duration"]), 6),
        "result": result,
    }


def run_extension(
    script: str,
    document: Mapping[str, Any],
    *,
    parameters: Mapping[str, str] | None = None,
    name: str = "extension",
    stage: str = "post_conversion",
    required_data_streams: Iterable[str] = (),
    api_version: str = "v1",
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Runs a Coveo extension script on a mock document, in a process of its own, as Coveo's runtime would.

    Args:
        script: the extension's Python 3 script (the text, e.g. `Path("tagger.py").read_text()`).
        document: the mock document in the shape of Coveo's test API (`ExtensionTestDocumentModel`):
            `{"id": uri, "metadata": [{"origin": "crawler", "values": {"title": ["..."]}}],
            "dataStreams": [{"origin": "crawler", "values": {"BODY_TEXT": {"inlineContent": "..."}}}],
            "permissions": [...]}`; every key optional.
        parameters: the `parameters` global (a source entry's parameters: names to strings).
        name: the extension's name: the origin of what it adds, and the file name in tracebacks.
        stage: `post_conversion` (the default) or `pre_conversion`: which origins and streams exist.
        required_data_streams: the streams the extension declares (`BODY_TEXT`, `DOCUMENT_DATA`, ...): the
            only ones the script can read.
        api_version: `v1` (the default) or `v2` (dictionary field values).
        timeout: the time limit of the script in seconds (Coveo's default is 5).

    Returns:
        The report in the shape of the test API's answer (`ExtensionTestExecutionReportModel`): `document`
        after the run (unchanged unless the status is SUCCESS or REJECTED), `logs`, `dataStreamUris`,
        `duration` (seconds) and `result` = `{"status": SUCCESS | REJECTED | EXECUTION_ERROR | TIMEOUT,
        "reason": the traceback or why}`.

    Raises:
        ValueError: an argument that does not have the documented shape (naming it); never for what the
            script does, which is the report's `result`.
    """
    return execute(
        script,
        document,
        parameters=parameters,
        origin=name,
        script_name=name,
        stage=stage,
        required_data_streams=required_data_streams,
        api_version=api_version,
        timeout=timeout,
    )
