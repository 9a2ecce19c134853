#!/usr/bin/env bash
# Makes a Pulumi CLI available in .tools/bin (git-ignored), for machines that cannot download one.
#
# 1. A `pulumi` already on PATH whose version fits is linked in as it is.
# 2. Otherwise the CLI is built from the Go module proxy at $PULUMI_VERSION and cached; a second
#    run that finds the cached binary at the right version takes well under a second.
# 3. `pulumi-resource-pulumi-python` (the dynamic-provider launcher) is put beside the CLI, and so is the
#    Python language host `pulumi-language-python` (+ its exec script) when it can be had: already on PATH,
#    from the Go module proxy, or built from the source folder named by PULUMI_LANGUAGE_PYTHON_SRC.
# 4. The YAML language host `pulumi-language-yaml` (optional, for `runtime: yaml` programs) is put beside
#    the CLI: one already on PATH at a fitting version, else built from the Go module proxy at
#    $PULUMI_YAML_VERSION (about a minute) and cached. When it cannot be had, the script says so and goes on.
#
# Usage: scripts/install-pulumi.sh [TOOLS_DIR]    (default: <repo>/.tools)
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-v3.259.0}"
# Commit of the v3.259.0 release tag: the language host module has no tags of its own.
LANGHOST_COMMIT="${LANGHOST_COMMIT:-0ac56e876614}"
# github.com/pulumi/pulumi-yaml: the version the Go module proxy serves here; it works with the CLI above.
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${1:-$REPO_ROOT/.tools}"
BIN="$TOOLS_DIR/bin"
BUILD="$TOOLS_DIR/build"
mkdir -p "$BIN" "$BUILD"

say() { printf '[install-pulumi] %s\n' "$*" >&2; }
die() { printf '[install-pulumi] ERROR: %s\n' "$*" >&2; exit 1; }

want="${PULUMI_VERSION#v}"
version_of() { "$1" version 2>/dev/null | tr -d 'v[:space:]'; }
fits() { # a version fits when its major.minor is at least the pinned one ($2, default: the CLI's)
  python3 - "$1" "${2:-$want}" <<'PY'
import sys
have, want = (tuple(int(p) for p in v.split("-")[0].split(".")[:2]) for v in sys.argv[1:3])
sys.exit(0 if have[0] == want[0] and have >= want else 1)
PY
}

# --- the CLI -----------------------------------------------------------------------------------
if [[ -x "$BIN/pulumi" && "$(version_of "$BIN/pulumi")" == "$want" ]]; then
  say "pulumi $want already in $BIN (cached)"
elif system_pulumi="$(PATH="${PATH//$BIN:/}" command -v pulumi 2>/dev/null)" && [[ "$system_pulumi" != "$BIN/pulumi" ]] \
     && have="$(version_of "$system_pulumi")" && [[ -n "$have" ]] && fits "$have"; then
  say "using pulumi $have found at $system_pulumi"
  ln -sf "$system_pulumi" "$BIN/pulumi"
  sys_dir="$(dirname "$(readlink -f "$system_pulumi")")"
  for f in pulumi-language-python pulumi-language-python-exec; do
    [[ -e "$sys_dir/$f" ]] && ln -sf "$sys_dir/$f" "$BIN/$f"
  done
else
  command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH. Install Go >= 1.23 (https://go.dev/doc/install or your OS package 'golang'), or install the Pulumi CLI yourself and put it on PATH."
  say "building pulumi $PULUMI_VERSION from the Go module proxy ($(go env GOPROXY)); the first build takes several minutes"
  mod="$BUILD/cli"
  rm -rf "$mod" && mkdir -p "$mod"
  cat >"$mod/go.mod" <<GOMOD
module local/pulumi-cli

go 1.23

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
  (
    cd "$mod"
    say "resolving github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
      >"$BUILD/go-get.log" 2>&1 || { tail -n 20 "$BUILD/go-get.log" >&2;
      die "the Go module proxy did not serve pulumi $PULUMI_VERSION (full log: $BUILD/go-get.log). Check network access to $(go env GOPROXY), or set PULUMI_VERSION to a served version."; }
    say "resolved $(grep -c '^go: downloading' "$BUILD/go-get.log") modules"
    say "compiling (go build); this is the slow part"
    go build -trimpath -o "$BIN/pulumi" \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 || die "go build of the Pulumi CLI failed (see above)."
  )
  say "built $BIN/pulumi ($(version_of "$BIN/pulumi"))"
fi

# --- files that live inside the sdk/v3 module (not in the Python wheel) -------------------------
sdk_dir=""
ensure_sdk_dir() {
  [[ -n "$sdk_dir" ]] && return 0
  command -v go >/dev/null 2>&1 || return 1
  sdk_dir="$(cd "$BUILD" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("Dir",""))')" || return 1
  [[ -n "$sdk_dir" ]]
}

if [[ ! -x "$BIN/pulumi-resource-pulumi-python" ]]; then
  if ensure_sdk_dir && [[ -f "$sdk_dir/python/dist/pulumi-resource-pulumi-python" ]]; then
    install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
  else
    # Same behaviour as the upstream launcher: the virtualenv's Python, else python3.
    cat >"$BIN/pulumi-resource-pulumi-python" <<'LAUNCH'
#!/bin/sh
if [ -n "${PULUMI_PYTHON_CMD:-}" ]; then exec "$PULUMI_PYTHON_CMD" -u -m pulumi.dynamic "$@"; fi
if [ -n "${PULUMI_RUNTIME_VIRTUALENV:-}" ]; then exec "$PULUMI_RUNTIME_VIRTUALENV/bin/python" -u -m pulumi.dynamic "$@"; fi
exec python3 -u -m pulumi.dynamic "$@"
LAUNCH
    chmod 0755 "$BIN/pulumi-resource-pulumi-python"
  fi
  say "installed $BIN/pulumi-resource-pulumi-python"
fi

# --- the Python language host (optional: the Automation API needs none) --------------------------
# Needed for plain `pulumi preview` / `pulumi up` in a folder whose Pulumi.yaml says `runtime: python`.
# Tried in order: one on PATH at a fitting version; the Go module proxy; a source folder named by
# PULUMI_LANGUAGE_PYTHON_SRC (Pulumi's sdk/python/cmd/pulumi-language-python at the CLI's tag, with a go.mod
# that requires pkg/v3 and sdk/v3 at $PULUMI_VERSION), built from a writable copy.
LANGHOST_LOG="$TOOLS_DIR/language-host.log"
LANGHOST_MISSING="$TOOLS_DIR/language-host.unavailable"   # the proxy refused it once: not asked again
langhost_fits() { [[ -x "$1" ]] && have="$("$1" -version 2>/dev/null | tr -d 'v[:space:]')" && [[ -n "$have" ]] && fits "$have"; }
exec_script_beside() { # the host runs pulumi-language-python-exec from its own folder
  local from="$1"
  if [[ -f "$from" ]]; then install -m 0755 "$from" "$BIN/pulumi-language-python-exec"; return 0; fi
  ensure_sdk_dir && [[ -f "$sdk_dir/python/dist/pulumi-language-python-exec" ]] \
    && install -m 0755 "$sdk_dir/python/dist/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
}
build_langhost_from() { # $1: a Go module folder holding main.go; builds into $BIN
  GOFLAGS=-mod=mod go build -trimpath -o "$BIN/pulumi-language-python" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" "${2:-.}"
}

if langhost_fits "$BIN/pulumi-language-python" && [[ -x "$BIN/pulumi-language-python-exec" ]]; then
  say "pulumi-language-python $have already in $BIN (cached)"
elif system_host="$(PATH="${PATH//$BIN:/}" command -v pulumi-language-python 2>/dev/null)" && langhost_fits "$system_host" \
     && [[ -x "$(dirname "$system_host")/pulumi-language-python-exec" ]]; then
  say "using pulumi-language-python $have found at $system_host"
  ln -sf "$system_host" "$BIN/pulumi-language-python"
  ln -sf "$(dirname "$system_host")/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
else
  rm -f "$BIN/pulumi-language-python" "$BIN/pulumi-language-python-exec"
  : >"$LANGHOST_LOG"
  built=""
  if ! command -v go >/dev/null 2>&1; then
    say "pulumi-language-python: no Go toolchain to build it with"
  elif [[ ! -f "$LANGHOST_MISSING" ]]; then
    say "trying the Go module proxy for pulumi-language-python@$LANGHOST_COMMIT"
    lmod="$BUILD/langhost"
    rm -rf "$lmod" && mkdir -p "$lmod"
    cat >"$lmod/go.mod" <<GOMOD
module local/pulumi-langhost

go 1.23

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
    if (cd "$lmod" \
        && go get "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$LANGHOST_COMMIT" \
                  "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
        && build_langhost_from "$lmod" github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) >>"$LANGHOST_LOG" 2>&1 \
       && exec_script_beside ""; then
      built="the Go module proxy"
    else
      touch "$LANGHOST_MISSING"
      say "the Go module proxy does not serve it (evidence in $LANGHOST_LOG)"
    fi
  fi
  if [[ -z "$built" && -n "${PULUMI_LANGUAGE_PYTHON_SRC:-}" ]] && command -v go >/dev/null 2>&1; then
    [[ -f "$PULUMI_LANGUAGE_PYTHON_SRC/main.go" && -f "$PULUMI_LANGUAGE_PYTHON_SRC/go.mod" ]] \
      || die "PULUMI_LANGUAGE_PYTHON_SRC=$PULUMI_LANGUAGE_PYTHON_SRC holds no main.go and go.mod of pulumi-language-python"
    say "building pulumi-language-python from $PULUMI_LANGUAGE_PYTHON_SRC (about 80 s the first time)"
    src="$BUILD/langhost-src"
    rm -rf "$src" && mkdir -p "$src" && cp -R "$PULUMI_LANGUAGE_PYTHON_SRC/." "$src/" && chmod -R u+w "$src"
    if (cd "$src" && build_langhost_from "$src") >>"$LANGHOST_LOG" 2>&1 \
       && exec_script_beside "$src/pulumi-language-python-exec"; then
      built="$PULUMI_LANGUAGE_PYTHON_SRC"
    else
      tail -n 20 "$LANGHOST_LOG" >&2
      die "go build of pulumi-language-python from $PULUMI_LANGUAGE_PYTHON_SRC failed (full log: $LANGHOST_LOG)"
    fi
  fi
  if [[ -n "$built" ]]; then
    say "built $BIN/pulumi-language-python from $built"
  else
    rm -f "$BIN/pulumi-language-python" "$BIN/pulumi-language-python-exec"
    say "pulumi-language-python is not available: plain \`pulumi up\` in a folder needs it; the demo and the tests"
    say "  run programs through the Automation API instead. To build it, set PULUMI_LANGUAGE_PYTHON_SRC to its source."
  fi
fi

# --- the YAML language host (optional: only `runtime: yaml` programs need it) --------------------
# Tried in order: the one already here, one on PATH at a fitting version, a build from the Go module
# proxy at $PULUMI_YAML_VERSION (about a minute after the CLI's build). A failed build is remembered in
# a marker file, so later runs (every `make test`) do not wait for it again.
yaml_want="${PULUMI_YAML_VERSION#v}"
YAML_LOG="$TOOLS_DIR/yaml-host.log"
YAML_MISSING="$TOOLS_DIR/yaml-host-$PULUMI_YAML_VERSION.unavailable"
yaml_version_of() { # the host has no -version flag: read its version from the Go build info it embeds
  LC_ALL=C grep -aoE $'(pulumi-yaml/pkg/version\\.Version=v?|\tgithub\\.com/pulumi/pulumi-yaml\tv)[0-9]+\\.[0-9]+\\.[0-9]+' "$1" \
    | sed -n '1s/.*[=v]//p'
}
yaml_host_fits() { [[ -x "$1" ]] && yhave="$(yaml_version_of "$1")" && [[ -n "$yhave" ]] && fits "$yhave" "$yaml_want"; }

if yaml_host_fits "$BIN/pulumi-language-yaml"; then
  say "pulumi-language-yaml $yhave already in $BIN (cached)"
elif system_yaml="$(PATH="${PATH//$BIN:/}" command -v pulumi-language-yaml 2>/dev/null)" \
     && [[ "$system_yaml" != "$BIN/pulumi-language-yaml" ]] && yaml_host_fits "$system_yaml"; then
  say "using pulumi-language-yaml $yhave found at $system_yaml"
  ln -sf "$system_yaml" "$BIN/pulumi-language-yaml"
elif [[ -f "$YAML_MISSING" ]]; then
  say "pulumi-language-yaml is not available (its build failed before, see $YAML_LOG; remove $YAML_MISSING to retry): only YAML programs need it"
elif ! command -v go >/dev/null 2>&1; then
  say "pulumi-language-yaml is not available (no Go toolchain to build it with): only YAML programs need it"
else
  say "building pulumi-language-yaml $PULUMI_YAML_VERSION from the Go module proxy (about a minute)"
  ybuild="$BUILD/yaml-host"
  rm -rf "$ybuild" && mkdir -p "$ybuild"
  # The flags of Pulumi's own release build; built aside, then moved in, so no one sees half a file.
  if CGO_ENABLED=0 GOBIN="$ybuild" go install -trimpath \
       -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
       "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$PULUMI_YAML_VERSION" >"$YAML_LOG" 2>&1 \
     && yaml_host_fits "$ybuild/pulumi-language-yaml"; then
    mv -f "$ybuild/pulumi-language-yaml" "$BIN/pulumi-language-yaml"
    say "built $BIN/pulumi-language-yaml ($yhave)"
  else
    touch "$YAML_MISSING"
    say "pulumi-language-yaml could not be built (see $YAML_LOG; remove $YAML_MISSING to retry): only YAML programs need it"
  fi
fi

say "ready: $BIN/pulumi $("$BIN/pulumi" version)"
