"""The HTTP side of a batch: one shared client, per-minute limits and token counting.

Every worker of a batch uses one `openai.AsyncOpenAI` built here, so they share one connection
pool and one `RetryPolicy` (a 429 pauses them all). `MeteredTransport` sits below the retrying
transport: every request, retry and re-ask included, is counted and held to the limits.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import openai

from agent.llm.transport import RetryPolicy
from agent.settings import Settings


@dataclass
class BatchStats:
    """Live counters of a run, for progress displays; tokens count every request sent."""

    started: float = field(default_factory=time.monotonic)
    done: int = 0
    failed: int = 0
    in_flight: int = 0
    skipped: int = 0
    duplicates: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    failures_by_kind: dict[str, int] = field(default_factory=dict)
    # Results kept with problems the policy flagged (`--on-ungrounded flag`), and those problems.
    flagged_results: int = 0
    flagged_problems: int = 0

    @property
    def settled(self) -> int:
        return self.done + self.failed

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def per_second(self) -> float:
        return self.settled / self.elapsed if self.elapsed > 0 else 0.0

    def add_usage(self, usage: Mapping[str, Any]) -> None:
        self.requests += 1
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)


class _MinuteBudget:
    """A token bucket refilled at `per_minute / 60` a second; a taker may overdraw it once."""

    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate)
        self.level = self.capacity
        self.stamp = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    async def take(self, amount: float) -> None:
        async with self._lock:  # first come, first served
            self._refill()
            need = min(amount, self.capacity)
            while self.level < need:
                await asyncio.sleep((need - self.level) / self.rate)
                self._refill()
            self.level -= amount

    def settle(self, estimated: float, actual: float) -> None:
        self.level += estimated - actual


class MeteredTransport(httpx.AsyncBaseTransport):
    """Counts the tokens of every answer and holds requests to the per-minute limits.

    It sits below the retrying transport, so each retry and re-ask is counted and limited too.
    A request's tokens are estimated from its size (bytes / 4) and corrected with the usage the
    endpoint reports.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        stats: BatchStats,
        *,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
    ) -> None:
        self.inner = inner
        self.stats = stats
        self.requests = _MinuteBudget(requests_per_minute) if requests_per_minute else None
        self.tokens = _MinuteBudget(tokens_per_minute) if tokens_per_minute else None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        estimate = len(request.content) / 4
        if self.requests is not None:
            await self.requests.take(1)
        if self.tokens is not None:
            await self.tokens.take(estimate)
        response = await self.inner.handle_async_request(request)
        if response.status_code != 200:
            return response
        await response.aread()
        try:
            usage = json.loads(response.content).get("usage") or {}
        except (ValueError, AttributeError):
            usage = {}
        self.stats.add_usage(usage)
        if self.tokens is not None:
            self.tokens.settle(estimate, float(usage.get("total_tokens") or estimate))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def batch_client(
    settings: Settings,
    stats: BatchStats,
    *,
    concurrency: int,
    policy: RetryPolicy | None = None,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> openai.AsyncOpenAI:
    """One async client for every worker: one connection pool, one shared retry policy."""
    from agent.llm.client import async_openai_client

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    metered = MeteredTransport(
        transport or httpx.AsyncHTTPTransport(limits=limits),
        stats,
        requests_per_minute=requests_per_minute,
        tokens_per_minute=tokens_per_minute,
    )
    return async_openai_client(settings, transport=metered, policy=policy)


__all__ = ["BatchStats", "MeteredTransport", "batch_client"]
