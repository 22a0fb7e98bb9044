"""Transport retries, below the SDK and below instructor's re-asks.

The openai client is built with `max_retries=0` and instructor only re-asks on validation errors,
so this is the one place where a request is sent again: on connection errors and timeouts, and on
HTTP 408, 409, 429 and 5xx. Waits are exponential with full jitter, a `Retry-After` header (seconds
or HTTP date) is honoured, and both the number of attempts and the total time are bounded. Because
it wraps the HTTP transport, each model call is retried on its own: a 503 on the second re-ask does
not restart the first.

A `RetryPolicy` can be shared by many concurrent requests: a 429 then pauses every request that
uses the same policy, not only the one that met it.
"""

from __future__ import annotations

import asyncio
import email.utils
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

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


class BodyCutOff(httpx.ReadError):
    """The server sent its headers, then the connection broke before the whole body came.

    A `ReadError` like any other (so it is retried like one), named apart so the final message
    can say the answer was cut off instead of asking whether the server is running."""


@dataclass
class RetryPolicy:
    """Bounds and backoff for transport retries; share one instance between concurrent workers."""

    attempts: int = 4
    max_seconds: float = 300.0
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

    def _kwargs(self) -> dict[str, object]:
        return {
            "stop": self._stop,
            "wait": self._wait,
            "retry": retry_if_exception_type(httpx.TransportError)
            | retry_if_result(lambda r: r.status_code in RETRY_STATUS),
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
    """Out of attempts: hand the SDK the last response, or re-raise the last transport error."""
    assert state.outcome is not None
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
        retrying = Retrying(sleep=self._sleep, **self.policy._kwargs())  # type: ignore[arg-type]

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
        retrying = AsyncRetrying(sleep=asyncio.sleep, **self.policy._kwargs())  # type: ignore[arg-type]

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
    "retry_after_seconds",
]
