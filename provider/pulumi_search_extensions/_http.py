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
- Proxies come from the usual variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`); nothing
  else of the environment is trusted (no `~/.netrc` credentials, no `REQUESTS_CA_BUNDLE` over `insecure`).
- A request that never left the machine (the name does not resolve, the connection is refused or times out,
  the TLS handshake fails) cannot have been applied: it is retried for a few seconds only
  (`CONNECT_RETRY_SECONDS`), also for calls sent once, and reported as `ApiError.never_sent` with a one-line
  reason, so a mistyped host fails in seconds instead of spending the whole retry budget.
"""

from __future__ import annotations

import base64
import binascii
import logging
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NameResolutionError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

if TYPE_CHECKING:
    from typing_extensions import Self

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

CONNECT_RETRY_SECONDS = 4.0
"""How long a call keeps retrying a connection that cannot be made (wrong host, nothing listening)."""

CONNECT_TIMEOUT_SECONDS = 10.0
"""The longest wait for a TCP connection, whatever the per-attempt `timeout` (a host that drops packets)."""


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
        never_sent: True when the request never left the machine (name lookup, connection or TLS handshake
            failed): the service cannot have applied it.
        base_url: the base URL the call went to (no credential), for "could not reach" messages.
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
        never_sent: bool = False,
        base_url: str = "",
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
        self.never_sent = never_sent
        self.base_url = base_url
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
        """True when no HTTP response arrived (see `never_sent` and `may_have_been_applied`)."""
        return self.status is None

    @property
    def may_have_been_applied(self) -> bool:
        """True when the service may have acted on the request although the call failed.

        A read time-out, a connection dropped after the request was sent, or a 5xx. Not a request that never
        left the machine, and not a 4xx or 429 (refused before anything was applied).
        """
        if self.never_sent:
            return False
        return self.is_connection_error or (self.status is not None and self.status >= 500)


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


def _cannot_connect(error: Exception | None) -> bool:
    """A connection that could not be made: nothing was sent (a refused or timed-out connect, a failed lookup)."""
    return isinstance(error, ConnectTimeoutError)  # NewConnectionError and NameResolutionError derive from it


class _BudgetRetry(Retry):
    """urllib3 `Retry` that also gives up when the next wait would pass the current call's deadline, and
    stops retrying a connection that cannot be made after `CONNECT_RETRY_SECONDS`."""

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
        started: float | None = getattr(_call_deadline, "started", None)
        if deadline is not None:
            wait = (new.get_retry_after(response) if response is not None else None) or new.get_backoff_time()
            if _cannot_connect(error) and started is not None:
                deadline = min(deadline, started + CONNECT_RETRY_SECONDS)
            if time.monotonic() + wait > deadline:
                # Same outcome as running out of retries: urllib3 returns the last response or raises.
                raise MaxRetryError(_pool, url or "", error)  # type: ignore[arg-type]
        return new


def _retry_policy(settings: HttpSettings, *, idempotent: bool) -> Retry:
    """Idempotent calls retry every transient failure; calls sent once retry only connections never made."""
    retries = settings.max_retries
    return _BudgetRetry(
        total=retries,
        connect=retries,
        read=retries if idempotent else 0,
        status=retries if idempotent else 0,
        other=0,
        allowed_methods=None,  # the session decides: see `_session`
        status_forcelist=RETRYABLE_STATUSES if idempotent else (),
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
            retries = _retry_policy(settings, idempotent=kind == "retrying")
            adapter = HTTPAdapter(max_retries=retries, pool_connections=4, pool_maxsize=8)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.verify = settings.verify_tls
            # Not the environment wholesale: a ~/.netrc entry would replace our Authorization header, and
            # REQUESTS_CA_BUNDLE would override `insecure`. Proxies are taken from it per call (`request`).
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
        _call_deadline.started = time.monotonic()
        _call_deadline.value = _call_deadline.started + self.settings.retry_budget
        url = self.base_url.rstrip("/") + path
        try:
            response = session.request(
                method,
                url,
                json=json,
                params=params,
                data=data,
                headers=all_headers,
                timeout=(min(per_attempt, CONNECT_TIMEOUT_SECONDS), per_attempt),
                allow_redirects=False,
                # HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, unless NO_PROXY names the host: what curl and the Elastic
                # Terraform provider do, and what users behind a corporate proxy need.
                proxies=requests.utils.get_environ_proxies(url),
            )
        except requests.RequestException as exc:
            reason, never_sent = describe_transport_error(exc)
            raise ApiError(
                self.service,
                method,
                path,
                self._masked(reason),
                never_sent=never_sent,
                base_url=self.base_url,
            ) from None
        finally:
            _call_deadline.value = None
            _call_deadline.started = None
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
                base_url=self.base_url,
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


def _tls_reason(exc: requests.RequestException) -> str:
    """The one line of a TLS failure: the `ssl` module's verdict, without urllib3's wrapping."""
    cause: Any = _reason(exc) or exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        nested = cause.args[0] if getattr(cause, "args", None) else None
        cause = nested if isinstance(nested, BaseException) else cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError) and cause.verify_message:
        return f"certificate verify failed: {cause.verify_message}"
    if isinstance(cause, ssl.SSLError):
        return str(cause.reason or cause.strerror or cause).lower().replace("_", " ")
    return "the TLS handshake failed"


def _connect_reason(reason: NewConnectionError | ConnectTimeoutError, host: str) -> str:
    if isinstance(reason, NameResolutionError):
        return f"the name {host} does not resolve (DNS lookup failed)"
    cause = reason.__cause__ or reason.__context__
    if isinstance(cause, ConnectionRefusedError):
        return "the connection was refused (nothing listens on that host and port)"
    if not isinstance(reason, NewConnectionError):
        return f"no answer to the connection attempt within {CONNECT_TIMEOUT_SECONDS:.0f} s"
    if isinstance(cause, OSError) and cause.strerror:
        return f"the connection failed ({cause.strerror.lower()})"
    return "the connection failed"


def describe_transport_error(exc: requests.RequestException) -> tuple[str, bool]:
    """(one-line reason without library internals, whether the request never left the machine)."""
    reason = _reason(exc)
    url = exc.request.url if exc.request is not None else None
    host = urllib.parse.urlsplit(url if isinstance(url, str) else "").hostname or "the host"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS handshake with {host} failed: {_tls_reason(exc)}", True
    if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
        return _connect_reason(reason, host), True
    if isinstance(exc, requests.ConnectTimeout):
        return f"no answer to the connection attempt within {CONNECT_TIMEOUT_SECONDS:.0f} s", True
    if _is_timeout(exc):
        return "no answer within the time limit; the service may still be working on it", False
    if isinstance(exc, requests.ConnectionError):
        return "the connection was dropped before the answer arrived", False
    return f"the call failed ({exc.__class__.__name__})", False
