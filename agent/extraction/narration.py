"""Where the narration's names and statements lie against what was said.

A dropped subject goes on from the narration, not from words someone is reported to have said:
a man named inside another's content, or a claim cited inside another's words that have ended,
names no one a later verb continues. `NarrationReader` answers those questions from the
positions' governed contents; `CarriedReader` (agent.extraction.carried) asks them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from agent.extraction.cue_reading import SPEAKER_KINDS
from agent.extraction.pluperfect import PluperfectReader
from agent.models import Span

_COMPLEMENTIZER = re.compile(r"(?<!\w)(?:ب?[أإا]ن)(?!\w)")


class NarrationReader(PluperfectReader):
    """Readings of the narration around the statements, from the contents `PluperfectReader`
    names (set by `Attributor.decide_all` before it decides any position)."""

    def _quotes(self, at: int, cue: Span) -> bool:
        """The statement whose cue starts at `at` is quoted, and its quotation holds `cue`."""
        held = self._content_of.get(at)
        return held is not None and any(
            a <= held.start < b and a <= cue.start < b for a, b in self.run.quotations()
        )

    def _unquoted(
        self, history: Sequence[tuple[int, frozenset[str]]], cue: Span
    ) -> Sequence[tuple[int, frozenset[str]]]:
        """The attributions a dropped subject may go on from: not one quoted inside another's
        quotation that closed before the cue ('و يقول " ... ( تقرير ... قال ان ... ) " و اضاف':
        the man quoting goes on, not the report he quoted)."""
        first = min((at for at, _ in history), default=None)
        closed = [(a, b) for a, b in self.run.quotations() if b <= cue.start]
        return [
            (at, speakers)
            for at, speakers in history
            if not any(first is not None and first < a < at < b for a, b in closed)
        ]

    def _still_open(
        self, same: Sequence[tuple[int, frozenset[str]]], cue: Span
    ) -> list[tuple[int, frozenset[str]]]:
        """The attributions of `same` that lie in no other's content ending before `cue`: a
        verb joined after such a claim goes on from the one who cited it ("أكد المتحدث ... أن
        القرار جاء بعد أن رأت اللجنة عدم وجود مسوغ، وقال": the spokesman says, not the
        committee)."""
        return [
            (at, who)
            for at, who in same
            if not any(c.start <= at < c.end <= cue.start for c in self._contents)
        ]

    def _outside_other_contents(self, start: int, cue: Span) -> frozenset[str]:
        """The people named since `start` outside every statement's content that does not
        hold `cue`: a man named inside what was said is not the subject of the participle that
        follows it ("و اكد الاتحاد ان استفزازات ماتيراتزي ل زيدان ...، مشيرا"), unless the
        participle is inside that content too ("ما اخذ باحدهم ... قائلا")."""
        return frozenset(
            m.pid
            for m in self.mentions.within(start, cue.start)
            if self.mentions.kinds.get(m.pid) == "person"
            and not self._in_a_content(m.span, unless_holding=cue)
        )

    def _in_a_content(self, span: Span, unless_holding: Span | None = None) -> bool:
        """`span` lies inside some statement's content (one that does not also hold
        `unless_holding`): what was said, not the narration around it."""
        return any(
            c.start <= span.start
            and span.end <= c.end
            and not (unless_holding is not None and c.start <= unless_holding.start < c.end)
            for c in self._contents
        )

    def _named_outside_statements(self, start: int, end: int) -> frozenset[str]:
        """Who the narration names after the statement of the attribution at `start` and before
        `end`, outside every statement's content: any may be the subject a later verb drops."""
        own = [c for c in self._contents if start <= c.start < end]
        if own:  # the attribution's own subject and relayed source are already its speakers
            start = max(start, min(own, key=lambda c: c.start).end)
        return frozenset(
            m.pid
            for m in self.mentions.within(start, end)
            if self.mentions.kinds.get(m.pid) in SPEAKER_KINDS
            and not self._in_a_content(m.span)
            and not self._in_caption(m.span)  # a photo's caption names nobody's next verb
            and not self._governed(m, start)
        )

    def _ungoverned_within(
        self, start: int, end: int, kinds: Collection[str] = SPEAKER_KINDS
    ) -> frozenset[str]:
        """The speakers named between two points outside what was said and that no preposition
        governs ("رسالة ... الى المستشارة الالمانية انجيلا ميركل اشار في ها": whom the letter
        went to, her title included, is no subject a later verb drops)."""
        return frozenset(
            m.pid
            for m in self.mentions.within(start, end)
            if self.mentions.kinds.get(m.pid) in kinds
            and not self._governed(m, start)
            # "و ناشد الدول الغربية بدعم ...": what he said, not a content that holds the cue
            and not self._in_a_content(m.span, unless_holding=Span(start=end, end=end))
        )

    def _opened_around(self, lo: int, cue: Span) -> list[int]:
        """Where an أن / إن clause holding this cue inside its statement's words begins ("وقالت
        الصحيفة إن الموظفة غادرت واعتبرت"): the verb before, in that clause, has its subject."""
        return [
            m.end()
            for m in _COMPLEMENTIZER.finditer(self.text, lo, cue.start)
            if any(m.end() <= c.start <= m.end() + 2 and cue.start < c.end for c in self._contents)
        ]


__all__ = ["NarrationReader"]
