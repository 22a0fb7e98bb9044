"""Whom a cue with no subject of its own gives the words to: the speaker carried on.

Arabic drops the subject ("وقال فلان ... . وأضاف ...، مشيرا الى"), English uses a pronoun ("he
said"), and dual or plural references (الزعيمان، الجانبان، "both leaders") stand for several
participants at once. These readings share one input, the history of speakers decided so far
in text order, and one rule: the nearest attribution (or the subject of the clause right
before) goes on, unless the narration names someone new in between.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from agent.extraction.cue_reading import SPEAKER_KINDS
from agent.extraction.narration import NarrationReader
from agent.extraction.subjects import Subject
from agent.models import Span
from agent.text.cue_words import (
    ADVERBS,
    CHAIN_VERBS,
    COORDINATION,
    DEMONSTRATIVES,
    DUAL_COLLECTIVES,
    FILLERS,
    OPENERS,
    PARTICLES,
    PERSONAL_COLLECTIVES,
    PLURAL_PARTICIPLE,
    PREPOSITIONS,
    RELATIVE_WORDS,
    SAID_BEGINS,
    bare_verb,
)
from agent.text.normalize import fold, normalize
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.mentions import Mention

CARRY_MAX_SENTENCES = 5  # a dropped subject continues an attribution at most this far back
COLLECTIVE_SENTENCES_BACK = 3  # a collective stands for those named this far back


class CarriedReader(NarrationReader):
    """The carried-speaker and collective readings of `Attributor`, which sets the attribute
    below (and the contents `PluperfectReader` names) before it decides any position; where
    the narration stands against those contents is `NarrationReader`'s."""

    _background: set[int]  # cues of background statements ("و كان X قال")

    def _collective(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        evidence: str,
    ) -> Subject:
        first = max(0, sentence - COLLECTIVE_SENTENCES_BACK)
        start = self.bounds(first)[0]
        participle = any(  # "تظاهر نحو 60 مسيحيا ... مطالبين ...، وقال الشباب المتظاهر"
            PLURAL_PARTICIPLE.fullmatch(bare_verb(w)) for w in self._verb_words(cue)
        )
        end = self.sentence_end(cue.start) if participle else cue.start
        # "وأكد الزعيمان": the two leaders are people, not the capital named beside them
        personal = any(w in PERSONAL_COLLECTIVES for w in folded_words(evidence))
        named = self._named_or_spoke(start, end, history)
        if personal:
            named = {pid for pid in named if self.mentions.kinds.get(pid) == "person"}
        if any(w in DUAL_COLLECTIVES for w in folded_words(evidence)):
            pair = self._last_pair(start, end, named)
            if pair:
                return Subject("collective", pair, evidence)
        return Subject("collective", frozenset(named), evidence)

    def _last_pair(self, start: int, end: int, named: Collection[str]) -> frozenset[str]:
        """The one pair of participants written coordinated ("ديمتري كوفتون واندريه لوجوفوي")
        before a dual, which counts exactly two: that pair, not everyone named around it. With
        two pairs ("لارسن و غيباري ... الرئيسين بري و السنيورة ... المسؤولان الدوليان") only
        the words of the dual could tell, so none."""
        items = [m for m in self.mentions.within(start, end) if m.pid in named]
        pairs = {
            frozenset({a.pid, b.pid})
            for a, b in pairwise(items)
            if a.pid != b.pid and COORDINATION.fullmatch(self.text[a.span.end : b.span.start])
        }
        return next(iter(pairs)) if len(pairs) == 1 else frozenset()

    def _named_or_spoke(
        self,
        start: int,
        end: int,
        history: Sequence[tuple[int, frozenset[str]]],
        spoke_before: int | None = None,
    ) -> set[str]:
        """Whoever the text names between `start` and `end`, and whoever spoke at a cue from
        `start` on (before `spoke_before`): those a collective or a description may stand for."""
        spoke = {
            pid
            for at, speakers in history
            if start <= at and (spoke_before is None or at < spoke_before)
            for pid in speakers
        }
        return set(self.named_within(start, end, SPEAKER_KINDS)) | spoke

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
        lo = self.bounds(sentence)[0]
        history = self._unquoted(history, cue)
        same = [(at, speakers) for at, speakers in history if lo <= at < cue.start]
        participle = self._is_continuation(cue)
        if not (self.english or participle or pronoun) and (
            self._coordinated(cue) or (not same and self._resumptive(cue))
        ):
            joined = self._still_open(same, cue)
            known = joined[-1][1] if joined and not self._in_relative(joined[-1][0]) else None
            opening = self._verb_before_subject(joined[-1][0] if joined else lo, cue, known=known)
            if opening:  # "انتقدت روسيا الاتفاق ووصفته", "فيما نفت تل أبيب ذلك وقالت"
                return Subject("continued", opening, "(subject of the verb before)")
            # "... دانت الصين التي قتل احد مراقبيها و طالبت": the verb before has its subject
            # somewhere in the sentence, or dropped it too
            named = self._ungoverned_within(lo, cue.start)
            if named and not same:
                carried = self._carried(cue, sentence, history, lo, same, participle, pronoun)
                return Subject(
                    "continued",
                    carried.speakers | named,
                    "(a subject of the sentence)",
                    primary=carried.primary or carried.speakers or None,
                )
        return self._carried(cue, sentence, history, lo, same, participle, pronoun, personal)

    def _but_he(self, at: int, cue: Span) -> frozenset[str]:
        """The person a "but he" clause right before a participle may mean: the last one named
        before the pronoun ("فاتجه لنائبه لكنه اعتذر عن إفادته، معللاً ذلك": the deputy may
        be the one explaining, not only the speaker who went to him)."""
        found = list(_BUT_HE.finditer(self.text, at, cue.start))
        if not found or self.lead_words(found[-1].end(), cue.start) > _BUT_HE_WORDS:
            return frozenset()
        people = [
            m
            for m in self.heads(self.mentions.within(at, found[-1].start()))
            if self.mentions.kinds.get(m.pid) == "person"
        ]
        last = max(people, key=lambda m: m.span.end, default=None)
        return frozenset({last.pid}) if last is not None else frozenset()

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
        # not a claim inside another's words that have ended ("مضيفا أنه، وفقا لتقديرات الهيئة،
        # لا يقل ... ريال، لكنه توقع": he expects, not the authority he cited)
        same = self._still_open(same, cue) or same
        if same:  # the clause goes on from the last attribution, or from someone named since
            at, last = same[-1]
            main = [speakers for a, speakers in same if a not in self._background]
            if at in self._background and main:  # "وقال X ردا على مطالبات Y : إن ...،
                last = last | main[-1]  # مشيرا": a claim framed inside X's may not end X's
            since = self.named_within(at, cue.start, ("person",))
            since |= self._named_outside_statements(at, cue.start)  # "..." . و في موسكو
            subject = self._sentence_subject(lo, cue)  # "و انتقدت صحف ... الذي اتهم ... ورات"
            if participle and not self.english:  # "... يراها المتتبعون ... ، فيما تنفي الحكومة
                newer = self._verb_before_subject(at, cue, known=last)  # ذلك قائلة ان": the
                if newer and not newer & last:  # clause since names its own subject
                    return Subject("continued", newer, "(subject of the clause before)")
            narrated = self._named_outside_statements(at, cue.start)
            newcomers = frozenset(p for p in narrated if self.mentions.kinds.get(p) == "person")
            if participle and not self.english:  # a circumstantial participle (مشيرا) goes
                since = self._outside_other_contents(at, cue)  # on with its clause's subject
                since |= self._but_he(at, cue)
            quoting = frozenset(  # "وأضاف « تحدث مشعل ...، مشيراً أن ... »": the quotation
                pid  # of the one quoting holds the participle, which may be his report
                for at, speakers in same
                if self._quotes(at, cue)
                for pid in speakers
            )
            return Subject(
                "continued",
                last | since | subject | quoting,
                "(same sentence)",
                primary=last | newcomers,
            )
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
        people = [  # not one a preposition governs ("في رد ه على العقاد دافع محفوظ ... قائلا")
            m
            for m in clause
            if self.mentions.kinds.get(m.pid) != "state"
            and not self._governed(m, lo)
            and not self._in_a_content(m.span, unless_holding=cue)  # "وإن الشركة بدأت
        ]  # ...، مفيدا": the company is in what was said, not who goes on saying it
        if people and participle and not pronoun and not self._object_genitive(lo, people[0]):
            # "وزار فلان ...، مؤكدا أن": the subject of the sentence
            speakers = frozenset({people[0].pid}) | self._person_right_before(lo, cue)
            return Subject("continued", speakers, "(subject of the sentence)")
        earliest = self.bounds(max(0, sentence - CARRY_MAX_SENTENCES))[0]
        before = [(at, speakers) for at, speakers in history if earliest <= at < cue.start]
        if not before:
            if not pronoun and (self.english or participle):
                return Subject("none")
            # "He said", or an Arabic verb that drops its subject ("يقول :" in a profile), with
            # no statement before: a person the story named just before
            start = self.bounds(max(0, sentence - 2))[0]
            recent = (
                self._ungoverned_within(start, cue.start, ("person",)) if self.sentences else None
            )
            feminine = self._feminine(cue)  # "قالت": a body, a state or a woman
            if feminine or not pronoun:  # or a crowd the sentence names before it; after a
                # feminine verb a body it names ("كشفت عنها أحدث دراسة علمية، حيث أفادت عبر
                # المجلة": the study)
                kinds_named = ("organization", "state") if feminine else ("group",)
                colon = self.text.rfind(":", lo, cue.start)  # not a dateline's paper ("بغداد ـ
                after = colon + 1 if feminine and colon >= 0 else lo  # «الشرق الأوسط»: اعلنت")
                recent = (recent or frozenset()) | self._ungoverned_within(
                    after, cue.start, kinds_named
                )
            if not self.english and _SHE_OR_THEY.search(self.text, lo, cue.start):  # "ف الصحف
                bodies = self._named_outside_statements(lo, cue.start)  # ... باتت ...، ف هي
                recent = (recent or frozenset()) | {  # تطالب": هي is a body as often as a woman
                    p for p in bodies if self.mentions.kinds.get(p) != "person"
                }
            return Subject("continued", recent or frozenset(), "(named just before)")
        last = before[-1][1]
        candidates = set(last)
        if before[-1][0] in self._background:  # "و كان الاسد قال ... . و قال ان": the story's
            main = [speakers for at, speakers in before if at not in self._background]
            if main:  # speaker may take up again, and then goes on
                candidates |= main[-1]
                last = last | main[-1]
        if pronoun:  # "he" may be anyone named since, "they" any body: keep them as candidates
            kinds = ("person",) if personal else ("person", "organization", "group")
            named = self.named_within(before[-1][0], cue.start, kinds)
            if not self.english:  # "وأضاف في تصريح": not one named inside what was said
                named &= self._named_outside_statements(before[-1][0], cue.start)
            candidates |= named
        woman = self._feminine(self._word_at(before[-1][0]))  # "وقالت دانيلي بيل ... وأضافت"
        if (
            self._feminine(cue)
            and not woman
            and all(self.mentions.kinds.get(c) == "person" for c in candidates)
        ):
            candidates |= {  # "و اكدت ان" after a man spoke: a body (the paper, the state)
                pid  # that spoke before him may take up again; a verb does not say which
                for _, speakers in before
                for pid in speakers
                if self.mentions.kinds.get(pid) != "person"
            }
        if not pronoun:  # a dropped subject may be anyone the narration named since
            candidates |= self._named_outside_statements(before[-1][0], cue.start)
        return Subject("continued", frozenset(candidates), "(the speaker before)", primary=last)

    def _unlisted_attributions(self, listed: Sequence[Span]) -> list[tuple[int, frozenset[str]]]:
        """Speech verbs of the narration that no position lists, with their subject written
        beside them: the speaker they name goes on to the next dropped subject as a listed
        one would ("... مستقبل الرجل ء . و لكن الحكيم قال ما هو اروع ... لقد تحدث عن ها": Hakim,
        not the poet quoted before). Not inside what was said nor inside a quotation."""
        if self.english:
            return []
        quoted = self.run.quotations()
        found: list[tuple[int, frozenset[str]]] = []
        folded = normalize(self.text)  # once: folding word by word costs more than the rest
        for word in _ARABIC_WORD.finditer(folded.text):
            if bare_verb(word.group()) not in CHAIN_VERBS:
                continue
            start, end = folded.to_source(word.start(), word.end())
            verb = Span(start=start, end=len(self.text[start:end].rstrip()) + start)
            if any(
                c.start < verb.end and verb.start < c.end for c in (*listed, *self._contents)
            ) or any(a <= verb.start < b for a, b in quoted):
                continue
            clause = self.clause_start(verb.start, self.sentence_of(verb.start))
            said = SAID_BEGINS.search(self.text, verb.end, self.sentence_end(verb.start))
            opens = folded_words(self.text[clause : verb.start])[-1:]  # not "لمجرد ذكر جورج
            verb_first = not opens or opens[0] in _CLAUSE_OPENERS  # بوش": a verbal noun
            subject = self.after(verb, said.start() if said else None) if verb_first else None
            subject = subject or self.before(clause, verb.start)
            if subject is not None and subject.how == "named" and subject.speakers:
                found.append((verb.start, subject.speakers))
        return found

    def _object_genitive(self, lo: int, first: Mention) -> bool:
        """`first` follows a noun, not the clause's opening verb, that governs it ("ورفضت
        محاولة مجموعة X ...، قائلة"): it is the genitive of the verb's object, not the verb's
        subject. Not after a definite word, a particle or a demonstrative ("أوضح ذلك لـ
        الوطن عضو اللجنة")."""
        start = _skip_locative(self.text, lo, first.span.start)
        words = self.unmentioned_words(start, first.span.start)
        if len(words) != 2 or not _ARABIC_WORD.fullmatch(words[-1]) or len(words[-1]) < 4:
            return False
        noun = words[-1]  # ending in ة (folded ه), which no verb does
        return noun.endswith("ه") and not noun.startswith("ال") and noun not in _NOT_GOVERNING

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
        starts = sorted([lo, *(m.end() for m in clauses), *self._opened_around(lo, cue)])
        subject: Mention | None = None
        masculine = self._masculine_past(cue)
        for start, end in zip(starts, [*starts[1:], cue.start], strict=True):
            if any(
                c.start <= start < c.end and not c.start <= cue.start < c.end
                for c in self._contents
            ):  # "إن العلاقات ممتازة، وإن مصر ستدعم": a clause of what was
                continue  # stated; not of the statement holding this cue ("وقالت الصحيفة إن
                # الموظفة غادرت واعتبرت": the employee's verb, inside the paper's words)
            if start == lo and known:
                continue
            start = _skip_locative(self.text, start, end)  # "و في موسكو اصدرت الخارجية"
            heads = [  # not one named in what was said ("و ناشد الدول الغربية بدعم ...")
                m
                for m in self.heads(self.mentions.within(start, end))
                if not self._in_a_content(m.span, unless_holding=cue)
            ]
            lead = tuple(self.unmentioned_words(start, heads[0].span.start)) if heads else ()
            if heads and len(lead) <= 1:
                last_end = max(m.span.end for m in self.mentions.within(start, end))
                if lo < start and end < cue.start and not folded_words(self.text[last_end:end]):
                    continue  # "، السفير الإيراني في عمان محمد الايراني ،": an apposition
                verb = folded_words(self.text[start : heads[0].span.start])[-1:]
                if masculine and verb and _FEMININE_PAST.fullmatch(verb[0]):
                    continue  # "زارت سيدتي ليوناردو ... و قال": no woman or body says قال
                if verb and _PARTICIPLE.fullmatch(verb[0]):  # "، مخاطبا الأفراد الذين التحقوا
                    continue  # بالجيش قائلا": whom a participle addresses is its object
                subject = heads[0]
        if subject is None and not known:
            return frozenset()
        speakers = {subject.pid} if subject is not None else set(known or ())
        anchor = subject.span.end if subject is not None else lo
        for rel in _RELATIVE.finditer(self.text, anchor, cue.start):
            before = self.heads(self.mentions.within(anchor, rel.start()))
            if before:
                speakers.add(before[-1].pid)
            after = self.heads(self.mentions.within(rel.end(), cue.start))  # "حقيقة الصورة
            if after and self.lead_words(rel.end(), after[0].span.start) == 1:  # التي تداولتها
                speakers.add(after[0].pid)  # مواقع التواصل ...، وزعمت": its own subject too
        return frozenset(speakers)


# An explicit pronoun subject right before the verb: "ف هي تطالب", "و هم يرون".
_SHE_OR_THEY = re.compile(r"(?<!\w)[وف]?\s?(?:هي|هى|هم)\s*$")
# Where a clause of its own begins: after a comma, or after فيما / بينما (while).
# Where a clause opens, "however" included: "غير أن وزير الدفاع موشي يعلون بدا ...، ووصف",
# "وبرغم تفاوت الآراء حول أداء الحكام إلا أن المهنا تمسك برضاه ... قائلا"
_CLAUSE_OPENING = re.compile(
    r"[،,;؛:]|(?<!\w)(?:فيما|بينما|(?:في|فى) حين|(?:غير|إلا|الا|بيد) (?:أن|ان))(?!\w)"
)
_NOT_GOVERNING = PREPOSITIONS | PARTICLES | ADVERBS | OPENERS | FILLERS | DEMONSTRATIVES
_RELATIVE = re.compile(rf"(?<!\w)(?:{RELATIVE_WORDS})(?!\w)")
# An Arabic participle in the accusative (مخاطبا، موجها، مؤكدا): its subject is the clause's.
_PARTICIPLE = re.compile(r"م[\u0621-\u064a]{3,}ا")
_BUT_HE = re.compile(r"(?<!\w)و?لكن(?:ه|ها)(?!\w)")  # "لكنه اعتذر"
_BUT_HE_WORDS = 4  # words from "but he" to the participle: his verb and its object
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
# What may stand before a verb that opens its clause ("و قال", "ولكن قال", "لقد تحدث").
_OPENER_WORDS = "و ف لكن ولكن قد وقد لقد ولقد كما وكما ثم فيما بينما حيث"
_CLAUSE_OPENERS = frozenset(fold(w) for w in _OPENER_WORDS.split())
# A place fronted before the verb ("و في موسكو اصدرت الخارجية الروسية"): no word of the clause.
_LOCATIVE = re.compile(r"\s*(?:و\s*)?(?:في|فى)\s+[^\s،,]+\s*[،,]?\s*")


# A feminine singular past verb before its subject: "زارت", "اعلنت" (not "قالت" alone: any).
_FEMININE_PAST = re.compile(r"[وف]?[\u0621-\u064a]{2,}ت")


def _skip_locative(text: str, start: int, end: int) -> int:
    m = _LOCATIVE.match(text, start, end)
    return m.end() if m else start


__all__ = ["CarriedReader"]
