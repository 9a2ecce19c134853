"""`search-extensions coveo test`: run a Coveo extension script on a mock document, locally or with a host's
test API (`--against`), and print the report readably (or as JSON with `--json`).

Exit status: 0 when the run's status is SUCCESS, 1 for any other status, 2 for bad input or a failed call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import requests

from ..coveo.connection import DEFAULT_REGION, REGION_BASE_URLS
from ..coveo.runtime import DATA_STREAMS, STAGES, run_extension

_SETTINGS = ("COVEO_ORGANIZATION_ID", "COVEO_API_KEY")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `coveo` and its `test` subcommand."""
    coveo = subparsers.add_parser("coveo", help="Coveo extension tools")
    coveo_sub = coveo.add_subparsers(dest="coveo_command", metavar="COMMAND")
    test = coveo_sub.add_parser(
        "test",
        help="run an extension script on a mock document",
        description="Run SCRIPT on the mock document of FILE (Coveo's ExtensionTestDocumentModel JSON) with the "
        "local runtime, or with the test API of a Coveo host (--against: the extension --extension-id must be "
        "deployed there; COVEO_ORGANIZATION_ID, COVEO_API_KEY and COVEO_HOST or COVEO_REGION come from the "
        "environment).",
    )
    test.add_argument("script", type=Path, help="the extension's Python script")
    test.add_argument("--document", type=Path, required=True, metavar="FILE", help="the mock document (JSON)")
    test.add_argument("--parameter", action="append", default=[], metavar="K=V", help="a script parameter (repeatable)")
    test.add_argument("--stage", choices=STAGES, default="post_conversion", help="default: post_conversion")
    test.add_argument("--name", default=None, help="the extension's name (its origin); default: the script's stem")
    test.add_argument(
        "--required-data-stream",
        action="append",
        default=[],
        choices=DATA_STREAMS,
        metavar="STREAM",
        help=f"a data stream the extension declares (repeatable): {', '.join(DATA_STREAMS)}",
    )
    test.add_argument("--api-version", choices=("v1", "v2"), default="v1")
    test.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5, Coveo's)")
    test.add_argument(
        "--against",
        nargs="?",
        const="",
        metavar="URL",
        help="run with the test API of this Coveo host (the emulator's URL, a platform URL); alone: COVEO_HOST, "
        "else COVEO_REGION's platform (default us)",
    )
    test.add_argument("--extension-id", help="with --against: the deployed extension to test (required)")
    test.add_argument("--json", action="store_true", help="print the report as JSON")
    test.set_defaults(handler=_run)


def _parameters(pairs: Sequence[str]) -> dict[str, str]:
    parameters = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--parameter {pair!r}: write it as NAME=VALUE")
        parameters[key] = value
    return parameters


def _remote(args: argparse.Namespace, script: str, document: Any, parameters: dict[str, str]) -> dict[str, Any]:
    """The test API's report for the deployed extension; a note when its script is not SCRIPT."""
    if not args.extension_id:
        raise ValueError("--against needs --extension-id: the test API runs an extension deployed on that host")
    missing = [name for name in _SETTINGS if not os.environ.get(name)]
    if missing:
        raise ValueError(f"--against needs {' and '.join(missing)} in the environment")
    base = _base_url(args.against)
    url = f"{base}/rest/organizations/{os.environ['COVEO_ORGANIZATION_ID']}/extensions/{args.extension_id}"
    headers = {"Authorization": f"Bearer {os.environ['COVEO_API_KEY']}"}
    deployed = requests.get(url, headers=headers, timeout=60)
    if deployed.ok and deployed.json().get("content") != script:
        print(
            f"note: the script of {args.extension_id} on {base} is not {args.script}; testing the deployed one",
            file=sys.stderr,
        )
    if args.stage != "post_conversion":
        print("note: the test API has no stage; --stage applies to local runs only", file=sys.stderr)
    body = {"document": document, "parameters": parameters}
    response = requests.post(url + "/test", json=body, headers=headers, timeout=60)
    if not response.ok:
        raise ValueError(f"{base}: the test API answered {response.status_code}: {response.text[:300]}")
    report: dict[str, Any] = response.json()
    return report


def _base_url(against: str) -> str:
    """The host to call: `--against URL`, else `COVEO_HOST`, else the platform of `COVEO_REGION` (us)."""
    if against:
        return against.rstrip("/")
    if os.environ.get("COVEO_HOST"):
        return os.environ["COVEO_HOST"].rstrip("/")
    region = os.environ.get("COVEO_REGION") or DEFAULT_REGION
    if region not in REGION_BASE_URLS:
        raise ValueError(f"COVEO_REGION must be one of {', '.join(REGION_BASE_URLS)}, got {region!r}")
    return REGION_BASE_URLS[region]


def _latest(metadata: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for entry in metadata:
        latest.update(entry.get("values") or {})
    return latest


def render(report: Mapping[str, Any], document: Mapping[str, Any]) -> str:
    """The report as people read it: status, metadata added or changed, logs, and the reason of a failure."""
    result = report["result"]
    lines = [f"status: {result['status']} ({report['duration']:.3f} s)"]
    before = _latest(document.get("metadata") or [])
    after = _latest(report["document"].get("metadata") or [])
    changed = {name: value for name, value in after.items() if before.get(name) != value}
    if changed:
        lines.append("metadata added or changed:")
        lines += [f"  {name}: {json.dumps(value)}" for name, value in changed.items()]
    else:
        lines.append("metadata added or changed: none")
    logs = report.get("logs") or []
    lines.append("logs:" if logs else "logs: none")
    lines += [f"  {entry['severity']:<8} {entry.get('comment', '')}" for entry in logs]
    if result.get("reason"):
        lines.append("reason:")
        lines += [f"  {line}" for line in str(result["reason"]).rstrip().splitlines()]
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    try:
        script = args.script.read_text(encoding="utf-8")
        document = json.loads(args.document.read_text(encoding="utf-8"))
        parameters = _parameters(args.parameter)
        if args.against is not None:
            report = _remote(args, script, document, parameters)
        else:
            report = run_extension(
                script,
                document,
                parameters=parameters,
                name=args.name or args.script.stem,
                stage=args.stage,
                required_data_streams=args.required_data_stream,
                api_version=args.api_version,
                timeout=args.timeout,
            )
    except (OSError, ValueError, requests.RequestException) as error:
        print(f"search-extensions coveo test: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else render(report, document))
    return 0 if report["result"]["status"] == "SUCCESS" else 1
