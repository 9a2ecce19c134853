"""The request log: every vendor request the emulator served, and the count per route template."""

from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Any

REQUEST_LOG_LIMIT = 100_000  # entries kept in the log; the counts stay exact beyond it


class RequestLog:
    """Every vendor request served: `{method, path, route, status, fault}` and counts per route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._counts: Counter[str] = Counter()

    def record(self, method: str, path: str, route: str, status: int | None, fault: str | None) -> None:
        """Log one request (`status` None when no response was sent)."""
        with self._lock:
            self._entries.append({"method": method, "path": path, "route": route, "status": status, "fault": fault})
            self._counts[f"{method} {route}"] += 1

    def clear(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def to_json(self) -> dict[str, Any]:
        """`GET /_emulator/requests`."""
        with self._lock:
            return {"requests": list(self._entries), "counts": dict(self._counts)}
