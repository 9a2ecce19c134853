"""Finding the Pulumi CLI and preparing a local backend, for the demo, the tests and the benchmarks (not shipped).

The CLI is built into `<repo>/.tools/bin` by `scripts/install-pulumi.sh` (it cannot be downloaded on
every machine). Plain `pulumi up` in a folder also needs the Python language host
`pulumi-language-python`, which that script provides when it can; without it, programs run through the
Automation API with inline programs, which needs only `pulumi` and the dynamic-provider launcher
`pulumi-resource-pulumi-python`. Programs in YAML (`runtime: yaml`) need the YAML language host
`pulumi-language-yaml`, which that script also puts beside the CLI when it can (it is optional).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1]
"""The folder `support` is imported from (`tests/`)."""

INSTALL_HINT = "run `scripts/install-pulumi.sh` (or `make tools`), or install the Pulumi CLI and put it on PATH"

YAML_HOST_PACKAGE = "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
YAML_HOST_VERSION = "v1.25.0"
"""The YAML language host `scripts/install-pulumi.sh` builds (its PULUMI_YAML_VERSION): the one the Go module
proxy serves here, checked with the CLI it builds."""

YAML_HOST_HINT = (
    "run `scripts/install-pulumi.sh` (or `make tools`; it builds it from the Go module proxy, about a minute), "
    f"or `go install {YAML_HOST_PACKAGE}@{YAML_HOST_VERSION}` and put `$(go env GOPATH)/bin` on PATH"
)


class PulumiCliMissing(RuntimeError):
    """No usable Pulumi CLI was found."""


def find_pulumi(tools_bin: Path) -> Path:
    """The `pulumi` executable in `tools_bin`, else on PATH; raises `PulumiCliMissing` naming the fix."""
    candidate = tools_bin / "pulumi"
    if candidate.exists() and os.access(candidate, os.X_OK):
        return candidate
    on_path = shutil.which("pulumi")
    if on_path:
        return Path(on_path)
    raise PulumiCliMissing(f"the Pulumi CLI was not found in {tools_bin} nor on PATH: {INSTALL_HINT}")


def _tool_folders(tools_bin: Path) -> list[Path]:
    """Where a tool is looked for: `tools_bin` first, then each folder of PATH in order."""
    return [tools_bin, *(Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p)]


def find_language_host(tools_bin: Path) -> Path | None:
    """The Python language host (`pulumi-language-python`, with its exec script beside it), or None."""
    for folder in _tool_folders(tools_bin):
        host = folder / "pulumi-language-python"
        if os.access(host, os.X_OK) and (folder / "pulumi-language-python-exec").exists():
            return host
    return None


def find_yaml_host(tools_bin: Path) -> Path | None:
    """The YAML language host (`pulumi-language-yaml`) in `tools_bin`, else on PATH, or None.

    The CLI runs it for a `Pulumi.yaml` that says `runtime: yaml`: it takes the one on PATH, else the
    one beside itself.
    """
    for folder in _tool_folders(tools_bin):
        host = folder / "pulumi-language-yaml"
        if host.is_file() and os.access(host, os.X_OK):
            return host
    return None


def provider_env(tools_bin: Path) -> dict[str, str]:
    """Environment so the CLI finds the dynamic-provider launcher and runs it in this interpreter's venv.

    `tests/` is on the provider process's PYTHONPATH: dill pickles a provider by reference to its module, and
    the no-op resource's provider lives in `support.smoke`.
    """
    launcher = tools_bin / "pulumi-resource-pulumi-python"
    if not launcher.exists() and not shutil.which("pulumi-resource-pulumi-python"):
        raise PulumiCliMissing(
            f"pulumi-resource-pulumi-python was not found in {tools_bin} nor on PATH: {INSTALL_HINT}"
        )
    path = os.pathsep.join([str(tools_bin), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    python_path = os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")]))
    return {
        "PATH": path,
        "PYTHONPATH": python_path,
        "PULUMI_PYTHON_CMD": sys.executable,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }


def local_backend_env(state_dir: Path) -> dict[str, str]:
    """A file backend in `state_dir`, with a passphrase generated once into a 0600 file.

    When the user has set `PULUMI_BACKEND_URL` themselves, their backend (and their passphrase or
    secrets provider settings) is used instead.
    """
    if os.environ.get("PULUMI_BACKEND_URL"):
        return {"PULUMI_BACKEND_URL": os.environ["PULUMI_BACKEND_URL"]}
    state_dir.mkdir(parents=True, exist_ok=True)
    passphrase_file = state_dir / "passphrase"
    if not passphrase_file.exists():
        fd = os.open(passphrase_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    backend = state_dir / "backend"
    backend.mkdir(exist_ok=True)
    return {
        "PULUMI_BACKEND_URL": backend.resolve().as_uri(),
        "PULUMI_CONFIG_PASSPHRASE_FILE": str(passphrase_file.resolve()),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
