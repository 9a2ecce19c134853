"""Messages to the engine's log (the `Engine.Log` RPC): the plugin's warnings, shown on their resource.

A provider plugin's stdout is not shown to the user; the engine's log is, under the resource's URN, as
`warning: ...` in the run's output and its Diagnostics.
"""

from __future__ import annotations

import sys
import threading

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

__all__ = ["EngineLog"]


class EngineLog:
    """The engine's log at `engine_address`, connected at the first message; without an address, stdout."""

    def __init__(self, engine_address: str | None) -> None:
        """`engine_address`: host:port of the engine's gRPC service (None: print instead, as in tests)."""
        self._address = engine_address
        self._lock = threading.Lock()
        self._stub: engine_pb2_grpc.EngineStub | None = None

    def warn(self, message: str, urn: str) -> None:
        """Logs `message` as a warning on the resource `urn` (blocking: call it from a worker thread)."""
        stub = self._engine()
        if stub is None:
            print(f"warning: {message}", file=sys.stdout, flush=True)
            return
        stub.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message=message, urn=urn))

    def _engine(self) -> engine_pb2_grpc.EngineStub | None:
        if self._address is None:
            return None
        with self._lock:
            if self._stub is None:
                self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(self._address))
            return self._stub
