"""`_paths`: the form of a program's file path the state records, and where a provider process reads it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pulumi_search_extensions._paths import file_sha256, local_path, project_dir, recorded_path


def test_a_file_inside_the_project_is_recorded_relative_to_the_projects_folder(tmp_path: Path) -> None:
    project = tmp_path / "infra"
    (project / "src").mkdir(parents=True)
    assert recorded_path("assets/a.zip", str(project), str(project)) == "assets/a.zip"
    assert recorded_path("./assets/../assets/a.zip", str(project), str(project)) == "assets/a.zip"
    # A program in a sub-folder (`main: src/`) writes paths relative to its own folder.
    assert recorded_path("../assets/a.zip", str(project / "src"), str(project)) == "assets/a.zip"
    # An absolute path into the project is recorded relative too: the same state from every clone.
    assert recorded_path(str(project / "assets" / "a.zip"), "/anywhere", str(project)) == "assets/a.zip"


def test_a_file_outside_the_project_or_without_a_known_project_stays_absolute(tmp_path: Path) -> None:
    project = tmp_path / "infra"
    project.mkdir()
    outside = tmp_path / "shared" / "a.zip"
    assert recorded_path(str(outside), str(project), str(project)) == str(outside)
    assert recorded_path("../shared/a.zip", str(project), str(project)) == str(outside)
    assert recorded_path("a.zip", str(project), None) == str(project / "a.zip")


def test_a_project_reached_through_a_symlink_still_records_relative_paths(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert recorded_path(str(real / "a.zip"), str(real), str(link)) == "a.zip"


def test_a_provider_process_reads_a_recorded_path_from_its_working_directory_the_projects_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.zip").write_bytes(b"bytes")
    monkeypatch.chdir(tmp_path)
    assert local_path("assets/a.zip") == os.path.join(str(tmp_path), "assets", "a.zip")
    assert file_sha256("assets/a.zip") == hashlib.sha256(b"bytes").hexdigest()
    assert file_sha256(str(tmp_path / "assets" / "a.zip")) == hashlib.sha256(b"bytes").hexdigest()


def test_a_provider_process_started_in_a_sub_folder_main_resolves_against_the_projects_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `main: src/`: the engine starts the program and the providers in src/; paths are recorded from the root.
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nmain: src/\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.zip").write_bytes(b"bytes")
    monkeypatch.chdir(tmp_path / "src")
    assert project_dir() == str(tmp_path)
    assert recorded_path("../assets/a.zip", os.getcwd(), project_dir()) == "assets/a.zip"
    assert local_path("assets/a.zip") == str(tmp_path / "assets" / "a.zip")
    assert file_sha256("assets/a.zip") == hashlib.sha256(b"bytes").hexdigest()
