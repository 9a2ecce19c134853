"""A user's shell and clone, for the tests that type a README's commands: a copy of what a clone holds for
running programs, an environment with none of our settings, and what a program left on the services."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from support.stacks import REPO_ROOT, TOOLS_DIR

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def user_checkout(root: Path) -> Path:
    """`root/checkout`: the programs, env.sh, and the built .venv and .tools (the tools folder the tests use,
    so a second run with the newest CLI types the same commands with it)."""
    checkout = root / "checkout"
    checkout.mkdir()
    shutil.copytree(REPO_ROOT / "examples", checkout / "examples")
    (checkout / "scripts").mkdir()
    shutil.copy2(REPO_ROOT / "scripts" / "env.sh", checkout / "scripts" / "env.sh")
    for name in ("Pulumi.yaml", "__main__.py", "README.md"):
        shutil.copy2(REPO_ROOT / name, checkout / name)
    (checkout / ".venv").symlink_to(REPO_ROOT / ".venv")
    (checkout / ".tools").symlink_to(TOOLS_DIR)
    return checkout


def user_env(state: Path) -> dict[str, str]:
    """A user's shell: none of our settings, a private backend, passphrase and Pulumi home."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULUMI_", "COVEO_", "EC_"))}
    env.pop("SEARCH_EXTENSIONS_TOOLS", None)  # the checkout's .tools is that folder already
    (state / "backend").mkdir(parents=True)
    passphrase = state / "passphrase"
    passphrase.write_text("folder-test-passphrase")
    passphrase.chmod(0o600)
    env.update(
        PULUMI_BACKEND_URL=(state / "backend").as_uri(),
        PULUMI_CONFIG_PASSPHRASE_FILE=str(passphrase),
        PULUMI_HOME=str(state / "home"),
    )
    return env


def left_on_the_service(emulator: EmulatorHandle) -> list[str]:
    """What the emulator still holds that a program made: extensions, and sources that run any."""
    dump = emulator.admin.dump()
    left = [f"elastic extension {e['id']}" for e in dump["elastic"]["extensions"]]
    for organization, held in dump["coveo"].items():
        left += [f"coveo extension {e['id']} in {organization}" for e in held["extensions"]]
        for source in held["sources"]:
            stages = source["extensions"].get("common", {})
            if any(stages.get(stage) for stage in ("preConversionExtensions", "postConversionExtensions")):
                left.append(f"the extension map of source {source['id']}")
    return left
