"""Generating the plugin's SDKs with `pulumi package gen-sdk`, for the SDK tests.

`gen-sdk --language L` hands the schema to the language plugin `pulumi-language-L` (nodejs, go, python). An
official install ships them beside the CLI; the Go module proxy does not serve their modules, so where none is
installed the tests build `sdkgen/` (a language plugin that only generates code, with Pulumi's own generators
at the CLI's version) and install it under the missing names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.stacks import TOOLS_BIN
from support.toolchain import PulumiCliMissing, find_pulumi

SDKGEN = Path(__file__).resolve().parent / "sdkgen"
"""The Go module of the code-generation-only language plugin."""

PLUGIN_EXECUTABLE = "pulumi-resource-search-extensions"

NO_GO = (
    "needs Go >= 1.25 on PATH (https://go.dev/doc/install or the OS package `golang`): it builds the SDK "
    "generator (or put an official Pulumi install, with pulumi-language-{language}, on PATH)"
)


def pulumi_cli() -> Path:
    """The project's CLI; a missing CLI fails the test, it never skips it."""
    try:
        return find_pulumi(TOOLS_BIN)
    except PulumiCliMissing as exc:
        pytest.fail(str(exc), pytrace=False)


def plugin_executable() -> Path:
    """The installed plugin (the package's console script, beside this interpreter)."""
    beside = Path(sys.executable).parent / PLUGIN_EXECUTABLE
    found = beside if beside.exists() else shutil.which(PLUGIN_EXECUTABLE)
    if found is None:
        pytest.fail(f"{PLUGIN_EXECUTABLE} is not installed: run `make setup`", pytrace=False)
    return Path(found)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Runs a command to completion; a non-zero exit fails the test with everything it printed."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"`{' '.join(command)}` in {cwd} exited {done.returncode}:\n{output}"
    return output


def language_plugins(language: str, build_dir: Path) -> Path:
    """A folder to put on PATH in which `pulumi-language-<language>` is found.

    An official plugin beside the CLI or on PATH is used as it is; else `sdkgen` is built (skips without Go).
    """
    name = f"pulumi-language-{language}"
    for folder in (pulumi_cli().parent, *(Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p)):
        if os.access(folder / name, os.X_OK):
            return folder
    go = shutil.which("go")
    if go is None:
        pytest.skip(NO_GO.format(language=language))
    build_dir.mkdir(parents=True, exist_ok=True)
    built = build_dir / "sdkgen"
    if not built.exists():
        version = run([str(pulumi_cli()), "version"], cwd=build_dir).strip()
        ldflags = f"-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version={version}"
        # -mod=readonly: its go.sum is complete, and the build must not edit the repository.
        env = {**os.environ, "GOFLAGS": "-mod=readonly -buildvcs=false", "GOTOOLCHAIN": "local"}
        run([go, "build", "-trimpath", "-ldflags", ldflags, "-o", str(built), "."], cwd=SDKGEN, env=env)
    # One binary for every language: it reads the language from the name it is started under.
    if not (build_dir / name).exists():
        (build_dir / name).symlink_to(built)
    return build_dir


def go_env() -> dict[str, str]:
    """Go may fetch missing modules from the proxy and record them (-mod=mod), but never another toolchain."""
    flags = os.environ.get("GOFLAGS", "")
    return {**os.environ, "GOFLAGS": f"{flags} -mod=mod".strip(), "GOTOOLCHAIN": "local"}


def gen_sdk(language: str, out: Path, plugins: Path, home: Path, *, local: bool = False) -> Path:
    """`pulumi package gen-sdk <plugin> --language <language> --out <out> [--local]`; returns the SDK's folder.

    `--local` makes an SDK to install from its folder (Node.js: compiled by its own `postinstall`).
    """
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(plugins), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    command = [str(pulumi_cli()), "package", "gen-sdk", str(plugin_executable())]
    command += ["--language", language, "--out", str(out), *(["--local"] if local else [])]
    run(command, cwd=out.parent, env=env)
    return out / language
