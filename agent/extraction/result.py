"""From a validated draft to the result: every copied string grounded, the policy applied.

`build_result` runs once per extraction, after the last attempt. It aligns each string the model
copied (with a status per occurrence), keeps a title's occurrences only where they stand beside
its holder, applies `--on-ungrounded` (flag, drop or fail) to the problems
`agent.extraction.validate` left, links places, states and affiliations to the gazetteer
(`agent.extraction.places`), and counts the grounding report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterator

from agent.errors import UngroundedError
from agent.extraction.attribution import Decision
from agent.extraction.draft import DraftLocation, DraftParticipant, ExtractionDraft
from agent.extraction.places import DraftLinks, link_draft
from agent.extraction.targets import Target
from agent.extraction.validate import ValidationRun, attached_title_spans
from agent.models import (
    AlignmentStatus,
    ArticleExtraction,
    CheckStatus,
    Grounded,
    GroundingIssue,
    GroundingReport,
    Location,
    Participant,
    Provenance,
    Span,
    SpeakerCheck,
    StatedPosition,
    Title,
)
from agent.settings import Policy
from agent.text.grounding import Alignment, Kind
from agent.text.normalize import fold

_Ground = Callable[..., Grounded]


def build_result(
    draft: ExtractionDraft, run: ValidationRun, policy: Policy, provenance: Provenance
) -> ArticleExtraction:
    """Ground every copied string, apply the policy to what is left, and report."""
    problems = run.final
    if problems and policy is Policy.FAIL:
        raise UngroundedError(
            f"{len(problems)} problem(s) left after {run.attempt} attempt(s), first: "
            f"{problems[0].message}",
            attempts=run.attempt,
        )
    drop = {p.target for p in problems} if policy is Policy.DROP else set()
    action = "dropped" if policy is Policy.DROP else "flagged"
    issues = [
        GroundingIssue(path=p.path, kind=p.kind, message=p.message, action=action) for p in problems
    ]
    g = _grounder(run)
    links = link_draft(draft)
    participants = [
        _participant(draft, p, g, drop, run, links)
        for p in draft.participants
        if Target.participant(p.id) not in drop and Target.duplicate(p.id) not in drop
    ]
    locations = [
        _location(loc, g, drop, links)
        for loc in draft.locations
        if Target.location(loc.id) not in drop
    ]
    # with `drop`, a position or reference to a removed participant or place goes with it
    kept = {p.id for p in participants} | {loc.id for loc in locations}
    keep: Container[str] = kept if policy is Policy.DROP else _Everything()
    result = ArticleExtraction(
        language=draft.language,
        participants=participants,
        locations=locations,
        positions=_positions(draft, run, g, drop, keep),
        provenance=provenance,
        grounding=GroundingReport(
            policy=str(policy), counts={}, issues=issues, reasked=list(run.reasked)
        ),
    )
    counts = Counter(item.alignment for item in iter_grounded(result))
    report = result.grounding.model_copy(
        update={"counts": {s: counts.get(s, 0) for s in AlignmentStatus}}
    )
    return result.model_copy(update={"grounding": report})


class _Everything:
    """A container holding every id (the flag policy keeps references as they are)."""

    def __contains__(self, item: object) -> bool:
        return True


def _grounder(run: ValidationRun) -> _Ground:
    def g(text: str, kind: Kind = "name", only: list[Span] | None = None) -> Grounded:
        """Ground `text`; `only` keeps the occurrences that belong to this field."""
        a = run.align(text, kind)
        spans = [
            s.model_copy(update={"alignment": occurrence_status(run.article, s, a)})
            for s in a.spans
            if not only or s in only
        ]
        return Grounded(text=text, spans=spans, alignment=a.status, score=a.score)

    return g


def _location(loc: DraftLocation, g: _Ground, drop: set[Target], links: DraftLinks) -> Location:
    return Location(
        id=loc.id,
        name=g(loc.name),
        name_en=loc.name_en,
        kind=loc.kind,
        role=loc.role,
        country_code=None if Target.country_code(loc.id) in drop else loc.country_code,
        place=links.locations[loc.id],
    )


def _positions(
    draft: ExtractionDraft,
    run: ValidationRun,
    g: _Ground,
    drop: set[Target],
    keep: Container[str],
) -> list[StatedPosition]:
    checks = run.attributions(draft)
    return [
        StatedPosition(
            speaker_id=pos.speaker_id,
            cue=g(pos.cue),
            content=g(pos.content, "text"),
            attribution=pos.attribution,
            gist_en=pos.gist_en,
            topic=pos.topic,
            stance=pos.stance,
            about_ids=[r for r in pos.about_ids if Target.about(i, r) not in drop and r in keep],
            check=speaker_check(checks[i]),
        )
        for i, pos in enumerate(draft.positions)
        if Target.position(i) not in drop and pos.speaker_id in keep
    ]


def occurrence_status(article: str, span: Span, found: Alignment) -> AlignmentStatus:
    """How one occurrence matched: the best tier reports weaker occurrences too (a name that is
    once verbatim and once behind a proclitic), so each span gets its own status."""
    written, wanted = article[span.start : span.end], found.mention.strip()
    if written == wanted:
        return AlignmentStatus.EXACT
    if fold(written) == fold(wanted):
        return AlignmentStatus.NORMALIZED
    if found.status in (AlignmentStatus.EXACT, AlignmentStatus.NORMALIZED):
        return AlignmentStatus.CLITIC
    return found.status


def speaker_check(decision: Decision) -> SpeakerCheck:
    """The attribution decision as the result carries it (and the report draws it)."""
    return SpeakerCheck(
        status=CheckStatus(decision.status),
        cue=decision.cue,
        content=decision.content,
        speaker_ids=sorted(decision.speakers),
        basis=decision.how,
        evidence=decision.evidence,
    )


def _participant(
    draft: ExtractionDraft,
    p: DraftParticipant,
    g: _Ground,
    drop: set[Target],
    run: ValidationRun,
    links: DraftLinks,
) -> Participant:
    beside = attached_title_spans(draft, p, run)
    titles = [
        Title(
            text=g(t.text, only=beside.get(i)),
            kind=t.kind,
            organization=(
                g(t.organization)
                if t.organization and Target.organization(p.id, i) not in drop
                else None
            ),
        )
        for i, t in enumerate(p.titles)
        if Target.title(p.id, i) not in drop
    ]
    affiliation = p.affiliation if p.affiliation and Target.affiliation(p.id) not in drop else None
    return Participant(
        id=p.id,
        name=g(p.name),
        name_en=p.name_en,
        kind=p.kind,
        titles=titles,
        affiliation=g(affiliation) if affiliation else None,
        role=p.role,
        mentions=[g(m) for i, m in enumerate(p.mentions) if Target.mention(p.id, i) not in drop],
        place=links.states.get(p.id),
        affiliation_place=links.affiliations.get(p.id) if affiliation else None,
    )


def iter_grounded(result: ArticleExtraction) -> Iterator[Grounded]:
    """Every grounded field of a result, in document order of the structure."""
    for p in result.participants:
        yield p.name
        for t in p.titles:
            yield t.text
            if t.organization:
                yield t.organization
        if p.affiliation:
            yield p.affiliation
        yield from p.mentions
    for loc in result.locations:
        yield loc.name
    for pos in result.positions:
        yield pos.cue
        yield pos.content


__all__ = ["build_result", "iter_grounded", "occurrence_status"]
