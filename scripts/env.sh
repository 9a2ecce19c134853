# Source this file (bash or zsh) to use the project's tools from any folder of the shell:
#
#     source scripts/env.sh            # from the repository root
#     source ../../scripts/env.sh      # from an example folder
#
# It puts the Pulumi CLI built by `make setup` (.tools/bin) and the project's virtualenv (.venv/bin:
# python, search-extensions-emulator) first on PATH, and, unless you chose your own, a local state
# backend in .pulumi-state/backend with a passphrase generated once into .pulumi-state/passphrase (0600):
# the same backend and passphrase `make demo` uses, so `pulumi stack ls` shows its stack too. No Pulumi
# Cloud account or access token is needed. Your own PULUMI_BACKEND_URL / PULUMI_CONFIG_PASSPHRASE(_FILE)
# are kept as they are.
if [ -n "${BASH_SOURCE:-}" ]; then _se_here="${BASH_SOURCE[0]}"; else _se_here="${(%):-%x}"; fi
_se_root="$(cd "$(dirname "$_se_here")/.." && pwd)"
_se_tools="${SEARCH_EXTENSIONS_TOOLS:-$_se_root/.tools}"   # another tools folder (CI: the newest CLI's)
if [ ! -x "$_se_tools/bin/pulumi" ] || [ ! -x "$_se_root/.venv/bin/python" ]; then
  echo "scripts/env.sh: run \`make setup\` in $_se_root first (it builds .tools and .venv)" >&2
fi
export PATH="$_se_tools/bin:$_se_root/.venv/bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$_se_root/.pulumi-state/backend"
  export PULUMI_BACKEND_URL="file://$_se_root/.pulumi-state/backend"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -f "$_se_root/.pulumi-state/passphrase" ]; then
    mkdir -p "$_se_root/.pulumi-state"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$_se_root/.pulumi-state/passphrase")
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$_se_root/.pulumi-state/passphrase"
fi
unset _se_here _se_root _se_tools
