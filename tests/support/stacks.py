"""Pulumi stacks of inline programs, driven through the Automation API: one factory for the end-to-end tests,
the benchmarks and `scripts/demo.py`.

No pytest here: the benchmarks and the demo import this module with `tests/` on `sys.path` (see `scripts/demo.py`),
so it must work from a user's fresh clone with only the package and its `emulator` extra installed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pulumi import automation as auto

from .toolchain import find_pulumi, provider_env

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_ENV = "SEARCH_EXTENSIONS_TOOLS"
"""Names another tools folder than `<repo>/.tools`: CI runs the end-to-end tests a second time with the newest
Pulumi CLI, which `PULUMI_VERSION=... scripts/install-pulumi.sh .tools-latest` built there."""
TOOLS_DIR = Path(os.environ.get(TOOLS_ENV) or REPO_ROOT / ".tools").absolute()
TOOLS_BIN = TOOLS_DIR / "bin"
"""Where `scripts/install-pulumi.sh` puts the CLI, its language hosts and the dynamic-provider launcher."""


PATIENT_RETRIES = {
    "coveo:maxRetries": "12",
    "coveo:retryBudget": "60",
    "coveo:retryBackoff": "0.05",
    "ec:maxRetries": "12",
    "ec:retryBudget": "60",
    "ec:retryBackoff": "0.05",
}
"""Stack config for runs under heavy injected faults: at 30% of calls lost or refused, 12 retries make one
call fail for good about once in 2 million (0.3 ** 13), and the short back-off keeps the run fast."""


def quiet(_line: str) -> None:
    """An `on_output` for `stack.up(...)` and friends that drops the CLI's output."""


def pulumi_command(tools_bin: Path = TOOLS_BIN) -> auto.PulumiCommand:
    """The project's Pulumi CLI for the Automation API; raises `PulumiCliMissing` naming the fix."""
    return auto.PulumiCommand(root=str(find_pulumi(tools_bin).parent.parent), skip_version_check=True)


def throwaway_backend_env(root: Path, passphrase: str = "throw-away-passphrase") -> dict[str, str]:
    """A file backend, its passphrase file and a PULUMI_HOME, all under `root`.

    What tests and benchmarks run in: the user's own backend is never touched, even when PULUMI_BACKEND_URL is set.
    """
    backend = root / "backend"
    backend.mkdir(parents=True, exist_ok=True)
    passphrase_file = root / "passphrase"
    passphrase_file.write_text(passphrase, encoding="ascii")
    passphrase_file.chmod(0o600)
    return {
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE_FILE": str(passphrase_file),
        "PULUMI_HOME": str(root / "home"),
    }


class StackFactory:
    """Makes inline-program stacks with one CLI and one environment: `stacks(program, config={...}, ...)`.

    `env` is the environment of the CLI and of the provider process it starts (the backend, the provider
    launcher); each stack gets a fresh work directory under `work_root` unless it names its own.
    """

    def __init__(self, env: Mapping[str, str], work_root: Path, command: auto.PulumiCommand | None = None) -> None:
        self.env = dict(env)
        self.work_root = work_root
        self.command = command or pulumi_command()
        self.made: list[auto.Stack] = []

    @classmethod
    def throwaway(cls, root: Path, extra_env: Mapping[str, str] | None = None) -> StackFactory:
        """Stacks on a throw-away file backend in `root` (`extra_env` last, e.g. another backend's URL)."""
        env = {**provider_env(TOOLS_BIN), **throwaway_backend_env(root), **(extra_env or {})}
        return cls(env, root / "ws")

    def __call__(
        self,
        program: Callable[[], None],
        config: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        project: str = "e2e",
        *,
        name: str | None = None,
        work_dir: Path | None = None,
        select: bool = False,
    ) -> auto.Stack:
        """A new stack running `program`, with plain `config` and encrypted `secrets` (`"coveo:host": ...`).

        `env` is added to the environment of the CLI and the provider process. `select` selects the stack
        `name` when it exists (the demo's stack survives between runs). Given a `work_dir` of its own, the
        stack uses the `Pulumi.yaml` there (none is written); otherwise it gets a fresh one.
        """
        name = name or f"s{uuid.uuid4().hex[:10]}"
        settings = None
        if work_dir is None:
            work_dir = self.work_root / name
            work_dir.mkdir(parents=True)
            settings = auto.ProjectSettings(name=project, runtime="python")
        options = auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            pulumi_command=self.command,
            env_vars={**self.env, **(env or {})},
            project_settings=settings,
        )
        make = auto.create_or_select_stack if select else auto.create_stack
        stack = make(stack_name=name, project_name=project, program=program, opts=options)
        set_config(stack, config or {}, secrets)
        self.made.append(stack)
        return stack

    def remove_all(self) -> None:
        """Destroys what each stack made here still holds, then removes the stacks (after the test or benchmark)."""
        for stack in self.made:
            remove(stack)
        self.made.clear()


def flat_stack_config(emulator: EmulatorHandle, changes: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The stack config that points both services at the emulator, plain and secret values in one mapping (a
    provider sees them decrypted alike), with `changes` applied: a None or "" value removes the key."""
    plain, secret = emulator.stack_config()
    merged = {**plain, **secret, **(changes or {})}
    return {key: value for key, value in merged.items() if value}


def set_config(stack: auto.Stack, config: Mapping[str, str], secrets: Mapping[str, str] | None = None) -> None:
    """Sets plain and secret stack config in one CLI call (one `set_config` call per key costs seconds)."""
    values = {key: auto.ConfigValue(value) for key, value in config.items()}
    values.update({key: auto.ConfigValue(value, secret=True) for key, value in (secrets or {}).items()})
    if values:
        stack.set_all_config(values)


def remove(stack: auto.Stack) -> None:
    """Destroys whatever the stack still holds (after a failed run), then removes it."""
    try:
        if stack.export_stack().deployment.get("resources"):
            stack.destroy(on_output=quiet)
    finally:
        stack.workspace.remove_stack(stack.name, force=True)
