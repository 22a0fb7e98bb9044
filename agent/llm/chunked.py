"""A long article: split into chunks, each extracted concurrently, merged into one result.

    text ─► split_article ─► chunk 1 ─► extract (its own re-asks) ─┐
                            chunk 2 ─► extract ─────────────────────┼─► merge_results ─► result
                            …  (at most --chunk-concurrency at once) ┘   (whole-article grounding)

Each chunk is an ordinary extraction through the same `Extractor`: the same client, retry policy,
re-asks and error mapping, grounded against the chunk's own text. With `--passes N` each chunk is
asked N-1 more times, the prompt listing what was already found and asking only for what is
missing. An article that fits one chunk, with one pass, never comes here: it takes exactly the
one-request path of `agent.llm.pipeline`, so its request (and every cassette) is unchanged.

A failed chunk fails the article (`--on-failed-chunk fail`, the default, naming it: "chunk 3 of
7: …") or is flagged and the rest kept (`flag`); either way every chunk is accounted for in
`provenance.chunks`, with its attempts and tokens, which the article's totals sum.
"""

from __future__ import annotations

import asyncio
import copy
import time
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agent.errors import KhabarError
from agent.extraction.merge import ChunkResult, merge_results
from agent.llm.prompts import Prompt, PromptSet
from agent.models import (
    ArticleExtraction,
    ChunkRecord,
    ChunkStatus,
    Provenance,
    Usage,
)
from agent.settings import ChunkPolicy, Settings
from agent.text.chunking import Chunk, split_article

if TYPE_CHECKING:
    from agent.llm.pipeline import Extractor

# Set while a chunk is being extracted, so the chunk takes the one-request path even when
# --passes asks for more than one pass (the chunk is as long as the article).
_IN_CHUNK: ContextVar[bool] = ContextVar("khabar_in_chunk", default=False)


def is_long(text: object, settings: Settings) -> bool:
    """True if the article goes through chunks: longer than one chunk, or several passes."""
    if _IN_CHUNK.get() or not isinstance(text, str):
        return False
    return len(text) > settings.chunk_chars or settings.passes > 1


@dataclass
class _Outcome:
    """What one chunk produced over its passes, or why it stopped."""

    chunk: Chunk
    results: list[ArticleExtraction] = field(default_factory=list)
    error: KhabarError | None = None
    skipped: bool = False  # another chunk had already failed the article

    @property
    def attempts(self) -> int:
        done = sum(r.provenance.attempts for r in self.results)
        return done + (_attempts_of(self.error) if self.error else 0)

    @property
    def usage(self) -> Usage:
        total = Usage()
        for r in self.results:
            total = total + r.provenance.usage
        spent = getattr(self.error, "usage", None)
        return total + spent if isinstance(spent, Usage) else total


class _Plan:
    """One long article in flight: its chunks, and what the settings ask of them."""

    def __init__(self, extractor: Extractor, text: str) -> None:
        from agent.llm.pipeline import check_article

        extractor.check_ready()
        self.extractor = extractor
        self.settings = extractor.settings
        self.text = check_article(text, self.settings)
        self.chunks = split_article(self.text, self.settings.chunk_chars)
        self.started = time.perf_counter()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.failed = False

    def label(self, chunk: Chunk) -> str:
        return f"chunk {chunk.index + 1} of {len(self.chunks)}"

    def note(self, results: list[ArticleExtraction]) -> Extractor:
        """An Extractor like ours whose prompt also lists what earlier passes found."""
        sibling = copy.copy(self.extractor)
        sibling.prompts = NotedPrompts(
            directory=self.extractor.prompts.directory,
            sources=self.extractor.prompts.sources,
            note=found_note(results),
        )
        return sibling

    def fail(self, outcome: _Outcome, exc: KhabarError) -> None:
        outcome.error = exc
        if self.settings.on_failed_chunk is ChunkPolicy.FAIL:
            self.failed = True

    def finish(self, outcomes: list[_Outcome]) -> ArticleExtraction:
        failures = [o for o in outcomes if o.error is not None]
        if failures and (
            self.settings.on_failed_chunk is ChunkPolicy.FAIL or len(failures) == len(outcomes)
        ):
            first = failures[0]
            assert first.error is not None
            spent = sum((o.usage for o in outcomes), Usage())  # every chunk's, not only this one's
            raise _named(first.error, self.label(first.chunk), spent)
        parts = [
            ChunkResult(
                label=f"chunk {o.chunk.index + 1}" + (f", pass {k}" if k > 1 else ""),
                offset=o.chunk.start,
                result=r,
            )
            for o in outcomes
            for k, r in enumerate(o.results, 1)
        ]
        records = [self._record(o) for o in outcomes]
        sample = parts[0].result.provenance
        usage = Usage()
        for rec in records:
            usage = usage + rec.usage
        provenance = Provenance(
            khabar_version=sample.khabar_version,
            model=sample.model,
            endpoint=sample.endpoint,
            mode=sample.mode,
            prompt_version=sample.prompt_version,
            attempts=max(sum(rec.attempts for rec in records), 1),
            usage=usage,
            started_at=self.started_at,
            duration_s=round(time.perf_counter() - self.started, 3),
            chunks=records,
            passes=self.settings.passes,
        )
        merged = merge_results(self.text, parts, self.settings.on_ungrounded, provenance)
        took = round(time.perf_counter() - self.started, 3)  # the merge included
        return merged.model_copy(
            update={"provenance": merged.provenance.model_copy(update={"duration_s": took})}
        )

    def _record(self, o: _Outcome) -> ChunkRecord:
        return ChunkRecord(
            index=o.chunk.index + 1,
            start=o.chunk.start,
            end=o.chunk.end,
            status=ChunkStatus.FAILED if o.error else ChunkStatus.OK,
            passes=len(o.results),
            attempts=o.attempts,
            usage=o.usage,
            error=str(o.error) if o.error else None,
            note=(
                f"cut inside a word: no space in {self.settings.chunk_chars:,} characters"
                if o.chunk.hard_cut
                else None
            ),
        )


def extract_long(extractor: Extractor, text: str) -> ArticleExtraction:
    """`Extractor.extract` for a long article: chunks on worker threads, one shared client."""
    plan = _Plan(extractor, text)
    extractor.instructor_client()  # one client for every chunk, built before the threads share it

    def run(chunk: Chunk) -> _Outcome:
        token = _IN_CHUNK.set(True)
        outcome = _Outcome(chunk)
        try:
            for k in range(plan.settings.passes):
                if plan.failed:
                    outcome.skipped = True
                    break
                worker = plan.note(outcome.results) if k else extractor
                try:
                    outcome.results.append(worker.extract(chunk.text))
                except KhabarError as exc:
                    plan.fail(outcome, exc)
                    break
        finally:
            _IN_CHUNK.reset(token)
        return outcome

    workers = min(plan.settings.chunk_concurrency, len(plan.chunks))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="khabar-chunk")
    try:
        outcomes = list(pool.map(run, plan.chunks))
    except BaseException:  # Ctrl-C: chunks not yet started are not sent at all
        plan.failed = True
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return plan.finish(outcomes)


async def aextract_long(extractor: Extractor, text: str) -> ArticleExtraction:
    """`Extractor.aextract` for a long article: chunks as tasks, at most --chunk-concurrency."""
    plan = _Plan(extractor, text)
    extractor.async_instructor_client()  # built once, before the tasks share it
    gate = asyncio.Semaphore(plan.settings.chunk_concurrency)

    async def run(chunk: Chunk) -> _Outcome:
        _IN_CHUNK.set(True)  # a task runs in its own copy of the context
        outcome = _Outcome(chunk)
        async with gate:
            for k in range(plan.settings.passes):
                if plan.failed:
                    outcome.skipped = True
                    break
                worker = plan.note(outcome.results) if k else extractor
                try:
                    outcome.results.append(await worker.aextract(chunk.text))
                except KhabarError as exc:
                    plan.fail(outcome, exc)
                    break
        return outcome

    outcomes = await asyncio.gather(*(run(c) for c in plan.chunks))
    return plan.finish(list(outcomes))


@dataclass(frozen=True)
class NotedPrompts(PromptSet):
    """The same templates, and one more user message: what earlier passes already found."""

    note: str = ""

    def build(self, article: str, schema: dict[str, object], **extra: object) -> Prompt:
        prompt = super().build(article, schema, **extra)
        if not self.note:
            return prompt
        return Prompt(
            messages=[*prompt.messages, {"role": "user", "content": self.note}],
            version=prompt.version,
        )


def found_note(results: list[ArticleExtraction]) -> str:
    """What earlier passes over a chunk found, for the next pass to skip."""
    people = {p.name.text: None for r in results for p in r.participants}
    places = {loc.name.text: None for r in results for loc in r.locations}
    said = {
        f"{pos.cue.text} … {pos.content.text[:60]}": None for r in results for pos in r.positions
    }
    lines = [
        "An earlier pass over this article already found what is listed below. Answer with what "
        "it missed: participants, locations and stated positions not listed here (list a "
        "participant again only as the speaker or subject of a new position).",
        "Participants: " + ("; ".join(people) or "none"),
        "Locations: " + ("; ".join(places) or "none"),
        "Stated positions: " + ("; ".join(said) or "none"),
    ]
    return "\n".join(lines)


def _attempts_of(exc: KhabarError) -> int:
    attempts = getattr(exc, "attempts", 0)
    return attempts if isinstance(attempts, int) and attempts > 0 else 1


def _named(exc: KhabarError, label: str, spent: Usage) -> KhabarError:
    """The chunk's error, same class and data, its message prefixed with which chunk it was, and
    what the whole article spent."""
    named = copy.copy(exc)
    named.args = (f"{label}: {exc.reason}",)
    named.usage = spent
    named.__cause__ = exc
    return named


__all__ = ["NotedPrompts", "aextract_long", "extract_long", "found_note", "is_long"]
