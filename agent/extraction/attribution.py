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

from agent.extraction.cue_reading import RELATIVE_WORDS, SPEAKER_KINDS, SPEECH_SENTENCES, CueReader
from agent.extraction.subjects import How, Subject
from agent.extraction.transcript import Transcript, arabic_first_person
from agent.models import Span
from agent.text.cue_words import (
    COLLECTIVES,
    DOCUMENTS,
    ENGLISH_PRONOUN_SUBJECTS,
    PLURAL_PARTICIPLE,
    QUOTED_AS,
    bare_verb,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import DraftPosition
    from agent.extraction.mentions import Mention

Status = Literal["confirmed", "wrong", "unresolved", "detached"]

CUE_BEFORE_MAX_GAP = 1000  # characters from a cue to the content it introduces, one sentence
CUE_AFTER_MAX_GAP = 80  # characters from a quotation's end to the cue after it ('…,' he said)
CARRY_MAX_SENTENCES = 5  # a dropped subject continues an attribution at most this far back
COLLECTIVE_SENTENCES_BACK = 3  # a collective stands for those named this far back


@dataclass(frozen=True)
class Decision:
    """The check's decision for one position: which cue governs it and who the text says spoke."""

    status: Status
    cue: Span | None = None
    content: Span | None = None
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    how: How = "none"


class Attributor(CueReader):
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
        carrier = self._banner_carrier(cue)  # "ورفع المتظاهرون لافتات تندد": whoever
        if carrier is not None:  # carries the banner speaks its words
            cue = carrier
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
            if found_plural is None or not self._written_right_after(cue, found_plural):
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
        if found is None and self._purpose(cue):  # "اعتصام العاملين ... للمطالبة ب": the aim
            return Subject("none")  # of an event, whose agent is no earlier statement's speaker
        # an unlisted description ("وقال الدبلوماسي المخضرم") refers back, as a pronoun does
        personal = found is not None and found.evidence in ENGLISH_PRONOUN_SUBJECTS  # he, she
        return self._continued(cue, sentence, history, pronoun=found is not None, personal=personal)

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
            PLURAL_PARTICIPLE.fullmatch(bare_verb(w)) for w in self._verb_words(cue)
        )
        end = self.sentence_end(cue.start) if participle else cue.start
        named = {
            m.pid
            for m in self.mentions.within(start, end)
            if self.mentions.kinds.get(m.pid) in SPEAKER_KINDS
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
                if self.mentions.kinds.get(m.pid) in SPEAKER_KINDS
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
            if self.mentions.kinds.get(m.pid) in SPEAKER_KINDS
            and not any(c.start <= m.span.start and m.span.end <= c.end for c in self._contents)
            and not self._in_caption(m.span)  # a photo's caption names nobody's next verb
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
            if p.kind.value in SPEAKER_KINDS
            for span in self.run.spans(p.name)
            if lo <= span.start
            and span.end <= cue.start
            and not any(c.start <= span.start < c.end for c in self._contents)
        )
        return Subject("described", authors, "(the statement's authors)") if authors else None

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


# "One of": a singular head before a plural ("احد المسؤولين").
_ONE_OF = frozenset(fold(w) for w in ["احد", "أحد", "إحدى", "احدى", "one"])
# Where a clause of its own begins: after a comma, or after فيما / بينما (while).
_CLAUSE_OPENING = re.compile(r"[،,;؛:]|(?<!\w)(?:فيما|بينما|في حين)(?!\w)")
_RELATIVE = re.compile(rf"(?<!\w)(?:{RELATIVE_WORDS})(?!\w)")
_MOUTHPIECE = re.compile(r"(?<!\w)(?:عبر|على لسان|علي لسان|بلسان)(?!\w)")
# that grounded inside its word ("وات هم ها")
# A place fronted before the verb ("و في موسكو اصدرت الخارجية الروسية"): no word of the clause.
_LOCATIVE = re.compile(r"\s*(?:و\s*)?(?:في|فى)\s+[^\s،,]+\s*[،,]?\s*")


def _skip_locative(text: str, start: int, end: int) -> int:
    m = _LOCATIVE.match(text, start, end)
    return m.end() if m else start


__all__ = ["Attributor", "Decision"]
