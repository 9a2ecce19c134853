"""`tests/support` is what `scripts/demo.py` and `bench/` import too: they must run without pytest installed.

A user's fresh clone has the package and its `emulator` extra, not the `test` extra; the demo (`make demo`)
and the benchmarks import the stack factory and the file server from `tests/support`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

WITHOUT_PYTEST = "import sys; sys.modules['pytest'] = None; "
"""Makes `import pytest` fail in the child, as it would where pytest is not installed."""


def _run(code: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PYTEST + code], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_without_pytest_importing_pytest_fails_so_the_checks_below_mean_something() -> None:
    ran = _run("import pytest")
    assert ran.returncode != 0 and "ModuleNotFoundError" in ran.stderr


@pytest.mark.parametrize(
    "script", ["scripts/demo.py", "bench/run.py", "bench/scale.py", "bench/scale_scripts.py", "bench/streaming.py"]
)
def test_the_demo_and_the_benchmarks_load_their_support_modules_without_pytest(script: str) -> None:
    path = REPO_ROOT / script
    # Each runs as a script from its own folder, as `make demo` and `make bench` run it.
    code = f"import runpy; sys.path.insert(0, {str(path.parent)!r}); runpy.run_path({str(path)!r}, run_name='loaded')"
    ran = _run(code, cwd=path.parent)
    assert ran.returncode == 0, ran.stderr


def test_every_support_module_but_the_fixtures_imports_without_pytest() -> None:
    modules = sorted(p.stem for p in (REPO_ROOT / "tests" / "support").glob("*.py") if p.stem != "__init__")
    assert "stacks" in modules and "servers" in modules
    plain = [name for name in modules if name != "pulumi_fixtures"]
    imports = "; ".join(f"import support.{name}" for name in plain)
    ran = _run(f"sys.path.insert(0, 'tests'); {imports}")
    assert ran.returncode == 0, ran.stderr
    fixtures = _run("sys.path.insert(0, 'tests'); import support.pulumi_fixtures")
    assert fixtures.returncode != 0, "the fixtures need pytest: the check above would miss a pytest import"
