#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh machine: a virtualenv with the package and its
# extras, and a Pulumi CLI in .tools/bin. Safe to run again: finished steps are skipped in seconds.
#
# Usage: scripts/setup.sh [EXTRAS] [--venv-only]
#   --venv-only: the virtualenv alone, no Pulumi CLI (what `make unit` needs: its tests never start the CLI).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
VENV_ONLY=0
EXTRAS="emulator,test"
for arg in "$@"; do
  case "$arg" in
    --venv-only) VENV_ONLY=1 ;;
    *) EXTRAS="$arg" ;;
  esac
done
PYTHON="${PYTHON:-python3}"

say() { printf '[setup] %s\n' "$*" >&2; }

command -v "$PYTHON" >/dev/null 2>&1 || { say "ERROR: $PYTHON not found; install Python >= 3.10"; exit 1; }
if [[ ! -x .venv/bin/python ]]; then
  say "creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${EXTRAS//,/-}"
if [[ ! -f "$stamp" ]]; then
  say "installing pulumi-search-extensions[$EXTRAS] into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
  touch "$stamp"
else
  say ".venv is up to date"
fi
if [[ "$VENV_ONLY" == 1 ]]; then
  exit 0
fi
bash scripts/install-pulumi.sh
