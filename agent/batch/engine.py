"""Many articles at once: `extract_many` runs extractions concurrently on one event loop.

    async for record in extract_many(texts, concurrency=16):
        print(record.id, record.status, record.error)

Articles are pulled from the input as workers free up (a bounded queue: the input is never held
whole), so memory stays flat however long the input is. All workers share one client and so one
`RetryPolicy`: a 429 pauses every worker, not only the one that met it. Optional client-side
limits on requests and tokens per minute apply to every HTTP request, re-asks and retries
included. A failed article becomes a record with a structured error and the tokens it spent
(`provenance.usage`, as on a result, so the lines add up to the run's totals); only failures
that would fail every article stop the run: no endpoint, a refused key, or an endpoint that
failed the last `max(10, 2 × concurrency)` articles in a row.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections.abc import AsyncIterable, AsyncIterator, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import openai

from agent.batch.io import BatchItem, item_from_mapping
from agent.batch.transport import BatchStats, MeteredTransport, batch_client
from agent.errors import (
    AuthenticationError,
    ConfigError,
    EndpointError,
    InputError,
    KhabarError,
)
from agent.llm.pipeline import Extractor, khabar_version
from agent.models import ArticleExtraction, Usage
from agent.settings import Settings

if TYPE_CHECKING:
    import httpx2 as httpx

# Failures that would repeat for every article: they end the run instead of filling the output.
FATAL = (AuthenticationError, ConfigError)
ENDPOINT_KINDS = frozenset({"unreachable", "endpoint"})


@dataclass(frozen=True)
class BatchRecord:
    """The outcome of one article: a result, or an error with its kind; one JSONL line."""

    id: str
    result: ArticleExtraction | None
    error: dict[str, Any] | None
    metadata: dict[str, Any]
    provenance: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def status(self) -> str:
        return "ok" if self.ok else "error"

    @property
    def problems_left(self) -> int | None:
        """Problems the policy kept in the result, flagged (None for an error line): an `ok`
        whose every string is ungrounded must not read like a clean one."""
        if self.result is None:
            return None
        return sum(1 for issue in self.result.grounding.issues if issue.action == "flagged")

    def to_json(self) -> dict[str, Any]:
        """The output line. `result` is a whole ArticleExtraction (valid against the schema, so
        `khabar report` and other tools read it as is); `provenance` is repeated at the top so
        error lines have one too."""
        result = None
        if self.result is not None:
            result = self.result.model_dump(mode="json")
        return {
            "id": self.id,
            "status": self.status,
            "problems_left": self.problems_left,
            "result": result,
            "error": self.error,
            "metadata": self.metadata,
            "provenance": self.provenance,
        }


def error_kind(exc: BaseException) -> str:
    """The record's `kind`: the error's own, or "internal" for a bug."""
    return exc.kind if isinstance(exc, KhabarError) else "internal"


_DONE = object()
_END = object()


class BatchRun:
    """An async iterator of `BatchRecord`s, in completion order; `stop()` ends it gracefully."""

    def __init__(
        self,
        items: Iterable[Any] | AsyncIterable[Any],
        extractor: Extractor,
        *,
        concurrency: int,
        skip: Container[str],
        stats: BatchStats,
        count_result_tokens: bool = False,
        owned_client: openai.AsyncOpenAI | None = None,
    ) -> None:
        if concurrency < 1:
            raise ConfigError(f"concurrency must be 1 or more, got {concurrency}")
        self.items = items
        self.extractor = extractor
        self.concurrency = concurrency
        self.skip = skip
        self.stats = stats
        self.count_result_tokens = count_result_tokens
        self.owned_client = owned_client  # built for this run: closed when it ends
        self.stopping = False
        self._queue: asyncio.Queue[BatchItem | None] = asyncio.Queue(maxsize=2 * concurrency)
        self._results: asyncio.Queue[Any] = asyncio.Queue(maxsize=2 * concurrency)
        self._producer: asyncio.Task[None] | None = None
        self._seen: set[str] = set()
        self._endpoint_streak = 0
        self.dead_after = max(10, 2 * concurrency)

    def stop(self) -> None:
        """Take no new article; the ones in flight still settle and are yielded."""
        if self.stopping:
            return
        self.stopping = True
        if self._producer is not None:
            self._producer.cancel()
        while not self._queue.empty():
            self._queue.get_nowait()
        for _ in range(self.concurrency):
            self._queue.put_nowait(None)

    def __aiter__(self) -> AsyncIterator[BatchRecord]:
        return self._run()

    async def _run(self) -> AsyncIterator[BatchRecord]:
        with contextlib.suppress(KhabarError):  # raised again, per article, by the workers
            self.extractor.prepare()
        self.stats.started = time.monotonic()
        self._producer = asyncio.create_task(self._produce())
        workers = [asyncio.create_task(self._work()) for _ in range(self.concurrency)]
        finished = 0
        try:
            with _batch_gc():
                while finished < self.concurrency:
                    got = await self._results.get()
                    if got is _DONE:
                        finished += 1
                    elif isinstance(got, BaseException):
                        raise got
                    else:
                        yield got
        finally:
            for task in [self._producer, *workers]:
                task.cancel()
            await asyncio.gather(self._producer, *workers, return_exceptions=True)
            if self.owned_client is not None:  # its kept-alive connections, not left to the GC
                await self.owned_client.close()

    async def _produce(self) -> None:
        position = 0
        async for raw in _pull(self.items, ahead=2 * self.concurrency):
            item = _as_item(raw, position)
            position += 1
            if item.id in self.skip:
                self.stats.skipped += 1
                continue
            if item.id in self._seen:
                self.stats.duplicates += 1
                continue
            self._seen.add(item.id)
            await self._queue.put(item)
        for _ in range(self.concurrency):
            await self._queue.put(None)

    async def _work(self) -> None:
        try:
            while (item := await self._queue.get()) is not None:
                self.stats.in_flight += 1
                try:
                    record = await self._extract(item)
                finally:
                    self.stats.in_flight -= 1
                if self.count_result_tokens:  # what failed articles spent counts too
                    self.stats.add_usage(record.provenance["usage"])
                if record.result is not None:
                    self.stats.done += 1
                    if record.problems_left:
                        self.stats.flagged_results += 1
                        self.stats.flagged_problems += record.problems_left
                else:
                    self.stats.failed += 1
                    kind = record.error["kind"] if record.error else "error"
                    self.stats.failures_by_kind[kind] = self.stats.failures_by_kind.get(kind, 0) + 1
                await self._results.put(record)
                self._watch_endpoint(record)
        except (*FATAL, EndpointError) as exc:
            self.stop()
            await self._results.put(exc)
        await self._results.put(_DONE)

    def _watch_endpoint(self, record: BatchRecord) -> None:
        """End the run when the endpoint failed the last `dead_after` articles in a row.

        A wrong URL or a server that went down would otherwise turn every remaining article
        into an error line, each only after its retries. The failed lines are kept, so
        `--retry-failed` picks them up once the endpoint is back.
        """
        kind = record.error["kind"] if record.error else None
        if kind not in ENDPOINT_KINDS:
            self._endpoint_streak = 0
            return
        self._endpoint_streak += 1
        if self._endpoint_streak >= self.dead_after:
            message = record.error["message"] if record.error else ""
            raise EndpointError(
                f"stopped after {self._endpoint_streak} articles in a row failed at the "
                f"endpoint (last: {message}); fix it, then re-run with --retry-failed"
            )

    async def _extract(self, item: BatchItem) -> BatchRecord:
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        clock = time.perf_counter()
        try:
            if item.problem is not None:
                raise InputError(item.problem)
            result = await self.extractor.aextract(item.text)
        except FATAL:
            raise
        except Exception as exc:
            settings = self.extractor.settings
            message = str(exc) if isinstance(exc, KhabarError) else repr(exc)
            if len(message) > 500:  # a bug's repr may quote a whole article
                message = message[:499] + "…"
            error = {
                "kind": error_kind(exc),
                "message": self.extractor.settings.scrub(message),
                "attempts": getattr(exc, "attempts", 0),
            }
            spent = exc.usage if isinstance(exc, KhabarError) else None
            provenance = {
                "khabar_version": khabar_version(),
                "model": settings.model,
                "endpoint": settings.endpoint_host,
                "mode": str(settings.mode),
                "usage": (spent or Usage()).model_dump(),  # paid for, though it failed
                "started_at": started_at,
                "duration_s": round(time.perf_counter() - clock, 3),
            }
            return BatchRecord(item.id, None, error, item.metadata, provenance)
        provenance = result.provenance.model_dump(mode="json")
        return BatchRecord(item.id, result, None, item.metadata, provenance)


_frozen_runs = 0
_saved_threshold: tuple[int, int, int] | None = None
# Allocations between two young collections while a batch runs (Python's default is 700).
YOUNG_THRESHOLD = 20_000


@contextlib.contextmanager
def _batch_gc() -> Iterator[None]:
    """Tune the garbage collector for a batch until it ends; the outermost run restores it.

    - Imported modules, the client and the compiled schemas (some 200,000 objects) live as long
      as the run, yet each full collection walked them all: pauses of about 100 ms that stalled
      every worker at once, 5 to 8 % of a batch's throughput. `gc.freeze` moves them out of the
      collector's sight (garbage among them waits for the end too: collecting it first would be
      one more full pass).
    - Every article allocates thousands of containers, and the articles in flight survive
      young collections: at the default threshold a collection every 700 allocations walked
      them over and over, 0.3-0.4 ms of CPU per article (10 % of it, measured in one process
      and in a Ray actor). With `YOUNG_THRESHOLD` it is 0.1-0.16 ms; what is garbage is still
      collected, a little later.
    """
    global _frozen_runs, _saved_threshold
    if _frozen_runs == 0:
        gc.freeze()
        _saved_threshold = young, middle, old = gc.get_threshold()
        gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)
    _frozen_runs += 1
    try:
        yield
    finally:
        _frozen_runs -= 1
        if _frozen_runs == 0:
            gc.unfreeze()
            if _saved_threshold is not None:
                gc.set_threshold(*_saved_threshold)


async def _pull(items: Iterable[Any] | AsyncIterable[Any], ahead: int) -> AsyncIterator[Any]:
    """Items one at a time; a blocking iterator (files, stdin) is read by a daemon thread.

    The thread reads at most `ahead` items before the loop takes them, and hands each over with
    `call_soon_threadsafe`, so the event loop never waits on a read and a stdin that never ends
    cannot keep the process alive after the batch stops.
    """
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
        return
    loop = asyncio.get_running_loop()
    handed: asyncio.Queue[tuple[Any, BaseException | None]] = asyncio.Queue()
    slots = threading.Semaphore(ahead)
    stopped = threading.Event()

    def hand(item: Any, error: BaseException | None = None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting any more
            loop.call_soon_threadsafe(handed.put_nowait, (item, error))

    def read() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                slots.acquire()
                if stopped.is_set():
                    return
                hand(item)
            hand(_END)
        except BaseException as exc:  # handed to the loop, raised there
            hand(_END, exc)
        finally:  # a run that stopped early closes its input file now, not at some later GC
            close = getattr(iterator, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()

    threading.Thread(target=read, name="khabar-batch-input", daemon=True).start()
    try:
        while True:
            item, error = await handed.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            slots.release()
            yield item
    finally:
        stopped.set()
        slots.release()


def _as_item(raw: Any, position: int) -> BatchItem:
    if isinstance(raw, BatchItem):
        return raw
    if isinstance(raw, str):
        return BatchItem(str(position), raw)
    return item_from_mapping(raw, f"item {position}")


def extract_many(
    items: Iterable[str | Mapping[str, Any] | BatchItem]
    | AsyncIterable[str | Mapping[str, Any] | BatchItem],
    *,
    settings: Settings | None = None,
    client: openai.AsyncOpenAI | None = None,
    concurrency: int = 8,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    skip: Container[str] = frozenset(),
    stats: BatchStats | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **overrides: Any,
) -> BatchRun:
    """Extract every article of `items`, `concurrency` at a time; iterate the result with async for.

    Items are texts (ids "0", "1", … by position), mappings with `id`, `text` and any metadata,
    or `BatchItem`s. Ids in `skip` are passed over (resume). Records come in completion order.
    Without `client`, one is built from the settings (over `transport` if given) with the
    shared retry policy and the per-minute limits; an injected client is used as is (no limits,
    tokens counted from results only).
    """
    settings = (settings or Settings.load()).with_overrides(**overrides)
    stats = stats if stats is not None else BatchStats()
    injected = client is not None
    if client is None:
        client = batch_client(
            settings,
            stats,
            concurrency=concurrency,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            transport=transport,
        )
    elif requests_per_minute or tokens_per_minute:
        raise ConfigError("per-minute limits need khabar's own client: do not pass client=")
    extractor = Extractor(settings, client=client)
    return BatchRun(
        items,
        extractor,
        concurrency=concurrency,
        skip=skip,
        stats=stats,
        count_result_tokens=injected,
        owned_client=None if injected else client,
    )


__all__ = [
    "BatchItem",
    "BatchRecord",
    "BatchRun",
    "BatchStats",
    "MeteredTransport",
    "batch_client",
    "error_kind",
    "extract_many",
]
