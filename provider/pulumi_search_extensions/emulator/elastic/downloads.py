"""Fetching a `download_url` the way the service copies one: one GET, no redirects, no credentials.

Blocking: the backend calls it from a worker thread, outside its lock.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from .exceptions import request_execution_failed
from .files import FileSink, FileStore

DOWNLOAD_TIMEOUT_SECONDS = 30.0
DOWNLOAD_CHUNK_BYTES = 256 * 1024
# download_url is the documented way past the upload limit; the largest plan allows 8 GB.
DOWNLOAD_LIMIT_BYTES = 8 * 1024**3


def download_into(url: str, sink: FileSink) -> None:
    """GET `url` into `sink` the way the service copies a download_url: one request, no redirects.

    Blocking: call it from a worker thread.  Raises 400 `extensions.request_execution_failed`.
    """
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(parts.hostname or "", parts.port, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    try:
        connection.request("GET", target, headers={"Accept": "*/*", "User-Agent": "elastic-extensions-emulator"})
        response = connection.getresponse()
        if response.status != 200:
            raise request_execution_failed(
                f"Could not download the extension from [{url}]: HTTP {response.status} {response.reason}"
            )
        while chunk := response.read(DOWNLOAD_CHUNK_BYTES):
            sink.write(chunk)
            if sink.too_large:
                raise request_execution_failed(
                    f"Could not download the extension from [{url}]: larger than {sink.limit_bytes} bytes."
                )
    except (OSError, http.client.HTTPException) as error:
        raise request_execution_failed(f"Could not download the extension from [{url}]: {error}") from error
    finally:
        connection.close()


@contextmanager
def downloaded(url: str | None, store: FileStore) -> Iterator[FileSink | None]:
    """The file at `url` in a sink to adopt (removed unless adopted), or None without a URL."""
    if url is None:
        yield None
        return
    with store.new_sink(DOWNLOAD_LIMIT_BYTES) as sink:
        download_into(url, sink)
        sink.finish()
        if sink.size == 0:
            raise request_execution_failed(f"Could not download the extension from [{url}]: empty body.")
        yield sink
