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

from agent.extraction.banners import BannerReader
from agent.extraction.carried import CARRY_MAX_SENTENCES
from agent.extraction.cue_reading import SPEAKER_KINDS
from agent.extraction.speech_owners import SpeechOwnerReader
from agent.extraction.subjects import How, Subject
from agent.extraction.transcript import Transcript
from agent.models import Span
from agent.text.cue_words import (
    COLLECTIVES,
    ENGLISH_PRONOUN_SUBJECTS,
    QUOTED_AS,
    SAID_BEGINS,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import DraftPosition

Status = Literal["confirmed", "wrong", "unresolved", "detached"]

TAIL_WORDS = 3  # words of a content before a cue copied inside it that make it a tail source


@dataclass(frozen=True)
class Decision:
    """The check's decision for one position: which cue governs it and who the text says spoke."""

    status: Status
    cue: Span | None = None
    content: Span | None = None
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    how: How = "none"


class Attributor(SpeechOwnerReader, BannerReader):
    """Decides every position of one answer, in text order (a dropped subject needs the last)."""

    _written: list[Span]  # every occurrence of every position's content

    def decide_all(self) -> list[Decision]:
        """One decision per position, in the draft's order."""
        self._written = [s for p in self.draft.positions for s in self.run.spans(p.content, "text")]
        governed = self._govern_all(self.draft.positions)
        at = [pair[0].start if pair else len(self.text) for pair in governed]
        order = sorted(range(len(governed)), key=lambda i: at[i])
        decisions: dict[int, Decision] = {}
        history: list[tuple[int, frozenset[str]]] = []  # (cue start, speakers) decided so far
        self._background = set()  # cues of background statements ("و كان X قال")
        self._contents = [pair[1] for pair in governed if pair is not None]
        self._content_of = {pair[0].start: pair[1] for pair in governed if pair is not None}
        self.transcript = Transcript(self.text)
        unlisted = self._unlisted_attributions([pair[0] for pair in governed if pair is not None])
        for i in order:
            pair = governed[i]
            if pair is None:
                decisions[i] = Decision("detached")
                continue
            cue, content = pair
            while unlisted and unlisted[0][0] < cue.start:  # a chain the answer leaves out
                history.append(unlisted.pop(0))
            subject = self._subject(cue, content, history)
            decisions[i] = self._judge(self.draft.positions[i], cue, content, subject)
            if subject.carried and not self._in_caption(cue):  # a caption's words go on
                history.append((cue.start, subject.carried))  # to nobody's next verb
                # a claim reported inside another's statement, or inside the frame between
                # another's cue and its words ("وقال X ردا على مطالبات Y : إن"): either may go
                # on ("نافيا ما ذكره مسؤولون اسرائيليون ... . و قال")
                framed = self._framed(cue, governed)
                if self._pluperfect(cue) or self._nested(cue, content) or framed:
                    self._background.add(cue.start)
        return [decisions[i] for i in range(len(governed))]

    @staticmethod
    def _framed(cue: Span, governed: Sequence[tuple[Span, Span] | None]) -> bool:
        """The cue lies between another statement's cue and that statement's words."""
        return any(
            pair is not None and pair[0].end <= cue.start and cue.end <= pair[1].start
            for pair in governed
        )

    # -- who the text makes the speaker -----------------------------------------------------------

    def _subject(
        self, cue: Span, content: Span, history: Sequence[tuple[int, frozenset[str]]]
    ) -> Subject:
        """Who the text makes the speaker; a mention listed for several participants ("وعبر
        سموه" after three princes' calls) is the one of them the chain before carries on."""
        found = self._written_subject(cue, content, history)
        if found.how != "named" or not found.shared:
            return found
        carried = self._continued(cue, self.sentence_of(cue.start), history, pronoun=True)
        narrowed = found.speakers & carried.carried
        return Subject("named", narrowed, found.evidence) if narrowed else found

    def _written_subject(
        self, cue: Span, content: Span, history: Sequence[tuple[int, frozenset[str]]]
    ) -> Subject:
        sentence = self.sentence_of(cue.start)
        lo = self.bounds(sentence)[0]
        cue = self._without_complementizer(cue)  # "مضيفا ان", "said that": the verb
        label = self.transcript.label_of(cue) or self.transcript.answered_by(cue)
        named = self.heads(self.mentions.within(label.start, label.end)) if label else []
        if named:  # "RK : No , because", and "I hope" in RK's answer: the label names who speaks
            return self.named(named[0], named)
        if not self.english and self._first_person(cue, sentence):
            return self._speaking_person(cue, sentence, history)
        inside = self.heads(self.mentions.within(cue.start + 1, cue.end))
        if inside and not self.english:  # the cue copied with its subject: "قال كوبل"،
            return self.named(inside[0], inside)  # "صرح دين", "تقول بريطانيا"
        if self._by_his_account(cue):  # "ــ على حد قوله ــ": he or she is the last speaker
            last = [speakers for at, speakers in history if at < cue.start][-1:]
            people = self.named_within(lo, cue.start, ("person",))  # or a person the sentence
            return Subject("continued", frozenset().union(*last) | people, "(whose account)")
        carrier = self._banner_carrier(cue)  # "ورفع المتظاهرون لافتات تندد": whoever
        if carrier is not None:  # carries the banner speaks its words
            cue = carrier
        verb = self._verb_of(cue)  # "اكدت الصحيفة", "قالت في": read from the verb
        if verb is not None:
            cue = verb
        participle = self._is_continuation(cue)
        passive = _QUOTED_BY.search(self.text, lo, cue.start) if self.english else None
        if passive is not None:  # "Officials were quoted by the AP as saying": the officials
            written = self.before(lo, passive.start())
            if written is not None and written.how == "named":
                return written
        if (participle and self.english) or self._possessed_noun(cue):  # "with X calling for",
            written = self._right_before(lo, cue)  # "نسبت الوكالة الى وزير اسرائيلي قوله"
            if written is not None:
                return written
        if not self.english and self._plural_verb(cue):
            found_plural = self.after(cue, content.start if cue.end <= content.start else None)
            if found_plural is None or not self._written_right_after(cue, found_plural):
                written = self._subjects_right_before(cue, sentence)
                if written is not None:  # "ان ناديي تشلسي و مانشستر يونايتد اعلنا"
                    return Subject("collective", written.speakers, written.evidence)
                pair = self._pair_goes_on(cue, sentence, history)
                if pair:  # "و كان X و Y قد اعلنا ... و اشارا الى": the same two
                    return Subject("collective", pair, "(the same speakers as the verb before)")
                groups = self._groups_before(cue, sentence, content)
                if groups:  # "واتهم المتظاهرون الشرطة ... ووصفوا": the crowd, not the police
                    return Subject("collective", groups, "(plural verb: the group named before)")
                return self._collective(cue, sentence, history, "(dual or plural verb)")
        quote_end = None if participle else self._quotation_before(lo, cue)
        tail = self._tail_inside(cue, content)  # "... endangered, according to the IUCN" copied
        if cue.start >= content.end or quote_end is not None or tail:  # '…,' Smith said
            start = content.end if cue.start >= content.end else quote_end or lo
            start = cue.start if tail else start  # with its source as one content
            found = self._after_quotation(cue, start, content)
            if found is None and self._pronoun_source(cue):  # '" الافضل " حسب راي ه'
                return self._opinion_of(cue, content, sentence, history)
        elif self.english:  # English is SVO; "according to X" and "said X" follow the cue
            after_end = self._before_other_content(cue, content)
            quoted_as = bool(QUOTED_AS.search(self.text[lo : cue.start]))  # "quoted X as saying"
            found = None if participle and not quoted_as else self.before(lo, cue.start)
            if found is None and not self.content_words(lo, cue.start):
                found = self.main_clause(content.end)  # "Stating Hall was innocent, Straw said"
            if (found is None or found.how == "unnamed") and not participle:
                found = self.after(cue, after_end) or found  # not "telling the Daily Mail"
            infinitive = _TO_BEFORE.search(self.text, lo, cue.start) or fold(
                self.text[cue.start : cue.end]
            ).startswith("to ")
            if (found is None or found.how == "unnamed") and infinitive:  # "Pope Francis used
                found = self.main_clause(lo) or found  # his address, in St Peter's Square, to
                # say": the one who used it, the sentence's subject
        else:  # Arabic is VSO; a subject before the verb opens its clause
            after_end = self._before_other_content(cue, content)
            # "كانت رايس قد حذرت الحكومة", "المحكمة التي اعتبرت ان": the subject is written
            # before the verb, and what follows the verb is its object
            found = None if participle else self._pluperfect_subject(cue, adjacent=True)
            found = found or (None if participle else self._antecedent(cue, after_end))
            found = found or (None if self._accusative(cue) else self.after(cue, after_end))
            if found is None or found.how in ("continued", "unknown"):
                found = self._caller(cue, sentence) or found  # "تلقى ... اتصالا من Y، أعرب
                # خلاله": the caller
            # not before a verb joined by و: "... " عجرفة " اسرائيل وات هم ها" is no
            # "اسرائيل اتهم"; what precedes و belongs to the verb before
            joined = self._joined_by_waw(cue)
            undecided = found is None or found.how in ("continued", "unknown")  # "التي رفضت
            # "التي رفضت التعليق": the object follows; not a possessed noun, whose owner is
            # its pronoun ("عقب تهديده موظفة بادعائه أنه": not the one he threatened)
            if undecided and not participle and not joined and not self._possessed_noun(cue):
                found = self.before(self.clause_start(cue.start, sentence), cue.start) or found
                found = self._in_delivered(cue, sentence, found)
            if (found is None or found.how == "continued") and not participle:
                found = self._pluperfect_subject(cue) or found  # "و كان انان ... قد عبر"
            if (found is None or found.how == "continued") and not participle:
                found = self._document_authors(cue, sentence) or found
            if (found is None or found.how == "continued") and not participle:
                found = self._speech_given(cue, sentence) or found  # "بكلمة X، قالت فيها"
        if found is not None and found.how == "collective":
            return self._collective(cue, sentence, history, found.evidence)
        if found is not None and found.how == "named" and _is_collective(found.evidence):
            several = self._collective(cue, sentence, history, found.evidence)  # a listed mention
            return Subject("collective", found.speakers | several.speakers, found.evidence)
        if found is not None and found.how == "named" and cue.start >= content.end:
            relayed = self._relayed_source(cue, self.sentence_end(cue.start))  # "...، بحسب ما
            if relayed is not None:  # نقلت وكالة رويترز عن مسؤول محلي": the official too
                return Subject("named", found.speakers | {relayed}, found.evidence)
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
        if found is None and self._purpose(cue):  # "اعتصام العاملين ... للمطالبة ب": the aim
            # of an event, whose agent is no earlier statement's speaker; after a protest verb
            return self._protesters(cue) or Subject("none")  # its subject's
        # an unlisted description ("وقال الدبلوماسي المخضرم") refers back, as a pronoun does
        personal = found is not None and found.evidence in ENGLISH_PRONOUN_SUBJECTS  # he, she
        carried = self._continued(
            cue, sentence, history, pronoun=found is not None, personal=personal
        )
        possessed = self.text[cue.start : cue.end].rstrip().endswith("ه")  # "مطالبه الاخيرة":
        # his demands (a noun with its pronoun), which folds to the participle مطالبة
        if (
            found is not None
            and found.how == "unknown"
            and participle
            and not self.english
            and not possessed
        ):
            return carried  # "سائلاً الله أن": what follows a participle is its object
        if found is not None and found.how == "unknown" and (carried.speakers or found.speakers):
            return self._described_back(cue, sentence, history, carried, found.speakers)
        return carried

    def _described_back(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        carried: Subject,
        owner: frozenset[str],
    ) -> Subject:
        """An unlisted description as the subject ("و اكدت الصحيفة", "كما اظهرت البيانات"):
        unlike a pronoun it need not continue the last speaker; it may take up anyone who
        spoke or was named in the sentences the carried speaker may come from, or the body it
        speaks for (`owner`: "المتحدث باسم حزب الله")."""
        earliest = self.bounds(max(0, sentence - CARRY_MAX_SENTENCES))[0]
        before = self._named_or_spoke(earliest, cue.start, history, spoke_before=cue.start)
        speakers = carried.speakers | before | owner
        return Subject("continued", speakers, carried.evidence, primary=carried.carried)

    def _tail_inside(self, cue: Span, content: Span) -> bool:
        """A source phrase copied inside its content, after what was said ("The storm could
        hit Bermuda, according to officials", "... ك ما افادت الشرطة"): its speaker follows
        it, as after a quotation. Not a cue at the content's start ("و كتبت صحيفة ...")."""
        inside = content.start < cue.start and cue.end <= content.end
        enough = inside and len(self.content_words(content.start, cue.start)) >= TAIL_WORDS
        return enough and self._source_cue(cue)

    def _before_other_content(self, cue: Span, content: Span) -> int:
        """Where a subject after the cue may end: before this content, and before any other
        statement's content in between ("وهاتفين «الموت لاميركا» و«الموت لكرزاي»": the first
        chant's words are said, nobody in them says the second)."""
        end = content.start if cue.end <= content.start else cue.end
        if content.start < cue.end <= content.end:  # the cue copied inside its content ("وقال
            said = SAID_BEGINS.search(self.text, cue.end, content.end)  # فلان ان ..."): up
            end = said.start() if said else content.end  # to where what was said begins
        return min([end] + [c.start for c in self._contents if cue.end <= c.start < end])

    def _subjects_right_before(self, cue: Span, sentence: int) -> Subject | None:
        """The subjects a dual or plural verb's clause writes right before it (SVO after ان or
        كان: "و كان المسؤول الايراني و سولانا قد اعلنا", "ان الموفدين اكدوا له"): they, and
        not everyone named around, speak. At most one word (an adjective, a date) may stand
        between the last of them and the verb, none before the first."""
        start = self.clause_start(cue.start, sentence)
        was = _PLUPERFECT_OPENING.match(self.text, start, cue.start)
        if was is not None:
            start = was.end()
        items = self.heads(self.mentions.within(start, cue.start))
        if not items or self.lead_words(start, items[0].span.start) > 1:
            return None
        last = max(m.span.end for m in self.mentions.within(start, cue.start))
        if self.lead_words(last, cue.start) > 1:
            return None
        if any(self.mentions.kinds.get(m.pid) not in SPEAKER_KINDS for m in items):
            return None
        named = self.named(items[0], items)
        return named if len(named.speakers) > 1 or _plural_mention(named.evidence) else None

    def _pair_goes_on(
        self, cue: Span, sentence: int, history: Sequence[tuple[int, frozenset[str]]]
    ) -> frozenset[str]:
        """A dual or plural verb joined by و to a statement of several speakers earlier in
        its sentence goes on with them."""
        lo = self.bounds(sentence)[0]
        same = [speakers for at, speakers in history if lo <= at < cue.start]
        if same and len(same[-1]) > 1 and self._joined_by_waw(cue):
            return same[-1]
        return frozenset()

    def _written_right_after(self, cue: Span, found: Subject) -> bool:
        """A plural verb's subject, named right after it ("وقالوا المتظاهرون" in loose prose);
        a name further on is in its object ("ويرددون شعارات مؤيدة لجمال عبد الناصر")."""
        at = self.text.find(found.evidence, cue.end)
        return found.how == "named" and at >= 0 and not self.content_words(cue.end, at)

    def _after_quotation(self, cue: Span, start: int, content: Span) -> Subject | None:
        """After a quotation the speaker follows the cue ("said Gustafon", «…»، قال فلان) or
        stands between them ("…," one weeping woman at Juanda told Antara)."""
        end = content.start if content.start >= cue.end else None  # never inside the content
        if self.english and self.content_words(start, cue.start):
            return self.before(start, cue.start) or self.after(cue, end)
        return self.after(cue, end) or self.before(start, cue.start)

    def _nested(self, cue: Span, content: Span) -> bool:
        """The statement lies inside another's content ("نافيا ما ذكره مسؤولون اسرائيليون
        عن ...": the officials' claim inside Nasrallah's denial)."""
        return any(
            c.start <= cue.start < c.end
            and c != content
            and not c.start <= content.start < cue.start
            for c in self._contents
        )

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
    delegation) stands for each of those it counts as well; not "one of" them ("احد
    المسؤولين عن المسجد")."""
    folded = folded_words(words)
    return not (folded and folded[0] in _ONE_OF) and any(w in COLLECTIVES for w in folded)


def _plural_mention(words: str) -> bool:
    """A mention that is itself plural or dual ("الموفدين", "المسؤولان"): it may be a plural
    verb's whole subject."""
    folded = folded_words(words)
    return bool(folded) and (folded[0] in COLLECTIVES or bool(_PLURAL_NOUN.fullmatch(folded[0])))


# An English infinitive cue: "... to say", "... to warn".
_TO_BEFORE = re.compile(r"\bto\s*$", re.I)
# "X was / were quoted (by Y) as": X is who is quoted; Y only relays.
_QUOTED_BY = re.compile(
    r"\b(?:was|were|is|are|been|being)\s+quoted\b(?:\s+\S+){0,8}?\s+as\s*$", re.I
)
# A clause opening "و كان X قد": the subject follows كان.
_PLUPERFECT_OPENING = re.compile(r"\s*(?:و\s*)?كان(?:ت)?(?!\w)")
# A sound plural or dual ending: المتظاهرون، الموفدين، المسؤولان، الجانبين.
_PLURAL_NOUN = re.compile(r"ال\w{2,}(?:ون|ين|ان)")
# "One of": a singular head before a plural ("احد المسؤولين").
_ONE_OF = frozenset(fold(w) for w in ["احد", "أحد", "إحدى", "احدى", "one"])
_MOUTHPIECE = re.compile(r"(?<!\w)(?:عبر|على لسان|علي لسان|بلسان)(?!\w)")
__all__ = ["Attributor", "Decision"]
