#!/usr/bin/env bash
# The unit tests (every test that needs no Pulumi CLI) under each Python the package claims
# (requires-python >= 3.10: 3.10 to 3.13), each in a virtualenv of its own under .venvs/, made once and
# kept (a later run that finds it up to date starts at once). A claimed Python not found on this machine
# is skipped, naming it; a run that fails makes the script fail. The distribution tests (they build and
# install a wheel) and the soak are left out: they run in `make test`.
#
# Usage: scripts/unit-pythons.sh [PYTEST ARGS...]     (PYTHONS="3.10 3.12" to choose the versions)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
PYTHONS="${PYTHONS:-3.10 3.11 3.12 3.13}"
EXTRAS="emulator,test"

say() { printf '[unit-pythons] %s\n' "$*" >&2; }

runs_as() { # $1 interpreter, $2 version: it starts, is that version, and can make a virtualenv
  [[ -x "$1" ]] && [[ "$("$1" -c 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" == "$2" ]]
}
find_python() { # $1 version (3.12): an interpreter of it on PATH, in pyenv's versions, or uv's
  local version="$1" candidate
  local candidates=("$(command -v "python$version" 2>/dev/null || true)" "/usr/bin/python$version" "/usr/local/bin/python$version")
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  # pyenv's shim on PATH only runs the versions the shell selected: its installed versions are looked at directly.
  for candidate in $(ls -d "$pyenv_root/versions/$version".* 2>/dev/null | sort -t. -k3 -n -r); do
    candidates+=("$candidate/bin/python$version")
  done
  if command -v uv >/dev/null 2>&1; then candidates+=("$(uv python find "$version" 2>/dev/null || true)"); fi
  for candidate in "${candidates[@]}"; do
    if [[ -n "$candidate" ]] && runs_as "$candidate" "$version"; then printf '%s\n' "$candidate"; return 0; fi
  done
  return 1
}

summary=()
failed=0
for version in $PYTHONS; do
  if ! python="$(find_python "$version")"; then
    say "Python $version: not found on this machine, skipped (install it, e.g. \`pyenv install $version\` or your OS package python$version)"
    summary+=("Python $version: skipped (not found)")
    continue
  fi
  venv=".venvs/py$version"
  full="$("$python" -c 'import platform; print(platform.python_version())')"
  started=$(date +%s)
  if [[ ! -x "$venv/bin/python" ]] || ! runs_as "$venv/bin/python" "$version"; then
    say "Python $full ($python): creating $venv"
    rm -rf "$venv" && "$python" -m venv "$venv"
  fi
  stamp="$venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${EXTRAS//,/-}"
  if [[ ! -f "$stamp" ]]; then
    say "Python $full: installing pulumi-search-extensions[$EXTRAS] into $venv"
    if ! { "$venv/bin/python" -m pip install --quiet --upgrade pip && "$venv/bin/python" -m pip install --quiet -e ".[$EXTRAS]"; }; then
      summary+=("Python $full: FAILED to install ($python)")
      failed=1
      continue
    fi
    touch "$stamp"
  fi
  say "Python $full: pytest -m 'not e2e' (pulumi SDK $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pulumi"))'))"
  if "$venv/bin/python" -m pytest -q -n 2 -m "not e2e" --ignore=tests/soak \
       -p no:cacheprovider "$@"; then
    outcome="passed"
  else
    outcome="FAILED"
    failed=1
  fi
  summary+=("Python $full: $outcome in $(( $(date +%s) - started )) s ($python)")
done

for line in "${summary[@]}"; do say "$line"; done
exit "$failed"
