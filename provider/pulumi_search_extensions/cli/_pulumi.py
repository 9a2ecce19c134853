"""The Pulumi CLI as `recover` uses it: the stack's state and config, its locks, `cancel`, `import`, `refresh`.

Everything goes through the user's own `pulumi` (on PATH, or `$PULUMI_COMMAND`), run in the project's
folder with the user's environment, so the backend, the passphrase and the plugins are those `pulumi up` uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

LOCKED = "the stack is currently locked"
_LOCK_LINE = re.compile(
    r"^\s*(?P<where>\S+): created by (?P<user>.*)@(?P<host>\S+) \(pid (?P<pid>\d+)\) at (?P<at>\S+)"
)


class PulumiError(RuntimeError):
    """A `pulumi` command failed; the message holds its output."""


@dataclass(frozen=True)
class Lock:
    """One lock of a file (DIY) backend: who took it, where and when."""

    where: str
    user: str
    host: str
    pid: int
    taken_at: float
    """Epoch seconds: when the run that holds it began."""

    @property
    def stale(self) -> bool:
        """The run that took it is gone: taken on this machine by a process that no longer runs `pulumi`."""
        if self.host != socket.gethostname():
            return False
        try:
            return "pulumi" not in psutil.Process(self.pid).name()
        except psutil.Error:
            return True

    def describe(self) -> str:
        """One line for people."""
        taken = datetime.fromtimestamp(self.taken_at).astimezone().isoformat(timespec="seconds")
        return f"{self.user}@{self.host} (pid {self.pid}) since {taken}"


def epoch(rfc3339: str) -> float:
    """Epoch seconds of an RFC 3339 time as Go writes it."""
    # Go writes nanoseconds and a "Z" or an offset; Python 3.10 takes microseconds and an offset.
    text = rfc3339.replace("Z", "+00:00")
    text = re.sub(r"\.(\d+)", lambda m: "." + m[1][:6].ljust(6, "0"), text)
    return datetime.fromisoformat(text).timestamp()


def locks_in_message(message: str) -> list[Lock]:
    """The locks the CLI lists in its `the stack is currently locked` error."""
    found = []
    for line in message.splitlines():
        match = _LOCK_LINE.match(line)
        if match:
            found.append(Lock(match["where"], match["user"], match["host"], int(match["pid"]), epoch(match["at"])))
    return found


class Pulumi:
    """`pulumi` in one project's folder, on one stack (the selected one when `stack` is None)."""

    def __init__(self, project_dir: Path, stack: str | None) -> None:
        self.project_dir = project_dir
        self.stack = stack
        self.binary = os.environ.get("PULUMI_COMMAND") or shutil.which("pulumi") or "pulumi"

    def run(self, *args: str, stack: bool = True, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Runs `pulumi ARGS --non-interactive` (with `--stack`); raises PulumiError on failure when `check`."""
        command = [self.binary, *args, "--non-interactive"]
        if stack and self.stack:
            command += ["--stack", self.stack]
        done = subprocess.run(command, cwd=self.project_dir, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise PulumiError(f"`pulumi {' '.join(args)}` failed:\n{done.stdout}{done.stderr}".rstrip())
        return done

    def json(self, *args: str) -> Any:
        """The JSON a command prints."""
        return json.loads(self.run(*args).stdout or "null")

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """`pulumi stack export`: the whole checkpoint (`deployment` inside)."""
        args = ["stack", "export"] + (["--show-secrets"] if show_secrets else [])
        exported: dict[str, Any] = self.json(*args)
        return exported

    def import_state(self, exported: dict[str, Any]) -> None:
        """`pulumi stack import` of an edited export (never with decrypted secrets)."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(exported, file)
        try:
            self.run("stack", "import", "--file", file.name)
        finally:
            os.unlink(file.name)

    def config(self) -> dict[str, Any]:
        """The stack's config, secrets decrypted, by full key (`coveo:host`, `search-extensions:coveoHost`)."""
        values = self.json("config", "--show-secrets", "--json")
        return {key: entry.get("objectValue", entry.get("value")) for key, entry in (values or {}).items() if entry}

    def backend_url(self) -> str:
        """The backend's URL (`file:///...`, `s3://...`, `https://api.pulumi.com`)."""
        who = json.loads(self.run("whoami", "--json", stack=False).stdout or "null")
        return str((who or {}).get("url") or "")

    def _top_level(self, key: str) -> str | None:
        """A top-level scalar of the project's Pulumi.yaml (`name`, `main`), without a YAML parser."""
        for name in ("Pulumi.yaml", "Pulumi.yml"):
            path = self.project_dir / name
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    match = re.match(rf"^{key}:\s*['\"]?([^'\"#]+?)['\"]?\s*(#.*)?$", line)
                    if match:
                        return match[1].strip()
        return None

    def project_name(self) -> str:
        """The `name` of the project's Pulumi.yaml."""
        name = self._top_level("name")
        if not name:
            raise PulumiError(f"no `name:` in {self.project_dir / 'Pulumi.yaml'}")
        return name

    def program_dir(self) -> Path:
        """Where the engine starts the program and its provider plugins: the folder `main:` names (or the
        folder of the file it names), else the project's folder (as the engine's `getPwdMain`)."""
        main = self._top_level("main")
        if not main:
            return self.project_dir
        target = Path(main) if os.path.isabs(main) else self.project_dir / main
        return target if target.is_dir() else target.parent

    def stack_name(self) -> str:
        """The stack's own name (the last part of `org/project/stack`)."""
        if self.stack:
            return self.stack.rsplit("/", 1)[-1]
        return self.run("stack", "--show-name").stdout.strip().rsplit("/", 1)[-1]

    def locks(self) -> list[Lock]:
        """The stack's locks. A file backend's are read from its lock files; any other DIY backend (object
        stores) is asked by importing the unchanged state, which takes the lock and lists the others when it
        cannot."""
        url = self.backend_url()
        if url.startswith("file://"):
            return self._lock_files(Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)))
        if url.startswith(("http://", "https://")):
            return []  # Pulumi Cloud: no lock files; `pulumi cancel` ends a run it still thinks is going
        done = self.run("stack", "export", check=True)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            file.write(done.stdout)
        try:
            probe = self.run("stack", "import", "--file", file.name, check=False)
        finally:
            os.unlink(file.name)
        return locks_in_message(probe.stdout + probe.stderr) if LOCKED in probe.stdout + probe.stderr else []

    def _lock_files(self, backend: Path) -> list[Lock]:
        stack, project = self.stack_name(), self.project_name()
        folders = [*backend.glob(f".pulumi/locks/*/{project}/{stack}"), backend / ".pulumi" / "locks" / stack]
        found = []
        for folder in folders:
            for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
                try:
                    content = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                found.append(
                    Lock(
                        str(path),
                        str(content.get("username", "?")),
                        str(content.get("hostname", "?")),
                        int(content.get("pid", 0)),
                        epoch(str(content.get("timestamp"))),
                    )
                )
        return found

    def cancel(self) -> None:
        """`pulumi cancel`: removes the stack's locks (file backends) or ends the run the service tracks."""
        self.run("cancel", "--yes")

    def last_update_end(self) -> float | None:
        """When the last recorded update of the stack ended (epoch seconds), or None."""
        history = self.json("stack", "history", "--json", "--page-size", "1") or []
        if not history:
            return None
        end = history[0].get("endTime") or history[0].get("startTime")
        if isinstance(end, (int, float)):
            return float(end)
        return epoch(str(end)) if end else None

    def refresh(self, urns: list[str]) -> None:
        """`pulumi refresh` of these resources only: each provider reads its object as the service has it."""
        targets = [arg for urn in urns for arg in ("--target", urn)]
        self.run("refresh", "--yes", "--skip-preview", *targets)
