"""Cross-check a model's answer against the article: every problem becomes a re-ask message.

`ValidationRun` lives for one extraction. `ExtractionDraft`'s validator finds it on every attempt
(through `CURRENT_RUN`): while re-asks remain, each problem becomes a precise message the model
sees; on the last attempt the problems are kept, and `agent.extraction.result.build_result`
applies the `--on-ungrounded` policy (flag, drop or fail) to them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from agent.extraction.attribution import Attributor, Decision
from agent.extraction.draft import DraftParticipant, DraftPosition, ExtractionDraft
from agent.extraction.mentions import Mentions
from agent.extraction.places import link_draft, wrong_countries
from agent.extraction.targets import Target
from agent.models import IssueKind, Span
from agent.text.grounding import Alignment, Grounder, Kind
from agent.text.segments import quotation_spans, statement_sentences


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer; `target` names what the drop policy removes."""

    path: str
    kind: IssueKind
    message: str
    target: Target


@dataclass
class ValidationRun:
    """State shared by the attempts of one extraction (the validation context)."""

    article: str
    max_attempts: int
    attempt: int = 0
    reasked: list[str] = field(default_factory=list)
    final: list[Problem] = field(default_factory=list)
    # The validated answer with the fewest problems so far, kept in case a later re-ask fails.
    best: tuple[ExtractionDraft, list[Problem]] | None = None
    _grounder: Grounder | None = None
    _cache: dict[tuple[str, Kind], Alignment] = field(default_factory=dict)
    _sentences: list[tuple[int, int]] | None = None
    _quotations: list[tuple[int, int]] | None = None
    _analysed: tuple[ExtractionDraft, Mentions, list[Decision]] | None = None

    def align(self, mention: str, kind: Kind = "name") -> Alignment:
        """Where `mention` occurs; memoised, since re-asks repeat most strings."""
        key = (mention, kind)
        if key not in self._cache:
            if self._grounder is None:
                self._grounder = Grounder(self.article)
            self._cache[key] = self._grounder.align(mention, kind=kind)
        return self._cache[key]

    def spans(self, mention: str | None, kind: Kind = "name") -> tuple[Span, ...]:
        return self.align(mention, kind).spans if mention else ()

    def quotations(self) -> list[tuple[int, int]]:
        """The article's quotations, marks included (computed once per extraction)."""
        if self._quotations is None:
            self._quotations = quotation_spans(self.article)
        return self._quotations

    def sentences(self) -> list[tuple[int, int]]:
        """The article's quotation-aware sentences (computed once per extraction)."""
        if self._sentences is None:
            self._sentences = statement_sentences(self.article)
        return self._sentences

    def mentions(self, draft: ExtractionDraft) -> Mentions:
        """Where each participant of `draft` is referred to (computed once per answer)."""
        return self._analyse(draft)[1]

    def attributions(self, draft: ExtractionDraft) -> list[Decision]:
        """The attribution decision for each position of `draft`, in its order."""
        return self._analyse(draft)[2]

    def _analyse(self, draft: ExtractionDraft) -> tuple[ExtractionDraft, Mentions, list[Decision]]:
        if self._analysed is None or self._analysed[0] is not draft:
            mentions = Mentions(draft, self)
            self._analysed = (draft, mentions, Attributor(draft, self, mentions).decide_all())
        return self._analysed

    def review(self, draft: ExtractionDraft) -> None:
        """Raise the problems while re-asks remain; keep them on the last attempt."""
        problems = list(find_problems(draft, self))
        if self.best is None or len(problems) < len(self.best[1]):
            self.best = (draft, problems)
        if problems and self.attempt < self.max_attempts:
            messages = [p.message for p in problems]
            self.reasked.extend(messages)
            raise ValueError(
                "The answer does not match the article. Fix these and answer again:\n- "
                + "\n- ".join(messages)
            )
        self.final = problems

    def settle_on_best(self) -> ExtractionDraft | None:
        """After a re-ask failed: the best answer so far, its problems left for the policy."""
        if self.best is None:
            return None
        draft, self.final = self.best
        return draft


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
        yield from _ungrounded(run, p.name, f"{base}.name", "name", Target.participant(p.id))
        for i, title in enumerate(p.titles):
            path = f"{base}.titles[{i}]"
            yield from _ungrounded(run, title.text, path, "title", Target.title(p.id, i))
            if title.organization:
                yield from _ungrounded(
                    run,
                    title.organization,
                    f"{path}.organization",
                    "organization",
                    Target.organization(p.id, i),
                )
        if p.affiliation:
            yield from _ungrounded(
                run, p.affiliation, f"{base}.affiliation", "affiliation", Target.affiliation(p.id)
            )
        for i, mention in enumerate(p.mentions):
            yield from _ungrounded(
                run, mention, f"{base}.mentions[{i}]", "mention", Target.mention(p.id, i)
            )
    for loc in draft.locations:
        yield from _ungrounded(
            run, loc.name, f"locations[{loc.id}].name", "location", Target.location(loc.id)
        )
    participant_ids = {p.id for p in draft.participants}
    for i, pos in enumerate(draft.positions):
        yield from _position_problems(run, pos, i, participant_ids, ids)
    yield from structure_problems(draft, run)
    yield from country_problems(draft)


def country_problems(draft: ExtractionDraft) -> Iterator[Problem]:
    """Each location whose `country_code` the gazetteer contradicts (Tunis given as LY)."""
    for wrong in wrong_countries(draft, link_draft(draft)):
        path = f"locations[{wrong.location_id}].country_code"
        yield Problem(
            path,
            IssueKind.WRONG_COUNTRY,
            f"{path} {wrong.code!r} does not fit {wrong.name!r}: {wrong.reason}; give the code "
            "of the country the place is in, or leave it empty",
            Target.country_code(wrong.location_id),
        )


def structure_problems(draft: ExtractionDraft, run: ValidationRun) -> Iterator[Problem]:
    """Titles beside their holder; each statement's governing cue and the speaker it names.

    Only grounded strings are checked (an ungrounded one is already a problem of its own).
    """
    mentions = run.mentions(draft)
    for p in draft.participants:
        yield from _detached_titles(p, run, mentions)
    people = {p.id: p for p in draft.participants}
    for i, (pos, decision) in enumerate(zip(draft.positions, run.attributions(draft), strict=True)):
        if not run.spans(pos.cue, "cue") or not run.spans(pos.content, "text"):
            continue
        base, target = f"positions[{i}]", Target.position(i)
        if decision.status == "detached":
            yield Problem(
                f"{base}.cue",
                IssueKind.DETACHED_STATEMENT,
                f"{base}: no occurrence of the cue {pos.cue!r} introduces this content (none "
                "stands in the content's sentence, or right after its quotation): copy the cue "
                "that introduces this content, or remove the position if no participant states it",
                target,
            )
        elif decision.status == "wrong" and pos.speaker_id in people:
            yield Problem(
                f"{base}.speaker_id",
                IssueKind.WRONG_SPEAKER,
                f"{base}: {_who_the_text_names(decision, people)}, not {pos.speaker_id} "
                f"({people[pos.speaker_id].name!r}): use the id of the participant the article "
                "names as the speaker of this cue",
                target,
            )


def _who_the_text_names(decision: Decision, people: dict[str, DraftParticipant]) -> str:
    named = ", ".join(f"{pid} ({people[pid].name!r})" for pid in sorted(decision.speakers))
    return f"the article attributes this to {named}"


def attached_title_spans(
    draft: ExtractionDraft, p: DraftParticipant, run: ValidationRun
) -> dict[int, list[Span]]:
    """Title index → the occurrences written beside the participant (not beside someone else)."""
    mentions = run.mentions(draft)
    attached: dict[int, list[Span]] = {}
    for i, title in enumerate(p.titles):
        spans = mentions.attached_titles(run.spans(title.text), p.id)
        if spans:
            attached[i] = spans
    return attached


def _detached_titles(
    p: DraftParticipant, run: ValidationRun, mentions: Mentions
) -> Iterator[Problem]:
    for i, title in enumerate(p.titles):
        spans = run.spans(title.text)
        if not spans or mentions.attached_titles(spans, p.id):
            continue
        others = sorted({o for s in spans for o in mentions.title_owners.get(s, ())} - {p.id})
        beside = (
            "it is written beside " + ", ".join(f"{o} ({mentions.names[o]!r})" for o in others)
            if others
            else "it is not written next to any mention of them"
        )
        yield Problem(
            f"participants[{p.id}].titles[{i}]",
            IssueKind.DETACHED_TITLE,
            f"title {title.text!r} is not {p.id}'s ({p.name!r}): {beside}; attach titles only "
            "to the participant they are written beside",
            Target.title(p.id, i),
        )


def _position_problems(
    run: ValidationRun, pos: DraftPosition, i: int, participant_ids: set[str], ids: set[str]
) -> Iterator[Problem]:
    base = f"positions[{i}]"
    target = Target.position(i)
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
                Target.about(i, ref),
            )
    yield from _ungrounded(run, pos.cue, f"{base}.cue", "cue", target, kind="cue")
    yield from _ungrounded(run, pos.content, f"{base}.content", "content", target, kind="text")


def _ungrounded(
    run: ValidationRun,
    text: str,
    path: str,
    what: str,
    target: Target,
    kind: Kind = "name",
) -> Iterator[Problem]:
    if not run.align(text, kind).grounded:
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
                Target.duplicate(p.id),
            )
        seen_ids.add(p.id)
        seen_names.setdefault(key, p.id)


__all__ = [
    "Problem",
    "ValidationRun",
    "attached_title_spans",
    "country_problems",
    "find_problems",
    "structure_problems",
]
