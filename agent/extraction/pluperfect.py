"""كان and its subject: a background statement ("و كان X قد قال") and the clause it opens.

"وكان X الموجود في روما ... قد عبر" tells what X had said before the story: the verb's subject is
written right after كان, words away from the verb, and what follows the verb is its object.
Unlike `cue_reading`, this reading looks at the other statements too: another's statement, its
verb naming its own subject, closes the clause كان opened.
"""

from __future__ import annotations

import re

from agent.extraction.cue_reading import CueReader
from agent.extraction.subjects import Subject
from agent.models import Span
from agent.text.normalize import fold
from agent.text.segments import folded_words


class PluperfectReader(CueReader):
    """The كان readings, for `CarriedReader` and `Attributor`, which set the two attributes
    below for each answer before deciding any position."""

    _contents: list[Span]  # every position's governed content
    _content_of: dict[int, Span]  # each governing cue's start: the content it governs

    def _pluperfect_subject(self, cue: Span, adjacent: bool = False) -> Subject | None:
        """The subject right after كان in "و كان X الموجود في روما ... قد عبر"; `adjacent`:
        only where the subject's last word or قد stands right before the verb ("و كانت رايس
        قد حذرت الحكومة السودانية"), so what follows the verb is its object."""
        sentence = self.sentence_of(cue.start)
        lo = self.clause_start(cue.start, sentence)
        if folded_words(self.text[lo : cue.start]) == ["قد"]:  # "وكانت المعارضة التي جمعت
            lo = self.bounds(sentence)[0]  # ...، قد دعت"
        was = list(_PLUPERFECT.finditer(self.text, lo, cue.start))  # as written: offsets
        if not was:  # must hold; the last كان ("عن ما كانت عليه قبل الحرب حينما كان خبراء
            return None  # الطاقة يقدرون")
        if self._disagrees(was[-1].group(), cue):  # "و كانت ادارة الخور اتفقت ... و هو ما
            return None  # وافق علي ه اللاعب و اكد": كانت is no auxiliary of a masculine verb
        start = was[-1].end()
        items = self.heads(self.mentions.within(start, cue.start))
        if not items or not (
            self.lead_words(start, items[0].span.start) == 0
            or _KIND_QUOTED.fullmatch(self.text, start, items[0].span.start)  # 'وكانت صحيفة
        ):  # "داريو تاندي" ...، قد كشفت': the name, quoted after its kind
            return None
        if self._spoken_since(start, cue, items[0].pid):  # "وكان الاتحاد ... وقال المتحدث
            return None  # انه لا يوجد ... وأوضح عماد": another's statement closed كان's clause
        if adjacent:
            last = max(m.span.end for m in self.mentions.within(start, cue.start))
            if set(folded_words(self.text[last : cue.start])) - {"قد"}:
                return None
        return self.named(items[0], items)

    def _spoken_since(self, start: int, cue: Span, subject: str) -> bool:
        """A statement between `start` and the cue whose verb names a subject of its own, right
        after it, other than `subject`."""
        for at, content in self._content_of.items():
            if start <= at and content.end <= cue.start:
                named = self.heads(self.mentions.within(at, content.start))
                if (
                    named
                    and named[0].pid != subject
                    and self.lead_words(at, named[0].span.start) <= 1
                ):
                    return True
        return False

    def _disagrees(self, was: str, cue: Span) -> bool:
        """كان and the verb it goes with differ in gender (كانت ... اكد، كان ... اكدت)."""
        if fold(was).endswith("ت"):
            return self._masculine_past(cue)
        return self._feminine(cue)

    def _pluperfect(self, cue: Span) -> bool:
        """ "و كان X قد قال / و كان X قال": a background statement inside someone else's story."""
        lo = self.clause_start(cue.start, self.sentence_of(cue.start))
        return not self.english and bool(_PLUPERFECT.search(fold(self.text[lo : cue.start])))


_PLUPERFECT = re.compile(r"(?<!\w)(?:و\s*)?كان(?:ت)?(?!\w)")
_KIND_QUOTED = re.compile(r"\s*[\u0621-\u064a]{3,}\s*[«\"“]\s*")  # 'صحيفة "', 'وكالة «'

__all__ = ["PluperfectReader"]
