"""The README's walkthroughs read as complete scripts on any machine, with or without the tools that run them.

`tests/e2e` types them (`test_programs_in_folders.py`, `test_typescript_and_go_programs.py`), and skips a
language whose host or toolchain is missing; these checks need neither, so a README edit that drops a file
or a step fails here everywhere.
"""

from __future__ import annotations

import re

import pytest

from e2e.readme_walkthrough import walkthrough_from_empty_folder
from support.stacks import REPO_ROOT

SECTION = "TypeScript and Go, from an empty folder"

SAVED = {"TypeScript": ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts"], "Go": ["Pulumi.yaml", "main.go"]}
RUNTIME = {"TypeScript": "nodejs", "Go": "go"}


@pytest.mark.parametrize("language", sorted(SAVED))
def test_the_walkthrough_from_an_empty_folder_saves_the_project_then_deploys_it(language: str) -> None:
    steps = walkthrough_from_empty_folder(REPO_ROOT / "README.md", SECTION, language, "Deploying it")

    assert steps.commands[0].startswith("mkdir ../search-infra-")  # an empty folder of its own
    saved = [m.group(1) for c in steps.commands if (m := re.match(r"cat > '?([\w.]+)'? <<", c))]
    assert saved == SAVED[language]
    [project] = [c for c in steps.commands if c.startswith("cat > Pulumi.yaml <<EOF\n")]
    assert project.endswith("\nEOF") and f"\nruntime: {RUNTIME[language]}\n" in project  # one command, whole
    [gen_sdk] = [i for i, c in enumerate(steps.commands) if c.startswith("pulumi package gen-sdk ")]
    assert f"--language {RUNTIME[language]} " in steps.commands[gen_sdk]
    assert gen_sdk < steps.index("pulumi stack init dev") < steps.index("pulumi up") < steps.edit_up
