"""The one HTTP layer both resources go through.

- One `requests.Session` per (service, base URL, TLS setting) per provider process, reused across calls
  (the provider process serves up to four calls at once; urllib3's pool is thread-safe).
- Retries are urllib3's `Retry` (exponential back-off with jitter, honours `Retry-After`) on 429, 5xx and
  connection errors, for calls the caller marks idempotent. A create POST is sent once: the caller decides
  what a failure means (see the providers' create-reconciliation).
- urllib3 has no total time budget, so `_BudgetRetry` stops retrying once the next wait would overrun the
  call's deadline, and then hands back the last response (or raises the last connection error).
- Credentials travel in a per-call header and never appear in an error message or a log line: should a
  service (or a proxy in front of it) echo the credential back, it is masked in the error.
- A call ends within `retry_budget` plus one attempt's `timeout`: no retry starts once its wait would pass
  the deadline, and the attempt in flight is bounded by the per-attempt time-out.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

if TYPE_CHECKING:
    from typing_extensions import Self

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class ApiError(Exception):
    """A call to Coveo or Elastic failed. Carries what the user needs to act, never a credential.

    Attributes:
        service: "Coveo" or "Elastic".
        method, path: the call that failed (path without host or query).
        status: the HTTP status, or None when no response arrived (connection error, time-out).
        code: the service's error code (Coveo `errorCode`, Elastic `errors[].code`), if any.
        message: the service's message, or a description of the transport failure.
        request_id: the service's request id (Coveo `X-Request-ID`), if any.
        retry_after: the wait the service asked for (`Retry-After`, seconds), if any.
    """

    def __init__(
        self,
        service: str,
        method: str,
        path: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        self.service = service
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.method} {self.path}"
        if self.status is None:
            return f"{self.service} API call {where} failed: {self.message}"
        code = f" {self.code}" if self.code else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.service} API error {self.status}{code} on {where}: {self.message}{rid}"

    @property
    def is_connection_error(self) -> bool:
        """True when no HTTP response arrived: the request may or may not have been applied."""
        return self.status is None


@dataclass(frozen=True)
class HttpSettings:
    """Time limits and retry policy of one service's calls (stack config or environment can set them).

    Attributes:
        timeout: seconds to wait for the service between bytes (connect and read), per attempt.
        retry_budget: total seconds one call may spend, retries and back-off included.
        max_retries: retries after the first attempt.
        backoff_factor: base of the exponential back-off, seconds, and the range of its jitter: waits double
            with each retry (urllib3 retries a first failure at once, then waits `backoff_factor * 2**(n-1)`
            plus up to `backoff_factor` before the n-th retry), at most 30 s, unless the service asks for a
            `Retry-After`.
        verify_tls: False only for self-signed ECE installations (`insecure`).
    """

    timeout: float = 60.0
    retry_budget: float = 300.0
    max_retries: int = 8
    backoff_factor: float = 0.5
    verify_tls: bool = True


ErrorParser = Callable[[requests.Response], tuple[str | None, str, str | None]]
"""Reads (code, message, request_id) from a service's error response."""


_call_deadline = threading.local()


class _BudgetRetry(Retry):
    """urllib3 `Retry` that also gives up when the next wait would pass the current call's deadline."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        deadline: float | None = getattr(_call_deadline, "value", None)
        if deadline is not None:
            wait = (new.get_retry_after(response) if response is not None else None) or new.get_backoff_time()
            if time.monotonic() + wait > deadline:
                # Same outcome as running out of retries: urllib3 returns the last response or raises.
                raise MaxRetryError(_pool, url or "", error)  # type: ignore[arg-type]
        return new


def _retry_policy(settings: HttpSettings) -> Retry:
    return _BudgetRetry(
        total=settings.max_retries,
        connect=settings.max_retries,
        read=settings.max_retries,
        status=settings.max_retries,
        other=0,
        allowed_methods=None,  # only calls marked idempotent are sent through this session
        status_forcelist=RETRYABLE_STATUSES,
        backoff_factor=settings.backoff_factor,
        backoff_max=30.0,
        backoff_jitter=settings.backoff_factor,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )


_sessions: dict[tuple[str, HttpSettings], requests.Session] = {}
_sessions_lock = threading.Lock()


def _session(kind: str, settings: HttpSettings) -> requests.Session:
    """A process-wide session: `retrying` for idempotent calls, `once` for calls sent exactly once."""
    key = (kind, settings)
    with _sessions_lock:
        session = _sessions.get(key)
        if session is None:
            session = requests.Session()
            retries: Retry | int = _retry_policy(settings) if kind == "retrying" else 0
            adapter = HTTPAdapter(max_retries=retries, pool_connections=4, pool_maxsize=8)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.verify = settings.verify_tls
            # The engine's proxy variables are the user's business; a stray netrc must not replace our auth.
            session.trust_env = False
            _sessions[key] = session
        return session


@dataclass(frozen=True)
class HttpClient:
    """Sends calls to one service at one base URL with one credential header.

    Instances are cheap and built per operation inside the provider process: they hold the credential
    only for the duration of the operation and are never pickled.
    """

    service: str
    base_url: str
    auth_header: str = field(repr=False)  # holds the credential: never in a repr, log line or traceback
    settings: HttpSettings
    parse_error: ErrorParser

    def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        expected: Iterable[int] = (200,),
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: bytes | str | IO[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> requests.Response:
        """Sends one call, retrying it within the budget when `idempotent`; raises `ApiError` otherwise.

        `data` may be an open binary file: it is streamed from disk, and rewound by urllib3 on a retry.
        """
        all_headers = {"Authorization": self.auth_header, "Accept": "application/json"}
        if headers:
            all_headers.update(headers)
        session = _session("retrying" if idempotent else "once", self.settings)
        per_attempt = timeout if timeout is not None else self.settings.timeout
        _call_deadline.value = time.monotonic() + self.settings.retry_budget
        try:
            response = session.request(
                method,
                self.base_url.rstrip("/") + path,
                json=json,
                params=params,
                data=data,
                headers=all_headers,
                timeout=(min(per_attempt, 30.0), per_attempt),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ApiError(self.service, method, path, self._masked(_describe_transport_error(exc))) from None
        finally:
            _call_deadline.value = None
        if response.status_code not in set(expected):
            code, message, request_id = self.parse_error(response)
            raise ApiError(
                self.service,
                method,
                path,
                self._masked(message),
                status=response.status_code,
                code=self._masked(code) if code is not None else None,
                request_id=request_id,
                body=self._masked(_json_or_none(response)),
                retry_after=_retry_after_seconds(response),
            )
        return response

    def _masked(self, value: Any) -> Any:
        """`value` (text, or JSON made of dicts, lists and strings) with every form of the credential masked."""
        secrets = _credential_forms(self.auth_header)
        if isinstance(value, str):
            for secret in secrets:
                value = value.replace(secret, "***")
            return value
        if isinstance(value, dict):
            return {self._masked(key): self._masked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._masked(item) for item in value]
        return value


_MIN_SECRET_LENGTH = 4  # shorter fragments (a one-letter password) would mask unrelated text


def _credential_forms(auth_header: str) -> tuple[str, ...]:
    """The strings that give the credential away: the header, its token and, for basic auth, the decoded pair."""
    forms = [auth_header]
    scheme, _, token = auth_header.partition(" ")
    token = token.strip()
    forms.append(token)
    if scheme.lower() == "basic" and token:
        try:
            pair = base64.b64decode(token, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            pair = ""
        forms += [pair, pair.partition(":")[2]]
    unique = {form for form in forms if len(form) >= _MIN_SECRET_LENGTH}
    return tuple(sorted(unique, key=len, reverse=True))  # longest first: the header before its token


def _retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _reason(exc: requests.RequestException) -> Any:
    """The low-level cause urllib3 gave up on (`MaxRetryError.reason`), if any."""
    return getattr(exc.args[0], "reason", None) if exc.args else None


def _is_timeout(exc: requests.RequestException) -> bool:
    # Once urllib3's retries are used up, a read time-out reaches us as a ConnectionError wrapping
    # MaxRetryError(reason=ReadTimeoutError): look at the reason, not only the outer class.
    # A refused connection is a NewConnectionError, which urllib3 derives from ConnectTimeoutError:
    # it is not a time-out and must not be described as one.
    reason = _reason(exc)
    if isinstance(reason, NewConnectionError):
        return False
    return isinstance(exc, requests.Timeout) or isinstance(reason, Urllib3TimeoutError)


def _describe_transport_error(exc: requests.RequestException) -> str:
    # The exception text names the URL and the low-level reason, never request headers.
    if _is_timeout(exc):
        return f"no answer within the time limit ({exc.__class__.__name__}); raise the timeout setting if needed"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS verification failed ({exc}); for a self-signed ECE certificate set `insecure`"
    if isinstance(_reason(exc), NewConnectionError):
        return f"could not connect to the service ({exc}); check the host or endpoint setting and the network"
    if isinstance(exc, requests.ConnectionError):
        return f"could not reach the service or the connection was dropped ({exc})"
    return f"{exc.__class__.__name__}: {exc}"
