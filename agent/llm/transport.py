"""Transport retries, below the SDK and below instructor's re-asks.

The openai client is built with `max_retries=0` and instructor only re-asks on validation errors,
so this is the one place where a request is sent again: on connection errors and timeouts, and on
HTTP 408, 409, 429 and 5xx. Waits are exponential with full jitter, a `Retry-After` header (seconds
or HTTP date) is honoured, and both the number of attempts and the total time are bounded. Because
it wraps the HTTP transport, each model call is retried on its own: a 503 on the second re-ask does
not restart the first.

A `RetryPolicy` can be shared by many concurrent requests: a 429 then pauses every request that
uses the same policy, not only the one that met it.

Two answers are not retried as if transient. A request the server says is invalid (400/404/422,
or a 5xx repeating a validation error, as llama-cpp-python sends) gets the same answer every
time. A read timeout on a loopback or private host means a local server is still working on the
request: sending it again queues the same work behind the abandoned one, so it is resent at most
`local_timeout_retries` times (default 1). The last error says how many requests were sent.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2 as httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    wait_random_exponential,
)

from agent.llm.server_reply import body_of, says_invalid_request

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
LOCAL_NAMES = frozenset({"localhost", "host.docker.internal"})


def is_local_host(host: str) -> bool:
    """Loopback, private or link-local addresses and local names: a server on this machine or
    network, most likely one model on one GPU (or CPU) serving one request at a time."""
    host = host.strip("[]").lower()
    if host in LOCAL_NAMES or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def requests_sent(error: BaseException) -> int | None:
    """How many times the transport sent the request that ended in `error` (None: unknown)."""
    value = getattr(error, "khabar_requests_sent", None)
    return value if isinstance(value, int) else None


def _should_retry(response: httpx.Response) -> bool:
    if response.status_code not in RETRY_STATUS:
        return False
    return not says_invalid_request(response.status_code, body_of(response.content))


class BodyCutOff(httpx.ReadError):
    """The server sent its headers, then the connection broke before the whole body came.

    A `ReadError` like any other (so it is retried like one), named apart so the final message
    can say the answer was cut off instead of asking whether the server is running."""


@dataclass
class RetryPolicy:
    """Bounds and backoff for transport retries; share one instance between concurrent workers."""

    attempts: int = 4
    max_seconds: float = 300.0
    local_timeout_retries: int = 1
    base_delay: float = 0.5
    max_delay: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _pause_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def pause(self, seconds: float) -> None:
        """Hold back every request using this policy for `seconds` from now."""
        with self._lock:
            self._pause_until = max(self._pause_until, self.clock() + seconds)

    def remaining_pause(self) -> float:
        return max(0.0, self._pause_until - self.clock())

    def _wait(self, state: RetryCallState) -> float:
        jitter = wait_random_exponential(multiplier=self.base_delay, max=self.max_delay)
        delay = jitter(state)
        after = _outcome_retry_after(state)
        if after is not None:
            delay = after
            if _outcome_status(state) == 429:
                self.pause(delay)
        delay = max(delay, self.remaining_pause())
        elapsed = state.seconds_since_start or 0.0
        return max(0.0, min(delay, self.max_seconds - elapsed))

    def _stop(self, state: RetryCallState) -> bool:
        """Out of attempts or time, or the server asks for a wait past the time budget."""
        elapsed = state.seconds_since_start or 0.0
        if state.attempt_number >= self.attempts or elapsed >= self.max_seconds:
            return True
        after = _outcome_retry_after(state)
        return after is not None and elapsed + after > self.max_seconds

    def tenacity_kwargs(self, request: httpx.Request | None = None) -> dict[str, object]:
        """The stop, wait and retry rules for tenacity, for one request (local hosts differ)."""
        local = request is not None and is_local_host(request.url.host)

        def stop(state: RetryCallState) -> bool:
            if self._stop(state):
                return True
            outcome = state.outcome
            if local and outcome is not None and outcome.failed:
                timed_out = isinstance(outcome.exception(), httpx.ReadTimeout)
                return timed_out and state.attempt_number > self.local_timeout_retries
            return False

        return {
            "stop": stop,
            "wait": self._wait,
            "retry": retry_if_exception_type(httpx.TransportError) | retry_if_result(_should_retry),
            "retry_error_callback": _last_outcome,
        }


def _outcome_status(state: RetryCallState) -> int | None:
    outcome = state.outcome
    if outcome is None or outcome.failed:
        return None
    return int(outcome.result().status_code)


def _outcome_retry_after(state: RetryCallState) -> float | None:
    outcome = state.outcome
    if outcome is None or outcome.failed:
        return None
    return retry_after_seconds(outcome.result())


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds asked for by `Retry-After` (or `retry-after-ms`), if the server sent one."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


def _last_outcome(state: RetryCallState) -> httpx.Response:
    """Out of attempts: hand the SDK the last response, or re-raise the last transport error
    marked with the number of requests sent (see `requests_sent`)."""
    assert state.outcome is not None
    error = state.outcome.exception()
    if error is not None:
        error.khabar_requests_sent = state.attempt_number  # type: ignore[attr-defined]
    return state.outcome.result()  # type: ignore[no-any-return]


class RetryingTransport(httpx.BaseTransport):
    """Wraps a sync transport with the retry policy."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        retrying = Retrying(sleep=self._sleep, **self.policy.tenacity_kwargs(request))  # type: ignore[arg-type]

        def send() -> httpx.Response:
            # A retry has already waited out any pause; a first attempt honours other workers' 429.
            pause = self.policy.remaining_pause()
            if pause and retrying.statistics.get("attempt_number", 1) <= 1:
                self._sleep(pause)
            response = self.inner.handle_request(request)
            try:
                response.read()  # a body cut mid-read is a transport error, retried like others
            except httpx.TransportError as exc:
                response.close()
                raise BodyCutOff(str(exc) or type(exc).__name__, request=request) from exc
            return response

        return retrying(send)

    def close(self) -> None:
        self.inner.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport with the retry policy."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self.inner = inner
        self.policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        retrying = AsyncRetrying(sleep=asyncio.sleep, **self.policy.tenacity_kwargs(request))  # type: ignore[arg-type]

        async def send() -> httpx.Response:
            pause = self.policy.remaining_pause()
            if pause and retrying.statistics.get("attempt_number", 1) <= 1:
                await asyncio.sleep(pause)
            response = await self.inner.handle_async_request(request)
            try:
                await response.aread()  # a body cut mid-read is retried like other errors
            except httpx.TransportError as exc:
                await response.aclose()
                raise BodyCutOff(str(exc) or type(exc).__name__, request=request) from exc
            return response

        return await retrying(send)

    async def aclose(self) -> None:
        await self.inner.aclose()


__all__ = [
    "AsyncRetryingTransport",
    "BodyCutOff",
    "RetryPolicy",
    "RetryingTransport",
    "is_local_host",
    "requests_sent",
    "retry_after_seconds",
]
