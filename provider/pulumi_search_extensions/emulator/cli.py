"""`search-extensions-emulator`: serve the emulated Coveo and Elastic APIs on one port."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from . import (
    DEFAULT_COVEO_ORGANIZATIONS,
    DEFAULT_ELASTIC_API_KEY,
    DEFAULT_ELASTIC_PASSWORD,
    DEFAULT_ELASTIC_UPLOAD_LIMIT_MB,
    DEFAULT_ELASTIC_USERNAME,
    DEFAULT_HOST,
    DEFAULT_PORT,
)

_DESCRIPTION = """\
Offline emulator of the Coveo Extension API (plus the Source API's extension map) and of the
Elastic Cloud extensions API, on one port. Point a Coveo `host` and an Elastic `endpoint` at the
printed base URL. The admin API lives under /_emulator/ (health, reset, dump, requests, faults).
"""

_EPILOG = """\
fault configuration (--fault-config, or PUT /_emulator/faults at run time):
  {"latency_ms": 0, "jitter_ms": 0, "seed": null,
   "rules": [{"method": "PUT", "route": "/rest/organizations/*/extensions/*",
              "latency_ms": 0, "jitter_ms": 0, "retry_after_s": 1, "max_faults": null,
              "faults": {"429": 0.1, "500": 0, "503": 0, "drop": 0, "fail_after_commit": 0}}]}
  The first rule matching a request's method and route (glob on the route template or the
  path) applies. "drop" closes the connection without an answer; "fail_after_commit" applies
  the request, then closes the connection instead of answering.
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps keys and credentials whole: no line breaks at their hyphens."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False)


def _organization(value: str) -> tuple[str, str]:
    organization, separator, key = value.partition("=")
    if not separator or not organization or not key:
        raise argparse.ArgumentTypeError(f"expected ORG=KEY, got {value!r}")
    return organization, key


def _user(value: str) -> tuple[str, str]:
    username, separator, password = value.partition(":")
    if not separator or not username or not password:
        raise argparse.ArgumentTypeError(f"expected USER:PASS, got {value!r}")
    return username, password


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The command line (every option is documented in `--help`)."""
    parser = argparse.ArgumentParser(
        prog="search-extensions-emulator",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)")
    parser.add_argument(
        "--port",
        type=_non_negative_int,
        default=DEFAULT_PORT,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--port-file",
        type=Path,
        help="once listening, write the actual port to this file (atomically); useful with --port 0",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the state (and uploaded files) in this directory, saved after each change and "
        "restored at start; without it everything lives in memory",
    )
    defaults = ", ".join(f"{org}={key}" for org, key in DEFAULT_COVEO_ORGANIZATIONS.items())
    parser.add_argument(
        "--coveo-org",
        dest="coveo_orgs",
        action="append",
        type=_organization,
        metavar="ORG=KEY",
        help=f"a Coveo organization and its API key (repeatable; replaces the defaults: {defaults})",
    )
    parser.add_argument(
        "--elastic-api-key",
        default=DEFAULT_ELASTIC_API_KEY,
        help="Elastic API key (`Authorization: ApiKey ...`; default: %(default)s)",
    )
    parser.add_argument(
        "--elastic-mode",
        choices=("ess", "ece"),
        default="ess",
        help="ess: API key only; ece: also basic auth with --elastic-user (default: %(default)s)",
    )
    parser.add_argument(
        "--elastic-user",
        type=_user,
        default=(DEFAULT_ELASTIC_USERNAME, DEFAULT_ELASTIC_PASSWORD),
        metavar="USER:PASS",
        help=f"ECE basic-auth credentials (default: {DEFAULT_ELASTIC_USERNAME}:{DEFAULT_ELASTIC_PASSWORD})",
    )
    parser.add_argument(
        "--elastic-upload-limit-mb",
        type=_positive_int,
        default=DEFAULT_ELASTIC_UPLOAD_LIMIT_MB,
        metavar="N",
        help="largest accepted extension upload, in MiB (default: %(default)s, as on most subscriptions)",
    )
    parser.add_argument(
        "--latency-ms", type=_non_negative_int, metavar="N", help="fixed delay added to every API request (default: 0)"
    )
    parser.add_argument(
        "--jitter-ms", type=_non_negative_int, metavar="N", help="random extra delay, uniform in [0, N] ms (default: 0)"
    )
    parser.add_argument(
        "--fault-config",
        metavar="JSON|@FILE",
        help="initial fault and latency rules, inline JSON or @path to a JSON file (format below)",
    )
    parser.add_argument("--seed", type=int, help="seed of the fault and latency draws (reproducible runs)")
    parser.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="warning",
        help="uvicorn log level (default: %(default)s)",
    )
    return parser


def _write_port_file(path: Path, port: int) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=".port-", dir=path.parent or Path("."))
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, bind, print the base URL and credentials, serve until stopped."""
    parser = build_parser()
    args = parser.parse_args(argv)

    # Imported here so that `--help` stays fast and the package import stays light.
    try:
        import uvicorn

        from .app import Emulator, EmulatorSettings
    except ModuleNotFoundError as missing:
        print(
            f"search-extensions-emulator: the emulator needs the [emulator] extra ({missing.name} is not "
            'installed): pip install "pulumi-search-extensions[emulator]" (from a clone: pip install ".[emulator]")',
            file=sys.stderr,
        )
        return 2
    from .faults import FaultConfig, FaultConfigError, parse_fault_config_argument
    from .transport import TransportExposingH11Protocol

    try:
        fault_config = parse_fault_config_argument(args.fault_config) if args.fault_config else FaultConfig()
    except (OSError, FaultConfigError) as error:
        parser.error(f"--fault-config: {error}")
    if args.latency_ms is not None:
        fault_config.latency_ms = float(args.latency_ms)
    if args.jitter_ms is not None:
        fault_config.jitter_ms = float(args.jitter_ms)

    organizations = dict(args.coveo_orgs) if args.coveo_orgs else dict(DEFAULT_COVEO_ORGANIZATIONS)
    username, password = args.elastic_user
    settings = EmulatorSettings(
        coveo_organizations=organizations,
        elastic_api_key=args.elastic_api_key,
        elastic_mode=args.elastic_mode,
        elastic_username=username,
        elastic_password=password,
        elastic_upload_limit_bytes=args.elastic_upload_limit_mb * 1024 * 1024,
        data_dir=args.data_dir.resolve() if args.data_dir else None,
        fault_config=fault_config,
        seed=args.seed,
    )
    emulator = Emulator(settings)

    # Bind ourselves so that --port 0 yields a known port before anyone connects.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto says
    # TCP, and without it every response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as error:
        print(
            f"search-extensions-emulator: cannot bind {args.host}:{args.port}: {error.strerror or error}; "
            f"choose another port with --port (0 picks a free one)",
            file=sys.stderr,
        )
        emulator.close()
        return 2
    sock.listen(2048)
    port = sock.getsockname()[1]
    host_in_url = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    url = f"http://{host_in_url}:{port}"

    lines = [f"search-extensions-emulator listening on {url}", f"  Coveo host      {url}"]
    lines += [f"    organization {org}  API key {key}" for org, key in organizations.items()]
    lines.append(f"  Elastic endpoint {url}  (mode {args.elastic_mode})")
    lines.append(f"    API key {args.elastic_api_key}")
    if args.elastic_mode == "ece":
        lines.append(f"    basic auth {username} / {password}")
    lines.append(f"  state           {settings.data_dir or 'in memory'}")
    lines.append(f"  admin           {url}/_emulator/health")
    print("\n".join(lines), flush=True)

    config = uvicorn.Config(
        emulator.asgi_app,
        http=TransportExposingH11Protocol,
        lifespan="off",
        log_level=args.log_level,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    if args.port_file is not None:
        _write_port_file(args.port_file, port)
    try:
        server.run(sockets=[sock])
    finally:
        emulator.close()
    return 0
