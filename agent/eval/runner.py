"""Run the extractor over a gold set and score it: `evaluate(...)` → `EvalReport`.

    from agent.eval import evaluate
    report = evaluate("newsfane", data="../shared/eval", limit=200, sample_seed=1, concurrency=16)
    print(report.entities.overall.strict.f1)

Documents go through `extract_many`, so concurrency, the shared retry policy, per-minute limits
and failure accounting are those of `khabar batch`. A document that fails (too long for
`max_chars`, an endpoint error, a cassette missing) is kept: its gold all counts as missed and its
error is listed. `Evaluation` is the same run in steps, for callers that stop it midway (Ctrl-C):
its report then scores the documents settled so far and says it was interrupted.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openai

if TYPE_CHECKING:
    import httpx2 as httpx

from agent.batch.engine import BatchRecord, BatchStats, extract_many
from agent.batch.io import BatchItem
from agent.errors import ConfigError, EndpointError
from agent.eval.cassettes import (
    RecordingRouter,
    ReplayRouter,
    check_record_directory,
    replay_directory_settings,
)
from agent.eval.datasets import Dataset, Document, load_dataset
from agent.eval.report import DocumentErrors, EvalReport, GroundingSummary, PositionError
from agent.eval.scoring import (
    PositionTally,
    add_grounding,
    entity_errors,
    predicted_mentions,
    predicted_positions,
    score_entities,
    scored_mentions,
)
from agent.settings import Settings


def select(
    documents: Sequence[Document], limit: int | None, seed: int | None
) -> tuple[Document, ...]:
    """The first `limit` documents, or with `seed` a random sample of `limit` (in set order)."""
    if limit is None or limit >= len(documents):
        return tuple(documents)
    if seed is None:
        return tuple(documents[:limit])
    chosen = set(random.Random(seed).sample(range(len(documents)), limit))
    return tuple(doc for i, doc in enumerate(documents) if i in chosen)


class Evaluation:
    """One eval run: start it with `run()`, stop it with `stop()`, score it with `report()`."""

    def __init__(
        self,
        dataset: Dataset,
        *,
        settings: Settings | None = None,
        concurrency: int = 8,
        limit: int | None = None,
        sample_seed: int | None = None,
        record: str | Path | None = None,
        replay: str | Path | None = None,
        force: bool = False,
        client: openai.AsyncOpenAI | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        stats: BatchStats | None = None,
        **overrides: Any,
    ) -> None:
        if record is not None and replay is not None:
            raise ConfigError("--record and --replay cannot be used together")
        self.dataset = dataset
        self.documents = select(dataset.documents, limit, sample_seed)
        settings = (settings or Settings.load()).with_overrides(**overrides)
        self.recorder: RecordingRouter | None = None
        if replay is None and client is None and transport is None:
            settings.require_endpoint()
        if replay is not None:
            settings = replay_directory_settings(Path(replay), settings)
            transport = ReplayRouter(Path(replay), self.documents)
        elif record is not None:
            check_record_directory(Path(record), self.documents, force)
            self.recorder = RecordingRouter(Path(record), self.documents, settings, inner=transport)
            transport = self.recorder
        self.settings = settings
        self.stats = stats if stats is not None else BatchStats()
        self.records: dict[str, BatchRecord] = {}
        self.interrupted = False
        self.batch = extract_many(
            (BatchItem(doc.id, doc.text) for doc in self.documents),
            settings=settings,
            client=client,
            concurrency=concurrency,
            stats=self.stats,
            transport=transport,
        )

    def stop(self) -> None:
        """Take no new document; those in flight still settle and are scored."""
        self.interrupted = True
        self.batch.stop()

    async def run(self, on_record: Callable[[BatchRecord], None] | None = None) -> None:
        """Extract every selected document (raises what would fail them all, e.g. a bad key);
        `on_record` sees each as it settles (a progress display)."""
        try:
            async for record in self.batch:
                self.records[record.id] = record
                if self.recorder is not None and record.result is not None:
                    self.recorder.finish(record.id, record.result.provenance.prompt_version)
                if on_record is not None:
                    on_record(record)
        except EndpointError as exc:
            # The batch engine's advice (--retry-failed) is for `khabar batch`, not for an eval.
            advice = "then re-run with --retry-failed"
            if advice not in str(exc):
                raise
            message = str(exc).replace(advice, "then run the eval again")
            raise type(exc)(message, host=exc.host, status_code=exc.status_code) from exc

    def report(self) -> EvalReport:
        """The scores of every settled document (all of them, unless the run was stopped)."""
        settled = [doc for doc in self.documents if doc.id in self.records]
        entity_pairs = []
        tally = PositionTally()
        grounding = GroundingSummary()
        errors: list[DocumentErrors] = []
        failures: dict[str, int] = {}
        first_ok = next((r.result for r in self.records.values() if r.result is not None), None)
        for doc in settled:
            record = self.records[doc.id]
            result = record.result
            problem = None
            if result is None:
                error = record.error or {}
                problem = f"{error.get('kind', 'error')}: {error.get('message', '')}"
                kind = str(error.get("kind", "error"))
                failures[kind] = failures.get(kind, 0) + 1
            else:
                grounding = add_grounding(grounding, result)
            mentions = (
                [] if result is None else scored_mentions(doc, predicted_mentions(result, doc.text))
            )
            entity_pairs.append((doc, mentions))
            false_positives, misses = entity_errors(doc, mentions) if doc.entities else ([], [])
            spurious: list[PositionError] = []
            missed: list[PositionError] = []
            if doc.positions is not None:
                positions = [] if result is None else predicted_positions(result)
                spurious, missed = tally.add(doc, doc.text, positions)
            if problem or false_positives or misses or spurious or missed:
                errors.append(
                    DocumentErrors(
                        id=doc.id,
                        error=problem,
                        false_positives=false_positives,
                        misses=misses,
                        spurious_positions=spurious,
                        missed_positions=missed,
                    )
                )
        has_entities = any(doc.entities is not None for doc in self.documents)
        has_positions = any(doc.positions is not None for doc in self.documents)
        provenance = first_ok.provenance if first_ok is not None else None
        return EvalReport(
            dataset=self.dataset.name,
            source=self.dataset.source,
            model=provenance.model if provenance else self.settings.model,
            endpoint=self.settings.endpoint_host,
            mode=str(self.settings.mode),
            prompt_version=provenance.prompt_version if provenance else None,
            documents=len(self.documents),
            scored=len(settled),
            failed=sum(failures.values()),
            failures_by_kind=dict(sorted(failures.items())),
            interrupted=self.interrupted or len(settled) < len(self.documents),
            entities=score_entities(entity_pairs) if has_entities else None,
            positions=tally.scores() if has_positions else None,
            grounding=grounding,
            errors=errors,
        )


async def aevaluate(
    dataset: Dataset | str | Path, *, data: str | Path | None = None, **options: Any
) -> EvalReport:
    """The async twin of `evaluate`."""
    if not isinstance(dataset, Dataset):
        dataset = load_dataset(dataset, data)
    evaluation = Evaluation(dataset, **options)
    await evaluation.run()
    return evaluation.report()


def evaluate(
    dataset: Dataset | str | Path, *, data: str | Path | None = None, **options: Any
) -> EvalReport:
    """Extract every document of a gold set and score the results against it.

    `dataset` is a loaded `Dataset`, a named set (`newsfane`, `gum`, `qasrl`, found in `data`)
    or a gold file in khabar's JSONL format. Options: `settings`, `concurrency`, `limit`,
    `sample_seed`, `record` / `replay` (a folder of per-document cassettes), `force`, `client`
    or `transport` (the HTTP transport under khabar's retries; with `record`, the one recorded),
    and any setting override (`model=...`, `max_chars=...`). Raises `KhabarError` subclasses.
    """
    return asyncio.run(aevaluate(dataset, data=data, **options))


__all__ = ["Evaluation", "aevaluate", "evaluate", "select"]
