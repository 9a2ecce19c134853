"""Preview warnings reach every language: the provider plugin sends each one to the engine's log as a warning
on its resource (the plugin's stdout is not shown to users), as a Python program with the dynamic resources
shows it (tests/e2e/test_failure_messages.py).

Both kinds go that one way: what `check` warns about as it reads (`_warnings.warn`: an archive's inferred
rules) and the warnings of the inputs that both ways in give (`Operations.preview_warnings`: an Elastic
extension without a file, a Coveo extension applied before conversion that needs a later stream).

The YAML language host is optional: without it the YAML programs' tests skip, naming what to install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pulumi import automation as auto

from support.calls import vendor_calls
from support.files import make_zip
from support.stacks import TOOLS_BIN, StackFactory, quiet

from .programs import ELASTIC_EXTENSION, plugin_stack_config, resource

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

PROJECT = """\
name: warnings
runtime: yaml
plugins:
  providers:
    - name: search-extensions
      path: {plugin_dir}
resources:
{resources}
"""

NO_FILE = """\
  empty:
    type: search-extensions:elastic:Extension
    properties:
      extensionType: bundle
      version: "8.*"
"""

BEFORE_CONVERSION = """\
  tagger:
    type: search-extensions:coveo:Extension
    properties:
      content: "document.add_meta_data({{'tagged': [True]}})\\n"
      requiredDataStreams: [BODY_TEXT, DOCUMENT_DATA]
  reader:
    type: search-extensions:coveo:Extension
    properties:
      content: "document.add_meta_data({{'read': [True]}})\\n"
      requiredDataStreams: [DOCUMENT_DATA]
  pipeline:
    type: search-extensions:coveo:SourceExtensions
    properties:
      sourceId: {source_id}
      preConversion:
        - extensionId: ${{tagger.id}}
        - extensionId: ${{reader.id}}
"""


class YamlProject:
    """A YAML program in a folder of its own, run with plain `pulumi` and the plugin of this checkout."""

    def __init__(self, root: Path, resources: str, env: dict[str, str], emulator: EmulatorHandle) -> None:
        self.folder = root / "project"
        self.folder.mkdir()
        plugin_dir = Path(sys.executable).parent  # `pulumi-resource-search-extensions` of this virtualenv
        (self.folder / "Pulumi.yaml").write_text(PROJECT.format(plugin_dir=plugin_dir, resources=resources))
        self.env = env
        self.pulumi("stack", "init", f"w{uuid.uuid4().hex[:8]}")
        plain, secret = plugin_stack_config(emulator)
        for key, value in plain.items():
            self.pulumi("config", "set", key, value)
        for key, value in secret.items():
            self.pulumi("config", "set", "--secret", key, value)

    def pulumi(self, *args: str) -> str:
        """Runs a CLI command in the folder; returns what it printed on stdout."""
        run = subprocess.run(
            [str(TOOLS_BIN / "pulumi"), *args, "--non-interactive"],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, f"pulumi {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
        return run.stdout

    def warnings(self, *command: str) -> dict[str, list[str]]:
        """Runs `command` and returns its warning diagnostics by resource name (from its `--json` output)."""
        printed = self.pulumi(*command, "--json")
        try:  # `preview --json`: one document with its diagnostics
            documents: list[dict[str, Any]] = [json.loads(printed)]
        except json.JSONDecodeError:  # `up --json`: one engine event per line
            documents = [json.loads(line) for line in printed.splitlines() if line.strip()]
        diagnostics = [d for doc in documents for d in doc.get("diagnostics", [])]
        diagnostics += [doc["diagnosticEvent"] for doc in documents if "diagnosticEvent" in doc]
        found: dict[str, list[str]] = {}
        for diagnostic in diagnostics:
            if diagnostic.get("severity") == "warning" and diagnostic.get("urn"):
                found.setdefault(diagnostic["urn"].rsplit("::", 1)[1], []).append(
                    diagnostic["message"].strip().removeprefix("warning: ")
                )
        return found


@pytest.fixture
def yaml_env(yaml_language_host: Path, pulumi_env: dict[str, str]) -> dict[str, str]:
    """The CLI's environment with the YAML language host on PATH."""
    return {**os.environ, **pulumi_env, "PATH": os.pathsep.join([str(yaml_language_host.parent), pulumi_env["PATH"]])}


def test_an_elastic_extension_without_a_file_is_warned_about_at_preview_in_yaml(
    yaml_env: dict[str, str], clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    project = YamlProject(tmp_path, NO_FILE, yaml_env, clean_emulator)

    warnings = project.warnings("preview")

    [warning] = warnings["empty"]
    assert "neither download_url nor file_path is set" in warning and "Set file_path" in warning
    assert vendor_calls(clean_emulator) == {}


def test_an_extension_needing_body_text_applied_before_conversion_is_warned_about_in_yaml(
    yaml_env: dict[str, str], clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "web")
    project = YamlProject(tmp_path, BEFORE_CONVERSION.format(source_id=source["id"]), yaml_env, clean_emulator)

    # The extensions' ids are known once they are created, before the source's check: `up` warns...
    at_up = project.warnings("up", "--yes", "--skip-preview")
    # ... and so does every preview once they exist.
    at_preview = project.warnings("preview")

    for warnings in (at_up, at_preview):
        assert set(warnings) == {"pipeline"}, warnings  # `reader` reads DOCUMENT_DATA: no warning for it
        [warning] = warnings["pipeline"]
        assert warning.startswith("pre_conversion[0]: CoveoExtension 'tagger' requires BODY_TEXT,"), warning
        assert "only DOCUMENT_DATA" in warning and "Apply it at post_conversion" in warning


def test_an_archive_warning_of_check_reaches_the_engine_as_a_warning_on_the_resource(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    # A dictionary at the bundle's root: legal, but Elastic documents dictionaries/ (an inferred rule).
    archive = make_zip(tmp_path / "stopwords.zip", {"stopwords.txt": "a\nthe\n"})
    plain, secret = plugin_stack_config(clean_emulator)

    def program() -> None:
        resource(
            ELASTIC_EXTENSION, "stopwords", {"extensionType": "bundle", "version": "8.*", "filePath": str(archive)}
        )

    stack = new_stack(program, config=plain, secrets=secret)
    warnings: list[tuple[str, str]] = []

    def on_event(event: auto.EngineEvent) -> None:
        diagnostic = event.diagnostic_event
        if diagnostic is not None and diagnostic.severity == "warning":
            warnings.append(((diagnostic.urn or "").rsplit("::", 1)[-1], diagnostic.message))

    preview = stack.preview(on_output=quiet, on_event=on_event)

    assert preview.change_summary == {"create": 2}
    assert [(name, message.strip()) for name, message in warnings if "dictionaries/" in message] == [
        (
            "stopwords",
            "file_path: the bundle has 'stopwords.txt' at its root: dictionaries (synonyms, stop words) go in a "
            "dictionaries/ folder at the zip's root; move them there and reference them as documented, or ignore "
            "this if the file is not a dictionary",
        )
    ]
    assert vendor_calls(clean_emulator) == {}
