"""Streaming the `file` field of a multipart/form-data upload into a `FileSink`, in constant memory."""

from __future__ import annotations

from typing import Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from .exceptions import request_execution_failed
from .files import FileSink


async def receive_multipart_file(request: Request, boundary: bytes, sink: FileSink) -> None:
    """Stream the `file` field of a multipart/form-data body into `sink`, in constant memory."""
    if not boundary:
        raise request_execution_failed("Could not accept the extensions file: multipart body without boundary.")
    receiver = _MultipartFileField(sink)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise request_execution_failed(f"Could not accept the extensions file: {error}") from error
    if not receiver.complete:
        raise request_execution_failed("Could not accept the extensions file: no complete [file] field.")


class _MultipartFileField:
    """Callbacks for python-multipart's streaming parser that keep only the first `file` part."""

    def __init__(self, sink: FileSink) -> None:
        self.sink = sink
        self.complete = False
        self._receiving = False
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""

    def callbacks(self) -> Any:
        """The callback table (a TypedDict in python-multipart, hence `Any`)."""
        return {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
        }

    def _on_part_begin(self) -> None:
        self._disposition = b""

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._receiving = not self.complete and options.get(b"name") == b"file"

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._receiving:
            self.sink.write(data[start:end])

    def _on_part_end(self) -> None:
        if self._receiving:
            self.complete = True
            self._receiving = False
