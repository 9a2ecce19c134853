"""`onFileChange` through the provider plugin, in a Pulumi YAML program run with plain `pulumi`.

The same behaviour as the dynamic resource (tests/e2e/test_elastic_file_change.py): with `replace` a changed
file is a new extension, the exported plan fragment follows it in the same `up` and the old extension is
deleted; with the default the id stays. Needs Pulumi's YAML language host, and skips naming it without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.remote import elastic_extensions
from support.stacks import REPO_ROOT, TOOLS_BIN

from .programs import plugin_stack_config

pytestmark = pytest.mark.e2e

PROGRAM = """\
name: file-change
runtime: yaml
plugins:
  providers:
    - name: search-extensions
      path: {plugin_dir}
resources:
  stopwords:
    type: search-extensions:elastic:Extension
    properties:
      extensionType: bundle
      version: "8.*"
      filePath: stopwords.zip
{on_file_change}outputs:
  extensionId: ${{stopwords.extensionId}}
  elasticsearchPlan:
    version: 8.15.0
    user_bundles:
      - name: stopwords
        url: ${{stopwords.url}}
        elasticsearch_version: 8.15.0
"""


def _stopwords(path: Path, *words: str) -> Path:
    return make_zip(path, {"dictionaries/stopwords.txt": "".join(f"{word}\n" for word in words)})


@pytest.mark.parametrize("on_file_change", ["replace", None], ids=["replace", "default"])
def test_a_changed_file_through_the_plugin_is_replaced_or_updated_as_on_file_change_says(
    on_file_change: str | None,
    yaml_language_host: Path,
    pulumi_env: dict[str, str],
    clean_emulator: EmulatorHandle,
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    line = f"      onFileChange: {on_file_change}\n" if on_file_change else ""
    (project / "Pulumi.yaml").write_text(PROGRAM.format(plugin_dir=REPO_ROOT / ".venv" / "bin", on_file_change=line))
    archive = _stopwords(project / "stopwords.zip", "a", "the")
    env = {**os.environ, **pulumi_env, "PATH": os.pathsep.join([str(yaml_language_host.parent), pulumi_env["PATH"]])}

    def pulumi(*args: str) -> str:
        run = subprocess.run(
            [str(TOOLS_BIN / "pulumi"), *args, "--non-interactive"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, f"pulumi {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
        return run.stdout + run.stderr

    def outputs() -> dict[str, object]:
        found: dict[str, object] = json.loads(pulumi("stack", "output", "--json"))
        return found

    def plan_url() -> object:
        plan = outputs()["elasticsearchPlan"]
        assert isinstance(plan, dict)
        return plan["user_bundles"][0]["url"]

    pulumi("stack", "init", f"f{uuid.uuid4().hex[:8]}")
    plain, secret = plugin_stack_config(clean_emulator)
    for key, value in plain.items():
        pulumi("config", "set", key, value)
    for key, value in secret.items():
        pulumi("config", "set", "--secret", key, value)
    pulumi("up", "--yes")
    old_id = outputs()["extensionId"]

    _stopwords(archive, "a", "an", "the")
    preview = pulumi("preview", "--diff")
    up = pulumi("up", "--yes")

    held = [e["id"] for e in elastic_extensions(clean_emulator)]
    if on_file_change == "replace":
        assert "1 to replace" in preview and "fileSha256" in preview, preview
        assert "1 replaced" in up, up
        new_id = outputs()["extensionId"]
        assert new_id != old_id
        assert plan_url() == f"repo://{new_id}", "the plan fragment follows in the same up"
        assert held == [new_id], "the old extension is gone"
    else:
        assert "1 to update" in preview and "1 updated" in up, (preview, up)
        assert outputs()["extensionId"] == old_id and plan_url() == f"repo://{old_id}"
        assert held == [old_id]
    pulumi("destroy", "--yes")
    assert elastic_extensions(clean_emulator) == []
    pulumi("stack", "rm", "--yes")
