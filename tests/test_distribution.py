"""The package as a user gets it: a built wheel, installed into a virtualenv of their own project.

The wheel and sdist are built with `python -m build` (as a release would be), checked (`twine check`,
contents), installed into a new virtualenv outside the repository, and a project of a user's own (its
own `Pulumi.yaml` with `virtualenv`, all three resources, an Elastic bundle uploaded from a relative
`file_path`) runs through preview, up, a no-change preview and destroy with plain `pulumi`, so the
provider process imports the installed wheel, not this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle
from support.stacks import TOOLS_BIN
from support.toolchain import find_pulumi

# Building the wheel takes a while and the user's project needs the CLI: `make e2e`, not `make unit`.
pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLE = REPO_ROOT / "examples" / "assets" / "synonyms-bundle.zip"

USER_PROGRAM = '''\
"""A user's own program: one extension of each kind, and the Coveo one wired into a source."""

import pulumi

from pulumi_search_extensions import CoveoExtension, CoveoSourceExtensions, ElasticExtension

config = pulumi.Config()

tagger = CoveoExtension(
    "tagger",
    content="document.add_meta_data({'tagged': 'yes'})\\n",
    description="Tags every item",
)
CoveoSourceExtensions(
    "pipeline",
    source_id=config.require("sourceId"),
    post_conversion=[{"extension_id": tagger.extension_id}],
)
synonyms = ElasticExtension(
    "synonyms",
    extension_type="bundle",
    version="8.*",
    file_path="bundles/synonyms.zip",
)
pulumi.export("tagger", tagger.extension_id)
pulumi.export("synonyms", synonyms.url)
'''


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs `command`; a failure fails the test with its whole output."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build` of this checkout: one wheel and one sdist."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)])
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def user_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv outside the repository with the wheel (and its dependencies) and nothing else."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    return venv


def test_the_distribution_passes_twine_check(dist: Path) -> None:
    assert len(list(dist.glob("*.tar.gz"))) == 1
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(dist.iterdir()))])


def test_the_wheel_holds_the_package_typed_and_nothing_of_the_repository(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "pulumi_search_extensions/py.typed" in names
    assert "pulumi_search_extensions/pulumi-plugin.json" in names  # tells the language host: no plugin to install
    assert "pulumi_search_extensions/emulator/cli.py" in names
    (license_file,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]  # the Apache-2.0 text
    assert "Apache License" in zipfile.ZipFile(wheel).read(license_file).decode()
    top_levels = {name.split("/")[0] for name in names}
    assert top_levels == {"pulumi_search_extensions", f"{'-'.join(wheel.name.split('-')[:2])}.dist-info"}
    assert not [n for n in names if any(part in n for part in ("tests/", "bench/", "examples/", "/test_"))]
    assert not [n for n in names if n.endswith(("/_toolchain.py", "/_smoke.py"))]  # development helpers: tests/support


def test_the_wheel_metadata_is_complete(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert metadata["Name"] == "pulumi-search-extensions"
    assert metadata["Summary"] and metadata["Requires-Python"] == ">=3.10"
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Description-Content-Type"] == "text/markdown"
    requires = metadata.get_all("Requires-Dist") or []
    assert any(r.startswith("pulumi") and "<" in r for r in requires), requires
    assert any('extra == "emulator"' in r for r in requires), requires
    assert metadata["License-File"] == "LICENSE"
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
    assert urls["Homepage"].startswith("https://") and "<" not in urls["Homepage"], urls


def test_the_emulator_without_its_extra_says_which_extra_in_one_line(user_venv: Path) -> None:
    done = subprocess.run(
        [str(user_venv / "bin" / "search-extensions-emulator"), "--port", "0"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "[emulator]" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def user_project(tmp_path: Path, user_venv: Path) -> Path:
    """A user's project folder: its own Pulumi.yaml pointing at its own virtualenv, a bundle beside it."""
    project = tmp_path / "my-search-infra"
    (project / "bundles").mkdir(parents=True)
    shutil.copy2(BUNDLE, project / "bundles" / "synonyms.zip")
    (project / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: my-search-infra
            runtime:
              name: python
              options:
                virtualenv: {user_venv}
            """
        )
    )
    (project / "__main__.py").write_text(USER_PROGRAM)
    return project


@pytest.fixture
def pulumi_cli(language_host: Path) -> Path:
    """The project's CLI; plain `pulumi` in a project folder needs the language host beside it too."""
    return find_pulumi(TOOLS_BIN)


def test_a_users_own_project_runs_the_installed_wheel_with_plain_pulumi(
    pulumi_cli: Path, user_project: Path, user_venv: Path, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "Docs")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULUMI_", "COVEO_", "EC_"))}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    (tmp_path / "backend").mkdir()
    env.update(
        # Only the CLI and its language host: the program and its provider get Python from the project's venv.
        PATH=os.pathsep.join([str(pulumi_cli.parent), "/usr/bin", "/bin"]),
        PULUMI_BACKEND_URL=(tmp_path / "backend").as_uri(),
        PULUMI_CONFIG_PASSPHRASE="user-project-passphrase",
        PULUMI_HOME=str(tmp_path / "home"),
        PULUMI_SKIP_UPDATE_CHECK="true",
    )

    def pulumi(*args: str) -> str:
        return run([str(pulumi_cli), *args], cwd=user_project, env=env).stdout

    pulumi("stack", "init", "dev")
    plain, secret = clean_emulator.stack_config()
    for key, value in plain.items():
        pulumi("config", "set", key, value)
    for key, value in secret.items():
        pulumi("config", "set", "--secret", key, value)
    pulumi("config", "set", "sourceId", source["id"])

    assert "4 to create" in pulumi("preview")
    up = pulumi("up", "--yes")
    assert "4 created" in up, up
    pulumi("preview", "--expect-no-changes")

    dump = clean_emulator.admin.dump()
    (held,) = dump["elastic"]["extensions"]
    assert held["file_sha256"]  # the relative file_path was found and uploaded
    (extension,) = dump["coveo"][clean_emulator.coveo_organization_id]["extensions"]
    imported_from = run(
        [str(user_venv / "bin" / "python"), "-c", "import pulumi_search_extensions as p; print(p.__file__)"]
    ).stdout
    assert str(user_venv) in imported_from and str(REPO_ROOT) not in imported_from

    destroyed = pulumi("destroy", "--yes")
    assert "4 deleted" in destroyed, destroyed
    dump = clean_emulator.admin.dump()
    assert dump["elastic"]["extensions"] == []
    assert dump["coveo"][clean_emulator.coveo_organization_id]["extensions"] == []
    assert extension["id"]
