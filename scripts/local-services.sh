#!/usr/bin/env bash
# The two local services the README's by-hand walkthroughs use, started and stopped with one command each:
#
#     scripts/local-services.sh start [--emulator-port N] [--files-port N]   # defaults 8080 and 8000
#     scripts/local-services.sh stop                                         # stops both
#     scripts/local-services.sh status
#
# `start` runs the bundled emulator (`search-extensions-emulator`, data in memory) and a file server of
# examples/assets (the URL a `download_url` points at), both on 127.0.0.1, in the background; it waits until
# the emulator answers. EMULATOR_PORT / FILES_PORT in the environment set the ports too. A port already in use
# stops it in one line naming the option to change, before anything starts. Their process ids and logs are kept
# in .pulumi-state/services/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${LOCAL_SERVICES_DIR:-$root/.pulumi-state/services}"  # LOCAL_SERVICES_DIR: elsewhere (tests)
pids="$state/pids"
me="scripts/local-services.sh"
emulator_port="${EMULATOR_PORT:-8080}"
files_port="${FILES_PORT:-8000}"

usage() {
  echo "usage: $me start [--emulator-port N] [--files-port N] | stop | status" >&2
  exit 2
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# Prints "<emulator pid> <emulator port> <files pid> <files port>" of a running start, or nothing.
running() {
  [ -f "$pids" ] || return 0
  local epid eport fpid fport
  read -r epid eport fpid fport <"$pids" || true
  if alive "${epid:-}" || alive "${fpid:-}"; then echo "$epid $eport $fpid $fport"; fi
}

port_free() {
  python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is not busy
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}

check_port() { # <port> <option> <variable>
  case "$1" in '' | *[!0-9]*) echo "$me: $2 must be a port number, got '$1'" >&2 && exit 2 ;; esac
  if ! port_free "$1"; then
    echo "$me: port $1 is in use ($2 / $3): stop what uses it, or pick another, e.g. $me start $2 $(($1 + 10))" >&2
    exit 2
  fi
}

start() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --emulator-port) [ $# -ge 2 ] || usage; emulator_port="$2"; shift 2 ;;
      --files-port) [ $# -ge 2 ] || usage; files_port="$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  local already
  already="$(running)"
  if [ -n "$already" ]; then
    set -- $already
    echo "$me: already running (emulator on port $2, files on port $4): \`$me stop\` first" >&2
    exit 2
  fi
  check_port "$emulator_port" --emulator-port EMULATOR_PORT
  check_port "$files_port" --files-port FILES_PORT
  local emulator="$root/.venv/bin/search-extensions-emulator"
  [ -x "$emulator" ] || emulator="$(command -v search-extensions-emulator || true)"
  if [ -z "$emulator" ]; then
    echo "$me: no search-extensions-emulator: run \`make setup\` in $root first" >&2
    exit 2
  fi
  mkdir -p "$state"
  nohup "$emulator" --port "$emulator_port" >"$state/emulator.log" 2>&1 </dev/null &
  local epid=$!
  nohup python3 -m http.server "$files_port" --bind 127.0.0.1 --directory "$root/examples/assets" \
    >"$state/files.log" 2>&1 </dev/null &
  local fpid=$!
  echo "$epid $emulator_port $fpid $files_port" >"$pids"
  local waited=0
  until python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1)' "http://127.0.0.1:$emulator_port/_emulator/health" 2>/dev/null; do
    if ! alive "$epid" || [ "$waited" -ge 300 ]; then
      echo "$me: the emulator did not start: $(tail -n 1 "$state/emulator.log")" >&2
      stop >/dev/null
      exit 2
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "emulator: http://127.0.0.1:$emulator_port (pid $epid); files of examples/assets: http://127.0.0.1:$files_port (pid $fpid)"
  echo "stop both with: $me stop"
}

stop() {
  local current
  current="$(running)"
  if [ -z "$current" ]; then
    rm -f "$pids"
    echo "nothing to stop"
    return 0
  fi
  set -- $current
  local pid
  for pid in "$1" "$3"; do
    if alive "$pid"; then kill "$pid" 2>/dev/null || true; fi
  done
  for _ in $(seq 50); do
    alive "$1" || alive "$3" || break
    sleep 0.1
  done
  rm -f "$pids"
  echo "stopped the emulator (pid $1, port $2) and the file server (pid $3, port $4)"
}

status() {
  local current
  current="$(running)"
  if [ -z "$current" ]; then echo "not running"; else
    set -- $current
    echo "emulator: http://127.0.0.1:$2 (pid $1); files: http://127.0.0.1:$4 (pid $3)"
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
