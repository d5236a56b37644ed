"""A small HTTP client: httpx plus our own retry loop and client-side rate limits.

- 429 and 503: wait `Retry-After` (seconds or an HTTP date), else back off;
- other 5xx and connection errors: exponential back-off with full jitter;
- 401: ask the token provider for a fresh token once per request;
- after `max_tries` attempts: ExtractError naming the URL path and the last fault.

The token goes only into the `Authorization` header: it is never logged and never
part of an exception message. A next-page link to another host is refused, so the
token is never sent anywhere but the configured API.
"""

from __future__ import annotations

import collections
import email.utils
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from session_analytics.extract.common import ExtractError, utc_now


class NotFound(ExtractError):
    """HTTP 404: the resource is gone (e.g. a call record past its 30 days)."""


class TokenProvider(Protocol):
    """Where bearer tokens come from (a static token, azure-identity, an API key)."""

    def token(self) -> str: ...

    def refresh(self) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    max_tries: int = 8
    backoff_base: float = 1.0  # seconds; the n-th retry waits up to base * 2**n
    backoff_cap: float = 60.0
    retry_after_cap: float = 600.0


class RateLimiter:
    """At most `limit` requests in any `period` seconds (sliding window)."""

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._sent: collections.deque[float] = collections.deque()

    def acquire(self) -> None:
        now = self.clock()
        while self._sent and now - self._sent[0] >= self.period:
            self._sent.popleft()
        if len(self._sent) >= self.limit:
            self.sleep(self.period - (now - self._sent[0]))
            self._sent.popleft()
        self._sent.append(self.clock())


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utc_now()).total_seconds())


class HttpClient:
    """GET JSON from one API with retries; `auth` may be None (no bearer token)."""

    def __init__(
        self,
        base_url: str,
        auth: TokenProvider | None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.jitter = jitter
        self._origin = _origin(self.base_url)
        self._client = httpx.Client(
            timeout=timeout, headers=headers or {}, transport=transport
        )
        self._token = auth.token() if auth else None
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            if _origin(path_or_url) != self._origin:
                other = _origin(path_or_url)
                raise ExtractError(
                    f"refusing a next-page link to another host ({other},"
                    f" the API is {self._origin})"
                )
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def get_json(
        self,
        path_or_url: str,
        params: dict[str, str] | None = None,
        limiters: Iterable[RateLimiter] = (),
    ) -> dict[str, Any]:
        url = self.url(path_or_url)
        where = urlsplit(url).path
        limiters = tuple(limiters)
        refreshed = False
        fault = "no attempt"
        attempt = 0
        while attempt < self.policy.max_tries:
            attempt += 1
            for limiter in limiters:
                limiter.acquire()
            headers = {"Accept": "application/json"}
            if self._token is not None:
                headers["Authorization"] = f"Bearer {self._token}"
            self.requests += 1
            try:
                response = self._client.get(url, params=params, headers=headers)
            except httpx.TransportError as exc:
                fault = f"connection error ({type(exc).__name__})"
                self._backoff(attempt)
                continue
            status = response.status_code
            if status == 401 and self.auth is not None and not refreshed:
                refreshed = True
                attempt -= 1  # a refresh is not a failed try
                self._token = self.auth.refresh()
                continue
            if status == 401:
                raise ExtractError(
                    f"GET {where}: 401 Unauthorized even with a fresh token:"
                    " check the credentials"
                )
            if status == 403:
                raise ExtractError(
                    f"GET {where}: 403 Forbidden: the app lacks the permission"
                    f" ({_snippet(response)})"
                )
            if status in (429, 503):
                fault = f"HTTP {status}"
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait is None:
                    self._backoff(attempt)
                else:
                    self.sleep(min(wait, self.policy.retry_after_cap))
                continue
            if status >= 500:
                fault = f"HTTP {status}"
                self._backoff(attempt)
                continue
            if status == 404:
                raise NotFound(f"GET {where}: HTTP 404 ({_snippet(response)})")
            if status >= 400:
                raise ExtractError(f"GET {where}: HTTP {status} ({_snippet(response)})")
            try:
                body = response.json()
            except ValueError as exc:
                raise ExtractError(f"GET {where}: the response is not JSON") from exc
            if not isinstance(body, dict):
                raise ExtractError(f"GET {where}: the response is not a JSON object")
            return body
        raise ExtractError(
            f"GET {where}: gave up after {self.policy.max_tries} tries (last: {fault})"
        )

    def _backoff(self, attempt: int) -> None:
        ceiling = min(
            self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1)
        )
        self.sleep(ceiling * self.jitter())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:300] or response.reason_phrase
