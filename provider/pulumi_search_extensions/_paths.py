"""Paths of the program's files (`file_path`, `script_path`): recorded relative to the project's folder.

A stack is run from several clones and CI workspaces, so what the state records must not depend on where the
project lives. A path a program gives is recorded relative to the project's folder (where `Pulumi.yaml` is,
with `/` separators) when the file lies inside it, as given when the project's folder is unknown or the file
lies outside it; what a diff compares is the file's content (its SHA-256), never the path.

Who knows the project's folder:
- a program started by a language host: `pulumi.get_root_directory()` (inline Automation API programs have
  none: their paths stay absolute, as before);
- the provider processes (the dynamic provider host, the provider plugin): the engine starts every plugin in
  the program's folder (the project's folder, or the folder its `main:` names), as it starts the program; the
  project's folder is the nearest folder at or above it that holds `Pulumi.yaml` (`project_dir`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

HASH_CHUNK_BYTES = 1024 * 1024


def recorded_path(path: str, program_dir: str, project_dir: str | None) -> str:
    """The form of `path` (as a program wrote it, relative to `program_dir`) that the state records.

    Relative to `project_dir` with `/` separators when the file lies inside it; absolute otherwise (outside
    the project's folder, or no project folder known).
    """
    absolute = os.path.normpath(os.path.join(program_dir, os.path.expanduser(path)))
    if not project_dir:
        return absolute
    for base, target in ((os.path.abspath(project_dir), absolute), (os.path.realpath(project_dir), _real(absolute))):
        try:
            relative = os.path.relpath(target, base)
        except ValueError:  # another drive (Windows)
            continue
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return PurePosixPath(*Path(relative).parts).as_posix() if relative != os.curdir else "."
    return absolute


def _real(path: str) -> str:
    return os.path.realpath(path)


def program_path(path: str) -> str:
    """`recorded_path` in a Pulumi program: relative to its working directory, recorded against its project."""
    import pulumi  # the provider processes never need it here

    try:
        root: str | None = pulumi.get_root_directory()
    except Exception:  # an SDK without it, or no engine settings (an inline Automation API program)
        root = None
    return recorded_path(path, os.getcwd(), root)


PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


def project_dir(start: str | None = None) -> str:
    """The project's folder of a process started in `start` (default: the working directory): the nearest
    folder at or above it holding `Pulumi.yaml`, else `start` itself."""
    here = Path(os.path.abspath(start or os.getcwd()))
    for folder in (here, *here.parents):
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return str(folder)
    return str(here)


def local_path(recorded: str) -> str:
    """Where a recorded path is read, in a provider process: relative paths against the project's folder."""
    expanded = os.path.expanduser(recorded)
    return expanded if os.path.isabs(expanded) else os.path.normpath(os.path.join(project_dir(), expanded))


def file_sha256(recorded: str) -> str:
    """Hex SHA-256 of the file at a recorded path, read in blocks."""
    digest = hashlib.sha256()
    with open(local_path(recorded), "rb") as file:
        while block := file.read(HASH_CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()
