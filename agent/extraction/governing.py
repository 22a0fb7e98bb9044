"""Which cue occurrence governs a content: the one before it in its sentence, or a cue the
content's own words point back to.

A quotation is its colon's or the cue after it closes; words in the first person go on from the
cue before ("قال ان هدفنا ... . كان الهدف"); a second أن-clause in the next sentence ("وإن
الشركة بدأت") and a sentence taken back as an object ("أوضح ذلك رئيس اللجنة") are the cue's
before them. `_govern_each` weighs these readings for one position; `Attributor`
(attribution.py) calls `_govern_all` for every position before reading any speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from agent.extraction.written_subjects import WrittenSubjectReader
from agent.models import Span
from agent.text.cue_words import (
    OPENING_QUOTES,
    RELATIVE_WORDS,
    SOURCE_AFTER,
    VERBS,
    WORDS,
    WRITER_ASIDE,
    bare_verb,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import DraftPosition

CUE_BEFORE_MAX_GAP = 1000  # characters from a cue to the content it introduces, one sentence
CUE_AFTER_MAX_GAP = 80  # characters from a quotation's end to the cue after it ('…,' he said)

SPEECH_SENTENCES = 2  # unquoted first-person words go on from a cue at most this far back
_REPORTED = re.compile(r"(?<!\w)(?:ب?[أإا]ن)")
# "ذلك"، "بذلك"، "هذا" right after a cue: what the sentence before told.
_THAT = re.compile(r"\s*(?:ب\s?)?(?:ذلك|هذا)(?!\w)")
_BUT = re.compile(r"(?:و\s?)?لكن(?!\w)")
# A topic a sentence opens with ("وعما قيل من ...،", "وبالنسبة لـ ..."), and ذلك a few words after a
# cue, past its subject ("نفت الجداوي ذلك"): the cue takes the topic back as its object.
_TOPIC = re.compile(
    r"\s*(?:و\s?)?(?:أما\s+)?(?:عن|عما|حول|بالنسبة\s?ل|فيما\s+يخص|فيما\s+يتعلق\s+ب)\s?"
)
_WHICH_IS_WHAT = re.compile(r"[\s,،]*(?:و\s?)?(?:(?:هو|هي|هذا)\s+ما|الأمر\s+الذي|الامر\s+الذي)\s*")
_THAT_AFTER = re.compile(r"(?:\s+[^\s،,.]+){0,3}?\s+(?:ب\s?)?(?:ذلك|هذا)(?!\w)")

_ONLY_RELATIVE = re.compile(rf"\s*(?:{RELATIVE_WORDS})\s*")
# A claim of responsibility whose object pronoun is the act told before it (تبناه، تبنته).
_CLAIMED_IT = re.compile(r"[وف]?[يت]?تبن(?:اه|اها|ته|تها|وه|وها|يه)")
_ONLY_CONNECTIVE = re.compile(r"[\s,،]*(?:و\s*)?(?:قد\s*)?")
# First person: "نا"/"ني" written apart (NewsFANE) or glued (هدفنا، لكننا), انا، نحن; we, I, our
_FIRST_PERSON = re.compile(
    r"(?<!\S)(?:نا|ني|نى|انا|أنا|نحن)(?!\S)|[\u0621-\u064a]{2,}نا(?!\S)|\b(?:we|our|I)\b"
)


class GoverningReader(WrittenSubjectReader):
    """Readings of where a content stands from the cue occurrences around it."""

    _written: list[Span]  # every occurrence of every position's content (set by decide_all)

    def _govern_all(self, positions: Sequence[DraftPosition]) -> list[tuple[Span, Span] | None]:
        """Each position's governing cue and content: its best pair. Positions copied alike
        (the same cue and words, as in four calls answered in the same words, "وعبر سموه عن
        عزائه ومواساته") take the occurrences in the article's order, one each, when it has as
        many of them."""
        alike: dict[tuple[str, str], list[int]] = {}
        for i, pos in enumerate(positions):
            alike.setdefault((pos.cue, pos.content), []).append(i)
        governed: list[tuple[Span, Span] | None] = [None] * len(positions)
        for group in alike.values():
            each = self._govern_each(positions[group[0]])  # alike words, alike occurrences
            pairs: list[tuple[Span, Span] | None]
            if len(group) > 1 and len(each) == len(group):
                pairs = [(cue, content) for _, cue, content in each]
            else:  # the nearest pair; a tie goes to the earlier content
                best = min(each, key=lambda b: b[0], default=None)
                pairs = [None if best is None else (best[1], best[2])] * len(group)
            for i, pair in zip(group, pairs, strict=True):
                governed[i] = pair
        return governed

    def _govern_each(self, pos: DraftPosition) -> list[tuple[int, Span, Span]]:
        """For each occurrence of the content that a cue governs, its best cue and the cost of
        the pair (characters apart, or a reading's rank), in text order."""
        cues = self.run.spans(pos.cue, "cue")
        contents = self.run.spans(pos.content, "text")
        found: list[tuple[int, Span, Span]] = []
        for content in contents:
            best: tuple[int, Span, Span] | None = None
            sentence = self.sentence_of(content.start)
            lo, hi = self.bounds(sentence)
            end_sentence = self.sentence_of(max(content.start, content.end - 1))
            hi = max(hi, self.bounds(end_sentence)[1])
            for cue in cues:
                if content.start <= cue.start and cue.end <= content.end:
                    cost = 0  # the model copied the cue into the content
                elif cue.end <= content.start and cue.start >= lo:
                    cost = content.start - cue.end
                    if cost > CUE_BEFORE_MAX_GAP:
                        continue
                    if _introduces(self.text[cue.end : content.start]):
                        cost = 0  # 'وقال الدكتور عوض القرني: “...”، وقال الدكتور ...': the
                        # quotation its colon opens is this cue's, not the next one's
                elif cue.start >= content.end and cue.start < hi and self._quoted(content, cue):
                    # from the end of the quotation holding the content: part of a quotation
                    # ('"… . A part of it …," Smith said') is as near to its cue as the whole
                    cost = cue.start - self._quotation_end(content)
                    if cost > CUE_AFTER_MAX_GAP and not self._tail_source(content, cue):
                        continue
                    cost += 1  # a cue before its content is the usual order
                elif self._opens_previous(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP  # "وقال:" then the quotation in the next sentence
                elif self._speech_goes_on(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP + 1
                elif self._complement_goes_on(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP + 1  # "وقال X إنه ... . وإن الشركة بدأت"
                elif self._refers_back(cue, content):
                    cost = CUE_BEFORE_MAX_GAP + 1  # "... . أوضح ذلك رئيس اللجنة"
                else:
                    continue
                if best is None or cost < best[0]:
                    best = (cost, cue, content)
            if best is not None:
                found.append(best)
        return found

    def _tail_source(self, content: Span, cue: Span) -> bool:
        """A source phrase closing the sentence that holds the content ("قتل اربعة اشخاص ...،
        وفقا لمصادر امنية", "..., according to police"): it sources the whole sentence before
        it, so a content copied short is still its own. Not across another statement."""
        between = None if self.english else SOURCE_AFTER.search(self.text, content.end, cue.start)
        tail = self._source_cue(cue) or between is not None
        return tail and not any(content.end <= c.start < cue.start for c in self._written)

    def _source_cue(self, cue: Span) -> bool:
        """A source phrase: حسب، وفقا، نقلا ... or "according to"."""
        return self.source_phrase(cue) or fold(self.text[cue.start : cue.end]).startswith(
            "according"
        )

    def _speech_goes_on(self, cue: Span, content: Span, sentence: int) -> bool:
        """Words in the first person, in the sentence or two after the cue's, go on with what
        it introduced when no mark closes it ("قال ان هدفنا ... .\nكان الهدف الفوز ... لكننا
        راضون"): a speaker's unquoted words, not the writer's."""
        if not self.sentences or sentence == 0:
            return False
        cue_sentence = self.sentence_of(cue.start)
        if not 1 <= sentence - cue_sentence <= SPEECH_SENTENCES or cue.end > content.start:
            return False
        if WRITER_ASIDE.match(self.text, self.sentences[sentence][0]):
            return False  # "... فريقنا . والجدير بالذكر أن الفريق اختتم": the writer's aside
        if any(cue.end <= a and b <= content.start for a, b in self.run.quotations()):
            return False  # 'وقال ديريك "... معنا ..." . ويملك اتحاد الكاريبي': his words closed
        opening = folded_words(self.text[self.sentences[sentence][0] : content.start])
        if any(w in VERBS or bare_verb(w) in VERBS for w in opening):
            return False  # '... . و اضاف " ... . الا ان التغيير قد بدا "': a cue of its own
        if _FIRST_PERSON.search(self.text, content.start, content.end):
            return True
        if sentence - cue_sentence != 1 or self.english:  # English marks its quotations
            return False
        # the very next sentence, after words in the first person ("قال ان هدف نا ... .\nكان
        # الهدف الفوز"), or opening with "but" ("و اضاف المتحدث لا توجد عمليات جديدة .\nلكن
        # كانت هناك عملية"): the speaker goes on
        said = self.text[cue.end : self.sentences[cue_sentence][1]]
        return bool(_FIRST_PERSON.search(said) or _BUT.match(self.text, content.start))

    def _quotation_end(self, content: Span) -> int:
        """Where the quotation holding `content` ends (the content's own end if none does)."""
        ends = [b for a, b in self.run.quotations() if a <= content.start and content.end <= b]
        return max(ends, default=content.end)

    def _quoted(self, content: Span, cue: Span) -> bool:
        """Content may come before its cue: in English always, in Arabic only a quotation."""
        if self.english:  # "..., according to the ministry" / "The plan will fail, he said."
            return True
        closing = "\"'”’»"
        between = self.text[max(0, content.end - 1) : cue.start]
        if self.source_phrase(cue):
            return True
        if _ONLY_RELATIVE.fullmatch(self.text[content.end : cue.start]):
            return True  # "اللقاء الذي رحب به المسؤولون": what the relative's verb is about
        words = folded_words(self.text[cue.start : cue.end])
        if words and _CLAIMED_IT.fullmatch(words[-1]):  # "اثر هجوم انتحاري تبنته طالبان",
            return bool(_ONLY_CONNECTIVE.fullmatch(self.text[content.end : cue.start]))  # "،
            # وقد تبناه": a claim of responsibility for the act just told, its pronoun the act
        return any(ch in closing for ch in between) or bool(SOURCE_AFTER.search(between))

    def _opens_previous(self, cue: Span, content: Span, sentence: int) -> bool:
        """The cue ends the sentence just before the one the content starts ("قال:" / "said:")."""
        if sentence == 0 or not self.sentences:
            return False
        lo = self.sentences[sentence][0]
        prev_start, prev_end = self.sentences[sentence - 1]
        between = self.text[cue.end : lo]
        starts_sentence = not WORDS.search(self.text[lo : content.start])
        if not (prev_start <= cue.start and cue.end <= prev_end and starts_sentence):
            return False
        colon = self.text[prev_start:prev_end].rstrip().endswith(":")  # "tweeted using …:"
        # "Heald noted the findings show … . "An air-quality cleanup would …"": a quotation that
        # makes a sentence of its own goes on from the cue of the sentence before
        quotation = self.text[lo : lo + 1] in OPENING_QUOTES
        return colon or quotation or len(WORDS.findall(between)) <= 2

    def _complement_goes_on(self, cue: Span, content: Span, sentence: int) -> bool:
        """The content's sentence opens with وإن / وأن, a second clause of what the cue of the
        sentence before reported after its own إن / أن ("وقال الشيحة إنه ... . وإن الشركة
        بدأت"): the same statement goes on."""
        if self.english or sentence == 0 or not self.sentences:
            return False
        prev_start, prev_end = self.sentences[sentence - 1]
        if not (prev_start <= cue.start and cue.end <= prev_end):
            return False
        opening = folded_words(self.text[self.sentences[sentence][0] : content.start])
        reported = _REPORTED.search(self.text, cue.end, prev_end) is not None
        return reported and opening in (["وان"], ["و", "ان"])

    def _refers_back(self, cue: Span, content: Span) -> bool:
        """The cue opens the sentence right after the content's and takes it back as its
        object ("... . أوضح ذلك رئيس اللجنة", "صرح بذلك"): the sentence before is its words."""
        if self.english or cue.start < content.end or not self.sentences:
            return False
        sentence = self.sentence_of(cue.start)
        if self._fronted_topic(cue, content, sentence) or self._which_is_what(cue, content):
            return True
        if sentence == 0 or self.sentence_of(max(content.start, content.end - 1)) != sentence - 1:
            return False
        lead = folded_words(self.text[self.sentences[sentence][0] : cue.start])
        return lead in ([], ["و"]) and _THAT.match(self.text, cue.end) is not None

    def _fronted_topic(self, cue: Span, content: Span, sentence: int) -> bool:
        """The content is the topic the sentence opens with, after عن or حول, and the cue
        takes it back as ذلك ("وعما قيل من إشادتها بالعمل، نفت الجداوي ذلك")."""
        opening = self.sentences[sentence][0]
        topic = _TOPIC.match(self.text, opening)
        return (
            topic is not None
            and opening <= content.start <= topic.end() + 1
            and not folded_words(self.text[content.end : cue.start])
            and _THAT_AFTER.match(self.text, cue.end) is not None
        )

    def _which_is_what(self, cue: Span, content: Span) -> bool:
        """ "وهو ما" or "الأمر الذي" right after the content, then the cue: "قيل إنها للمالكي
        ...، وهو ما نفته مصادر مطلعة" takes the claim back as what the sources denied."""
        return _WHICH_IS_WHAT.fullmatch(self.text, content.end, cue.start) is not None


def _introduces(stretch: str) -> bool:
    """From a cue to its content: a subject, then the colon or mark opening the quotation,
    and no quotation between (which would hold another statement and its own cue)."""
    opening = _INTRODUCED.search(stretch)
    return opening is not None and not _ANY_QUOTE.search(stretch, 0, opening.start())


# The stretch from a cue to its content ending in a colon or an opening quotation mark.
_INTRODUCED = re.compile(r"(?::\s*[«\"“]?|[«“])\s*$")
_ANY_QUOTE = re.compile(r"[«»\"“”]")

__all__ = ["CUE_AFTER_MAX_GAP", "CUE_BEFORE_MAX_GAP", "SPEECH_SENTENCES", "GoverningReader"]
