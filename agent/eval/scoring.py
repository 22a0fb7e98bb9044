"""Scoring results against gold: entity mentions (MUC/SemEval, by `nervaluate`) and statements.

Predicted mentions: every span of a grounded field. A participant's name and mentions take its
kind (person → person; organisation and group → organization; state → location, because both gold
sets type countries as places: NewsFANE's GPE, GUM's place); a location's name is a location; an
affiliation or a title's organisation is an organization unless the same span is already typed.
A prediction lying inside gold the set does not score (`Document.ignored`) and overlapping no
scored gold counts neither way.

Entities are scored with nervaluate (MIT, no dependencies), the reference implementation of the
SemEval-2013 schemes: `strict` (same span and type) and `ent_type` (overlapping span, same type),
reported here as strict and partial. nervaluate matches greedily in prediction order, so a near
miss processed first could take the gold an exact prediction needed: predictions with an exact
gold go first. Per type it scores each type on its own, so a wrong type there is one spurious (in
the predicted type) and one missed (in the gold's); overall it is one `incorrect`.

Statements: a gold statement is found when one predicted position's cue overlaps the gold cue, its
content overlaps one gold content span and one span of its speaker (name or mention) overlaps one
gold speaker span; gold and predictions are paired one to one (maximum matching).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nervaluate import Evaluator

from agent.eval.datasets import (
    ENTITY_TYPES,
    LOCATION,
    ORGANIZATION,
    PERSON,
    Document,
    GoldEntity,
    GoldPosition,
    Span,
)
from agent.eval.report import (
    EntityError,
    EntityScores,
    Figures,
    GroundingSummary,
    PositionError,
    PositionScores,
    Scheme,
)
from agent.models import ArticleExtraction, Grounded, ParticipantKind

KIND_TYPE = {
    ParticipantKind.PERSON: PERSON,
    ParticipantKind.ORGANIZATION: ORGANIZATION,
    ParticipantKind.GROUP: ORGANIZATION,
    ParticipantKind.STATE: LOCATION,
}


@dataclass(frozen=True)
class Mention:
    """A predicted mention: one occurrence of a grounded field, typed."""

    type: str
    span: Span
    text: str


@dataclass(frozen=True)
class PredictedPosition:
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    speaker: tuple[Span, ...]
    label: PositionError


def _spans(field: Grounded | None) -> list[Span]:
    return [] if field is None else [Span(s.start, s.end) for s in field.spans]


def predicted_mentions(result: ArticleExtraction, text: str) -> list[Mention]:
    """Every span of the result's names, mentions and organisations, typed, each span once."""
    typed: dict[Span, str] = {}
    found: list[Mention] = []

    def add(span: Span, kind: str) -> None:
        if typed.get(span) == kind:
            return
        typed.setdefault(span, kind)
        found.append(Mention(kind, span, text[span.start : span.end]))

    for p in result.participants:
        for field in (p.name, *p.mentions):
            for span in _spans(field):
                add(span, KIND_TYPE[p.kind])
    for loc in result.locations:
        for span in _spans(loc.name):
            add(span, LOCATION)
    for p in result.participants:
        organisations = [p.affiliation, *(t.organization for t in p.titles)]
        for organisation in organisations:
            for span in _spans(organisation):
                if span not in typed:
                    add(span, ORGANIZATION)
    return sorted(found, key=lambda m: (m.span, m.type))


def scored_mentions(doc: Document, mentions: Iterable[Mention]) -> list[Mention]:
    """The predictions that count: not lying inside ignored gold unless they touch scored gold."""
    gold = doc.entities or ()
    kept = []
    for m in mentions:
        touches = any(m.span.overlaps(g.span) for g in gold)
        if not touches and any(m.span.within(span) for span in doc.ignored):
            continue
        kept.append(m)
    return kept


def _figures(result: object) -> Figures:
    return Figures(
        **{
            key: getattr(result, key)
            for key in ("correct", "incorrect", "partial", "missed", "spurious", "possible")
        },
        actual=getattr(result, "actual", 0),
        precision=round(float(getattr(result, "precision", 0.0)), 6),
        recall=round(float(getattr(result, "recall", 0.0)), 6),
        f1=round(float(getattr(result, "f1", 0.0)), 6),
    )


def _as_nervaluate(items: Iterable[GoldEntity | Mention]) -> list[dict[str, object]]:
    # nervaluate's ends are inclusive; ours are exclusive.
    return [{"label": e.type, "start": e.span.start, "end": e.span.end - 1} for e in items]


def _exact_first(gold: Sequence[GoldEntity], pred: Sequence[Mention]) -> list[Mention]:
    exact = {(g.type, g.span) for g in gold}
    return sorted(pred, key=lambda m: ((m.type, m.span) not in exact, m.span, m.type))


def score_entities(pairs: Sequence[tuple[Document, Sequence[Mention]]]) -> EntityScores:
    """Strict and partial figures over every document, overall and per type."""
    empty = Scheme(strict=Figures(), partial=Figures())
    scored = [(doc, pred) for doc, pred in pairs if doc.entities is not None]
    if not scored:
        return EntityScores(overall=empty, by_type={t: empty for t in ENTITY_TYPES})
    true = [_as_nervaluate(doc.entities or ()) for doc, _ in scored]
    pred = [_as_nervaluate(_exact_first(doc.entities or (), p)) for doc, p in scored]
    results = Evaluator(true, pred, tags=list(ENTITY_TYPES), loader="dict").evaluate()
    overall = results["overall"]
    by_type = {}
    for kind in ENTITY_TYPES:
        per = results["entities"].get(kind)
        by_type[kind] = (
            Scheme(strict=_figures(per["strict"]), partial=_figures(per["ent_type"]))
            if per
            else empty
        )
    return EntityScores(
        overall=Scheme(strict=_figures(overall["strict"]), partial=_figures(overall["ent_type"])),
        by_type=by_type,
    )


def entity_errors(
    doc: Document, pred: Sequence[Mention]
) -> tuple[list[EntityError], list[EntityError]]:
    """(false positives, misses) under strict matching, with their text and why."""
    gold = doc.entities or ()
    exact = {(g.type, g.span) for g in gold}
    found = {(m.type, m.span) for m in pred}
    false_positives = []
    for m in pred:
        if (m.type, m.span) in exact:
            continue
        touching = [g for g in gold if g.span.overlaps(m.span)]
        if any(g.type == m.type for g in touching):
            why = "boundary"
        elif touching:
            why = f"wrong type (gold {touching[0].type})"
        else:
            why = "spurious"
        false_positives.append(EntityError(type=m.type, **_where(m.span), text=m.text, why=why))
    misses = [
        EntityError(type=g.type, **_where(g.span), text=g.text)
        for g in gold
        if (g.type, g.span) not in found
    ]
    return false_positives, misses


def _where(span: Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def predicted_positions(result: ArticleExtraction) -> list[PredictedPosition]:
    found = []
    for pos in result.positions:
        speaker = result.participant(pos.speaker_id)
        speaker_spans: list[Span] = []
        if speaker is not None:
            for field in (speaker.name, *speaker.mentions):
                speaker_spans.extend(_spans(field))
        found.append(
            PredictedPosition(
                cue=tuple(_spans(pos.cue)),
                content=tuple(_spans(pos.content)),
                speaker=tuple(speaker_spans),
                label=PositionError(
                    cue=pos.cue.text,
                    content=pos.content.text,
                    speaker=speaker.name.text if speaker else pos.speaker_id,
                ),
            )
        )
    return found


def _any_overlap(a: Iterable[Span], b: Iterable[Span]) -> bool:
    b = tuple(b)
    return any(x.overlaps(y) for x in a for y in b)


def statement_found(gold: GoldPosition, pred: PredictedPosition) -> bool:
    return (
        _any_overlap(pred.cue, (gold.cue,))
        and _any_overlap(pred.content, gold.contents)
        and _any_overlap(pred.speaker, gold.speakers)
    )


def _max_matching(edges: list[list[int]], right: int) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn): gold index → prediction index."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(edges)):
        augment(g, set())
    return {g: p for p, g in owner.items()}


@dataclass
class PositionTally:
    correct: int = 0
    missed: int = 0
    spurious: int = 0
    cue_found: int = 0

    def add(
        self, doc: Document, text: str, pred: Sequence[PredictedPosition]
    ) -> tuple[list[PositionError], list[PositionError]]:
        """Count one document; return its (spurious, missed) statements."""
        gold = doc.positions or ()
        pred = [
            p
            for p in pred
            if not (_any_overlap(p.cue, doc.ignored_cues) and not _touches_gold(p, gold))
        ]
        edges = [[i for i, p in enumerate(pred) if statement_found(g, p)] for g in gold]
        matched = _max_matching(edges, len(pred))
        used = set(matched.values())
        self.correct += len(matched)
        self.missed += len(gold) - len(matched)
        self.spurious += len(pred) - len(used)
        self.cue_found += sum(1 for g in gold if any(_any_overlap(p.cue, (g.cue,)) for p in pred))
        spurious = [p.label for i, p in enumerate(pred) if i not in used]
        missed = [
            PositionError(
                cue=_cut(text, g.cue),
                content=" … ".join(_cut(text, s) for s in g.contents),
                speaker=" / ".join(_cut(text, s) for s in g.speakers),
            )
            for i, g in enumerate(gold)
            if i not in matched
        ]
        return spurious, missed

    def scores(self) -> PositionScores:
        actual = self.correct + self.spurious
        possible = self.correct + self.missed
        precision = self.correct / actual if actual else 0.0
        recall = self.correct / possible if possible else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures = Figures(
            correct=self.correct,
            missed=self.missed,
            spurious=self.spurious,
            possible=possible,
            actual=actual,
            precision=round(precision, 6),
            recall=round(recall, 6),
            f1=round(f1, 6),
        )
        return PositionScores(figures=figures, cue_found=self.cue_found)


def _touches_gold(pred: PredictedPosition, gold: Sequence[GoldPosition]) -> bool:
    return any(_any_overlap(pred.cue, (g.cue,)) for g in gold)


def _cut(text: str, span: Span) -> str:
    return text[span.start : span.end]


def add_grounding(total: GroundingSummary, result: ArticleExtraction) -> GroundingSummary:
    """`total` with one more result's grounding report and usage added."""
    counts = dict(total.counts)
    for status, n in result.grounding.counts.items():
        counts[str(status)] = counts.get(str(status), 0) + n
    issues = result.grounding.issues
    usage = result.provenance.usage
    return GroundingSummary(
        counts=counts,
        flagged=total.flagged + sum(1 for i in issues if i.action == "flagged"),
        dropped=total.dropped + sum(1 for i in issues if i.action == "dropped"),
        reasked=total.reasked + len(result.grounding.reasked),
        attempts=total.attempts + result.provenance.attempts,
        prompt_tokens=total.prompt_tokens + usage.prompt_tokens,
        completion_tokens=total.completion_tokens + usage.completion_tokens,
    )


__all__ = [
    "KIND_TYPE",
    "Mention",
    "PositionTally",
    "PredictedPosition",
    "add_grounding",
    "entity_errors",
    "predicted_mentions",
    "predicted_positions",
    "score_entities",
    "scored_mentions",
    "statement_found",
]
