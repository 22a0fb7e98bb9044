"""Where the article refers to each participant: names, mentions, name parts and titles beside them.

The attribution and title checks both ask "who is written here?". A name or a listed mention is
the participant's own. A distinctive part of a person's name ("حفتر" for "صدام حفتر", "Miliband"
for "Ed Miliband") is theirs too, unless another participant's name shares it. A title is the
participant's only where it stands beside them, and "beside" is decided for every occurrence by
the nearest participant, not by anyone within reach: "الفريق أول" written before one officer is
not the title of the officer named forty characters further on (title_owners.py decides it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from agent.extraction.aliases import acronyms, capitals, the_latter
from agent.extraction.title_owners import (
    not_cut_by_titles,
    own_titles,
    shared_titles,
    standing_titles,
    title_holders,
)
from agent.models import Span
from agent.text.normalize import fold

if TYPE_CHECKING:
    from agent.extraction.draft import ExtractionDraft
    from agent.extraction.validate import ValidationRun

Form = Literal["name", "mention", "part", "title"]

# Prepositions that make a "name" a description of an unnamed person ("a source in ...").
_DESCRIPTION = "في من عن على علي الى إلى لدى باسم of in at from for with"
DESCRIPTION_WORDS = frozenset(fold(w) for w in _DESCRIPTION.split())
NAME_PART_MIN_LEN = 3  # shorter name parts (بن, al) never stand for the person alone
# Parts of names that never identify a person on their own.
_STOPWORDS = (
    "عبد بن ابن أبو أبي أم آل ال عبدال الدين الله al el bin ibn abu abd de da di del der van "
    "von le la the of mr mrs ms dr jr sr"
)
NAME_PART_STOPWORDS = frozenset(fold(w) for w in _STOPWORDS.split())


@dataclass(frozen=True)
class Mention:
    """One place where the article refers to a participant."""

    span: Span
    pid: str
    form: Form


class Mentions:
    """Every reference to every participant in one article, in text order."""

    def __init__(self, draft: ExtractionDraft, run: ValidationRun) -> None:
        self.article = run.article
        self.kinds = {p.id: p.kind.value for p in draft.participants}
        self.names = {p.id: p.name for p in draft.participants}
        anchors: list[Mention] = []
        for p in draft.participants:
            adjective = p.kind.value in ("organization", "group") and _NISBA_NAME.fullmatch(
                fold(p.name)
            )
            anchors += [
                Mention(s, p.id, "name")
                for s in run.spans(p.name)
                if not (adjective and _after_definite_noun(run.article, s))
            ]
            for m in p.mentions:
                anchors += [Mention(s, p.id, "mention") for s in run.spans(m)]
        listed = title_holders(draft, run)
        anchors = not_cut_by_titles(run.article, anchors, listed)
        anchors += _name_parts(draft, run, anchors)
        taken = [(m.span.start, m.span.end) for m in anchors]
        anchors += [
            Mention(span, pid, "mention")
            for span, pid in the_latter(run.article, [(m.span, m.pid) for m in anchors])
        ]
        anchors += [  # "IDF" for the Israeli Defense Force, "بكين" for China: the participant
            Mention(span, pid, "part")
            for span, pid in [*acronyms(draft, run.article), *capitals(draft, run.article)]
            if not any(s <= span.start and span.end <= e for s, e in taken)
        ]
        self.title_owners = own_titles(draft, run, anchors, listed)
        self.title_owners.update(standing_titles(draft, run, anchors, self.title_owners))
        self.title_owners.update(shared_titles(run.article, anchors, self.title_owners, listed))
        titles = [
            Mention(span, owner, "title")
            for span, owners in self.title_owners.items()
            if len(owners) == 1
            for owner in owners
        ]
        every = sorted(anchors + titles, key=lambda m: (m.span.start, -m.span.end))
        self.items = _outermost(every)
        self._starts = [m.span.start for m in self.items]

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions lying wholly inside [start, end), in text order."""
        i = bisect_left(self._starts, start)
        out: list[Mention] = []
        while i < len(self.items) and self.items[i].span.start < end:
            if self.items[i].span.end <= end:
                out.append(self.items[i])
            i += 1
        return out

    def attached_titles(self, title_spans: Iterable[Span], pid: str) -> list[Span]:
        """The occurrences of a title that stand beside participant `pid`."""
        return [s for s in title_spans if pid in self.title_owners.get(s, ())]


# A body named by one definite Arabic adjective (العربي, الوطنية): where it follows another
# definite noun it is that noun's adjective ("الدعم العربي"), not the magazine or the paper.
# Not a state ("المملكة العربية السعودية" is Saudi Arabia).
_NISBA_NAME = re.compile(r"ال[\u0621-\u064a]{2,}(?:ي|ية|يه)")
_DEFINITE_BEFORE = re.compile(r"(?<!\w)ال[\u0621-\u064a]{2,}$")


def _after_definite_noun(text: str, span: Span) -> bool:
    before = text[max(0, span.start - 20) : span.start]
    return before[-1:].isspace() and bool(_DEFINITE_BEFORE.search(fold(before.rstrip())))


def _outermost(items: list[Mention]) -> list[Mention]:
    """Drop a mention lying inside a longer one of someone else ("Mohamed" inside "Mohamed
    El-Hassan Mohamed", "Facebook" inside "Facebook co-founder"): the longer one is who is meant."""
    out: list[Mention] = []
    for m in items:  # sorted by start, longest first
        if any(
            o.pid != m.pid
            and o.span.start <= m.span.start
            and m.span.end <= o.span.end
            and (o.span.end - o.span.start) > (m.span.end - m.span.start)
            for o in out[-8:]
        ):
            continue
        out.append(m)
    return out


def _name_parts(
    draft: ExtractionDraft, run: ValidationRun, anchors: list[Mention]
) -> list[Mention]:
    """Occurrences of the distinctive words of people's names, outside anyone's full name."""
    words: dict[str, set[str]] = {}
    for p in draft.participants:
        for w in fold(p.name).split():
            words.setdefault(_bare(w), set()).add(p.id)
    taken = sorted((m.span.start, m.span.end) for m in anchors)
    parts: list[Mention] = []
    for p in draft.participants:
        tokens = fold(p.name).split()
        if p.kind.value != "person" or len(tokens) < 2:
            continue
        if any(t in DESCRIPTION_WORDS for t in tokens):  # "مصدر اخر في حكومة كوريا الجنوبية"
            continue  # is a description: its words ("الجنوبية") are nobody's name
        for token in tokens:
            key = _bare(token)
            if len(key) < NAME_PART_MIN_LEN or key in NAME_PART_STOPWORDS or words[key] != {p.id}:
                continue
            for span in run.spans(token):
                if span.start > 0 and run.article[span.start - 1].isalpha():
                    continue  # behind a proclitic a part is a word: "يان" in "بيان"
                if not any(s <= span.start and span.end <= e for s, e in taken):
                    parts.append(Mention(span, p.id, "part"))
    return parts


def _bare(word: str) -> str:
    """A folded word without the Arabic article, so الصقر and صقر are one name part."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


__all__ = ["Mention", "Mentions"]
