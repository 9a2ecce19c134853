# Source this file (bash or zsh) to use the project's tools from any folder of the shell:
#
#     source scripts/env.sh            # from the repository root: stacks against the emulator
#     source ../../scripts/env.sh      # from an example folder
#     source scripts/env.sh --real     # stacks of real accounts: a backend and passphrase of their own
#
# It puts the Pulumi CLI built by `make setup` (.tools/bin) and the project's virtualenv (.venv/bin:
# python, search-extensions-emulator) first on PATH, and, unless you chose your own, a local state backend
# with a passphrase generated once into a 0600 file:
#
# - by default, for the emulator: .pulumi-state/backend and .pulumi-state/passphrase, the same backend and
#   passphrase `make demo` uses, so `pulumi stack ls` shows its stack too (`make clean-demo-state` deletes them);
# - with --real, for real accounts: $XDG_STATE_HOME/pulumi-search-extensions (~/.local/state/...), outside
#   the clone, so neither `make clean-demo-state` nor deleting the clone touches it, and never the demo's.
#
# No Pulumi Cloud account or access token is needed. Your own PULUMI_BACKEND_URL /
# PULUMI_CONFIG_PASSPHRASE(_FILE) are kept as they are; only the values this file set itself (in either
# mode) are replaced when it is sourced again, so a shell never carries the demo's backend into --real.
if [ -n "${BASH_SOURCE:-}" ]; then _se_here="${BASH_SOURCE[0]}"; else _se_here="${(%):-%x}"; fi
_se_root="$(cd "$(dirname "$_se_here")/.." && pwd)"
_se_tools="${SEARCH_EXTENSIONS_TOOLS:-$_se_root/.tools}"   # another tools folder (CI: the newest CLI's)
if [ ! -x "$_se_tools/bin/pulumi" ] || [ ! -x "$_se_root/.venv/bin/python" ]; then
  echo "scripts/env.sh: run \`make setup\` in $_se_root first (it builds .tools and .venv)" >&2
fi
export PATH="$_se_tools/bin:$_se_root/.venv/bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
_se_demo_state="$_se_root/.pulumi-state"
_se_real_state="${XDG_STATE_HOME:-$HOME/.local/state}/pulumi-search-extensions"
if [ "${1:-}" = "--real" ]; then _se_state="$_se_real_state"; else _se_state="$_se_demo_state"; fi
# What this file set before (either mode) is not the user's choice: replace it.
case "${PULUMI_BACKEND_URL:-}" in
  "file://$_se_demo_state/backend" | "file://$_se_real_state/backend") unset PULUMI_BACKEND_URL ;;
esac
case "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" in
  "$_se_demo_state/passphrase" | "$_se_real_state/passphrase") unset PULUMI_CONFIG_PASSPHRASE_FILE ;;
esac
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$_se_state/backend"
  export PULUMI_BACKEND_URL="file://$_se_state/backend"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -f "$_se_state/passphrase" ]; then
    mkdir -p "$_se_state"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$_se_state/passphrase")
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$_se_state/passphrase"
fi
if [ "${1:-}" = "--real" ]; then
  echo "scripts/env.sh: stacks of real accounts: backend $PULUMI_BACKEND_URL," \
    "passphrase ${PULUMI_CONFIG_PASSPHRASE_FILE:-from PULUMI_CONFIG_PASSPHRASE} (keep a copy of it)" >&2
fi
unset _se_here _se_root _se_demo_state _se_real_state _se_state _se_tools
