"""Whose words a relay, a source phrase or a possessed verbal noun give, read from the text
around one cue: the source after عن in "نقلت الوكالة عن مسؤول", the owner written before
"قوله" ("نسبت الوكالة الى وزير قوله"), and the asides whose pronoun points back ("حسب رأيه",
"على حد قوله"). `CueReader` (agent.extraction.cue_reading) builds on these readings.
"""

from __future__ import annotations

import re

from agent.extraction.governing import GoverningReader
from agent.extraction.subjects import Subject
from agent.models import Span
from agent.text.cue_words import RELAY_VERBS, SUFFIX_PRONOUNS, VERBAL_NOUNS, bare_verb
from agent.text.normalize import fold
from agent.text.segments import folded_words

_FROM_PRONOUN = re.compile(r"(?<!\w)عن\s?(?:ه|ها|هم)(?!\w)")
_FROM = re.compile(r"(?<!\w)(?:عن|الى|إلى|الي)(?!\w)")
_BY_ACCOUNT = frozenset(
    tuple(fold(w) for w in phrase.split()) for phrase in ("على حد", "حسب", "بحسب", "وفق")
)
_POSSESSED_SAYING = re.compile(r"قول(?:ه|ها|هم|هما)")
OWNER_PRONOUNS = frozenset(SUFFIX_PRONOUNS)  # ه، ها، هم ...
_OWNED = re.compile(r"(?:ب|و|ل)?([\u0621-\u064a]{3,}?)(?:هما|هم|ها|ه)")
_ATTRIBUTED_TO = re.compile(r"(?:عن|الى|الي|إلى|ل)\s*$")
# An aside between dashes or brackets, written right before a cue: "عن ظريف -الذي قاد وفد بلاده-"
_ASIDE_BEFORE = re.compile(r"\s[-–—ـ(][^-–—ـ()\n]{3,80}[-–—ـ)]\s*$")


class RelayReader(GoverningReader):
    """The readings of who a relaying verb, a source phrase or an owned noun speaks for."""

    def _pronoun_source(self, cue: Span) -> bool:
        """A source phrase after its content whose owner is a pronoun: "حسب راي ه", "على حد
        قوله" (Arabic only: "according to him" names nobody either, but English is read apart)."""
        words = folded_words(self.text[cue.start : cue.end])
        return (
            not self.english
            and len(words) >= 2
            and self.source_phrase(cue)
            and (words[-1] in OWNER_PRONOUNS or words[-1].endswith("ه"))
        )

    def _relayed_source(self, cue: Span, end: int) -> str | None:
        """Who a relaying verb quotes ("نقلت وكالة رويترز عن مسؤول عراقي أن": the official
        spoke, the agency relays; either may be given as the speaker)."""
        if self.english or not self._relays(cue):
            return None
        return self._first_after(_FROM, cue.end, end)

    def _relays(self, cue: Span) -> bool:
        """The cue is a relaying verb (نقلت، تنقل، نسب، روى)."""
        return any(
            bare_verb(w) in RELAY_VERBS for w in folded_words(self.text[cue.start : cue.end])
        )

    def _relayed_from_pronoun(self, cue: Span, end: int) -> bool:
        """A relaying verb whose source is a pronoun: "تنقلها لوسي في كتابها عنه"."""
        return self._relays(cue) and bool(_FROM_PRONOUN.search(self.text, cue.end, end))

    def _first_after(self, marker: re.Pattern[str], start: int, end: int) -> str | None:
        """The participant written right after the first `marker` in [start, end) that has
        one (not "الى الصومال", a place, before "عن صلاد حسن")."""
        for at in marker.finditer(self.text, start, end):
            heads = self.heads(self.mentions.within(at.end(), end))
            if heads and self.lead_words(at.end(), heads[0].span.start) == 0:
                return heads[0].pid
        return None

    def _right_before(self, lo: int, cue: Span) -> Subject | None:
        """A participant written right before a participle or a possessed noun: its subject
        ("with X calling for"; "نسبت الوكالة الى وزير قوله", where عن or الى comes first)."""
        aside = _ASIDE_BEFORE.search(self.text, lo, cue.start)  # "عن ظريف -الذي قاد وفد
        end = aside.start() if aside else cue.start  # بلاده- قوله": the owner before the aside
        items = self.heads(self.mentions.within(lo, end))
        if items and not self.english:
            before = fold(self.text[lo : items[-1].span.start])
            if not _ATTRIBUTED_TO.search(before):
                return None
        if items and not self.lead_words(items[-1].span.end, end):
            between = self.text[items[-1].span.end : end]
            if not re.search(r"[,،;:]", between):  # ", adding" goes on from the clause
                return self.named(items[-1], items)
        if items and not self.english:  # a possessed noun (the caller's case): "تأييدا للحكومة
            gap = folded_words(self.text[items[-1].span.end : cue.start])  # المحلية في
            if gap == ["في"]:  # رفضها": in its rejection, the owner right before
                return self.named(items[-1], items)
        return None

    def _possessed_noun(self, cue: Span) -> bool:
        """قوله / قولها (his, her saying), and any verbal noun NewsFANE writes apart from its
        owner ("نفي ها"): the owner, written right before after عن or الى, speaks."""
        if self.english:
            return False
        words = folded_words(self.text[cue.start : cue.end])
        if len(words) == 2 and words[1] in OWNER_PRONOUNS:
            return True  # any verbal noun written apart from its owner: "عن الحكومة نفي ها"
        if len(words) == 1:  # "نقلت عن الحكومة نفيها": a verbal noun with its owner glued
            m = _OWNED.fullmatch(words[0])
            if m is not None and m.group(1) in VERBAL_NOUNS:
                return True
        return bool(_POSSESSED_SAYING.fullmatch("".join(words)))

    def _by_his_account(self, cue: Span) -> bool:
        """ "على حد قوله", "حسب قولها": an aside whose pronoun points back to whoever the
        sentence is about, not to the name written right before it ("حيث إن المستشفى ــ على حد
        قوله ــ لم يسمح له": the hospital is what he spoke about)."""
        words = folded_words(self.text[cue.start : cue.end])
        return (
            not self.english
            and len(words) >= 2
            and tuple(words[:-1]) in _BY_ACCOUNT
            and _POSSESSED_SAYING.fullmatch(words[-1]) is not None
        )


__all__ = ["OWNER_PRONOUNS", "RelayReader"]
