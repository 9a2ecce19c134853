"""Loopback HTTP servers run in a thread: a folder that a `download_url` points at, or a handler of a test's own.

No pytest here: `scripts/demo.py` serves its assets with `serve_directory` too.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

ServerT = TypeVar("ServerT", bound=ThreadingHTTPServer)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without a log line per request (the test or demo output stays readable)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def url_of(server: ThreadingHTTPServer) -> str:
    """The base URL of a server listening on loopback."""
    return f"http://127.0.0.1:{server.server_address[1]}"


@contextmanager
def loopback_server(
    handler: Callable[..., BaseHTTPRequestHandler],
    port: int = 0,
    server_class: type[ServerT] = ThreadingHTTPServer,  # type: ignore[assignment]
) -> Iterator[ServerT]:
    """Runs `server_class` with `handler` on 127.0.0.1:`port` (0: a free one) in a thread; yields the server.

    The server is shut down and its socket closed on exit, whatever happened.
    """
    server = server_class(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_directory(directory: Path, port: int = 0) -> Iterator[str]:
    """Serves `directory` over HTTP on 127.0.0.1:`port` (0: a free one) in a thread; yields the base URL."""
    with loopback_server(functools.partial(QuietHandler, directory=str(directory)), port) as server:
        yield url_of(server)
