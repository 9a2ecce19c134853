"""Finding the optional YAML language host, and the version the install script builds of it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from support.toolchain import YAML_HOST_HINT, YAML_HOST_VERSION, find_yaml_host

REPO_ROOT = Path(__file__).resolve().parents[1]


def executable(folder: Path, name: str = "pulumi-language-yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    return tool


def test_the_yaml_host_beside_the_cli_comes_before_one_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    beside = executable(tmp_path / "tools")
    executable(tmp_path / "on-path")
    monkeypatch.setenv("PATH", str(tmp_path / "on-path"))

    assert find_yaml_host(tmp_path / "tools") == beside


def test_the_yaml_host_is_found_on_path_when_none_is_beside_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_path = executable(tmp_path / "second")
    (tmp_path / "first").mkdir()
    monkeypatch.setenv("PATH", os.pathsep.join([str(tmp_path / "first"), str(tmp_path / "second")]))

    assert find_yaml_host(tmp_path / "tools") == on_path


def test_no_yaml_host_is_none_and_a_file_that_cannot_run_is_no_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executable(tmp_path / "tools").chmod(0o644)
    executable(tmp_path / "other", "pulumi-language-python")
    monkeypatch.setenv("PATH", str(tmp_path / "other"))

    assert find_yaml_host(tmp_path / "tools") is None


def test_the_install_hint_names_the_version_the_install_script_builds() -> None:
    script = (REPO_ROOT / "scripts" / "install-pulumi.sh").read_text()
    [built] = re.findall(r'^PULUMI_YAML_VERSION="\$\{PULUMI_YAML_VERSION:-(v[0-9.]+)\}"$', script, re.MULTILINE)

    assert built == YAML_HOST_VERSION
    assert f"github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@{built}" in YAML_HOST_HINT
    assert "scripts/install-pulumi.sh" in YAML_HOST_HINT
