"""One stack, run from several folders (a teammate's clone, a CI workspace): the same plan from each.

Plain `pulumi` in a project folder, as a team runs it: a Python program of the three dynamic resources
(script and bundle read from files of the project), and a YAML program through the provider plugin. The
state records each file's path relative to the project's folder and each file's SHA-256; a diff compares
the bytes, never the path. So a copy of the folder elsewhere, assets moved inside it, and a state written
by an earlier version (absolute paths of another machine) all plan no change.

The Python program needs Pulumi's Python language host, the YAML one the YAML host: each test skips,
naming the host, without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle
from pulumi_search_extensions.plugin.config import plugin_key
from support.files import make_zip
from support.stacks import REPO_ROOT, TOOLS_BIN
from support.state import SECRET_SIG_KEY

pytestmark = pytest.mark.e2e

SCRIPT = "document.add_meta_data({'normalized': True})\n"

PYTHON_PROJECT = f"""\
name: shared-paths
runtime:
  name: python
  options:
    virtualenv: {REPO_ROOT / ".venv"}
"""

PYTHON_PROGRAM = """\
import pulumi
from pulumi_search_extensions import CoveoExtension, CoveoSourceExtensions, ElasticExtension

config = pulumi.Config()
assets = config.get("assets") or "assets"
normalize = CoveoExtension("normalize", script_path=f"{assets}/normalize.py")
CoveoSourceExtensions(
    "web-pages",
    source_id=config.require("sourceId"),
    post_conversion=[{"extension_id": normalize.extension_id}],
)
ElasticExtension("synonyms", extension_type="bundle", version="8.*", file_path=f"{assets}/synonyms.zip")
"""

YAML_PROGRAM = f"""\
name: shared-paths-yaml
runtime: yaml
plugins:
  providers:
    - name: search-extensions
      path: {REPO_ROOT / ".venv" / "bin"}
config:
  sourceId:
    type: string
resources:
  normalize:
    type: search-extensions:coveo:Extension
    properties:
      scriptPath: assets/normalize.py
  webPages:
    type: search-extensions:coveo:SourceExtensions
    properties:
      sourceId: ${{sourceId}}
      postConversion:
        - extensionId: ${{normalize.id}}
  synonyms:
    type: search-extensions:elastic:Extension
    properties:
      extensionType: bundle
      version: "8.*"
      filePath: assets/synonyms.zip
"""

Pulumi = Callable[..., str]


def _project(folder: Path, project_yaml: str, program: str | None) -> Path:
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text(project_yaml)
    if program is not None:
        (folder / "__main__.py").write_text(program)
    (folder / "assets").mkdir()
    (folder / "assets" / "normalize.py").write_text(SCRIPT)
    make_zip(folder / "assets" / "synonyms.zip")
    return folder


def _pulumi_in(env: dict[str, str]) -> Callable[[Path], Pulumi]:
    def in_folder(folder: Path) -> Pulumi:
        def pulumi(*args: str, ok: bool = True) -> str:
            run = subprocess.run(
                [str(TOOLS_BIN / "pulumi"), *args, "--non-interactive"],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            output = run.stdout + run.stderr
            if ok:
                assert run.returncode == 0, f"pulumi {' '.join(args)} in {folder} failed:\n{output}"
            return output

        return pulumi

    return in_folder


def _env(pulumi_env: dict[str, str], extra_path: Path | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULUMI_", "COVEO_", "EC_"))}
    env.update(pulumi_env)
    path = [str(TOOLS_BIN), str(REPO_ROOT / ".venv" / "bin")]
    if extra_path is not None:
        path.insert(0, str(extra_path))
    env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
    return env


def _deployed(
    folder: Path, pulumi: Pulumi, emulator: EmulatorHandle, *, plugin: bool
) -> tuple[str, dict[str, str], dict[str, str]]:
    """`stack init`, config pointing at the emulator, `up`: returns the stack name and its config."""
    stack = f"t{uuid.uuid4().hex[:8]}"
    plain, secret = emulator.stack_config()
    if plugin:
        plain, secret = {plugin_key(k): v for k, v in plain.items()}, {plugin_key(k): v for k, v in secret.items()}
    source = emulator.admin.create_source(emulator.coveo_organization_id, f"pages-{stack}")
    plain["sourceId"] = source["id"]
    pulumi("stack", "init", stack)
    pulumi(
        "config",
        "set-all",
        *[arg for key, value in plain.items() for arg in ("--plaintext", f"{key}={value}")],
        *[arg for key, value in secret.items() for arg in ("--secret", f"{key}={value}")],
    )
    pulumi("up", "--yes", "--skip-preview")
    return stack, plain, secret


def _recorded_paths(pulumi: Pulumi) -> dict[str, Any]:
    """Every file path the state records (inputs and outputs of each resource), by resource name."""
    deployment = json.loads(pulumi("stack", "export"))["deployment"]
    paths: dict[str, Any] = {}
    for resource in deployment["resources"]:
        name = resource["urn"].rsplit("::", 1)[-1]
        for part in ("inputs", "outputs"):
            for key in ("file_path", "script_path", "filePath", "scriptPath"):
                if (resource.get(part) or {}).get(key) is not None:
                    paths[f"{name}.{part}.{key}"] = resource[part][key]
    return paths


def _clone(folder: Path, elsewhere: Path) -> Path:
    """A teammate's clone: the same files (stack config included) in another folder."""
    shutil.copytree(folder, elsewhere, ignore=shutil.ignore_patterns("__pycache__"))
    return elsewhere


def test_a_copy_of_the_python_project_elsewhere_plans_no_change(
    language_host: Path, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    in_folder = _pulumi_in(_env(pulumi_env))
    mine = _project(tmp_path / "home" / "a" / "infra", PYTHON_PROJECT, PYTHON_PROGRAM)
    stack, _, _ = _deployed(mine, in_folder(mine), clean_emulator, plugin=False)
    assert set(_recorded_paths(in_folder(mine)).values()) == {"assets/normalize.py", "assets/synonyms.zip"}

    theirs = _clone(mine, tmp_path / "builds" / "infra")
    in_folder(theirs)("stack", "select", stack)
    in_folder(theirs)("preview", "--expect-no-changes")
    shutil.rmtree(mine)  # the first clone is gone: nothing of it is needed
    in_folder(theirs)("preview", "--expect-no-changes")

    # Changed bytes are still a change.
    make_zip(theirs / "assets" / "synonyms.zip", {"synonyms.txt": "laptop, notebook\n"})
    changed = in_folder(theirs)("preview", "--expect-no-changes", ok=False)
    assert "1 to update" in changed, changed
    in_folder(theirs)("destroy", "--yes", "--skip-preview")


def test_assets_moved_inside_the_project_plan_no_change(
    language_host: Path, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    in_folder = _pulumi_in(_env(pulumi_env))
    project = _project(tmp_path / "infra", PYTHON_PROJECT, PYTHON_PROGRAM)
    pulumi = in_folder(project)
    _deployed(project, pulumi, clean_emulator, plugin=False)

    (project / "files").mkdir()
    (project / "assets").rename(project / "files" / "search")
    pulumi("config", "set", "assets", "files/search")
    pulumi("preview", "--expect-no-changes")
    pulumi("up", "--yes", "--skip-preview")
    assert set(_recorded_paths(pulumi).values()) >= {"files/search/normalize.py", "files/search/synonyms.zip"}
    pulumi("destroy", "--yes", "--skip-preview")


def _with_absolute_paths(exported: dict[str, Any], old_root: str) -> dict[str, Any]:
    """The state as an earlier version wrote it on another machine: absolute paths under `old_root`."""
    for resource in exported["deployment"]["resources"]:
        for part in ("inputs", "outputs"):
            values = resource.get(part) or {}
            for key in ("file_path", "script_path"):
                value = values.get(key)
                if isinstance(value, str) and not value.startswith("/"):
                    values[key] = f"{old_root}/{value}"
    return exported


def test_a_state_with_absolute_paths_of_another_machine_plans_no_change_and_up_rewrites_them_without_a_call(
    language_host: Path, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    in_folder = _pulumi_in(_env(pulumi_env))
    project = _project(tmp_path / "infra", PYTHON_PROJECT, PYTHON_PROGRAM)
    pulumi = in_folder(project)
    _deployed(project, pulumi, clean_emulator, plugin=False)
    legacy = _with_absolute_paths(json.loads(pulumi("stack", "export")), "/home/a/infra")
    (tmp_path / "legacy.json").write_text(json.dumps(legacy))
    pulumi("stack", "import", "--file", str(tmp_path / "legacy.json"))
    assert "/home/a/infra/assets/synonyms.zip" in _recorded_paths(pulumi).values()

    pulumi("preview", "--expect-no-changes")
    clean_emulator.admin.clear_requests()
    pulumi("up", "--yes", "--skip-preview", "--expect-no-changes")

    assert clean_emulator.admin.requests()["requests"] == []  # no API call
    inputs = {k: v for k, v in _recorded_paths(pulumi).items() if ".inputs." in k}
    assert inputs == {
        "normalize.inputs.script_path": "assets/normalize.py",
        "synonyms.inputs.file_path": "assets/synonyms.zip",
    }
    pulumi("destroy", "--yes", "--skip-preview")


def test_a_copy_of_the_yaml_project_elsewhere_plans_no_change_through_the_plugin(
    yaml_language_host: Path, clean_emulator: EmulatorHandle, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    in_folder = _pulumi_in(_env(pulumi_env, yaml_language_host.parent))
    mine = _project(tmp_path / "home" / "a" / "infra", YAML_PROGRAM, None)
    stack, _, _ = _deployed(mine, in_folder(mine), clean_emulator, plugin=True)
    recorded = _recorded_paths(in_folder(mine))
    assert set(recorded.values()) == {"assets/normalize.py", "assets/synonyms.zip"}, recorded
    assert not any(SECRET_SIG_KEY in json.dumps(v) for v in recorded.values())

    theirs = _clone(mine, tmp_path / "builds" / "infra")
    shutil.rmtree(mine)
    in_folder(theirs)("stack", "select", stack)
    in_folder(theirs)("preview", "--expect-no-changes")
    in_folder(theirs)("destroy", "--yes", "--skip-preview")
