"""The YAML language host works with our Pulumi CLI: a `runtime: yaml` program goes through plain `pulumi`.

The program declares no resource (none that would need a plugin download): its outputs are computed
from stack config and `variables:` with YAML built-in functions, so only the CLI, the engine and
`pulumi-language-yaml` take part. It skips, saying what to install, when the YAML host is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from support.stacks import TOOLS_BIN

pytestmark = pytest.mark.e2e

PROGRAM = """\
name: yaml-toolchain
runtime: yaml
config:
  who:
    type: string
variables:
  greeting:
    fn::join: [", ", ["hello", "${who}"]]
outputs:
  greeting: ${greeting}
  encoded:
    fn::toBase64: ${greeting}
  words:
    fn::split: [", ", "${greeting}"]
  stack: ${pulumi.stack}
"""


def test_a_yaml_program_goes_through_preview_up_and_stack_output_with_our_cli(
    yaml_language_host: Path, pulumi_env: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(PROGRAM)
    path = os.pathsep.join([str(yaml_language_host.parent), pulumi_env["PATH"]])
    env = {**os.environ, **pulumi_env, "PATH": path}
    stack = f"y{uuid.uuid4().hex[:8]}"

    def pulumi(*args: str) -> str:
        run = subprocess.run(
            [str(TOOLS_BIN / "pulumi"), *args, "--non-interactive"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, f"pulumi {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
        return run.stdout + run.stderr

    pulumi("stack", "init", stack)
    pulumi("config", "set", "who", "world")
    preview = pulumi("preview")
    up = pulumi("up", "--yes")
    outputs = json.loads(pulumi("stack", "output", "--json"))

    assert "+ 1 to create" in preview, preview
    assert "1 created" in up, up
    assert outputs == {
        "greeting": "hello, world",
        "encoded": "aGVsbG8sIHdvcmxk",
        "words": ["hello", "world"],
        "stack": stack,
    }
