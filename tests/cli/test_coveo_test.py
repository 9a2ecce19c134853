"""`search-extensions coveo test`: the console script, run as people run it, locally and `--against` the
emulator's test API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from pulumi_search_extensions.emulator import EmulatorHandle

COMMAND = Path(sys.executable).with_name("search-extensions")
TAGGER = "document.add_meta_data({'section': parameters['section']})\nlog('tagged ' + document.uri)\n"
DOCUMENT = {"id": "https://example.com/a", "metadata": [{"origin": "crawler", "values": {"title": ["Home"]}}]}


def _files(tmp_path: Path, script: str = TAGGER) -> tuple[Path, Path]:
    script_file, document_file = tmp_path / "tagger.py", tmp_path / "page.json"
    script_file.write_text(script, encoding="utf-8")
    document_file.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    return script_file, document_file


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMMAND), "coveo", "test", *args], capture_output=True, text=True, timeout=120, env=env or dict(os.environ)
    )


def test_a_local_run_prints_status_added_metadata_and_logs(tmp_path: Path) -> None:
    script, document = _files(tmp_path)
    run = _run(str(script), "--document", str(document), "--parameter", "section=intranet")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("status: SUCCESS (")
    assert 'metadata added or changed:\n  section: ["intranet"]\n' in run.stdout
    assert "logs:\n  NORMAL   tagged https://example.com/a" in run.stdout


def test_a_failing_script_exits_1_and_prints_the_reason_with_the_line(tmp_path: Path) -> None:
    script, document = _files(tmp_path, "x = 1\nraise ValueError('bad page')\n")
    run = _run(str(script), "--document", str(document))
    assert run.returncode == 1
    assert "status: EXECUTION_ERROR" in run.stdout
    assert 'File "tagger", line 2, in <module>' in run.stdout and "ValueError: bad page" in run.stdout


def test_json_prints_the_report_in_the_test_apis_shape(tmp_path: Path) -> None:
    script, document = _files(tmp_path)
    run = _run(str(script), "--document", str(document), "--parameter", "section=x", "--json")
    report = json.loads(run.stdout)
    assert set(report) == {"document", "logs", "dataStreamUris", "duration", "result"}


def test_bad_input_exits_2_naming_it(tmp_path: Path) -> None:
    script, document = _files(tmp_path)
    run = _run(str(script), "--document", str(document), "--parameter", "novalue")
    assert run.returncode == 2 and "--parameter 'novalue': write it as NAME=VALUE" in run.stderr


def test_against_the_emulator_runs_the_deployed_extension(tmp_path: Path, emulator: EmulatorHandle) -> None:
    emulator.admin.reset()
    script, document = _files(tmp_path)
    url = f"{emulator.url}/rest/organizations/{emulator.coveo_organization_id}/extensions"
    headers = {"Authorization": f"Bearer {emulator.coveo_api_key}"}
    created = requests.post(url, json={"name": "tagger", "content": TAGGER}, headers=headers, timeout=30).json()
    env = {
        **os.environ,
        "COVEO_ORGANIZATION_ID": emulator.coveo_organization_id,
        "COVEO_API_KEY": emulator.coveo_api_key,
    }
    args = [str(script), "--document", str(document), "--parameter", "section=intranet", "--json"]
    run = _run(*args, "--against", emulator.url, "--extension-id", created["id"], env=env)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["document"]["metadata"][-1] == {"origin": "tagger", "values": {"section": ["intranet"]}}
    counts = emulator.admin.requests()["counts"]
    assert counts.get("POST /rest/organizations/{organizationId}/extensions/{extensionId}/test") == 1
    # `--against` alone: the host of COVEO_HOST, as for the resources.
    alone = _run(*args, "--against", "--extension-id", created["id"], env={**env, "COVEO_HOST": emulator.url})
    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout)["result"] == {"status": "SUCCESS"}
    # A local SCRIPT that is not the deployed one: the deployed one is tested, and the command says so.
    script.write_text(TAGGER + "log('edited')\n", encoding="utf-8")
    edited = _run(*args, "--against", emulator.url, "--extension-id", created["id"], env=env)
    assert "is not" in edited.stderr and "testing the deployed one" in edited.stderr
    assert [entry["comment"] for entry in json.loads(edited.stdout)["logs"]] == ["tagged https://example.com/a"]
    missing = _run(str(script), "--document", str(document), "--against", emulator.url, env=env)
    assert missing.returncode == 2 and "--against needs --extension-id" in missing.stderr


def test_the_readmes_command_on_the_coveo_script_file_example() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "coveo-script-file"
    streams = ["--required-data-stream", "BODY_TEXT", "--required-data-stream", "DOCUMENT_DATA"]
    run = subprocess.run(
        [str(COMMAND), "coveo", "test", "word_count.py", "--document", "page.json", *streams],
        cwd=example,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("status: SUCCESS (")
    assert lines[1:] == [
        "metadata added or changed:",
        '  wordcount: ["3"]',
        '  originalsize: ["24"]',
        "logs:",
        "  NORMAL   3 words, 24 bytes",
    ]
