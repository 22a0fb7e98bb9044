"""Whose words they are when the verb names no one: a first person, an opinion, a speech
delivered, a document's authors.

"اعتقد ان" is the person who spoke just before; "حسب رايه" whose opinion the sentence names;
"وألقى الدكتور سعد كلمة ... قدم فيها" whoever delivered the speech; "صدق الوزراء علي بيان يدعو"
those who approved the statement. `Attributor` (attribution.py) tries these where the cue's
clause writes no subject of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.extraction.carried import CarriedReader
from agent.extraction.cue_reading import SPEAKER_KINDS
from agent.extraction.governing import SPEECH_SENTENCES
from agent.extraction.subjects import Subject
from agent.extraction.transcript import arabic_first_person
from agent.models import Span
from agent.text.cue_words import DOCUMENTS
from agent.text.normalize import fold
from agent.text.segments import folded_words

# A speech a verb's resumptive pronoun may stand for, with its owner after it: "بكلمة الوزير".
_SPEECHES = frozenset(
    fold(w) for w in ("كلمة", "بكلمة", "خطاب", "بخطاب", "محاضرة", "بمحاضرة", "حديث", "بحديث")
)


# "صادر عن" after a statement: its issuer is named next ("بياناً صادراً عن الفرقة 30").
_ISSUED = frozenset(fold(w) for w in ("صادر", "صادرا", "صادراً", "الصادر", "صادرة", "الصادرة"))
_STATEMENTS = frozenset(fold(w) for w in ("بيانا", "بياناً", "تصريحا", "رسالة", "بلاغا"))


class SpeechOwnerReader(CarriedReader):
    """The readings of who owns words no subject is written for."""

    def _first_person(self, cue: Span, sentence: int) -> bool:
        hi = self.bounds(sentence)[1]

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
        earliest = self.bounds(max(0, sentence - SPEECH_SENTENCES))[0]
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
        lo = self.bounds(sentence)[0]
        named = self.named_within(lo, content.start, ("person",))
        return Subject(
            "continued",
            carried.speakers | named,
            "(a person named before)",
            primary=carried.carried or None,
        )

    def _in_delivered(self, cue: Span, sentence: int, found: Subject | None) -> Subject | None:
        """A verb with the pronoun of the speech it is said in ("وألقى الدكتور سعد كلمة
        المكرمين قدم فيها"): whoever delivered it speaks, as may the genitive before the verb
        (the honourees whose speech it is)."""
        if found is None or found.how != "named" or not self._resumptive(cue):
            return found
        opening = self._verb_before_subject(self.bounds(sentence)[0], cue)
        if not opening or opening <= found.speakers:
            return found
        return Subject("named", found.speakers | opening, found.evidence)

    def _speech_given(self, cue: Span, sentence: int) -> Subject | None:
        """The one whose speech a verb says its words in, written right before it ("بكلمة
        مديرة النادي خيرية الحازمي، قالت فيها:"), or who issued the statement it came in
        ("بياناً صادراً عن الفرقة 30 جاء فيه:"): not the sentence's subject who hosted or
        passed it on."""
        if self.english or not self._resumptive(cue):
            return None
        lo = self.bounds(sentence)[0]
        heads = self.heads(self.mentions.within(lo, cue.start))
        last = max(heads, key=lambda m: m.span.end, default=None)
        if last is None or folded_words(self.text[last.span.end : cue.start]):
            return None
        lead = folded_words(self.text[lo : self._written_from(last, lo)])
        issued = len(lead) >= 3 and lead[-1] == "عن" and lead[-2] in _ISSUED  # "بياناً صادراً
        issued = issued and lead[-3] in DOCUMENTS | _STATEMENTS  # عن الفرقة 30 جاء فيه"
        return self.named(last, heads) if lead[-1:] and (lead[-1] in _SPEECHES or issued) else None

    def _document_authors(self, cue: Span, sentence: int) -> Subject | None:
        """ "صدق وزراء خارجية المنظمة علي بيان يدعو الفاتيكان الي": a statement that calls,
        right before the verb, speaks for those its sentence names before it (any of them)."""
        before = folded_words(self.text[max(0, cue.start - 30) : cue.start])[-2:]

        def document(word: str) -> bool:
            return bool({word, word.removesuffix("ا")} & DOCUMENTS)

        adjective = len(before) == 2 and _INDEFINITE_ADJECTIVE.fullmatch(before[1]) is not None
        if not before or not (document(before[-1]) or (adjective and document(before[0]))):
            return None  # "وأصدر الاتحاد بيانا إعلاميا قال إنه": past its adjective too
        lo = self.bounds(sentence)[0]
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


# An indefinite adjective of origin or kind after a document: إعلاميا، رسميا، صحفيا، مشتركا.
_INDEFINITE_ADJECTIVE = re.compile(r"[\u0621-\u064a]{3,}ا")

__all__ = ["SpeechOwnerReader"]
