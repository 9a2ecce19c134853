#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh machine: a virtualenv with the package and its
# extras, and a Pulumi CLI in .tools/bin. Safe to run again: finished steps are skipped in seconds.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
EXTRAS="${1:-emulator,test}"
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
bash scripts/install-pulumi.sh
