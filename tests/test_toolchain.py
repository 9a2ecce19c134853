"""Finding the optional YAML language host, and the version the install script builds of it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
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


def test_the_tests_use_the_tools_folder_search_extensions_tools_names_else_the_repositorys(tmp_path: Path) -> None:
    code = "import sys; sys.path.insert(0, 'tests'); from support.stacks import TOOLS_BIN; print(TOOLS_BIN)"

    def tools_bin(env: dict[str, str]) -> str:
        ran = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        assert ran.returncode == 0, ran.stderr
        return ran.stdout.strip()

    others = {k: v for k, v in os.environ.items() if k != "SEARCH_EXTENSIONS_TOOLS"}
    assert tools_bin(others) == str(REPO_ROOT / ".tools" / "bin")
    assert tools_bin({**others, "SEARCH_EXTENSIONS_TOOLS": str(tmp_path / "newest")}) == str(
        tmp_path / "newest" / "bin"
    )


def test_the_newest_cli_without_the_go_module_proxy_is_the_fallback_and_the_script_says_so() -> None:
    go = shutil.which("go")
    if go is None:
        pytest.skip("needs Go on PATH (https://go.dev/doc/install): the script asks the Go module proxy with it")
    script = (REPO_ROOT / "scripts" / "install-pulumi.sh").read_text()
    [fallback] = re.findall(
        r'^PULUMI_NEWEST_FALLBACK="\$\{PULUMI_NEWEST_FALLBACK:-(v[0-9.]+)\}"$', script, re.MULTILINE
    )
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    env.pop("PULUMI_NEWEST_FALLBACK", None)

    ran = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "install-pulumi.sh"), "--newest-version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert (ran.returncode, ran.stdout) == (0, f"{fallback}\n")
    assert f"did not say which pulumi is the newest; using {fallback}" in ran.stderr


def test_a_claimed_python_not_found_is_skipped_naming_it_and_fails_nothing(tmp_path: Path) -> None:
    ran = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "unit-pythons.sh")],
        env={**os.environ, "PYTHONS": "3.1", "PYENV_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ran.returncode == 0, ran.stderr
    assert "Python 3.1: not found on this machine, skipped (install it" in ran.stderr
    assert not (REPO_ROOT / ".venvs" / "py3.1").exists()
