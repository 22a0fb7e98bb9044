"""Whose words a banner, a chant or a protest's purpose gives: its carriers', its marchers'.

Protest reports give a crowd's demands through what it carries ("ورفع المتظاهرون لافتات تندد
ب", "ورددوا هتافات تطالب") and through the purpose of the protest ("احتشد الآلاف ...
للمطالبة ب"). The cue's own verb has no subject of its own there: the banner, the chant or
the protest is its grammatical subject, so the speaker is whoever carries it or protests.
"""

from __future__ import annotations

import re

from agent.extraction.cue_reading import CueReader
from agent.extraction.subjects import Subject
from agent.models import Span
from agent.text.cue_words import (
    BANNER_CARRIERS,
    BANNER_CUES,
    BANNERS,
    PROTEST_VERBS,
    PURPOSE_INFINITIVE,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words


class BannerReader(CueReader):
    """The banner, chant and purpose readings of `Attributor`."""

    def _purpose(self, cue: Span) -> bool:
        """A purpose infinitive, ل with the article on a verbal noun (للمطالبة، للتنديد،
        للاحتجاج): the aim of the event before it, not a verb with a subject of its own."""
        words = folded_words(self.text[cue.start : cue.end])
        return not self.english and bool(words) and _PURPOSE.fullmatch(words[0]) is not None

    def _protesters(self, cue: Span) -> Subject | None:
        """Who a purpose infinitive speaks for when a protest verb comes before it in its
        sentence ("احتشد الآلاف من المتظاهرين ... للمطالبة باستقالة"): the subject named right
        after that verb. Without one ("اعتقلت الشرطة ... قبل مسيرات للمطالبة") nobody."""
        lo = self.sentence_start(cue.start)
        verbs = [
            m for m in re.finditer(r"\S+", self.text[lo : cue.start])
            if PROTEST_VERBS.fullmatch(fold(m.group()))
        ]  # fmt: skip
        if not verbs:
            return None
        verb = Span(start=lo + verbs[-1].start(), end=lo + verbs[-1].end())
        found = self.after(verb, cue.start)
        return found if found is not None and found.how == "named" else None

    def _banner_carrier(self, cue: Span) -> Span | None:
        """The verb that carries a banner or a chant whose words the cue gives ("ورفع
        المتظاهرون لافتات تندد ب", "ورددوا هتافات تطالب", "يرفعون لافتات كتب عليها"): the
        banner's words are its carriers', so the carrying verb's subject speaks."""
        if self.english or not BANNER_CUES.match(fold(self.text[cue.start : cue.end])):
            return None
        lo = self.sentence_start(cue.start)
        clause = re.split(r"[،,;؛:«»\"()]", self.text[lo : cue.start])[-1]
        words = list(re.finditer(r"\S+", clause))
        start = cue.start - len(clause)
        banner = next(
            (k for k in range(len(words) - 1, max(-1, len(words) - 4), -1)
             if BANNERS.fullmatch(fold(words[k].group()))),
            None,
        )  # fmt: skip
        if banner is None:
            return None
        for k in range(banner - 1, max(-1, banner - 4), -1):
            if BANNER_CARRIERS.fullmatch(fold(words[k].group())):
                return Span(start=start + words[k].start(), end=start + words[k].end())
        return None


_PURPOSE = re.compile(PURPOSE_INFINITIVE)

__all__ = ["BannerReader"]
