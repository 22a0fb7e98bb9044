"""Cross-check a model's answer against the article: every problem becomes a re-ask message.

`ValidationRun` lives for one extraction. `ExtractionDraft`'s validator finds it on every attempt
(through `CURRENT_RUN`): while re-asks remain, each problem becomes a precise message the model
sees; on the last attempt the problems are kept, and `agent.extraction.result.build_result`
applies the `--on-ungrounded` policy (flag, drop or fail) to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from agent.extraction.draft import DraftParticipant, DraftPosition, ExtractionDraft
from agent.models import (
    IssueKind,
    Span,
)
from agent.text.grounding import Alignment, Grounder, Kind, near, sentence_bounds, sentence_of


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
    _cache: dict[tuple[str, Kind], Alignment] = field(default_factory=dict)
    _sentences: list[tuple[int, int]] | None = None

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

    def sentence_range(self, spans: Iterable[Span]) -> tuple[int, int] | None:
        """First and last sentence index the spans touch."""
        if self._sentences is None:
            self._sentences = sentence_bounds(self.article)
        indexes = [
            i
            for span in spans
            for i in (
                sentence_of(self._sentences, span.start),
                sentence_of(self._sentences, max(span.start, span.end - 1)),
            )
        ]
        return (min(indexes), max(indexes)) if indexes else None

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
    yield from structure_problems(draft, run)


# Words that refer back to a speaker named earlier ("من جانبه، أعرب ...", "he added").
BACK_REFERENCES = (
    "من جانبه",
    "من جانبها",
    "من جهته",
    "من جهتها",
    "وأضاف",
    "وأضافت",
    "وتابع",
    "وتابعت",
    "وأشار",
    "وأشارت",
    "وأوضح",
    "وأوضحت",
    "he ",
    "she ",
    "they ",
    "it ",
    "his ",
    "her ",
)
SPEAKER_SENTENCES_BEFORE = 1  # the speaker may be named in the sentence before the cue ...
SPEAKER_SENTENCES_BEFORE_BACKREF = 3  # ... or further back when the cue's sentence refers back
STATEMENT_MAX_SENTENCES_APART = 1  # cue and content: the same or adjacent sentences


def structure_problems(draft: ExtractionDraft, run: ValidationRun) -> Iterator[Problem]:
    """Titles beside their holder; cues beside their content and their speaker.

    Only grounded strings are checked (an ungrounded one is already a problem of its own).
    """
    people = {p.id: p for p in draft.participants}
    for p in draft.participants:
        yield from _detached_titles(p, run)
    for i, pos in enumerate(draft.positions):
        cue, content = run.spans(pos.cue), run.spans(pos.content, "text")
        if not cue or not content:
            continue
        base, target = f"positions[{i}]", ("positions", str(i))
        cue_range, content_range = run.sentence_range(cue), run.sentence_range(content)
        assert cue_range is not None and content_range is not None
        if not any(
            _sentence_gap(run.sentence_range([c]), content_range) <= STATEMENT_MAX_SENTENCES_APART
            for c in cue
        ):
            yield Problem(
                f"{base}.cue",
                IssueKind.DETACHED_STATEMENT,
                f"{base}: cue {pos.cue!r} is not in the same or the next sentence as its content: "
                "copy the cue that introduces this content",
                target,
            )
            continue
        speaker = people.get(pos.speaker_id)
        if speaker is not None and not _speaker_near(speaker, cue, content_range, run):
            yield Problem(
                f"{base}.speaker_id",
                IssueKind.DETACHED_STATEMENT,
                f"{base}: no mention of {pos.speaker_id} ({speaker.name!r}) is near the cue "
                f"{pos.cue!r}: check who stated it",
                target,
            )


def attached_title_spans(p: DraftParticipant, run: ValidationRun) -> dict[int, list[Span]]:
    """Title index → the occurrences written beside the participant (or beside such a title).

    "الفريق أول" occurs beside two officers; only the occurrences beside this one are its title.
    """
    anchors = [*run.spans(p.name), *(s for m in p.mentions for s in run.spans(m))]
    pending = [(i, span) for i, t in enumerate(p.titles) for span in run.spans(t.text)]
    attached: dict[int, list[Span]] = {}
    grew = True
    while grew and pending:  # a title next to an attached title is attached too
        grew = False
        for item in list(pending):
            i, span = item
            if any(near(span, a, run.article) for a in anchors):
                attached.setdefault(i, []).append(span)
                anchors.append(span)
                pending.remove(item)
                grew = True
    return attached


def _detached_titles(p: DraftParticipant, run: ValidationRun) -> Iterator[Problem]:
    attached = attached_title_spans(p, run)
    pending = [i for i, t in enumerate(p.titles) if run.spans(t.text) and i not in attached]
    for i in sorted(pending):
        title = p.titles[i].text
        yield Problem(
            f"participants[{p.id}].titles[{i}]",
            IssueKind.DETACHED_TITLE,
            f"title {title!r} is not next to any mention of {p.id} ({p.name!r}): attach titles "
            "only to the participant they are written beside",
            (p.id, "titles", str(i)),
        )


def _sentence_gap(a: tuple[int, int] | None, b: tuple[int, int]) -> int:
    assert a is not None
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0


def _speaker_near(
    speaker: DraftParticipant,
    cue: tuple[Span, ...],
    content: tuple[int, int],
    run: ValidationRun,
) -> bool:
    anchors = [
        *run.spans(speaker.name),
        *(s for m in speaker.mentions for s in run.spans(m)),
    ]  # not titles: "الفريق أول" is written beside several officers
    sentences = run._sentences or []
    for c in cue:
        cue_range = run.sentence_range([c])
        assert cue_range is not None
        first = min(cue_range[0], content[0])
        start, end = sentences[cue_range[0]] if sentences else (0, 0)
        refers_back = any(r in run.article[start:end].casefold() for r in BACK_REFERENCES)
        back = SPEAKER_SENTENCES_BEFORE_BACKREF if refers_back else SPEAKER_SENTENCES_BEFORE
        window = (first - back, max(cue_range[1], content[1]))
        for a in anchors:
            a_range = run.sentence_range([a])
            if a_range is not None and window[0] <= a_range[0] <= window[1]:
                return True
    return False


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
    yield from _ungrounded(run, pos.content, f"{base}.content", "content", target, kind="text")


def _ungrounded(
    run: ValidationRun,
    text: str,
    path: str,
    what: str,
    target: tuple[str, ...],
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
                (p.id, "duplicate"),
            )
        seen_ids.add(p.id)
        seen_names.setdefault(key, p.id)


__all__ = [
    "Problem",
    "ValidationRun",
    "attached_title_spans",
    "find_problems",
]
