"""Who the article says stated each position: a decision read from the text, not a proximity test.

For each position the check finds the cue occurrence that *governs* its content (the nearest
occurrence before the content in the same sentence, or the one just after a quotation it closes:
"'…,' Smith said"), then reads that cue's speaker from the text:

1. named: the subject written in the cue's clause, after the verb (Arabic VSO: "وأكد رئيس
   الأركان المصري") or before it ("Smith said", "the two leaders said"), by any name, listed
   mention, distinctive name part or title standing beside a participant;
2. collective: a dual or plural reference (الزعيمان، الجانبان، "both leaders", مؤكدين) stands for
   the participants named around it;
3. continued: a dropped subject (وأضاف، وتابع، مشيرا، معتبرا، "من جانبه"), or a pronoun ("he
   said"), carries the speaker of the attribution before it;
4. described: an unlisted description ("المتحدث العسكري") is matched word by word against
   every participant's names, titles and mentions.

The claimed speaker passes when it is the resolved one (or one of a collective); the check fails
naming whom the text gives, so the re-ask can fix it; where the text decides nothing it says
"unresolved" and raises no problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from agent.extraction.subjects import How, Subject, SubjectReader
from agent.extraction.transcript import Transcript, arabic_first_person
from agent.models import Span
from agent.text.cue_words import (
    CIRCUMSTANTIAL,
    COLLECTIVES,
    CONTINUATIONS,
    DOCUMENTS,
    ENGLISH_PRONOUN_SUBJECTS,
    OBJECT_VERBS,
    OPENING_QUOTES,
    PARTICLES,
    PLURAL_PARTICIPLE,
    PLURAL_VERB,
    QUOTED_AS,
    RELAY_VERBS,
    SOURCE_AFTER,
    SOURCE_CUE,
    VERBAL_NOUNS,
    VERBS,
    WORDS,
    bare_verb,
)
from agent.text.normalize import fold, is_caption
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import DraftPosition
    from agent.extraction.mentions import Mention

Status = Literal["confirmed", "wrong", "unresolved", "detached"]

CUE_BEFORE_MAX_GAP = 1000  # characters from a cue to the content it introduces, one sentence
CUE_AFTER_MAX_GAP = 80  # characters from a quotation's end to the cue after it ('…,' he said)
CARRY_MAX_SENTENCES = 5  # a dropped subject continues an attribution at most this far back
COLLECTIVE_SENTENCES_BACK = 3  # a collective stands for those named this far back
SPEECH_SENTENCES = 2  # unquoted first-person words go on from a cue at most this far back


@dataclass(frozen=True)
class Decision:
    """The check's decision for one position: which cue governs it and who the text says spoke."""

    status: Status
    cue: Span | None = None
    content: Span | None = None
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    how: How = "none"


class Attributor(SubjectReader):
    """Decides every position of one answer, in text order (a dropped subject needs the last)."""

    def decide_all(self) -> list[Decision]:
        """One decision per position, in the draft's order."""
        governed = [self._govern(pos) for pos in self.draft.positions]
        at = [pair[0].start if pair else len(self.text) for pair in governed]
        order = sorted(range(len(governed)), key=lambda i: at[i])
        decisions: dict[int, Decision] = {}
        history: list[tuple[int, frozenset[str]]] = []  # (cue start, speakers) decided so far
        self._background: set[int] = set()  # cues of background statements ("و كان X قال")
        self._contents = [pair[1] for pair in governed if pair is not None]
        self.transcript = Transcript(self.text)
        for i in order:
            pair = governed[i]
            if pair is None:
                decisions[i] = Decision("detached")
                continue
            cue, content = pair
            subject = self._subject(cue, content, history)
            decisions[i] = self._judge(self.draft.positions[i], cue, content, subject)
            if subject.carried and not self._in_caption(cue):  # a caption's words go on
                history.append((cue.start, subject.carried))  # to nobody's next verb
                if self._pluperfect(cue) or self._nested(cue, content):  # a claim reported
                    self._background.add(cue.start)  # inside another's statement: either
                    # may go on ("نافيا ما ذكره مسؤولون اسرائيليون ... . و قال")
        return [decisions[i] for i in range(len(governed))]

    # -- which cue governs the content ------------------------------------------------------------

    def _govern(self, pos: DraftPosition) -> tuple[Span, Span] | None:
        cues = self.run.spans(pos.cue, "cue")
        contents = self.run.spans(pos.content, "text")
        best: tuple[int, Span, Span] | None = None
        for content in contents:
            sentence = self.sentence_of(content.start)
            lo, hi = self.sentences[sentence] if self.sentences else (0, len(self.text))
            end_sentence = self.sentence_of(max(content.start, content.end - 1))
            hi = max(hi, self.sentences[end_sentence][1] if self.sentences else hi)
            for cue in cues:
                if content.start <= cue.start and cue.end <= content.end:
                    cost = 0  # the model copied the cue into the content
                elif cue.end <= content.start and cue.start >= lo:
                    cost = content.start - cue.end
                    if cost > CUE_BEFORE_MAX_GAP:
                        continue
                elif cue.start >= content.end and cue.start < hi and self._quoted(content, cue):
                    # from the end of the quotation holding the content: part of a quotation
                    # ('"… . A part of it …," Smith said') is as near to its cue as the whole
                    cost = cue.start - self._quotation_end(content)
                    if cost > CUE_AFTER_MAX_GAP:
                        continue
                    cost += 1  # a cue before its content is the usual order
                elif self._opens_previous(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP  # "وقال:" then the quotation in the next sentence
                elif self._speech_goes_on(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP + 1
                else:
                    continue
                if best is None or cost < best[0]:
                    best = (cost, cue, content)
        return None if best is None else (best[1], best[2])

    def _speech_goes_on(self, cue: Span, content: Span, sentence: int) -> bool:
        """Words in the first person, in the sentence or two after the cue's, go on with what
        it introduced when no mark closes it ("قال ان هدفنا ... .\nكان الهدف الفوز ... لكننا
        راضون"): a speaker's unquoted words, not the writer's."""
        if not self.sentences or sentence == 0:
            return False
        cue_sentence = self.sentence_of(cue.start)
        if not 1 <= sentence - cue_sentence <= SPEECH_SENTENCES or cue.end > content.start:
            return False
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
        if SOURCE_CUE.match(fold(self.text[cue.start : cue.end])):
            return True
        if _ONLY_RELATIVE.fullmatch(self.text[content.end : cue.start]):
            return True  # "اللقاء الذي رحب به المسؤولون": what the relative's verb is about
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

    # -- who the text makes the speaker -----------------------------------------------------------

    def _subject(
        self, cue: Span, content: Span, history: Sequence[tuple[int, frozenset[str]]]
    ) -> Subject:
        sentence = self.sentence_of(cue.start)
        lo = self.sentences[sentence][0] if self.sentences else 0
        label = self.transcript.label_of(cue) or self.transcript.answered_by(cue)
        named = self.heads(self.mentions.within(label.start, label.end)) if label else []
        if named:  # "RK : No , because", and "I hope" in RK's answer: the label names who speaks
            return self.named(named[0], named)
        if not self.english and self._first_person(cue, sentence):
            return self._speaking_person(cue, sentence, history)
        inside = self.heads(self.mentions.within(cue.start + 1, cue.end))
        if inside and not self.english:  # the cue copied with its subject: "قال كوبل"،
            return self.named(inside[0], inside)  # "صرح دين", "تقول بريطانيا"
        verb = self._verb_of(cue)  # "اكدت الصحيفة", "قالت في": read from the verb
        if verb is not None:
            cue = verb
        participle = self._is_continuation(cue)
        if (participle and self.english) or self._possessed_noun(cue):  # "with X calling for",
            written = self._right_before(lo, cue)  # "نسبت الوكالة الى وزير اسرائيلي قوله"
            if written is not None:
                return written
        if not self.english and self._plural_verb(cue):
            found_plural = self.after(cue, content.start if cue.end <= content.start else None)
            if found_plural is None or found_plural.how != "named":
                groups = self._groups_before(cue, sentence)
                if groups:  # "واتهم المتظاهرون الشرطة ... ووصفوا": the crowd, not the police
                    return Subject("collective", groups, "(plural verb: the group named before)")
                return self._collective(cue, sentence, history, "(dual or plural verb)")
        quote_end = None if participle else self._quotation_before(lo, cue)
        if cue.start >= content.end or quote_end is not None:  # '…,' Smith said / said Smith
            start = content.end if cue.start >= content.end else quote_end or lo
            found = self._after_quotation(cue, start, content)
            if found is None and self._pronoun_source(cue):  # '" الافضل " حسب راي ه'
                return self._opinion_of(cue, content, sentence, history)
        elif self.english:  # English is SVO; "according to X" and "said X" follow the cue
            after_end = content.start if cue.end <= content.start else cue.end
            quoted_as = bool(QUOTED_AS.search(self.text[lo : cue.start]))  # "quoted X as saying"
            found = None if participle and not quoted_as else self.before(lo, cue.start)
            if found is None and not self.content_words(lo, cue.start):
                found = self.main_clause(content.end)  # "Stating Hall was innocent, Straw said"
            if (found is None or found.how == "unnamed") and not participle:
                found = self.after(cue, after_end) or found  # not "telling the Daily Mail"
        else:  # Arabic is VSO; a subject before the verb opens its clause
            after_end = content.start if cue.end <= content.start else cue.end
            # "كانت رايس قد حذرت الحكومة", "المحكمة التي اعتبرت ان": the subject is written
            # before the verb, and what follows the verb is its object
            found = None if participle else self._pluperfect_subject(cue, adjacent=True)
            found = found or (None if participle else self._antecedent(cue, after_end))
            found = found or self.after(cue, after_end)
            # not before a verb joined by و: "... " عجرفة " اسرائيل وات هم ها" is no
            # "اسرائيل اتهم"; what precedes و belongs to the verb before
            joined = self._joined_by_waw(cue)
            undecided = found is None or found.how in ("continued", "unknown")  # "التي رفضت
            if undecided and not participle and not joined:  # التعليق": the object follows
                found = self.before(self.clause_start(cue.start, sentence), cue.start) or found
            if (found is None or found.how == "continued") and not participle:
                found = self._pluperfect_subject(cue) or found  # "و كان انان ... قد عبر"
            if (found is None or found.how == "continued") and not participle:
                found = self._document_authors(cue, sentence) or found
        if found is not None and found.how == "collective":
            return self._collective(cue, sentence, history, found.evidence)
        if found is not None and found.how == "named" and _is_collective(found.evidence):
            several = self._collective(cue, sentence, history, found.evidence)  # a listed mention
            return Subject("collective", found.speakers | several.speakers, found.evidence)
        if found is not None and found.how == "named" and cue.end <= content.start:
            relayed = self._relayed_source(cue, content.start)  # "نقلت الصحيفة عن مصادر أن"
            if relayed is None:
                relayed = self._first_after(_MOUTHPIECE, cue.end, content.start)  # "سوريا عبر
            if relayed is not None:  # فيصل المقداد": the state speaks through its minister
                return Subject("named", found.speakers | {relayed}, found.evidence)
            if self._relayed_from_pronoun(cue, content.start):  # "التي تنقلها لوسي في كتابها
                carried = self._continued(cue, sentence, history, pronoun=True)  # عنه": his
                speakers = found.speakers | carried.carried  # and the words go on as his
                return Subject("named", speakers, found.evidence, primary=carried.carried or None)
        if found is not None and found.how == "none" and found.evidence:
            return found  # an unlisted, indefinite subject: the text does not say who
        if found is not None and found.how not in ("continued", "none", "unknown"):
            if self._may_be_object(cue, found):
                carried = self._continued(cue, sentence, history, pronoun=False)
                speakers = found.speakers | carried.carried  # either may go on speaking
                return Subject("named", speakers, found.evidence)
            return found
        # an unlisted description ("وقال الدبلوماسي المخضرم") refers back, as a pronoun does
        personal = found is not None and found.evidence in ENGLISH_PRONOUN_SUBJECTS  # he, she
        return self._continued(cue, sentence, history, pronoun=found is not None, personal=personal)

    def _verb_of(self, cue: Span) -> Span | None:
        """The verb of an Arabic cue copied with what follows it ("اكدت الصحيفة"): the rest is
        read as the text after the verb. Not a verb with its particle (أعرب عن)."""
        if self.english:
            return None
        first = re.match(r"\S+", self.text[cue.start : cue.end])
        rest = folded_words(self.text[cue.start + first.end() : cue.end]) if first else []
        if first is None or not rest or all(w in PARTICLES | _OWNER_PRONOUNS for w in rest):
            return None  # "أعرب عن", "نفي ها"
        word = folded_words(first.group())[:1]
        stems = {w for v in word for w in (v, bare_verb(v), v[:-1], bare_verb(v)[:-1])}
        if not stems & VERBS:
            return None
        return Span(start=cue.start, end=cue.start + first.end())

    def _quotation_before(self, lo: int, cue: Span) -> int | None:
        """Where a quotation of this sentence closes right before the cue ('"…", said
        Gustafon'), if one does; an opening mark ('… الثاني " عبر عن') is no such thing."""
        for q_start, q_end in self.run.quotations():
            if (
                lo <= q_start
                and q_end <= cue.start
                and _ONLY_PUNCTUATION.fullmatch(self.text[q_end : cue.start])
            ):
                return q_end
        return None

    def _after_quotation(self, cue: Span, start: int, content: Span) -> Subject | None:
        """After a quotation the speaker follows the cue ("said Gustafon", «…»، قال فلان) or
        stands between them ("…," one weeping woman at Juanda told Antara)."""
        end = content.start if content.start >= cue.end else None  # never inside the content
        if self.english and self.content_words(start, cue.start):
            return self.before(start, cue.start) or self.after(cue, end)
        return self.after(cue, end) or self.before(start, cue.start)

    def _first_person(self, cue: Span, sentence: int) -> bool:
        hi = self.sentences[sentence][1] if self.sentences else len(self.text)

        def subject_after() -> bool:
            found = self.after(cue, hi)
            return found is not None and found.how == "named"

        cue_text, after = self.text[cue.start : cue.end], self.text[cue.end : hi]
        return arabic_first_person(cue_text, after, subject_after)

    def _speaking_person(
        self, cue: Span, sentence: int, history: Sequence[tuple[int, frozenset[str]]]
    ) -> Subject:
        """Who says "اعتقد ان" / "ارى": the person of the statement just before, if one spoke
        within `SPEECH_SENTENCES`; else the text does not say (never a third party nearby)."""
        earliest = self.sentences[max(0, sentence - SPEECH_SENTENCES)][0] if self.sentences else 0
        before = [speakers for at, speakers in history if earliest <= at < cue.start]
        if before and all(self.mentions.kinds.get(pid) == "person" for pid in before[-1]):
            return Subject("continued", before[-1], "(the person speaking)")
        return Subject("none")

    def _pronoun_source(self, cue: Span) -> bool:
        """A source phrase after its content whose owner is a pronoun: "حسب راي ه", "على حد
        قوله" (Arabic only: "according to him" names nobody either, but English is read apart)."""
        words = folded_words(self.text[cue.start : cue.end])
        return (
            not self.english
            and len(words) >= 2
            and bool(SOURCE_CUE.match(fold(self.text[cue.start : cue.end])))
            and (words[-1] in _OWNER_PRONOUNS or words[-1].endswith("ه"))
        )

    def _opinion_of(
        self,
        cue: Span,
        content: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
    ) -> Subject:
        """Whose "رايه" a source phrase gives: the speaker carried on, or a person named in the
        sentence before the content ("ما حمل فان باستن على تفضيل هانتيلار لانه الافضل حسب
        رايه": van Basten's opinion, though Nistelrooy spoke last)."""
        carried = self._continued(cue, sentence, history, pronoun=True, personal=True)
        lo = self.sentences[sentence][0] if self.sentences else 0
        named = frozenset(
            m.pid
            for m in self.mentions.within(lo, content.start)
            if self.mentions.kinds.get(m.pid) == "person"
        )
        return Subject(
            "continued",
            carried.speakers | named,
            "(a person named before)",
            primary=carried.carried or None,
        )

    def _is_continuation(self, cue: Span) -> bool:
        """A participle or a verb going on with the speaker before (مشيرا, وأضاف, "as well as
        stating", ", adding")."""
        words = folded_words(self.text[cue.start : cue.end])
        if any(w in CONTINUATIONS for w in words):
            return True
        if not self.english and words and CIRCUMSTANTIAL.fullmatch(words[0]):
            return True
        if not (self.english and words and words[0].endswith("ing")):
            return False
        lo = self.sentences[self.sentence_of(cue.start)][0] if self.sentences else 0
        return bool(self.content_words(lo, cue.start))  # not "Stating X, Straw said"

    def _may_be_object(self, cue: Span, found: Subject) -> bool:
        """دعا المجتمع الدولي الى: the one body after the verb may be whom it urges, not who
        urges (a person there is the subject: دعا انان اسرائيل الى)."""
        if self.english or found.how != "named":
            return False
        if any(self.mentions.kinds.get(pid) == "person" for pid in found.speakers):
            return False
        return any(
            bare_verb(w) in OBJECT_VERBS for w in folded_words(self.text[cue.start : cue.end])
        )

    def _plural_verb(self, cue: Span) -> bool:
        """اكدا / قالوا / وصفوه: a dual or plural attribution verb speaks for several."""
        for w in folded_words(self.text[cue.start : cue.end]):
            for stem in {w, bare_verb(w)}:  # وافقا is no و + افقا
                if stem.endswith("ا") and stem[:-1] in VERBS:  # dual: اكدا
                    return True
            stem = bare_verb(w)
            if PLURAL_VERB.fullmatch(stem) or PLURAL_PARTICIPLE.fullmatch(stem):  # قالوا,
                return True  # وصفوه, مطالبين
        return False

    def _groups_before(self, cue: Span, sentence: int) -> frozenset[str]:
        """The groups this sentence names before a plural verb (after it, for a participle:
        "تظاهر نحو 60 مسيحيا ... مطالبين"): a plural verb with no subject of its own has
        theirs. Not for a dual (اكدا: two persons) and not in English."""
        words = [bare_verb(w) for w in folded_words(self.text[cue.start : cue.end])]
        if not any(PLURAL_VERB.fullmatch(w) or PLURAL_PARTICIPLE.fullmatch(w) for w in words):
            return frozenset()
        lo = self.sentences[sentence][0] if self.sentences else 0
        participle = any(PLURAL_PARTICIPLE.fullmatch(w) for w in words)
        end = self.sentence_end(cue.start) if participle else cue.start
        return frozenset(
            m.pid
            for m in self.mentions.within(lo, end)
            if self.mentions.kinds.get(m.pid) == "group"
        )

    def _collective(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        evidence: str,
    ) -> Subject:
        first = max(0, sentence - COLLECTIVE_SENTENCES_BACK)
        start = self.sentences[first][0] if self.sentences else 0
        participle = any(  # "تظاهر نحو 60 مسيحيا ... مطالبين ...، وقال الشباب المتظاهر"
            PLURAL_PARTICIPLE.fullmatch(bare_verb(w))
            for w in folded_words(self.text[cue.start : cue.end])
        )
        end = self.sentence_end(cue.start) if participle else cue.start
        named = {
            m.pid
            for m in self.mentions.within(start, end)
            if self.mentions.kinds.get(m.pid) in _SPEAKER_KINDS
        }
        named |= {pid for at, speakers in history if at >= start for pid in speakers}
        return Subject("collective", frozenset(named), evidence)

    def _continued(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        *,
        pronoun: bool,
        personal: bool = False,
    ) -> Subject:
        """A dropped subject: the speaker of this sentence's or the last attribution (`personal`:
        the pronoun is "he" or "she", so only a person named since may take over)."""
        lo = self.sentences[sentence][0] if self.sentences else 0
        same = [(at, speakers) for at, speakers in history if lo <= at < cue.start]
        participle = self._is_continuation(cue)
        if not (self.english or participle or pronoun) and (
            self._coordinated(cue) or (not same and self._resumptive(cue))
        ):
            known = same[-1][1] if same and not self._in_relative(same[-1][0]) else None
            opening = self._verb_before_subject(same[-1][0] if same else lo, cue, known=known)
            if opening:  # "انتقدت روسيا الاتفاق ووصفته", "فيما نفت تل أبيب ذلك وقالت"
                return Subject("continued", opening, "(subject of the verb before)")
            named = frozenset(  # "... دانت الصين التي قتل احد مراقبيها و طالبت": the verb
                m.pid  # before has its subject somewhere in the sentence, or dropped it too
                for m in self.mentions.within(lo, cue.start)
                if self.mentions.kinds.get(m.pid) in _SPEAKER_KINDS
            )
            if named and not same:
                carried = self._carried(cue, sentence, history, lo, same, participle, pronoun)
                return Subject(
                    "continued",
                    carried.speakers | named,
                    "(a subject of the sentence)",
                    primary=carried.primary or carried.speakers or None,
                )
        return self._carried(cue, sentence, history, lo, same, participle, pronoun, personal)

    def _carried(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        lo: int,
        same: Sequence[tuple[int, frozenset[str]]],
        participle: bool,
        pronoun: bool,
        personal: bool = False,
    ) -> Subject:
        """The speaker carried on from this sentence's last statement or an earlier one."""
        if same:  # the clause goes on from the last attribution, or from someone named since
            at, last = same[-1]
            since = {
                m.pid
                for m in self.mentions.within(at, cue.start)
                if self.mentions.kinds.get(m.pid) == "person"
            }
            since |= self._named_outside_statements(at, cue.start)  # "..." . و في موسكو
            subject = self._sentence_subject(lo, cue)  # "و انتقدت صحف ... الذي اتهم ... ورات"
            if participle and not self.english:  # "... يراها المتتبعون ... ، فيما تنفي الحكومة
                newer = self._verb_before_subject(at, cue, known=last)  # ذلك قائلة ان": the
                if newer and not newer & last:  # clause since names its own subject
                    return Subject("continued", newer, "(subject of the clause before)")
            return Subject("continued", last | since | subject, "(same sentence)", primary=last)
        if participle and not pronoun and not self.english:
            opening = self._verb_before_subject(lo, cue)  # "شنت كوريا الشمالية هجوما
            if opening and self._masculine_after_body(cue, opening):  # "و تعمل امريكان
                earlier = self._carried(cue, sentence, history, lo, same, False, True)  # اكسبريس
                return Subject(  # ...، مؤكدا ان ه يسعى": the company, or the man before
                    "continued", opening | earlier.speakers, "(subject of the sentence)"
                )
            if opening:  # حادا علي الولايات المتحدة قائلة": a state may be the subject too
                speakers = opening | self._person_right_before(lo, cue)
                return Subject("continued", speakers, "(subject of the sentence)")
        clause = self.heads(self.mentions.within(lo, cue.start))
        people = [m for m in clause if self.mentions.kinds.get(m.pid) != "state"]
        if people and participle and not pronoun:  # "وزار فلان ...، مؤكدا أن": its subject
            speakers = frozenset({people[0].pid}) | self._person_right_before(lo, cue)
            return Subject("continued", speakers, "(subject of the sentence)")
        earliest = (
            self.sentences[max(0, sentence - CARRY_MAX_SENTENCES)][0] if self.sentences else 0
        )
        before = [(at, speakers) for at, speakers in history if earliest <= at < cue.start]
        if not before:
            if not pronoun:
                return Subject("none")
            recent = (
                {  # "He said" with no statement before: someone named just before
                    m.pid
                    for m in self.mentions.within(
                        self.sentences[max(0, sentence - 2)][0], cue.start
                    )
                    if self.mentions.kinds.get(m.pid) == "person"
                }
                if self.sentences
                else set()
            )
            return Subject("continued", frozenset(recent), "(named just before)")
        last = before[-1][1]
        candidates = set(last)
        if before[-1][0] in self._background:  # "و كان الاسد قال ... . و قال ان": the story's
            main = [speakers for at, speakers in before if at not in self._background]
            if main:  # speaker may take up again, and then goes on
                candidates |= main[-1]
                last = last | main[-1]
        if pronoun:  # "he" may be anyone named since, "they" any body: keep them as candidates
            kinds = ("person",) if personal else ("person", "organization", "group")
            candidates |= {
                m.pid
                for m in self.mentions.within(before[-1][0], cue.start)
                if self.mentions.kinds.get(m.pid) in kinds
            }
        if self._feminine(cue) and all(self.mentions.kinds.get(c) == "person" for c in candidates):
            candidates |= {  # "و اكدت ان" after a man spoke: a body (the paper, the state)
                pid  # that spoke before him may take up again; a verb does not say which
                for _, speakers in before
                for pid in speakers
                if self.mentions.kinds.get(pid) != "person"
            }
        if not pronoun:  # a dropped subject may be anyone the narration named since
            candidates |= self._named_outside_statements(before[-1][0], cue.start)
        return Subject("continued", frozenset(candidates), "(the speaker before)", primary=last)

    def _named_outside_statements(self, start: int, end: int) -> frozenset[str]:
        """Who the narration names after the statement of the attribution at `start` and before
        `end`, outside every statement's content: any may be the subject a later verb drops."""
        own = [c for c in self._contents if start <= c.start < end]
        if own:  # the attribution's own subject and relayed source are already its speakers
            start = max(start, min(own, key=lambda c: c.start).end)
        return frozenset(
            m.pid
            for m in self.mentions.within(start, end)
            if self.mentions.kinds.get(m.pid) in _SPEAKER_KINDS
            and not any(c.start <= m.span.start and m.span.end <= c.end for c in self._contents)
            and not self._in_caption(m.span)  # a photo's caption names nobody's next verb
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

    def _person_right_before(self, lo: int, cue: Span) -> frozenset[str]:
        """A person written at most two words before an Arabic participle may be its subject
        ("بنو امية رفضوا ... و على راس هم معاوية ... في دمشق مطالبا بقتلة عثمان")."""
        people = [
            m
            for m in self.heads(self.mentions.within(lo, cue.start))
            if self.mentions.kinds.get(m.pid) == "person"
        ]
        last = max(people, key=lambda m: m.span.end, default=None)
        if self.english or last is None or self.lead_words(last.span.end, cue.start) > 2:
            return frozenset()
        return frozenset({last.pid})

    def _masculine_after_body(self, cue: Span, subjects: frozenset[str]) -> bool:
        """A masculine participle (مؤكدا, not مؤكدة) after a subject that is no person: a body
        is most often feminine, so the man who spoke before may be the one going on."""
        words = folded_words(self.text[cue.start : cue.end])
        masculine = bool(words) and words[0].endswith("ا") and not words[0].endswith("تا")
        people = {pid for pid in subjects if self.mentions.kinds.get(pid) == "person"}
        return masculine and not people

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

    def _feminine(self, cue: Span) -> bool:
        """A feminine past verb (قالت، اكدت، اضافت): its subject is a woman or, far more often
        in news, a body or a state."""
        words = folded_words(self.text[cue.start : cue.end])
        return (
            not self.english
            and bool(words)
            and any(w.endswith("ت") and w[:-1] in VERBS for w in {words[0], bare_verb(words[0])})
        )

    def _nested(self, cue: Span, content: Span) -> bool:
        """The statement lies inside another's content ("نافيا ما ذكره مسؤولون اسرائيليون
        عن ...": the officials' claim inside Nasrallah's denial)."""
        return any(
            c.start <= cue.start < c.end
            and c != content
            and not c.start <= content.start < cue.start
            for c in self._contents
        )

    def _in_caption(self, at: Span) -> bool:
        if not self.sentences:
            return False
        lo, hi = self.sentences[self.sentence_of(at.start)]
        return is_caption(self.text[lo:hi])

    def _resumptive(self, cue: Span) -> bool:
        """ "اصدرت الخارجية بيانا دعت فيه" / "عقد مؤتمرا صحفيا نفى فيه": the verb of a relative
        clause on the statement or the event, whose subject is the sentence's."""
        after = self.text[cue.start : cue.end + 12]
        return bool(_IN_IT.search(after))

    def _coordinated(self, cue: Span) -> bool:
        """The cue is a verb joined by و or ف to the clause before (ووصفته, فرد)."""
        return self._joined_by(cue, "وف")

    def _joined_by_waw(self, cue: Span) -> bool:
        """Joined by و only: ف also closes "أما X ف قال", where X before it is the subject."""
        return self._joined_by(cue, "و")

    def _joined_by(self, cue: Span, conjunctions: str) -> bool:
        words = folded_words(self.text[cue.start : cue.end])
        if words and (bare_verb(words[0]) != words[0] or (words[0] in ("و", "ف") and words[1:])):
            return words[0][0] in conjunctions  # "وقال", or "و قال" copied whole
        before = _JOINED_BEFORE.search(self.text[max(0, cue.start - 3) : cue.start])
        return before is not None and before.group().strip() in conjunctions

    def _in_relative(self, at: int) -> bool:
        """A verb opening a relative clause ("خطاب الاسد الذي اتهم فيه"): the verb joined to
        the next one by و is the main clause's ("... و رات في ذلك تحريضا": the papers saw)."""
        return self._relative_before(at) is not None

    def _relative_before(self, at: int) -> re.Match[str] | None:
        """The relative pronoun that ends right before `at`, if one does."""
        return _RELATIVE_BEFORE.search(self.text, max(0, at - 12), at)

    def _antecedent(self, cue: Span, after_end: int) -> Subject | None:
        """The participant named right before a relative whose verb is the cue ("بقرار المحكمة
        العليا الاميركية التي اعتبرت ان"): the relative clause's subject, unless one follows the
        verb ("المتظاهرون الذين قدرت مصادر في الشرطة ان عددهم")."""
        relative = self._relative_before(cue.start)
        if relative is None:
            return None
        own = self.after(cue, after_end)
        if own is not None and own.how == "named":
            return own
        lo = self.sentences[self.sentence_of(cue.start)][0] if self.sentences else 0
        heads = self.heads(self.mentions.within(lo, relative.start()))
        last = max(heads, key=lambda m: (m.span.end, -m.span.start), default=None)
        if last is None or self.text[last.span.end : relative.start()].strip():
            return None
        if self.mentions.kinds.get(last.pid) not in _SPEAKER_KINDS:
            return None
        return self.named(last, [last])

    def _verb_before_subject(
        self, lo: int, cue: Span, known: frozenset[str] | None = None
    ) -> frozenset[str]:
        """The subject of the last clause since `lo` (the sentence's start, or its last
        statement's cue) that names one (a participant right after its verb, or opening it): a
        coordinated verb with no subject goes on with it, rather than with an earlier speaker.
        A relative clause between them may hold the verb instead ("تصريحات وزير الشؤون الدينية
        اعجاز الحق التي ادلى بها ... وقال فيها"): then the relative's antecedent may speak too.
        `known`: the speakers decided for the statement whose cue opens the first clause ("و
        كانت رايس قد حذرت الحكومة ... و دعت ها"), not re-read from the words after its verb."""
        clauses = _CLAUSE_OPENING.finditer(self.text, lo, cue.start)
        starts = [lo] + [m.end() for m in clauses]
        subject: Mention | None = None
        for start, end in zip(starts, [*starts[1:], cue.start], strict=True):
            if any(c.start <= start < c.end for c in self._contents):
                continue  # "إن العلاقات ممتازة، وإن مصر ستدعم": a clause of what was stated
            if start == lo and known:
                continue
            start = _skip_locative(self.text, start, end)  # "و في موسكو اصدرت الخارجية"
            heads = self.heads(self.mentions.within(start, end))
            if heads and self.lead_words(start, heads[0].span.start) <= 1:
                last_end = max(m.span.end for m in self.mentions.within(start, end))
                if lo < start and end < cue.start and not folded_words(self.text[last_end:end]):
                    continue  # "، السفير الإيراني في عمان محمد الايراني ،": an apposition
                subject = heads[0]
        if subject is None and not known:
            return frozenset()
        speakers = {subject.pid} if subject is not None else set(known or ())
        anchor = subject.span.end if subject is not None else lo
        for rel in _RELATIVE.finditer(self.text, anchor, cue.start):
            before = self.heads(self.mentions.within(anchor, rel.start()))
            if before:
                speakers.add(before[-1].pid)
        return frozenset(speakers)

    def _right_before(self, lo: int, cue: Span) -> Subject | None:
        """A participant written right before a participle or a possessed noun: its subject
        ("with X calling for"; "نسبت الوكالة الى وزير قوله", where عن or الى comes first)."""
        items = self.heads(self.mentions.within(lo, cue.start))
        if items and not self.english:
            before = fold(self.text[lo : items[-1].span.start])
            if not _ATTRIBUTED_TO.search(before):
                return None
        if items and not self.lead_words(items[-1].span.end, cue.start):
            between = self.text[items[-1].span.end : cue.start]
            if not re.search(r"[,،;:]", between):  # ", adding" goes on from the clause
                return self.named(items[-1], items)
        return None

    def _possessed_noun(self, cue: Span) -> bool:
        """قوله / قولها (his, her saying), and any verbal noun NewsFANE writes apart from its
        owner ("نفي ها"): the owner, written right before after عن or الى, speaks."""
        if self.english:
            return False
        words = folded_words(self.text[cue.start : cue.end])
        if len(words) == 2 and words[1] in _OWNER_PRONOUNS:
            return True  # any verbal noun written apart from its owner: "عن الحكومة نفي ها"
        if len(words) == 1:  # "نقلت عن الحكومة نفيها": a verbal noun with its owner glued
            m = _OWNED.fullmatch(words[0])
            if m is not None and m.group(1) in VERBAL_NOUNS:
                return True
        return bool(_POSSESSED_SAYING.fullmatch("".join(words)))

    def _document_authors(self, cue: Span, sentence: int) -> Subject | None:
        """ "صدق وزراء خارجية المنظمة علي بيان يدعو الفاتيكان الي": a statement that calls,
        right before the verb, speaks for those its sentence names before it (any of them)."""
        before = folded_words(self.text[max(0, cue.start - 20) : cue.start])[-1:]
        if not before or not ({before[0], before[0].removesuffix("ا")} & DOCUMENTS):
            return None
        lo = self.sentences[sentence][0] if self.sentences else 0
        authors = frozenset(  # names inside others' too: "وزراء خارجية منظمة المؤتمر الاسلامي"
            p.id
            for p in self.draft.participants
            if p.kind.value in _SPEAKER_KINDS
            for span in self.run.spans(p.name)
            if lo <= span.start
            and span.end <= cue.start
            and not any(c.start <= span.start < c.end for c in self._contents)
        )
        return Subject("described", authors, "(the statement's authors)") if authors else None

    def _pluperfect_subject(self, cue: Span, adjacent: bool = False) -> Subject | None:
        """The subject right after كان in "و كان X الموجود في روما ... قد عبر"; `adjacent`:
        only where the subject's last word or قد stands right before the verb ("و كانت رايس
        قد حذرت الحكومة السودانية"), so what follows the verb is its object."""
        lo = self.clause_start(cue.start, self.sentence_of(cue.start))
        was = list(_PLUPERFECT.finditer(self.text, lo, cue.start))  # as written: offsets
        if not was:  # must hold; the last كان ("عن ما كانت عليه قبل الحرب حينما كان خبراء
            return None  # الطاقة يقدرون")
        start = was[-1].end()
        items = self.heads(self.mentions.within(start, cue.start))
        if not items or self.lead_words(start, items[0].span.start) != 0:
            return None
        if adjacent:
            last = max(m.span.end for m in self.mentions.within(start, cue.start))
            if set(folded_words(self.text[last : cue.start])) - {"قد"}:
                return None
        return self.named(items[0], items)

    def _pluperfect(self, cue: Span) -> bool:
        """ "و كان X قد قال / و كان X قال": a background statement inside someone else's story."""
        lo = self.clause_start(cue.start, self.sentence_of(cue.start))
        return not self.english and bool(_PLUPERFECT.search(fold(self.text[lo : cue.start])))

    def _sentence_subject(self, lo: int, cue: Span) -> frozenset[str]:
        """The sentence's first person and first participant: a dropped subject may go on from
        the main verb ("و كان اولمرت قد اعلن ان ه رفض طلب انان ...، قائلا")."""
        heads = [m for m in self.heads(self.mentions.within(lo, cue.start))
                 if self.mentions.kinds.get(m.pid) != "state"]  # fmt: skip
        people = [m.pid for m in heads if self.mentions.kinds.get(m.pid) == "person"]
        opening = [m.pid for m in heads[:1] if self.lead_words(lo, m.span.start) <= 2]
        return frozenset(people[:1] + opening)  # the subject of the sentence's first verb

    # -- the verdict ------------------------------------------------------------------------------

    def _judge(self, pos: DraftPosition, cue: Span, content: Span, subject: Subject) -> Decision:
        if not subject.speakers:
            status: Status = "unresolved"
        elif pos.speaker_id in subject.speakers:
            status = "confirmed"
        else:
            status = "wrong"
        return Decision(status, cue, content, subject.speakers, subject.evidence or "", subject.how)


def _is_collective(words: str) -> bool:
    """A mention that is itself dual or plural ("المسؤولان الدوليان", listed for the UN
    delegation) stands for each of those it counts as well."""
    return any(w in COLLECTIVES for w in folded_words(words))


_PLUPERFECT = re.compile(r"(?<!\w)(?:و\s*)?كان(?:ت)?(?!\w)")
_ONLY_PUNCTUATION = re.compile(r"[\s,،]*")
# Where a clause of its own begins: after a comma, or after فيما / بينما (while).
_CLAUSE_OPENING = re.compile(r"[،,;؛:]|(?<!\w)(?:فيما|بينما|في حين)(?!\w)")
_RELATIVE_WORDS = "الذي|الذى|التي|الذين|اللذين|اللتين"
_RELATIVE = re.compile(rf"(?<!\w)(?:{_RELATIVE_WORDS})(?!\w)")
_BUT = re.compile(r"(?:و\s?)?لكن(?!\w)")
_RELATIVE_BEFORE = re.compile(rf"(?<!\w)(?:{_RELATIVE_WORDS})\s*$")
_ONLY_RELATIVE = re.compile(rf"\s*(?:{_RELATIVE_WORDS})\s*")
_IN_IT = re.compile(r"(?<!\w)(?:في\s?(?:ه|ها)|خلال\s?(?:ه|ها))(?!\w)")
# First person: "نا"/"ني" written apart (NewsFANE) or glued (هدفنا، لكننا), انا، نحن; we, I, our
_FIRST_PERSON = re.compile(
    r"(?<!\S)(?:نا|ني|انا|أنا|نحن)(?!\S)|[\u0621-\u064a]{2,}نا(?!\S)|\b(?:we|our|I)\b"
)
_SPEAKER_KINDS = ("person", "state", "organization", "group")
_FROM_PRONOUN = re.compile(r"(?<!\w)عن\s?(?:ه|ها|هم)(?!\w)")
_FROM = re.compile(r"(?<!\w)(?:عن|الى|إلى|الي)(?!\w)")
_MOUTHPIECE = re.compile(r"(?<!\w)(?:عبر|على لسان|علي لسان|بلسان)(?!\w)")
_JOINED_BEFORE = re.compile(r"(?:^|\s)[وف]\s*$")  # "و قال" tokenised, or و before a cue
# that grounded inside its word ("وات هم ها")
# A place fronted before the verb ("و في موسكو اصدرت الخارجية الروسية"): no word of the clause.
_LOCATIVE = re.compile(r"\s*(?:و\s*)?(?:في|فى)\s+[^\s،,]+\s*[،,]?\s*")


def _skip_locative(text: str, start: int, end: int) -> int:
    m = _LOCATIVE.match(text, start, end)
    return m.end() if m else start


_POSSESSED_SAYING = re.compile(r"قول(?:ه|ها|هم|هما)")
_OWNER_PRONOUNS = frozenset({"ه", "ها", "هم", "هما"})
_OWNED = re.compile(r"(?:ب|و|ل)?([\u0621-\u064a]{3,}?)(?:هما|هم|ها|ه)")
_ATTRIBUTED_TO = re.compile(r"(?:عن|الى|الي|إلى|ل)\s*$")

__all__ = ["Attributor", "Decision"]
