"""What the words around a cue say, read from the text alone: the verb's form (feminine, dual or
plural, a participle going on), the conjunction joining it, a relative or resumptive clause, a
relaying verb (its source and an owned noun's owner are `agent.extraction.relayed`). A background
كان clause is `agent.extraction.pluperfect`; which cue governs a content is
`agent.extraction.governing`.

`Attributor` (attribution.py) decides who spoke from these readings and the statements before;
nothing here looks at other statements, so each reading is a fact of one passage of text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.extraction.relayed import OWNER_PRONOUNS, RelayReader
from agent.extraction.subjects import Subject, glued_preposition
from agent.models import Span
from agent.text.cue_words import (
    CIRCUMSTANTIAL,
    COMPLEMENTIZER_WORDS,
    CONTINUATIONS,
    GOVERNING_PREPOSITIONS,
    OBJECT_VERBS,
    PARTICLES,
    PLURAL_PARTICIPLE,
    PLURAL_VERB,
    RELATIVE_WORDS,
    VERBS,
    WORDS,
    bare_verb,
)
from agent.text.normalize import fold, is_caption, normalize
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.mentions import Mention


class CueReader(RelayReader):
    """The readings of the text around one cue occurrence that every attribution rule shares."""

    def _without_complementizer(self, cue: Span) -> Span:
        """The cue without a complementizer copied at its end ("مضيفا ان", "أكد أن", "said
        that"): that word opens what was said, and the subject is read around the verb."""
        last = _LAST_WORD.search(self.text, cue.start, cue.end)
        if last is None or last.start() == cue.start or fold(last.group()) not in _COMPLEMENTIZERS:
            return cue
        end = last.start()
        while end > cue.start and self.text[end - 1].isspace():
            end -= 1
        return Span(start=cue.start, end=end)

    def _verb_of(self, cue: Span) -> Span | None:
        """The verb of an Arabic cue copied with what follows it ("اكدت الصحيفة"): the rest is
        read as the text after the verb. Not a verb with its particle (أعرب عن)."""
        if self.english:
            return None
        first = re.match(r"(?:[وف]\s+)?\S+", self.text[cue.start : cue.end])  # "و اكدت"
        rest = folded_words(self.text[cue.start + first.end() : cue.end]) if first else []
        if first is None or not rest or all(w in PARTICLES | OWNER_PRONOUNS for w in rest):
            return None  # "أعرب عن", "نفي ها"
        word = folded_words(first.group())[-1:]
        stems = {w for v in word for w in (v, bare_verb(v), v[:-1], bare_verb(v)[:-1])}
        verb = Span(start=cue.start, end=cue.start + first.end())
        if not stems & VERBS and not self._subject_starts_inside(cue, verb):
            return None
        return verb

    def _subject_starts_inside(self, cue: Span, verb: Span) -> bool:
        """A participant's name begins right after the cue's first word and runs on past the
        cue ("لاحظ محللون في دبي", "يشير جون بريندرغاست"): the cue was copied with the start
        of its subject, and its first word is the verb."""
        stop = self.sentence_end(cue.start)
        return any(
            verb.end < m.span.start < cue.end and not self.text[verb.end : m.span.start].strip()
            for m in self.mentions.within(verb.end, stop)
        )

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
        lo = self.sentence_start(cue.start)
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

    def _accusative(self, cue: Span) -> bool:
        """A masculine participle cue in the accusative (واصفا، مؤكدا): it goes on with its
        clause's subject, so a name right after it is its object ("واصفا الملك سلمان بـ«البطل»")."""
        words = self._verb_words(cue)
        return bool(words) and any(
            w in CONTINUATIONS and w.endswith("ا") for w in {words[0], bare_verb(words[0])}
        )

    def _verb_words(self, cue: Span) -> list[str]:
        return verb_words(self.text[cue.start : cue.end])

    def _plural_verb(self, cue: Span) -> bool:
        """اكدا / قالوا / وصفوه: a dual or plural attribution verb speaks for several."""
        for w in self._verb_words(cue):
            for stem in {w, bare_verb(w)}:  # وافقا is no و + افقا
                if stem.endswith("ا") and stem[:-1] in VERBS:  # dual: اكدا
                    return True
            if _plural(bare_verb(w)):  # قالوا, وصفوه, مطالبين
                return True
        return False

    def _groups_before(self, cue: Span, sentence: int, content: Span) -> frozenset[str]:
        """The groups this sentence names before a plural verb (after it, for a participle:
        "تظاهر نحو 60 مسيحيا ... مطالبين"): a plural verb with no subject of its own has
        theirs. Not for a dual (اكدا: two persons) and not in English, and not a group in what
        is said ("مطالبين ... بإطلاق سراح المعتقلين": the detainees demand nothing). Only
        the statement's own words: a crowd in another's report may still be the one who goes
        on ("وقال شهود ان الآلاف من المتظاهرين تدفقوا ... يهتفون")."""
        words = [bare_verb(w) for w in self._verb_words(cue)]
        if not any(_plural(w) for w in words):
            return frozenset()
        lo = self.bounds(sentence)[0]
        participle = any(PLURAL_PARTICIPLE.fullmatch(w) for w in words)
        end = self.sentence_end(cue.start) if participle else cue.start
        found = self.mentions.within(lo, end)
        return frozenset(
            m.pid
            for m in found
            if self.mentions.kinds.get(m.pid) == "group"
            and not self._governed(m, lo)
            and not content.start <= m.span.start < content.end
        )

    def _governed(self, m: Mention, since: int) -> bool:
        """The mention, with the title written right before it (its run from `since` on), is
        governed by a preposition ("تضامن العمال مع المتظاهرين ورفعوا", "حسب المنظمين", "الى
        المستشارة الالمانية انجيلا ميركل") or by a noun as its genitive ("اكبر مخيمات
        الفلسطينيين": the camps' people): it is no subject a later verb could go on from."""
        start = self._written_from(m, since)
        if glued_preposition(self.text, start):  # "بعائلته"
            return True
        before = self._word_before(start)
        if not before:
            return False
        definite = fold(self.text[start : start + 2]) == "ال"
        genitive = definite and _CONSTRUCT_HEAD.fullmatch(before) is not None
        return before in GOVERNING_PREPOSITIONS or genitive

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
        if _COUNTERPART.search(self.text[max(lo, last.span.start - 30) : last.span.start]):
            return frozenset()  # "وهنأ الرئيس ... نظيره الجزائري عبد المجيد تبون ...، مؤكدا":
        return frozenset({last.pid})  # the counterpart is the verb's object

    def _masculine_after_body(self, cue: Span, subjects: frozenset[str]) -> bool:
        """A masculine participle (مؤكدا, not مؤكدة) after a subject that is no person: a body
        is most often feminine, so the man who spoke before may be the one going on."""
        words = folded_words(self.text[cue.start : cue.end])
        masculine = bool(words) and words[0].endswith("ا") and not words[0].endswith("تا")
        people = {pid for pid in subjects if self.mentions.kinds.get(pid) == "person"}
        return masculine and not people

    def _feminine(self, cue: Span) -> bool:
        """A feminine past verb (قالت، اكدت، اضافت): its subject is a woman or, far more often
        in news, a body or a state."""
        words = folded_words(self.text[cue.start : cue.end])
        return (
            not self.english
            and bool(words)
            and any(w.endswith("ت") and w[:-1] in VERBS for w in {words[0], bare_verb(words[0])})
        )

    def _word_at(self, start: int) -> Span:
        """The word written from `start` on: a cue's verb, where only its start is kept."""
        found = WORDS.match(self.text, start)
        return Span(start=start, end=found.end() if found else start)

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

    def _caller(self, cue: Span, sentence: int) -> Subject | None:
        """ "تلقى X اتصالا هاتفيا من Y، أعرب خلاله عن": a verb with the pronoun of a call,
        letter or cable received from Y is Y's, who made it, not the one who received it."""
        if self.english or not self._resumptive(cue):
            return None
        lo = self.bounds(sentence)[0]
        folded = normalize(self.text[lo : cue.start])
        received = list(_RECEIVED_FROM.finditer(folded.text))
        if not received:
            return None
        start = lo + folded.to_source(received[-1].start(), received[-1].end())[1]
        items = self.heads(self.mentions.within(start, cue.start))
        if not items or self.lead_words(start, items[0].span.start) > 1:
            return None
        return self.named(items[0], items)

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

    def _object_state(self, cue: Span, own: Subject) -> bool:
        """A state after a masculine verb ("الرئيس الايراني الذي وصف اسرائيل بان ها"): a state
        takes a feminine verb (وصفت), so it is the verb's object and the relative's antecedent
        its subject."""
        kinds = {self.mentions.kinds.get(p) for p in own.speakers}
        return kinds == {"state"} and self._masculine_past(cue)

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
        if own is not None and own.how == "named" and not self._object_state(cue, own):
            return own
        lo = self.sentence_start(cue.start)
        heads = self.heads(self.mentions.within(lo, relative.start()))
        last = max(heads, key=lambda m: (m.span.end, -m.span.start), default=None)
        if last is None or self.text[last.span.end : relative.start()].strip():
            return None
        if self.mentions.kinds.get(last.pid) not in SPEAKER_KINDS:
            return None
        return self.named(last, [last])

    def _masculine_past(self, cue: Span) -> bool:
        """A masculine singular past verb (قال، اضاف، not قالت): its subject is no woman and
        no feminine body."""
        words = [w for w in folded_words(self.text[cue.start : cue.end]) if w not in ("و", "ف")]
        return bool(words) and bare_verb(words[0]) in VERBS  # "و قال" written apart too

    def _sentence_subject(self, lo: int, cue: Span) -> frozenset[str]:
        """The sentence's first person and first participant: a dropped subject may go on from
        the main verb ("و كان اولمرت قد اعلن ان ه رفض طلب انان ...، قائلا")."""
        heads = [m for m in self.heads(self.mentions.within(lo, cue.start))
                 if self.mentions.kinds.get(m.pid) != "state"]  # fmt: skip
        people = [m.pid for m in heads if self.mentions.kinds.get(m.pid) == "person"]
        opening = [m.pid for m in heads[:1] if self.lead_words(lo, m.span.start) <= 2]
        return frozenset(people[:1] + opening)  # the subject of the sentence's first verb


# "نظيره", "نظيرته الفرنسية" (tokenised "نظيرت ه"): the counterpart a visit, call or greeting is
# paid to.
_COUNTERPART = re.compile(r"(?<!\w)(?:ب|ل)?\s?نظير(?:ت)?\s?(?:ه|يه|ها)(?:\s+\S+){0,2}\s*$")
_ONLY_PUNCTUATION = re.compile(r"[\s,،]*")


_RELATIVE_BEFORE = re.compile(rf"(?<!\w)(?:{RELATIVE_WORDS})\s*$")


# "تلقى ... اتصالا هاتفيا امس من", "تلقت رسالة من" (folded): the sender is named after من.
_RECEIVED_FROM = re.compile(
    r"(?<!\w)[وف]?[يت]?تلق(?:ي|ى|ت|وا)\s(?:[^\s]+\s){0,14}?(?:اتصالا|اتصال|مكالمه|رساله|برقيه)"
    r"(?:\s[^\s]+){0,3}?\sمن\s"
)
_IN_IT = re.compile(r"(?<!\w)(?:(?:في|فى)\s?(?:ه|ها)|خلال\s?(?:ه|ها))(?!\w)")


SPEAKER_KINDS = ("person", "state", "organization", "group")

_JOINED_BEFORE = re.compile(r"(?:^|\s)[وف]\s*$")  # "و قال" tokenised, or و before a cue

# A noun whose form no verb has (a feminine plural or ة) and that heads a genitive after it.
_CONSTRUCT_HEAD = re.compile(r"[\u0621-\u064a]{2,}(?:ات|ة)")
# A written form no verb has: a final ta marbuta, or a preposition glued to the article.
_NOUN_FORM = re.compile(r"ة[^\w]*$|^(?:[وف]?(?:بال|كال|لل))")


def verb_words(text: str) -> list[str]:
    """The folded words of `text` that may be verbs by their written form: not a word ending in
    ة (a noun: "بالدعوة" folds to "بالدعوه", which reads like وصفوه, they described him) nor
    one opening with a preposition and the article (بال، كال، لل)."""
    return folded_words(" ".join(w for w in text.split() if not _NOUN_FORM.search(w)))


_LAST_WORD = re.compile(r"\w+\W*$")
# Complementizers a cue may be copied with: they open what was said.
_COMPLEMENTIZERS = frozenset(fold(w) for w in COMPLEMENTIZER_WORDS)


def _plural(word: str) -> bool:
    """A plural verb or participle, not a singular participle whose letters end as one does
    ("منوها" is منوّهاً, not منـ + وها like وصفوها)."""
    if word in CONTINUATIONS:
        return False
    return PLURAL_VERB.fullmatch(word) is not None or PLURAL_PARTICIPLE.fullmatch(word) is not None
