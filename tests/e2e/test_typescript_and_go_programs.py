"""A TypeScript program and a Go program, from an empty folder to `pulumi destroy`, as the README tells a user.

The README's section "TypeScript and Go, from an empty folder" is typed as it is (`readme_walkthrough.py`): the
shell's set-up line, the language's blocks (the project, the SDK generated from the installed plugin by
`pulumi package gen-sdk`, its installation from the npm registry or the Go module proxy, the program), then
the deployment's block against the session's emulator: `pulumi up`, a no-change preview, `refresh`, an edit
that the preview shows as one property, the `up` that makes it, `destroy`. What the emulator holds after
each `up` is checked against the program.

Each language needs its language host beside the CLI (`pulumi-language-nodejs`, `pulumi-language-go`) and its
toolchain (Node.js with npm, Go); without one the test skips, naming it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle
from support.stacks import REPO_ROOT

from .readme_walkthrough import script, step_outputs, walkthrough_from_empty_folder
from .user_shell import left_on_the_service, user_checkout, user_env

pytestmark = pytest.mark.e2e

README = REPO_ROOT / "README.md"
SECTION = "TypeScript and Go, from an empty folder"
DEPLOYMENT = "Deploying it"

LANGUAGES = {
    # README heading: (language host fixture, toolchain commands, what to install without them, project folder)
    "TypeScript": (
        "nodejs_language_host",
        ("node", "npm"),
        "Node.js >= 20 and npm (https://nodejs.org or the OS packages `nodejs` and `npm`)",
        "search-infra-ts",
    ),
    "Go": ("go_language_host", ("go",), "Go >= 1.25 (https://go.dev/doc/install)", "search-infra-go"),
}

SCRIPT = "document.add_meta_data({'tagged': [True]})\n"


def _property_changes(preview: str) -> list[str]:
    """The properties a `pulumi preview --diff` shows as changed (`~ description: ...`), resources aside."""
    return re.findall(r"^\s*[~+-] (\w+)\s*:", preview, flags=re.MULTILINE)


def _held(dump: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The one Coveo extension, the one source and the one Elastic extension a dump holds."""
    organization = dump["coveo"]["searchdemoorg"]
    [extension] = organization["extensions"]
    [source] = organization["sources"]
    [bundle] = dump["elastic"]["extensions"]
    return extension, source, bundle


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_readme_program_from_an_empty_folder_deploys_the_three_resources(
    language: str, request: pytest.FixtureRequest, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    host_fixture, tools, install, project = LANGUAGES[language]
    request.getfixturevalue(host_fixture)
    if missing := [tool for tool in tools if shutil.which(tool) is None]:
        pytest.skip(f"needs {install}: {', '.join(missing)} not on PATH")
    steps = walkthrough_from_empty_folder(README, SECTION, language, DEPLOYMENT)
    checkout = user_checkout(tmp_path)
    first_up, edit_up = steps.index("pulumi up"), steps.edit_up
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    look = {
        step: f"curl -sf {clean_emulator.url}/_emulator/dump > {dumps / f'after-step-{step}.json'}"
        for step in (first_up, edit_up)
    }

    run = subprocess.run(
        ["bash", "-c", script(steps, emulator_url=clean_emulator.url, files_url="", after_steps=look)],
        cwd=checkout,
        env=user_env(tmp_path / "state"),
        capture_output=True,
        text=True,
        timeout=1200,  # the first Go run compiles the Pulumi Go SDK: minutes on 2 cores
        check=False,
    )

    output = run.stdout + run.stderr
    outputs = step_outputs(run.stdout, len(steps.commands))
    failed_at = steps.commands[len(outputs) - 1] if outputs else "(before the first command)"
    assert run.returncode == 0, f"README command failed: {failed_at}\n{output[-6000:]}"
    assert "from $PATH" not in output  # every plugin and host came from where the project puts them
    assert "+ 4 created" in outputs[first_up], outputs[first_up]

    # What the program declares is what the services hold.
    extension, source, bundle = _held(json.loads((dumps / f"after-step-{first_up}.json").read_text()))
    assert (extension["content"], extension["description"]) == (SCRIPT, "Tags every document")
    [applied] = source["extensions"]["common"]["postConversionExtensions"]
    assert applied["extensionId"] == extension["id"]
    zipped = (tmp_path / project / "synonyms.zip").read_bytes()
    assert (bundle["extension_type"], bundle["version"]) == ("bundle", "8.*")
    assert bundle["file_sha256"] == hashlib.sha256(zipped).hexdigest()
    assert "4 unchanged" in outputs[steps.index("pulumi refresh")]

    # The edit: the preview names the one property, the `up` updates that extension in place.
    diff = outputs[steps.index("pulumi preview --diff")]
    assert _property_changes(diff) == ["description"], diff
    assert "~ 1 to update" in diff, diff
    assert "~ 1 updated" in outputs[edit_up], outputs[edit_up]
    edited, _, same_bundle = _held(json.loads((dumps / f"after-step-{edit_up}.json").read_text()))
    assert (edited["id"], edited["description"]) == (extension["id"], "Tags the docs")
    assert same_bundle["id"] == bundle["id"]

    assert "deleted" in outputs[steps.index("pulumi destroy")]
    assert left_on_the_service(clean_emulator) == []
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "state").rglob("*.json*") if p.is_file())
    for key in (clean_emulator.coveo_api_key, clean_emulator.elastic_api_key):
        assert key not in written, "an API key was written into the state in plain text"
