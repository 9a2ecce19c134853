"""The commands a README tells a user to type against the bundled emulator, read from the README itself.

A program's README holds two `sh` blocks for the emulator: the set-up (once per shell: `source
scripts/env.sh`, start the emulator, maybe a file server) and the walkthrough (from `pulumi stack init` to
`pulumi stack rm`). `walkthrough()` finds both and checks that the walkthrough covers the life of a
stack; `script()` turns it into one bash script with a marker before each command, so the output of each
step can be told apart.

A walkthrough from an empty folder (the README's TypeScript and Go sections) is spread over headed
sections: the set-up block under the section's heading, the language's own blocks (commands, and files to
save, each named by the line before it: "`index.ts`: ..."), then the deployment's block.
`walkthrough_from_empty_folder()` reads those; a file to save becomes a command that writes it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
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
    try:
        return " ".join(shlex.split(command, comments=True))
    except ValueError:  # a here-document or a file's text: not one of the stack's commands
        return command


def _sh_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")


def _commands(block: str) -> list[str]:
    """The block's commands: continuation lines joined, a here-document kept with its command."""
    commands: list[str] = []
    pending = ""
    until = ""  # the end marker of the here-document being read
    for line in block.splitlines():
        pending += line
        if until and line.strip() != until:
            pending += "\n"
            continue
        if not until:
            heredoc = _HEREDOC.search(line)
            if line.endswith("\\") or heredoc:
                until = heredoc.group(2) if heredoc else ""
                pending += "\n"
                continue
        until = ""
        if pending.strip():
            commands.append(pending)
        pending = ""
    assert not pending.strip(), f"unfinished command at the end of a block: {pending}"
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
    _check_the_life_of_a_stack(found, readme)
    return found


def _check_the_life_of_a_stack(found: Walkthrough, readme: Path) -> None:
    """The commands every walkthrough must give, in order."""
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


@dataclass(frozen=True)
class Block:
    """A fenced block of a README: its language, its text, and the file it is saved as (when the paragraph
    before it starts with the file's name and ends with a colon: "`index.ts`: ... :")."""

    language: str
    text: str
    file: str | None


_FENCED = re.compile(r"^```(\w*)\n(.*?)^```", flags=re.MULTILINE | re.DOTALL)
_FILE_NAME = re.compile(r"^`([^`/ ]+)`.*:$", flags=re.DOTALL)


def blocks_under(markdown: str, heading: str) -> list[Block]:
    """The fenced blocks of the section headed `heading` (any level), up to the next heading of its level or
    a higher one (its subsections included)."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", markdown, flags=re.MULTILINE)
    assert match, f"no section headed `{heading}`"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", flags=re.MULTILINE).search(markdown, match.end())
    section = markdown[match.end() : end.start() if end else len(markdown)]
    blocks = []
    for fenced in _FENCED.finditer(section):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", section[: fenced.start()]) if p.strip()]
        named = _FILE_NAME.match(paragraphs[-1]) if paragraphs else None
        blocks.append(Block(fenced.group(1), fenced.group(2), named.group(1) if named else None))
    return blocks


def _typed(block: Block, where: str) -> list[str]:
    """What a user types for a block: its commands, or, for a file, a command that saves it."""
    if block.file is not None:
        assert "__README_FILE__" not in block.text
        return [f"cat > {shlex.quote(block.file)} <<'__README_FILE__'\n{block.text}__README_FILE__"]
    assert block.language == "sh", f"{where}: a `{block.language}` block that names no file to save it as"
    return _commands(block.text)


def walkthrough_from_empty_folder(readme: Path, section: str, language: str, deployment: str) -> Walkthrough:
    """The set-up block under `section`, then every block under the heading `language` and under `deployment`
    as commands; fails naming what the README lacks."""
    markdown = readme.read_text(encoding="utf-8")
    setup = blocks_under(markdown, section)[0]
    assert setup.language == "sh" and SETUP_LINE in setup.text, (
        f"{readme}: the first block of `{section}` must set the shell up with `{SETUP_LINE}`"
    )
    commands = [command for block in blocks_under(markdown, language) for command in _typed(block, language)]
    commands += [command for block in blocks_under(markdown, deployment) for command in _typed(block, deployment)]
    found = Walkthrough(setup=setup.text, commands=commands)
    _check_the_life_of_a_stack(found, readme)
    return found


def script(
    found: Walkthrough, *, emulator_url: str, files_url: str, after_steps: Mapping[int, str] | None = None
) -> str:
    """One bash script: the set-up of the shell, then every command after its step marker.

    `after_steps` adds the test's own command after a step (e.g. a look at what the emulator holds then).
    """
    lines = ["set -euo pipefail", SETUP_LINE, _CONFIRMING_PULUMI]
    for step, command in enumerate(found.commands):
        lines.append(f"echo '{STEP_MARKER.format(step)}'")
        lines.append(command.replace(EMULATOR_URL, emulator_url).replace(FILES_URL, files_url))
        if after_steps and step in after_steps:
            lines.append(after_steps[step])
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
