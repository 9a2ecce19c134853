"""The commands a README tells a user to type against the bundled emulator, read from the README itself.

A program's README holds two `sh` blocks for the emulator: the set-up (once per shell: `source
scripts/env.sh`, start the emulator, maybe a file server) and the walkthrough (from `pulumi stack init` to
`pulumi stack rm`). `walkthrough()` finds both and checks that the walkthrough covers the life of a
stack; `script()` turns it into one bash script with a marker before each command, so the output of each
step can be told apart.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

SETUP_LINE = "source scripts/env.sh"
EMULATOR_URL = "http://127.0.0.1:8080"
FILES_URL = "http://127.0.0.1:8000"
STEP_MARKER = "@@step {}@@"

# Interactive confirmations a user answers at the prompt; a test run has no terminal, so it says yes.
_CONFIRMING_PULUMI = """\
pulumi() {
  case "$1 ${2:-}" in
    "up "*|"refresh "*|"destroy "*|"stack rm") command pulumi "$@" --yes ;;
    *) command pulumi "$@" ;;
  esac
}
"""


@dataclass(frozen=True)
class Walkthrough:
    """The set-up block and the walkthrough's commands (continuation lines joined, comments kept)."""

    setup: str
    commands: list[str]

    def index(self, command: str, start: int = 0) -> int:
        """Position of the first command from `start` on that is `command` (ignoring a trailing comment)."""
        for position in range(start, len(self.commands)):
            if _bare(self.commands[position]) == command:
                return position
        raise AssertionError(f"the walkthrough has no `{command}` after step {start}: {self.commands}")

    @property
    def edit_up(self) -> int:
        """The `pulumi up` that follows the README's edit (the first `up` after `pulumi refresh`)."""
        refresh = self.index("pulumi refresh")
        up = self.index("pulumi up", refresh + 1)
        assert up > refresh + 1, f"no edit between `pulumi refresh` and the next `pulumi up`: {self.commands}"
        return up


def _bare(command: str) -> str:
    """The command's words, without its trailing `# comment`, joined by single spaces."""
    return " ".join(shlex.split(command, comments=True))


def _sh_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def _commands(block: str) -> list[str]:
    commands: list[str] = []
    pending = ""
    for line in block.splitlines():
        pending += line
        if line.endswith("\\"):
            pending += "\n"
            continue
        if pending.strip():
            commands.append(pending)
        pending = ""
    return commands


def walkthrough(readme: Path) -> Walkthrough:
    """The README's emulator set-up and walkthrough; fails naming what the README lacks."""
    blocks = _sh_blocks(readme.read_text(encoding="utf-8"))
    runs = [i for i, block in enumerate(blocks) if "pulumi stack init" in block]
    assert runs, f"{readme}: no `sh` block with `pulumi stack init`"
    run = runs[0]
    assert run > 0 and SETUP_LINE in blocks[run - 1], (
        f"{readme}: the block before the walkthrough must set the shell up with `{SETUP_LINE}`"
    )
    found = Walkthrough(setup=blocks[run - 1], commands=_commands(blocks[run]))
    # The life of a stack, in order: the commands every walkthrough must give.
    position = 0
    for command in (
        "pulumi stack init dev",
        "pulumi preview",
        "pulumi up",
        "pulumi preview --expect-no-changes",
        "pulumi refresh",
    ):
        position = found.index(command, position) + 1
    found.index("pulumi destroy", found.edit_up + 1)
    assert any(_bare(c).startswith("pulumi config set --secret ") for c in found.commands), (
        f"{readme}: the walkthrough sets no secret with `pulumi config set --secret`"
    )
    return found


def script(found: Walkthrough, *, emulator_url: str, files_url: str) -> str:
    """One bash script: the set-up of the shell, then every command after its step marker."""
    lines = ["set -euo pipefail", SETUP_LINE, _CONFIRMING_PULUMI]
    for step, command in enumerate(found.commands):
        lines.append(f"echo '{STEP_MARKER.format(step)}'")
        lines.append(command.replace(EMULATOR_URL, emulator_url).replace(FILES_URL, files_url))
    return "\n".join(lines) + "\n"


def step_outputs(output: str, steps: int) -> list[str]:
    """The output of each step of a run of `script()` (an unfinished run yields fewer)."""
    parts = re.split(r"^@@step (\d+)@@$", output, flags=re.MULTILINE)
    by_step = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    return [by_step[i] for i in range(steps) if i in by_step]


# -- A section of the README typed as a whole: shell commands and the files it tells the user to write -------------

_FENCED = re.compile(r"^```(\w*)\n(.*?)^```", flags=re.MULTILINE | re.DOTALL)


def section(readme: Path, heading: str) -> str:
    """The text under `heading` (e.g. "### Going to real accounts"), up to the next heading of its level or above."""
    text = readme.read_text(encoding="utf-8")
    assert f"\n{heading}\n" in text, f"{readme}: no section {heading!r}"
    body = text.split(f"\n{heading}\n", 1)[1]
    level = len(heading.split(" ", 1)[0])
    kept, fenced = [], False
    for line in body.splitlines(keepends=True):
        fenced ^= line.startswith("```")
        heading_level = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < heading_level <= level and line[heading_level : heading_level + 1] == " ":
            break
        kept.append(line)
    return "".join(kept)


@dataclass(frozen=True)
class Step:
    """One thing the user does: a shell command, or a file written with the text of a code block."""

    command: str
    file: str | None = None


def steps(text: str, *, until: str | None = None) -> list[Step]:
    """The `sh` commands and the files (a code block whose first line is `# <file name>`) of `text`, in order;
    with `until`, the steps up to and including the first command that is `until`."""
    found: list[Step] = []
    for language, body in _FENCED.findall(text):
        first = body.partition("\n")[0]
        if language == "sh":
            found += [Step(command) for command in _commands(body)]
        elif re.fullmatch(r"# [\w.-]+", first.strip()):
            found.append(Step(body, file=first.strip()[2:]))
        if until is not None and any(s.file is None and _bare(s.command) == until for s in found):
            return found[: next(i for i, s in enumerate(found) if s.file is None and _bare(s.command) == until) + 1]
    assert until is None, f"no `{until}` in the section"
    return found


def typed(found: list[Step], replacements: dict[str, str] | None = None, *, prelude: str = "") -> str:
    """One bash script typing `found` after a step marker each (files written as given), `replacements` applied
    to the commands; the confirmations answered yes, as a user answers them."""
    lines = ["set -euo pipefail", prelude, _CONFIRMING_PULUMI]
    for number, step in enumerate(found):
        lines.append(f"echo '{STEP_MARKER.format(number)}'")
        text = step.command
        for old, new in (replacements or {}).items():
            text = text.replace(old, new)
        if step.file is None:
            lines.append(text)
        else:
            lines.append(f"cat > {shlex.quote(step.file)} <<'END_OF_{number}'\n{text}END_OF_{number}")
    return "\n".join(lines) + "\n"
