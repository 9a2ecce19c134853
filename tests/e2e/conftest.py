"""Fixtures that drive the real Pulumi CLI and engine through the Automation API (inline programs).

A test that needs the CLI fails, loudly, when it is missing: it never skips.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_search_extensions._toolchain import PulumiCliMissing, find_pulumi, provider_env

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"

StackFactory = Callable[..., auto.Stack]


@pytest.fixture(scope="session")
def pulumi_command() -> auto.PulumiCommand:
    """The project's Pulumi CLI (built by scripts/install-pulumi.sh)."""
    try:
        cli = find_pulumi(TOOLS_BIN)
    except PulumiCliMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    return auto.PulumiCommand(root=str(cli.parent.parent), skip_version_check=True)


@pytest.fixture(scope="session")
def pulumi_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of every CLI run: a throw-away file backend, its passphrase, the provider launcher."""
    state_dir = tmp_path_factory.mktemp("pulumi-state")
    try:
        env = provider_env(TOOLS_BIN)
    except PulumiCliMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    # Tests never touch the user's own backend, even when PULUMI_BACKEND_URL is set.
    backend = state_dir / "backend"
    backend.mkdir()
    passphrase = state_dir / "passphrase"
    passphrase.write_text("e2e-test-passphrase")
    passphrase.chmod(0o600)
    env.update(
        {
            "PULUMI_BACKEND_URL": backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE_FILE": str(passphrase),
            "PULUMI_HOME": str(state_dir / "home"),
        }
    )
    return env


@pytest.fixture
def new_stack(pulumi_command: auto.PulumiCommand, pulumi_env: dict[str, str], tmp_path: Path) -> Iterator[StackFactory]:
    """Makes inline-program stacks: `new_stack(program, config={...}, env={...}, secrets={...})`.

    `config` and `secrets` are stack config (`"coveo:host": "..."`); `secrets` are stored encrypted.
    `env` is added to the environment of the CLI and the provider process.
    Stacks still holding resources at the end of the test are destroyed, then removed.
    """
    made: list[auto.Stack] = []

    def factory(
        program: auto.PulumiFn,
        config: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        project: str = "e2e",
    ) -> auto.Stack:
        work_dir = tmp_path / f"ws-{len(made)}"
        work_dir.mkdir()
        stack = auto.create_stack(
            stack_name=f"t{uuid.uuid4().hex[:10]}",
            project_name=project,
            program=program,
            opts=auto.LocalWorkspaceOptions(
                work_dir=str(work_dir),
                pulumi_command=pulumi_command,
                env_vars={**pulumi_env, **(env or {})},
                project_settings=auto.ProjectSettings(name=project, runtime="python"),
            ),
        )
        for key, value in (config or {}).items():
            stack.set_config(key, auto.ConfigValue(value=value))
        for key, value in (secrets or {}).items():
            stack.set_config(key, auto.ConfigValue(value=value, secret=True))
        made.append(stack)
        return stack

    yield factory
    for stack in made:
        try:
            if stack.export_stack().deployment.get("resources"):
                stack.destroy(on_output=lambda _line: None)
        finally:
            stack.workspace.remove_stack(stack.name, force=True)
