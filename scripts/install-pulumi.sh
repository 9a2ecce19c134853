#!/usr/bin/env bash
# Makes a Pulumi CLI available in .tools/bin (git-ignored), for machines that cannot download one.
#
# 1. A `pulumi` already on PATH whose version fits is linked in as it is.
# 2. Otherwise the CLI is built from the Go module proxy at $PULUMI_VERSION and cached; a second
#    run that finds the cached binary at the right version takes well under a second.
# 3. `pulumi-resource-pulumi-python` (the dynamic-provider launcher) is put beside the CLI, and so is the
#    Python language host `pulumi-language-python` (+ its exec script) when it can be had: already on PATH,
#    from the Go module proxy at the commit of $PULUMI_VERSION, or built from the source folder named by
#    PULUMI_LANGUAGE_PYTHON_SRC.
# 4. The Node.js and Go language hosts `pulumi-language-nodejs` / `pulumi-language-go` (optional, for
#    `runtime: nodejs|go` programs and the official `gen-sdk` generators): already on PATH at a fitting
#    version, else built from the source folders named by PULUMI_LANGUAGE_NODEJS_SRC / PULUMI_LANGUAGE_GO_SRC.
# 5. The YAML language host `pulumi-language-yaml` (optional, for `runtime: yaml` programs) is put beside
#    the CLI: one already on PATH at a fitting version, else built from the Go module proxy at
#    $PULUMI_YAML_VERSION (about a minute) and cached. When it cannot be had, the script says so and goes on.
#
# A language host built from a source folder uses the Pulumi libraries of the CLI ($PULUMI_VERSION) when its
# source compiles against them, else those of the release it was cut from (see build_host_from_src).
#
# Usage: [PULUMI_VERSION=v3.x.y] scripts/install-pulumi.sh [TOOLS_DIR]    (default: <repo>/.tools)
#        scripts/install-pulumi.sh --newest-version    prints the newest CLI the Go module proxy serves
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-v3.259.0}"
# github.com/pulumi/pulumi-yaml: the version the Go module proxy serves here; it works with the CLI above.
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
# The newest release checked by hand here: what --newest-version says when the Go module proxy cannot be asked.
PULUMI_NEWEST_FALLBACK="${PULUMI_NEWEST_FALLBACK:-v3.277.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "${1:-}" == "--newest-version" ]]; then
  # The newest CLI release the Go module proxy serves (its `@latest`: the highest version without a
  # pre-release suffix). CI builds it beside the pinned one and runs the end-to-end tests against it.
  if newest="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod timeout 120 go list -m -f '{{.Version}}' \
        github.com/pulumi/pulumi/pkg/v3@latest 2>/dev/null)" && [[ "$newest" =~ ^v3\.[0-9]+\.[0-9]+$ ]]; then
    printf '%s\n' "$newest"
  else
    printf '[install-pulumi] the Go module proxy did not say which pulumi is the newest; using %s (PULUMI_NEWEST_FALLBACK)\n' \
      "$PULUMI_NEWEST_FALLBACK" >&2
    printf '%s\n' "$PULUMI_NEWEST_FALLBACK"
  fi
  exit 0
fi

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

# --- language hosts built from a source folder ---------------------------------------------------
# Pulumi's language hosts are Go programs of the pulumi/pulumi repository. The Go module proxy serves
# the libraries they use (pkg/v3, sdk/v3), not always their own modules; a source folder (the host's
# package, with a go.mod that requires pkg/v3 and sdk/v3 at the release it was cut from) is built from a
# writable copy. For a CLI of another release, the copy is first moved to pkg/v3 and sdk/v3 at
# $PULUMI_VERSION, so that the host runs the CLI's own Pulumi libraries (its code generator included);
# when that does not compile, the source is built at its own release, and the script says so.
src_release() { sed -n 's#^[[:space:]]*github.com/pulumi/pulumi/sdk/v3 \(v[0-9][0-9.]*\).*#\1#p' "$1/go.mod" | head -n 1; }
fresh_copy() { rm -rf "$2" && mkdir -p "$2" && cp -R "$1/." "$2/" && chmod -R u+w "$2"; }
build_host_from_src() { # $1 name (pulumi-language-nodejs), $2 source folder: builds $BIN/$1, prints its release
  local name="$1" from="$2" copy="$BUILD/$1-src" log="$TOOLS_DIR/$1.log" release
  release="$(src_release "$from")"
  [[ -n "$release" ]] || { say "$from/go.mod requires no github.com/pulumi/pulumi/sdk/v3"; return 1; }
  fresh_copy "$from" "$copy"
  : >"$log"
  if [[ "$release" != "$PULUMI_VERSION" ]]; then
    if (cd "$copy" && GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" \
          "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION") >>"$log" 2>&1; then
      release="$PULUMI_VERSION"
    else
      say "$name: the source of $release cannot move to pulumi $PULUMI_VERSION (see $log); building it at $release"
      touch "$TOOLS_DIR/$name-$PULUMI_VERSION.does-not-compile"
      fresh_copy "$from" "$copy"
    fi
  fi
  # Built aside, then moved in: a tools folder may be shared, and no one must see half a file.
  if ! (cd "$copy" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN/.$name.new" \
          -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$release" .) >>"$log" 2>&1; then
    [[ "$release" == "$PULUMI_VERSION" && "$(src_release "$from")" != "$PULUMI_VERSION" ]] || return 1
    release="$(src_release "$from")"
    say "$name: the source does not compile against pulumi $PULUMI_VERSION (see $log); building it at $release"
    touch "$TOOLS_DIR/$name-$PULUMI_VERSION.does-not-compile"
    fresh_copy "$from" "$copy"
    (cd "$copy" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN/.$name.new" \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$release" .) >>"$log" 2>&1 || return 1
  fi
  mv -f "$BIN/.$name.new" "$BIN/$name"
  printf '%s\n' "$release"
}
host_fits() { [[ -x "$1" ]] && have="$("$1" -version 2>/dev/null | tr -d 'v[:space:]')" && [[ -n "$have" ]] && fits "$have"; }
built_at_its_own_release() { # $1 name, $2 source folder: the host built here from it at its own release,
  # its source known not to compile against $PULUMI_VERSION (the build left a marker): kept as it is
  [[ -n "$2" && -f "$TOOLS_DIR/$1-$PULUMI_VERSION.does-not-compile" && -x "$BIN/$1" && -f "$2/go.mod" ]] \
    && have="$("$BIN/$1" -version 2>/dev/null | tr -d '[:space:]')" && [[ "$have" == "$(src_release "$2")" ]]
}
on_path() { # $1 name: the one on PATH outside $BIN, if any
  local found
  found="$(PATH="${PATH//$BIN:/}" command -v "$1" 2>/dev/null)" && [[ "$found" != "$BIN/$1" ]] && printf '%s\n' "$found"
}

# --- the Python language host (optional: the Automation API needs none) --------------------------
# Needed for plain `pulumi preview` / `pulumi up` in a folder whose Pulumi.yaml says `runtime: python`.
# Tried in order: one on PATH at a fitting version; the Go module proxy, at the commit of $PULUMI_VERSION's
# tag; a source folder named by PULUMI_LANGUAGE_PYTHON_SRC (Pulumi's sdk/python/cmd/pulumi-language-python
# with its pulumi-language-python-exec and a go.mod), built as above.
LANGHOST_LOG="$TOOLS_DIR/language-host.log"
known_commit() { # the tags checked here; elsewhere the proxy's Origin gives it
  case "$1" in
    v3.259.0) echo 0ac56e876614 ;;
  esac
}
langhost_commit() { # the commit of $PULUMI_VERSION's tag: the host's module has no tags of its own
  if [[ -n "${LANGHOST_COMMIT:-}" ]]; then echo "$LANGHOST_COMMIT"; return 0; fi
  local origin # proxy.golang.org names the commit a version was made from; a mirror may not
  origin="$(cd "$BUILD" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" 2>/dev/null \
    | python3 -c 'import json,sys; print(((json.load(sys.stdin).get("Origin") or {}).get("Hash") or "")[:12])' 2>/dev/null)" || origin=""
  if [[ -n "$origin" ]]; then echo "$origin"; else known_commit "$PULUMI_VERSION"; fi
}
exec_script_beside() { # the host runs pulumi-language-python-exec from its own folder
  local from="$1"
  if [[ -f "$from" ]]; then install -m 0755 "$from" "$BIN/pulumi-language-python-exec"; return 0; fi
  ensure_sdk_dir && [[ -f "$sdk_dir/python/dist/pulumi-language-python-exec" ]] \
    && install -m 0755 "$sdk_dir/python/dist/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
}

if { host_fits "$BIN/pulumi-language-python" \
     || built_at_its_own_release pulumi-language-python "${PULUMI_LANGUAGE_PYTHON_SRC:-}"; } \
   && [[ -x "$BIN/pulumi-language-python-exec" ]]; then
  say "pulumi-language-python $have already in $BIN (cached)"
elif system_host="$(on_path pulumi-language-python)" && host_fits "$system_host" \
     && [[ -x "$(dirname "$system_host")/pulumi-language-python-exec" ]]; then
  say "using pulumi-language-python $have found at $system_host"
  ln -sf "$system_host" "$BIN/pulumi-language-python"
  ln -sf "$(dirname "$system_host")/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
else
  rm -f "$BIN/pulumi-language-python" "$BIN/pulumi-language-python-exec"
  : >"$LANGHOST_LOG"
  built=""
  commit=""
  if ! command -v go >/dev/null 2>&1; then
    say "pulumi-language-python: no Go toolchain to build it with"
  elif ! commit="$(langhost_commit)" || [[ -z "$commit" ]]; then
    say "pulumi-language-python: the commit of pulumi $PULUMI_VERSION is not known here (the Go module proxy names none;"
    say "  set LANGHOST_COMMIT to ask the proxy for the host at that commit)"
  elif [[ -f "$TOOLS_DIR/language-host-$commit.unavailable" ]]; then
    say "pulumi-language-python@$commit: the Go module proxy refused it before (see $LANGHOST_LOG)"
  else
    say "trying the Go module proxy for pulumi-language-python@$commit (the commit of $PULUMI_VERSION)"
    lmod="$BUILD/langhost"
    rm -rf "$lmod" && mkdir -p "$lmod"
    cat >"$lmod/go.mod" <<GOMOD
module local/pulumi-langhost

go 1.23

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
    if (cd "$lmod" \
        && go get "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$commit" \
                  "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
        && GOFLAGS=-mod=mod go build -trimpath -o "$BIN/pulumi-language-python" \
             -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
             github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) >>"$LANGHOST_LOG" 2>&1 \
       && exec_script_beside ""; then
      built="the Go module proxy"
    else
      touch "$TOOLS_DIR/language-host-$commit.unavailable"   # not asked again for this commit
      say "the Go module proxy does not serve it (evidence in $LANGHOST_LOG)"
    fi
  fi
  if [[ -z "$built" && -n "${PULUMI_LANGUAGE_PYTHON_SRC:-}" ]] && command -v go >/dev/null 2>&1; then
    [[ -f "$PULUMI_LANGUAGE_PYTHON_SRC/main.go" && -f "$PULUMI_LANGUAGE_PYTHON_SRC/go.mod" ]] \
      || die "PULUMI_LANGUAGE_PYTHON_SRC=$PULUMI_LANGUAGE_PYTHON_SRC holds no main.go and go.mod of pulumi-language-python"
    say "building pulumi-language-python from $PULUMI_LANGUAGE_PYTHON_SRC (about 80 s the first time)"
    if release="$(build_host_from_src pulumi-language-python "$PULUMI_LANGUAGE_PYTHON_SRC")" \
       && exec_script_beside "$PULUMI_LANGUAGE_PYTHON_SRC/pulumi-language-python-exec"; then
      built="$PULUMI_LANGUAGE_PYTHON_SRC (pulumi libraries $release)"
    else
      tail -n 20 "$TOOLS_DIR/pulumi-language-python.log" >&2
      die "go build of pulumi-language-python from $PULUMI_LANGUAGE_PYTHON_SRC failed (full log: $TOOLS_DIR/pulumi-language-python.log)"
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

# --- the Node.js and Go language hosts (optional: only `runtime: nodejs` / `runtime: go` programs need them)
# With them beside the CLI, plain `pulumi up` runs TypeScript and Go programs, and `pulumi package gen-sdk
# --language nodejs|go` uses Pulumi's official generators. Tried in order: the one already here, one on PATH
# at a fitting version (an official Pulumi install has both), a build from the source folder that
# PULUMI_LANGUAGE_NODEJS_SRC / PULUMI_LANGUAGE_GO_SRC names (Pulumi's sdk/nodejs/cmd/pulumi-language-nodejs
# and sdk/go/pulumi-language-go, each with a go.mod; a few seconds to a minute). Without them the script
# says so and goes on: only the tests of such programs skip, naming what to install.
for language in nodejs go; do
  name="pulumi-language-$language"
  src_var="PULUMI_LANGUAGE_${language^^}_SRC"
  src="${!src_var:-}"
  if host_fits "$BIN/$name" || built_at_its_own_release "$name" "$src"; then
    say "$name $have already in $BIN (cached)"
  elif system_host="$(on_path "$name")" && host_fits "$system_host"; then
    say "using $name $have found at $system_host"
    ln -sf "$system_host" "$BIN/$name"
  elif [[ -z "$src" ]]; then
    say "$name is not available (only \`runtime: $language\` programs need it): put an official Pulumi install on"
    say "  PATH, or set $src_var to its source folder"
  elif ! command -v go >/dev/null 2>&1; then
    say "$name is not available (no Go toolchain to build it from $src): only \`runtime: $language\` programs need it"
  else
    [[ -f "$src/main.go" && -f "$src/go.mod" ]] || die "$src_var=$src holds no main.go and go.mod of $name"
    say "building $name from $src"
    if release="$(build_host_from_src "$name" "$src")"; then
      say "built $BIN/$name (pulumi libraries $release)"
    else
      tail -n 20 "$TOOLS_DIR/$name.log" >&2
      die "go build of $name from $src failed (full log: $TOOLS_DIR/$name.log)"
    fi
  fi
done

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
