"""Where a cue's subject is written after the verb (VSO), past appositions and objects.

Arabic is read VSO: the subject follows the verb unless a preposition shows it was dropped, and
an unlisted noun right after the verb is the subject even when a participant is named behind
it. What is written before the verb (SVO, and all of English) is
`agent.extraction.subjects_before`; both rest on `SubjectReader`'s view of the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from agent.extraction.mentions import DESCRIPTION_WORDS, Mention
from agent.extraction.subjects import (
    SUBJECT_HEAD_WORDS,
    SUBJECT_MAX_LEAD,
    Subject,
)
from agent.extraction.subjects_before import MARK, BeforeVerbReader
from agent.models import Span
from agent.text.cue_words import (
    ADVERBS,
    CONTINUATIONS,
    DOCUMENTS,
    FILLERS,
    GOVERNING_PREPOSITIONS,
    OPENERS,
    PARTICLES,
    PREPOSITIONS,
    RELATIVES,
    RELAY_VERBS,
    SUFFIX_PRONOUNS,
    VERBS,
    bare_verb,
    definite_noun,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

# Verbs of appearing in a document ("وجاء في البيان", "وورد في التقرير").
_APPEARS = frozenset(fold(w) for w in ["جاء", "ورد"])

# Prepositions that open a phrase right after a verb whose subject was dropped ("وقال في كلمة",
# "قوله خلال"); not ل or عن, after which the subject may still follow ("قال لـ«الحياة» مسؤول").
_AFTER_DROPPED_WORDS = "في خلال أثناء اثناء عقب بعد قبل أمام امام عبر لدى إثر اثر"

_AFTER_DROPPED = frozenset(fold(w) for w in _AFTER_DROPPED_WORDS.split(" "))

# "نفت في ه حماس", "ادعى فيها البابا": the pronoun of a relative clause before the subject
_PRONOUN = re.compile(rf"\s*(?:{'|'.join(SUFFIX_PRONOUNS)})(?!\w)")
_RESUMPTIVE = re.compile(r"\s*(?:(?:في|فى)\s?(?:ه|ها|هم)|خلال\s?(?:ه|ها))(?!\w)")

# ل before a name right after the verb: the one told ("للشرق الأوسط", "لـ«الحياة»", tokenised
# "ل الشرق الاوسط"); the span of a name behind لل starts at its second ل
_DATIVE = re.compile(r"\s*(?:ل{1,2}|لـ)\s*[«\"“]?\s*")

# Verbs whose direct object is whom they told ("أبلغ", "أخبر"), and a quoted name after them.
_TELL_VERBS = frozenset(fold(w) for w in ("أبلغ", "ابلغ", "أخبر", "اخبر"))
_QUOTED_NAME = re.compile(r"\s*[«\"“]\s*")
# إمام (imam), which folds to the spelling of أمام (in front of), at a subject's place.
_IMAM = re.compile(r"\s*(?:ال)?إمام(?!\w)")
# A time written after في, which the subject may follow: "وأعلن في أبريل الماضي رسام الكاريكاتير"
_TIME_WORDS = (
    "يناير فبراير مارس أبريل ابريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
    "نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين وقت الأسبوع الاسبوع "
    "الشهر العام السنة"
)
_TIMES = frozenset(fold(w) for w in _TIME_WORDS.split(" "))
# A source phrase right after the verb, before any subject: "وشددت، وفقا لما نقلته ...", "الذي
# أكد وبحسب مقربين منه رغبته".
_SOURCED = re.compile(r"\s*[،,]?\s*(?:و\s?)?(?:وفقا|وفقاً|حسب|بحسب|طبقا|طبقاً)\s")
_DATIVE_TITLE = re.compile(r"\s*(?:لل|ل\s+ال|لـ\s*ال)[\u0621-\u064a]")

_OBJECT_PRONOUN = re.compile(r"(?:ه|ها|هم)$")  # "ما قاله": what he said
_ABOUT = frozenset(fold(w) for w in ("عنه", "عنها", "به", "بها"))  # "ما كشفت عنه"
_CLOSING_MARKS = frozenset('»"”')

# A verb of making or presenting with the document as its pronoun: أجرته، أعدتها، أصدرها،
# نفذتها، قدمها ("بحسب شهادة ميلاده التي قدمها محاميه": the lawyer's evidence). Not
# نشره (published): "في بيان نشره الاتحاد" is still the speaker's statement, the paper that
# published a study is not its author.
_MAKERS = "اجر|اعد|اصدر|نفذ|قدم"
_AUTHORED = re.compile(rf"(?:{_MAKERS})ت?(?:ه|ها)")
_PUBLISHED = re.compile(rf"(?:{_MAKERS}|نشر)ت?(?:ه|ها)")  # made or published

_ADDRESSED = re.compile(r"(?<!\w)(?:الى|إلى|الي)(?!\w)")

TITLE_LEAD_MAX = 7  # words of a title the answer does not list, between a verb and the name
# Words no title holds: particles, relatives, "among" and a pronoun written apart ("و بين هم").
_NOT_IN_TITLES = (
    PARTICLES
    | DESCRIPTION_WORDS
    | RELATIVES
    | frozenset(fold(w) for w in ["بين", "بينهم", "ه", "ها", "هم", "هما", "هن", "نا"])
)


class WrittenSubjectReader(BeforeVerbReader):
    """The subject written around a cue occurrence: `after` the verb, `before` it."""

    def main_clause(self, start: int) -> Subject | None:
        """The subject of the clause after an opening participle phrase."""
        stop = self.sentence_end(start)
        items = self.heads(self.mentions.within(start, stop))
        if items and self.lead_words(start, items[0].span.start) <= SUBJECT_MAX_LEAD:
            return self.named(self._group_head(items), items)
        return None

    def after(self, cue: Span, end: int | None = None) -> Subject | None:
        """The subject written right after the verb (VSO), within the cue's clause."""
        stop = self.sentence_end(cue.start) if end is None else end
        if end is None:  # after a quotation: up to the next clause break
            m = re.search(r"[،,;؛.!?؟\n]", self.text[cue.end : stop])
            stop = cue.end + m.start() if m else stop
        begin = cue.end
        resumptive = _RESUMPTIVE.match(self.text, begin, stop)  # "نفت فيه حماس": "in which
        if resumptive is not None:  # Hamas denied"; the subject follows the pronoun
            begin = resumptive.end()
        copied = folded_words(self.text[cue.start : cue.end])
        # "نفت في" + "ه حماس": the cue copied with the preposition of its resumptive pronoun
        resumes = copied[-1:] in (["في"], ["خلال"]) and len(copied) > 1
        pronoun = _PRONOUN.match(self.text, begin, stop) if resumes else None
        if pronoun is not None:
            begin = pronoun.end()
        items = self.heads(self.mentions.within(begin, stop))
        # "وقال للشرق الأوسط مسؤول", "قال لـ«الحياة»": whom he told is no subject; only after a
        # verb ("قال بيان لرئاسة الوزراء" is the office's statement)
        last = copied[-1:]
        # after a source phrase ل names the source ("وفقا لمصادر امنية"), not whom it was told
        told = not self.english and bool(last) and last[0] not in DOCUMENTS
        told = told and not self.source_phrase(cue)
        if items and told and self._told(begin, items[0]):
            begin = items[0].span.end
            while begin < stop and self.text[begin] in _CLOSING_MARKS:
                begin += 1
            items = self.heads(self.mentions.within(begin, stop))
        words = folded_words(self.text[begin:stop])
        while words and words[0] in ADVERBS:
            words.pop(0)
        verb = [w for w in copied if w not in ("و", "ف")]  # "و جاء في" as NewsFANE writes it
        if verb and bare_verb(verb[0]) in _APPEARS and "في" in (verb + words)[1:2]:
            # "وجاء في بيان لوزارة الخارجية ان": the document's author, named after it, speaks
            if items and self.lead_words(begin, items[0].span.start) <= SUBJECT_MAX_LEAD:
                return self.named(items[0], items)
            return Subject("continued", evidence="في")  # "وجاء في البيان": its author
        if not self.english and _SOURCED.match(self.text, begin, stop):  # "وشددت وفقا لما
            return Subject("continued", evidence=words[0] if words else "")  # نقلته وكالة
            # الأنباء": the agency relays; the verb's own subject was dropped
        # "وقال في كلمة ...": the subject was dropped; not "ولفت إمام وخطيب جامع", whose إمام
        # (imam) folds to the spelling of أمام (in front of)
        imam = _IMAM.match(self.text, begin, stop)
        medium = self._medium_of_what(cue, begin, words, items)
        if medium is not None:  # "ما ذكر في بعض وسائل الإعلام": the media it was said in
            return self.named(medium, items)
        timed = words[:1] == ["في"] and words[1:2] and words[1] in _TIMES
        if words and words[0] in PREPOSITIONS and not imam and not timed:
            return Subject("continued", evidence=words[0])
        # the cue copied with the preposition: "قالت في", "قائلا في", "قوله خلال"
        dropped = len(copied) > 1 and copied[-1] in _AFTER_DROPPED and pronoun is None
        if dropped and not self.source_phrase(cue):
            return Subject("continued", evidence=copied[-1])
        if (  # "في ه مدافع منتخب ايطاليا": no particle governs him
            items
            and not self.english
            and pronoun is None
            and self._governed_by_particle(cue, begin, items[0])
        ):
            return Subject("continued", evidence=words[0])  # "نداء الى المسؤولين ل": whom
            # it is addressed to, not who makes it
        if words and words[0] in DOCUMENTS and items and self._addressed(begin, items[0]):
            return Subject("continued", evidence=words[0])  # "وطالبت المذكرة الموجهة الى
            # الرئيس": the memorandum's authors speak, not the president it is addressed to
        author = self._author_after(begin, items)
        if author is not None:  # "وبحسب مسح لإنتاج أوبك أجرته رويترز": who conducted the
            return self.named(author, items)  # survey speaks, not what it surveyed
        if items and not self.english and self._source_named_after_what(cue, begin, items[0]):
            return self.named(items[0], items)  # "بحسب ما كشفت عنه بيانات أمانات المناطق"
        if items and not self.english and self._what_another_said(begin, items[0]):
            return Subject("continued", evidence="ما")  # "بالتأكيد على ما قاله خادم
            # الحرمين": who said what is taken up is not who takes it up
        if items and not self.english:
            held = self._held_by_description(begin, items)
            if held is not None:
                return held
        if items:
            first = self._genitive_head(items, begin)
            lead = self.text[begin : first.span.start]
            governing = self._word_before(self._written_from(first, begin), begin)
            document = bool(words) and words[0] in DOCUMENTS  # "بيان صادر عن مكتب اولمرت"
            if not (self.english or document) and governing in GOVERNING_PREPOSITIONS:
                return Subject("continued", evidence=words[0] if words else "")  # "وقال
                # مدافعا عن الجمعية": whom he defended; his subject was dropped
            apposition = lead.rstrip().endswith((",", "،")) and len(folded_words(lead)) <= 6
            if self.lead_words(begin, first.span.start) <= SUBJECT_MAX_LEAD or apposition:
                return self.named(first, items)
            if self._unlisted_title_before(begin, first):
                return self.named(first, items)
        if words and words[0] in DOCUMENTS and not self.english and not words[0].startswith("ال"):
            return Subject("none", evidence=words[0])  # "اظهرت دراسة جديدة ... ان": an
            # indefinite document whose authors this clause does not name: nobody's before
        found = self.describe(words[: SUBJECT_HEAD_WORDS + 2])
        unknown = found is not None and found.how == "unknown"
        if unknown and not _definite_phrase(words, self.english):
            return None  # not clearly a subject: decide nothing from it
        return found

    def _medium_of_what(
        self, cue: Span, begin: int, words: Sequence[str], items: Sequence[Mention]
    ) -> Mention | None:
        """After "ما" a bare verb is passive, what was said (ما ذكر، ما نشر، ما تداول); the
        participant written right after its في is where it was said, who said it."""
        if self.english or not items or words[:1] != ["في"]:
            return None
        if self._word_before(cue.start) != "ما":
            return None
        return items[0] if self.lead_words(begin, items[0].span.start) == 1 else None

    def _what_another_said(self, begin: int, first: Mention) -> bool:
        """ما and a speech verb between the cue and the name (ما قاله، ما أعلنه): the name is
        that verb's subject, inside the cue's object."""
        lead = folded_words(self.text[begin : first.span.start])
        return any(
            word == "ما" and _OBJECT_PRONOUN.sub("", verb) in VERBS for word, verb in pairwise(lead)
        )

    def _source_named_after_what(self, cue: Span, begin: int, first: Mention) -> bool:
        """After a source phrase, "ما" and a speech verb name the source ("بحسب ما كشفت عنه
        بيانات الأمانات", "وفقا لما نقلته وكالة الأنباء"): what X said is the source's words,
        not another's taken up as after an ordinary verb (`_what_another_said`)."""
        lead = folded_words(self.text[begin : first.span.start])
        if not self.source_phrase(cue) or not 2 <= len(lead) <= 4 or lead[0] not in ("ما", "لما"):
            return False
        verb = _OBJECT_PRONOUN.sub("", lead[1])
        spoke = {verb, verb[:-1] if verb.endswith("ت") else verb} & (VERBS | RELAY_VERBS)
        return bool(spoke) and all(w not in PARTICLES or w in _ABOUT for w in lead[2:])

    def _told(self, begin: int, first: Mention) -> bool:
        """ل right before the name, or before a title of his the answer need not list ("ك ما
        قال للناقد المصري الراحل غالي شكري"): the one told, not the subject."""
        lead = self.text[begin : first.span.start]
        if _DATIVE.fullmatch(lead):
            return True
        verb = folded_words(self.text[max(0, begin - 12) : begin])[-1:]
        if verb and bare_verb(verb[0]) in _TELL_VERBS and _QUOTED_NAME.fullmatch(lead):
            return True  # 'أبلغ "الاقتصادية" مسؤول بحريني': the paper told, then who told it
        return bool(_DATIVE_TITLE.match(lead)) and _title_lead(lead, after=1)

    def _unlisted_title_before(self, begin: int, first: Mention) -> bool:
        """A person's title the answer does not list, written between the verb and the name
        ("رفض رئيس مجلس النواب اللبناني نبيه بري"): the name is still the subject. Not when a
        mark or a particle stands between ("مصدر مقرب من الرئيس محمود عباس": the source)."""
        if self.english or self.mentions.kinds.get(first.pid) != "person":
            return False
        return _title_lead(self.text[begin : first.span.start])

    def _held_by_description(self, begin: int, items: Sequence[Mention]) -> Subject | None:
        """An unlisted definite noun right after the verb is its subject, and a participant
        written after it behind other words is not: "وهتف المتظاهرون بشعارات تصف الزيدي",
        "و قال المسؤول المقرب من الامم المتحدة". Behind a preposition the participant is
        whom the description speaks for ("المتحدث باسم حزب الله"), so it may be credited too.
        Not an apposition: "الرئيس الامريكي جورج بوش", "الناطق باسم الحكومة علي الدباغ"."""
        first = items[0]
        lead = folded_words(self.text[begin : first.span.start])
        while lead and lead[0] in ADVERBS:
            lead.pop(0)
        if not definite_noun(lead, False) or lead[0] in RELATIVES:  # "التهديدات التي اطلقتها
            return None  # ايران": the relative's own subject
        if self._genitive_head(items, begin) is not first:
            return None
        head: list[str] = []
        for word in lead:  # "المفكر و الباحث اياد جمال الدين": one description
            if not (word.startswith(("ال", "وال")) or word == "و"):  # "والباحث" glued too
                break
            head.append(word)
        rest = lead[len(head) :]
        if not rest:
            return None  # the participant follows the description directly: its apposition
        described_for = rest == lead[-1:] and rest[0] in DESCRIPTION_WORDS
        # "وأظهرت البيانات التي نشرتها مجلة ذا بانكر": who published them may be their source
        published = _PUBLISHED.fullmatch(rest[-1]) is not None
        published = published and all(w in RELATIVES for w in rest[:-1])
        owner = frozenset({first.pid}) if described_for or published else frozenset()
        described = self.describe(head)
        if described is not None and described.how == "described":
            return Subject("described", described.speakers | owner, " ".join(head))
        return Subject("unknown", owner, " ".join(head))

    def _governed_by_particle(self, cue: Span, start: int, item: Mention) -> bool:
        """Only a particle stands between the verb and the first participant after it, written
        after the cue or copied as its last word ("نداء الى المسؤولين", "عرض على سولانا"): the
        particle governs him, he is no subject ("قال عنها مصدر" has the particle's own pronoun
        in between)."""
        between = folded_words(self.text[start : item.span.start])
        if between:
            return len(between) == 1 and between[0] in PARTICLES
        copied = folded_words(self.text[cue.start : cue.end])
        return len(copied) > 1 and copied[-1] in PARTICLES

    def _addressed(self, start: int, item: Mention) -> bool:
        """The participant is written right after الى: whom a document is addressed to."""
        to = list(_ADDRESSED.finditer(self.text, start, item.span.start))
        return bool(to) and self.lead_words(to[-1].end(), item.span.start) == 0

    def _author_after(self, begin: int, items: Sequence[Mention]) -> Mention | None:
        """The participant right after a verb of making that takes the document back as its
        pronoun ("دراسة أعدتها جامعة", "مسح لإنتاج أوبك أجرته رويترز"), when only the
        document's few words and the participants they name stand before it."""
        if self.english or not items or not self.lead_words(begin, items[0].span.start):
            return None  # "وأضاف تافيكيو في بيان": the subject is written first
        for m in items:  # "وأظهرت الدراسة التي أعدتها الجامعة": the first may be it too
            if self.lead_words(begin, m.span.start) > SUBJECT_HEAD_WORDS:
                return None
            if _AUTHORED.fullmatch(self._word_before(m.span.start, begin)):
                return m
        return None


def _title_lead(lead: str, after: int = 0) -> bool:
    """`lead` may be a title written before its holder: a few words, no mark, and (from word
    `after` on: the dative's own word is not a title's) none that no title holds."""
    words = folded_words(lead)
    return (
        0 < len(words) <= TITLE_LEAD_MAX
        and not MARK.search(lead)
        and not any(w in _NOT_IN_TITLES for w in words[after:])
    )


def _definite_phrase(words: Sequence[str], english: bool) -> bool:
    """A definite noun ("وقال المتظاهرون") or a noun governing one ("وقال رئيس الوزراء",
    "واكد وزير الخارجية"): an unlisted subject, not words to decide nothing from."""
    if definite_noun(words, english):
        return True
    construct = len(words) > 1 and definite_noun(words[1:], english)
    return construct and words[0] not in _NOT_HEADS and len(words[0]) > 2


# What may stand before a definite noun without governing it.
_NOT_HEADS = PREPOSITIONS | PARTICLES | ADVERBS | OPENERS | FILLERS | RELATIVES | CONTINUATIONS

__all__ = ["WrittenSubjectReader"]
