"""Cross-check a model's answer against the article, and turn it into a grounded result.

`ValidationRun` lives for one extraction. instructor hands it to `ExtractionDraft`'s validator
through the validation context on every attempt: while re-asks remain, each problem becomes a
precise message the model sees; on the last attempt the problems are kept, and `build_result`
applies the `--on-ungrounded` policy (flag, drop or fail) and writes the grounding report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from agent.draft import DraftParticipant, DraftPosition, ExtractionDraft
from agent.errors import UngroundedError
from agent.grounding import Alignment, Grounder
from agent.models import (
    AlignmentStatus,
    ArticleExtraction,
    Grounded,
    GroundingIssue,
    GroundingReport,
    IssueKind,
    Location,
    Participant,
    Provenance,
    StatedPosition,
    Title,
)
from agent.settings import Policy

_Ground = Callable[[str], Grounded]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer; `target` names what the drop policy removes."""

    path: str
    kind: IssueKind
    message: str
    target: tuple[str, ...]


@dataclass
class ValidationRun:
    """State shared by the attempts of one extraction (the validation context)."""

    article: str
    max_attempts: int
    attempt: int = 0
    reasked: list[str] = field(default_factory=list)
    final: list[Problem] = field(default_factory=list)
    _grounder: Grounder | None = None
    _cache: dict[str, Alignment] = field(default_factory=dict)

    def align(self, mention: str) -> Alignment:
        if mention not in self._cache:
            if self._grounder is None:
                self._grounder = Grounder(self.article)
            self._cache[mention] = self._grounder.align(mention)
        return self._cache[mention]

    def review(self, draft: ExtractionDraft) -> None:
        """Raise the problems while re-asks remain; keep them on the last attempt."""
        problems = list(find_problems(draft, self))
        if problems and self.attempt < self.max_attempts:
            messages = [p.message for p in problems]
            self.reasked.extend(messages)
            raise ValueError(
                "The answer does not match the article. Fix these and answer again:\n- "
                + "\n- ".join(messages)
            )
        self.final = problems


_ADVICE = {
    "name": "copy names exactly as written in the article, or remove the participant",
    "title": "copy titles exactly as written next to the name, or remove the title",
    "organization": "copy the organisation exactly as written, or leave it empty",
    "affiliation": "copy the affiliation exactly as written, or leave it empty",
    "mention": "copy each mention exactly as written, or remove it",
    "location": "copy place names exactly as written, or remove the location",
    "cue": "copy the attributing verb or phrase exactly as written",
    "content": "copy the stated content as one contiguous passage exactly as written",
}


def find_problems(draft: ExtractionDraft, run: ValidationRun) -> Iterator[Problem]:
    """Every ungrounded string, broken id reference and duplicate in an answer."""
    ids = {p.id for p in draft.participants} | {loc.id for loc in draft.locations}
    yield from _duplicates(draft)
    for p in draft.participants:
        base = f"participants[{p.id}]"
        yield from _ungrounded(run, p.name, f"{base}.name", "name", (p.id,))
        for i, title in enumerate(p.titles):
            path = f"{base}.titles[{i}]"
            yield from _ungrounded(run, title.text, path, "title", (p.id, "titles", str(i)))
            if title.organization:
                yield from _ungrounded(
                    run,
                    title.organization,
                    f"{path}.organization",
                    "organization",
                    (p.id, "titles", str(i), "organization"),
                )
        if p.affiliation:
            yield from _ungrounded(
                run, p.affiliation, f"{base}.affiliation", "affiliation", (p.id, "affiliation")
            )
        for i, mention in enumerate(p.mentions):
            yield from _ungrounded(
                run, mention, f"{base}.mentions[{i}]", "mention", (p.id, "mentions", str(i))
            )
    for loc in draft.locations:
        yield from _ungrounded(run, loc.name, f"locations[{loc.id}].name", "location", (loc.id,))
    participant_ids = {p.id for p in draft.participants}
    for i, pos in enumerate(draft.positions):
        yield from _position_problems(run, pos, i, participant_ids, ids)


def _position_problems(
    run: ValidationRun, pos: DraftPosition, i: int, participant_ids: set[str], ids: set[str]
) -> Iterator[Problem]:
    base = f"positions[{i}]"
    target = ("positions", str(i))
    if pos.speaker_id not in participant_ids:
        yield Problem(
            f"{base}.speaker_id",
            IssueKind.BROKEN_REFERENCE,
            f"{base}.speaker_id {pos.speaker_id!r} is not the id of any participant: "
            "use the id of the participant who stated it, or remove the position",
            target,
        )
    for ref in pos.about_ids:
        if ref not in ids:
            yield Problem(
                f"{base}.about_ids",
                IssueKind.BROKEN_REFERENCE,
                f"{base}.about_ids names {ref!r}, which is not a participant or location id",
                (*target, "about", ref),
            )
    yield from _ungrounded(run, pos.cue, f"{base}.cue", "cue", target)
    yield from _ungrounded(run, pos.content, f"{base}.content", "content", target)


def _ungrounded(
    run: ValidationRun, text: str, path: str, what: str, target: tuple[str, ...]
) -> Iterator[Problem]:
    if not run.align(text).grounded:
        yield Problem(
            path,
            IssueKind.UNGROUNDED,
            f"{path} {text!r} does not occur in the article: {_ADVICE[what]}",
            target,
        )


def _duplicates(draft: ExtractionDraft) -> Iterator[Problem]:
    seen_ids: set[str] = set()
    seen_names: dict[str, str] = {}
    for p in draft.participants:
        key = " ".join(p.name.split()).casefold()
        if p.id in seen_ids or key in seen_names:
            first = seen_names.get(key, p.id)
            yield Problem(
                f"participants[{p.id}]",
                IssueKind.DUPLICATE,
                f"participants[{p.id}] {p.name!r} repeats {first}: list each participant once "
                "and put other references in its mentions",
                (p.id, "duplicate"),
            )
        seen_ids.add(p.id)
        seen_names.setdefault(key, p.id)


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

    def g(text: str) -> Grounded:
        a = run.align(text)
        return Grounded(text=text, spans=list(a.spans), alignment=a.status, score=a.score)

    participants = [
        _participant(p, g, drop)
        for p in draft.participants
        if (p.id,) not in drop and (p.id, "duplicate") not in drop
    ]
    kept_ids = {p.id for p in participants}
    locations = [
        Location(
            id=loc.id,
            name=g(loc.name),
            name_en=loc.name_en,
            kind=loc.kind,
            role=loc.role,
            country_code=loc.country_code,
        )
        for loc in draft.locations
        if (loc.id,) not in drop
    ]
    kept_ids |= {loc.id for loc in locations}
    positions = [
        StatedPosition(
            speaker_id=pos.speaker_id,
            cue=g(pos.cue),
            content=g(pos.content),
            attribution=pos.attribution,
            gist_en=pos.gist_en,
            topic=pos.topic,
            stance=pos.stance,
            about_ids=[
                r
                for r in pos.about_ids
                if ("positions", str(i), "about", r) not in drop
                and (policy is not Policy.DROP or r in kept_ids)
            ],
        )
        for i, pos in enumerate(draft.positions)
        if ("positions", str(i)) not in drop
        and (policy is not Policy.DROP or pos.speaker_id in kept_ids)
    ]
    result = ArticleExtraction(
        language=draft.language,
        participants=participants,
        locations=locations,
        positions=positions,
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


def _participant(p: DraftParticipant, g: _Ground, drop: set[tuple[str, ...]]) -> Participant:
    titles = [
        Title(
            text=g(t.text),
            kind=t.kind,
            organization=(
                g(t.organization)
                if t.organization and (p.id, "titles", str(i), "organization") not in drop
                else None
            ),
        )
        for i, t in enumerate(p.titles)
        if (p.id, "titles", str(i)) not in drop
    ]
    return Participant(
        id=p.id,
        name=g(p.name),
        name_en=p.name_en,
        kind=p.kind,
        titles=titles,
        affiliation=(
            g(p.affiliation) if p.affiliation and (p.id, "affiliation") not in drop else None
        ),
        role=p.role,
        mentions=[g(m) for i, m in enumerate(p.mentions) if (p.id, "mentions", str(i)) not in drop],
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


__all__ = ["Problem", "ValidationRun", "build_result", "find_problems", "iter_grounded"]
