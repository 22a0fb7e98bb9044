"""Who a cue's subject may be: the `Subject` decision and the reader's view of the article.

`SubjectReader` knows the article, its quotation-aware sentences and where each participant is
mentioned; it finds the heads among mentions, groups coordinated names, and matches an unlisted
description word by word against each participant's names, titles and mentions. Where the
subject is written is `agent.extraction.written_subjects` (after the verb) and
`agent.extraction.subjects_before` (before it);
`Attributor` (agent.extraction.attribution) asks both who spoke at a cue occurrence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from agent.extraction.mentions import Mention, Mentions
from agent.models import Span
from agent.text.cue_words import (
    COLLECTIVES,
    CONTINUATIONS,
    COORDINATION,
    DOCUMENTS,
    FILLERS,
    GENERIC_WORDS,
    OPENERS,
    POSSESSIVE,
    PRONOUNS,
    SOURCE_CUE,
    WORDS,
    word_stem,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import ExtractionDraft
    from agent.extraction.validate import ValidationRun

How = Literal["named", "collective", "continued", "described", "unknown", "unnamed", "none"]

# Kinship nouns: "وابن اية الله الطبسي", "نجل الرئيس", "عم الشهيد".
KIN_WORDS = (
    "ابن إبن نجل ابنة إبنة كريمة والد والدة شقيق شقيقة زوج زوجة ارملة أرملة حفيد حفيدة "
    "عم عمة خال خالة جد جدة أخ أخو أخت"
)
# A kinship noun right before a name, which is its genitive.
_KIN_BEFORE = re.compile(rf"(?<!\w)(?:و\s?)?(?:{'|'.join(KIN_WORDS.split(' '))})\s+$")
_CLAUSE_BREAK = re.compile(r"[،,;؛:»”\"\n]|(?<!\w)(?:أن|ان|إن|بأن|بان)(?!\w)")
SUBJECT_MAX_LEAD = 3  # words allowed between the verb and its subject (وقال اليوم الوزير)
SUBJECT_HEAD_WORDS = 4  # words of an unlisted description compared with the participants


@dataclass(frozen=True)
class Subject:
    """Who the text makes the speaker: `speakers` are accepted, `primary` is carried on to the
    next dropped subject (a candidate set must not grow from one statement to the next)."""

    how: How
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    primary: frozenset[str] | None = None
    shared: bool = False  # named by a mention the answer lists for several participants

    @property
    def carried(self) -> frozenset[str]:
        return self.speakers if self.primary is None else self.primary


class SubjectReader:
    """One article as the subject readings see it: sentences, mentions, descriptions."""

    def __init__(self, draft: ExtractionDraft, run: ValidationRun, mentions: Mentions) -> None:
        self.draft = draft
        self.run = run
        self.text = run.article
        self.mentions = mentions
        self.english = draft.language == "en"
        self.sentences = run.sentences()
        self._starts = [s for s, _ in self.sentences]
        self._descriptors = _descriptors(draft)
        self._speaks_for = _speaks_for(draft)

    def content_words(self, start: int, end: int) -> list[str]:
        return [w for w in folded_words(self.text[start:end]) if w not in FILLERS]

    def heads(self, items: Sequence[Mention]) -> list[Mention]:
        """Mentions that can head a subject: not a possessor ("the Afghan team's coach"), nor
        the relative a kinship noun names ("ناصر الطبسي ... وابن اية الله الطبسي": the son)."""
        kin: list[Mention] = []  # with his title written right after: "اية الله الطبسي المسؤول"
        for m in sorted(items, key=lambda m: m.span.start):
            if _KIN_BEFORE.search(self.text, max(0, m.span.start - 12), m.span.start) or any(
                k.pid == m.pid and not self.text[k.span.end : m.span.start].strip() for k in kin
            ):
                kin.append(m)
        return [m for m in items if not POSSESSIVE.match(self.text, m.span.end) and m not in kin]

    def named(self, first: Mention, items: Sequence[Mention]) -> Subject:
        """A written subject, with the participants coordinated with it ("X and Y said")."""
        ordered = [  # not one written inside another's title ("اللاعب السابق لمنتخب البرازيل")
            m
            for m in sorted(items, key=lambda m: m.span.start)
            if m is first or not any(_inside(m.span, o.span) for o in items if o is not m)
        ]
        group = {first.pid}
        i = ordered.index(first)
        for step in (-1, 1):
            j, current = i + step, first
            while 0 <= j < len(ordered):
                lo, hi = sorted((current, ordered[j]), key=lambda m: m.span.start)
                between = self.text[lo.span.end : hi.span.start]
                if ordered[j].pid == current.pid and touching(lo.span, hi.span, self.text):
                    pass  # a name and its title written together agree
                elif not COORDINATION.fullmatch(between):
                    break
                else:
                    group.add(ordered[j].pid)
                current, j = ordered[j], j + step
        shared = {  # "سموه", listed for each of three callers: any of them, until the chain
            m.pid  # decides (`Attributor`); not a name two participants repeat, a duplicate
            for m in items
            if m.span == first.span and m.form == "mention" and first.form == "mention"
        }
        group |= shared
        evidence = self.text[first.span.start : first.span.end]
        bodies = {b for pid in group for b in self._speaks_for.get(pid, ())} - group
        if not bodies:
            return Subject("named", frozenset(group), evidence, shared=len(shared) > 1)
        return Subject(  # "ممثل صندوق النقد الدولي الذي قال": the fund may be credited too
            "named", frozenset(group | bodies), evidence, frozenset(group), len(shared) > 1
        )

    def describe(self, words: Sequence[str]) -> Subject | None:
        """An unlisted subject, compared word by word with every participant's descriptors."""
        words = [w for w in words if w not in FILLERS]
        while words and words[-1] in OPENERS:
            words.pop()
        if not words or words[0] in OPENERS:
            return None
        if words[0] in CONTINUATIONS:
            return Subject("continued", evidence=words[0])
        if any(w in COLLECTIVES for w in words[:3]):
            return Subject("collective", evidence=" ".join(words[:3]))
        if words[0] in PRONOUNS or words[0] in DOCUMENTS:  # "وأضاف البيان": its author
            return Subject("continued", evidence=words[0])
        stems = {word_stem(w) for w in words[:SUBJECT_HEAD_WORDS]}
        scores = {pid: len(stems & d) for pid, d in self._descriptors.items()}
        # an adjective of origin decides: "الرئيس الروماني" is no president of another land
        origin = len(words) > 1 and words[0].startswith("ال") and _ORIGIN.fullmatch(words[1])
        if origin:  # (the head noun's own adjective, not one after a name: "بوست» الاميركية")
            origins = {word_stem(words[1])}
            scores = {  # and the head must be theirs too: "السفير الاسرائيلي" is not Israel
                pid: n
                for pid, n in scores.items()
                if origins <= self._descriptors[pid] and (stems - origins) & self._descriptors[pid]
            }
        top = max(scores.values(), default=0)
        evidence = " ".join(words[:SUBJECT_HEAD_WORDS])
        if top == 0:
            return Subject("unknown", evidence=evidence)
        return Subject("described", frozenset(p for p, s in scores.items() if s == top), evidence)

    def sentence_of(self, position: int) -> int:
        return max(0, bisect_right(self._starts, position) - 1)

    def named_within(self, start: int, end: int, kinds: Collection[str]) -> frozenset[str]:
        """The participants of these kinds mentioned between two points."""
        found = self.mentions.within(start, end)
        return frozenset(m.pid for m in found if self.mentions.kinds.get(m.pid) in kinds)

    def bounds(self, sentence: int) -> tuple[int, int]:
        """A sentence's (start, end); the whole text when it has no sentences (empty text)."""
        return self.sentences[sentence] if self.sentences else (0, len(self.text))

    def sentence_start(self, position: int) -> int:
        return self.bounds(self.sentence_of(position))[0]

    def sentence_end(self, position: int) -> int:
        return self.bounds(self.sentence_of(position))[1]

    def clause_start(self, position: int, sentence: int) -> int:
        """Where the cue's clause begins: the sentence start, the last clause break before it,
        or a complementizer ("ذكرت الصحيفة أن [الوزارة قالت]")."""
        lo = self.bounds(sentence)[0]
        window = self.text[lo:position]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
        return lo + (breaks[-1] if breaks else 0)

    def source_phrase(self, cue: Span) -> bool:
        """The cue is a source phrase (حسب، بحسب، وفقا، نقلا، على حد): its content is whose it
        names, written before or after it."""
        return SOURCE_CUE.match(fold(self.text[cue.start : cue.end])) is not None

    def lead_words(self, start: int, end: int) -> int:
        """Words between two points, not counting fillers and other mentions ("the Afghan
        team's coach": the team is a modifier, not a word standing between)."""
        return len(self.unmentioned_words(start, end))

    def unmentioned_words(self, start: int, end: int) -> list[str]:
        """The folded words between two points that are no filler and no one's mention."""
        text = list(self.text[start:end])
        for m in self.mentions.within(start, end):
            text[m.span.start - start : m.span.end - start] = " " * (m.span.end - m.span.start)
        return [w for w in folded_words("".join(text)) if w not in FILLERS and w != "s"]

    def _genitive_head(self, items: Sequence[Mention], start: int) -> Mention:
        """وقال وزير خارجية مصر سامح شكري: a state or body after a head noun is its genitive;
        the person written right after is the subject. Not after a document ("وصف بيان ل هيئة
        الافتاء الشيخ القرضاوي": the body's statement speaks, the person is its object)."""
        first = items[0]
        if self.mentions.kinds.get(first.pid) == "person" or len(items) < 2:
            return first
        head = folded_words(self.text[start : first.span.start])
        if not self.lead_words(start, first.span.start) or any(w in DOCUMENTS for w in head):
            return first  # "و ابدت سوريا عبر فيصل المقداد": no head noun, the state speaks
        nxt = items[1]
        gap = self.lead_words(first.span.end, nxt.span.start)
        if self.mentions.kinds.get(nxt.pid) == "person" and gap <= 1:
            return nxt
        return first


def glued_preposition(text: str, start: int) -> bool:
    """The word holding the mention that starts at `start` begins with ب or ك glued to it
    ("اتصل الفتى بعائلته": the family is reached, not the one who calls). Not ل, which also
    owns ("بكلمة لسعادة السيد العطية ... اكد في ها": his speech, and he affirmed)."""
    lead = start
    while lead > 0 and text[lead - 1] in _PROCLITICS:
        lead -= 1
    if lead == start or (lead > 0 and text[lead - 1].isalpha()):
        return False
    return any(ch in "بك" for ch in text[lead:start])


_PROCLITICS = frozenset("وفبلك")


def _inside(a: Span, b: Span) -> bool:
    """`a` lies within `b` and is not the same stretch."""
    return b.start <= a.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end)


def touching(a: Span, b: Span, text: str) -> bool:
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    return hi.start <= lo.end + 2 and not WORDS.search(text[lo.end : hi.start])


def _descriptors(draft: ExtractionDraft) -> dict[str, set[str]]:
    """Each participant's distinctive words: name, titles, mentions, affiliation."""
    out: dict[str, set[str]] = {}
    for p in draft.participants:
        phrases = [p.name, *(t.text for t in p.titles), *p.mentions, p.affiliation or ""]
        out[p.id] = {
            word_stem(w)
            for phrase in phrases
            for w in folded_words(phrase)
            if word_stem(w) not in GENERIC_WORDS
        }
    return out


# A participant named as one who speaks for another: "ممثل صندوق النقد", "المتحدث باسم الوزارة".
_SPEAKS_FOR = re.compile(
    r"(?:(?:ال)?(?:ممثل|مندوب|متحدث|ناطق)[هة]?(?: باسم)?|(?:the )?(?:spokes(?:man|woman|person)"
    r"|representative) (?:for|of)"
    r")(?= )"
)


def _speaks_for(draft: ExtractionDraft) -> dict[str, frozenset[str]]:
    """Each participant named as the voice of another (`_SPEAKS_FOR` and that one's name or a
    mention, as the answer writes it): whom its words may be credited to as well."""
    names: dict[str, set[str]] = {}
    for p in draft.participants:
        for phrase in (p.name, *p.mentions):
            names.setdefault(" ".join(folded_words(phrase)), set()).add(p.id)
    out: dict[str, frozenset[str]] = {}
    for p in draft.participants:
        name = " ".join(folded_words(p.name))
        head = _SPEAKS_FOR.match(name)
        if head is not None:
            rest = name[head.end() :].strip()
            if owners := names.get(rest, set()) - {p.id}:
                out[p.id] = frozenset(owners)
    return out


# A definite adjective of origin: الروماني، الاميركية، الاسرائيلي.
_ORIGIN = re.compile(r"ال[\u0621-\u064a]{3,}(?:ي|يه|ية)")

__all__ = ["KIN_WORDS", "How", "Subject", "SubjectReader"]
