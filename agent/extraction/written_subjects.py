"""Where a cue's subject is written: after the verb, before it, past appositions and objects.

Arabic is read VSO (the subject follows the verb unless a preposition shows it was dropped, and
an unlisted noun right after the verb is the subject even when a participant is named behind
it), English SVO (the clause's first noun group, past appositions and possessors). The readings
rest on `SubjectReader`'s view of the article (sentences, mentions, descriptions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.extraction.mentions import DESCRIPTION_WORDS, Mention
from agent.extraction.subjects import (
    KIN_WORDS,
    SUBJECT_HEAD_WORDS,
    SUBJECT_MAX_LEAD,
    Subject,
    SubjectReader,
    glued_preposition,
    touching,
)
from agent.models import Span
from agent.text.cue_words import (
    ADVERBS,
    AUXILIARIES,
    COLLECTIVES,
    CONTINUATIONS,
    DOCUMENTS,
    ENGLISH_PRONOUN_SUBJECTS,
    FILLERS,
    GOVERNING_PREPOSITIONS,
    OPENERS,
    PARTICLES,
    PREPOSITIONS,
    PRONOUNS,
    QUOTED_AS,
    RELATIVES,
    SUFFIX_PRONOUNS,
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

# Words after which a clause, and its subject, begins: "و لكن X قالت", "بينما X قال"
# A clause that opens right after the particle أن / إن (its noun is the subject).
_AFTER_COMPLEMENTIZER = re.compile(r"(?<!\w)(?:ب?[أإا]ن)\s*$")
_SUBJECT_OPENER = re.compile(r"(?<!\w)(?:و\s?|ف\s?)?(?:لكن|بينما|فيما|حيث|ان|إن|أن)(?!\w)")

# Any mark between a name and the verb after it: then the name is no subject standing right before
_MARK = re.compile(r"[,،;؛:()«»\"“”]")

# A photo caption's position marker right before the verb: "( يمين )", "(الى اليسار)".
_PHOTO_POSITION = re.compile(r"\(\s*(?:(?:الى|إلى|في|فى)\s*)?(?:ال)?(?:يمين|يسار|وسط)\s*\)\s*$")

# ل before a name right after the verb: the one told ("للشرق الأوسط", "لـ«الحياة»", tokenised
# "ل الشرق الاوسط"); the span of a name behind لل starts at its second ل
_DATIVE = re.compile(r"\s*(?:ل{1,2}|لـ)\s*[«\"“]?\s*")

# Verbs whose direct object is whom they told ("أبلغ", "أخبر"), and a quoted name after them.
_TELL_VERBS = frozenset(fold(w) for w in ("أبلغ", "ابلغ", "أخبر", "اخبر"))
_QUOTED_NAME = re.compile(r"\s*[«\"“]\s*")
# إمام (imam), which folds to the spelling of أمام (in front of), at a subject's place.
_IMAM = re.compile(r"\s*(?:ال)?إمام(?!\w)")
# A source phrase right after the verb, before any subject: "وشددت، وفقا لما نقلته ...".
_SOURCED = re.compile(r"\s*[،,]?\s*(?:وفقا|وفقاً|حسب|بحسب|طبقا|طبقاً)\s")
_DATIVE_TITLE = re.compile(r"\s*(?:لل|ل\s+ال|لـ\s*ال)[\u0621-\u064a]")

_CLOSING_MARKS = frozenset('»"”')

# A verb of making with the document as its pronoun: أجرته، أعدتها، أصدرها، نفذتها. Not
# نشره (published): "في بيان نشره الاتحاد" is still the speaker's statement, the paper that
# published a study is not its author.
_AUTHORED = re.compile(r"(?:اجر|اعد|اصدر|نفذ)ت?(?:ه|ها)")
_PUBLISHED = re.compile(r"(?:اجر|اعد|اصدر|نفذ|نشر)ت?(?:ه|ها)")

# A kinship written after a name: the noun, its genitive and at most a definite adjective with
# its pronoun ("شقيق الشهيد والأقرب له").
_KIN = frozenset(fold(w) for w in KIN_WORDS.split(" "))
_KIN_PRONOUNS = frozenset(["له", "لها", "لهم", "منه", "منها"])
_KIN_REST = 3

_ADDRESSED = re.compile(r"(?<!\w)(?:الى|إلى|الي)(?!\w)")

_RAW_WORDS = re.compile(r"[^\W\d_][\w'’-]*")

DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"]
)

TITLE_LEAD_MAX = 7  # words of a title the answer does not list, between a verb and the name
# Words no title holds: particles, relatives, "among" and a pronoun written apart ("و بين هم").
_NOT_IN_TITLES = (
    PARTICLES
    | DESCRIPTION_WORDS
    | RELATIVES
    | frozenset(fold(w) for w in ["بين", "بينهم", "ه", "ها", "هم", "هما", "هن", "نا"])
)


class WrittenSubjectReader(SubjectReader):
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
        if words and words[0] in PREPOSITIONS and not imam:
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
        published = bool(rest) and _PUBLISHED.fullmatch(rest[-1]) is not None
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

    def before(self, start: int, end: int) -> Subject | None:
        """The subject written before the verb (SVO: "Smith said", "the two leaders said")."""
        marker = _PHOTO_POSITION.search(self.text, start, end)  # "سولانا ( يمين ) قال": a
        if marker is not None:  # caption's position marker stands between name and verb
            end = marker.start()
        segments = self._segments(start, end)
        if not segments:
            return None
        if self.english:
            return self._english_subject(segments, end)
        seg_start, seg_end = segments[-1]
        items = self.heads(self.mentions.within(seg_start, seg_end))
        if items and not self.lead_words(seg_start, end):  # "الرئيس المصري أكد": the clause
            return self.named(items[-1], items)  # before the verb is nothing but its subject
        found = self._pronoun_like(self.content_words(seg_start, seg_end), seg_start, end)
        if found is not None:
            return found
        # "و تراجعت الحكومة ... و لكن رابطة اصحاب محطات الوقود قالت": after و لكن, بينما or
        # ان the clause begins again, and what stands before the verb there is its subject
        opener = list(_SUBJECT_OPENER.finditer(self.text, seg_start, end))
        if not opener:  # "... حكومة جديدة نصر الله اعتبر ان": a headline run into the text;
            last = items[-1] if items else None  # a participant right before the verb, with
            before_verb = last is not None and (  # no word
                self._right_before_verb(last, seg_start, end) or self._kin_after(last, end)
            )
            if last is not None and before_verb:
                found = self.named(last, items)  # or mark between, is its subject
                opening = self._complement_subject(items, seg_start, end)
                if opening is not None and not opening.speakers & found.speakers:
                    return Subject(  # "أن وزير التعليم بعد اطلاعه على نتائج اللجنة أكد": the
                        "named",  # noun after أن may be the subject, the committee only
                        found.speakers | opening.speakers,  # a genitive no rule can tell
                        opening.evidence,
                        primary=opening.speakers,
                    )
                return found
            return self._description_before(seg_start, end) if not items else None
        np_start = opener[-1].end()
        heads = self.heads(self.mentions.within(np_start, end))
        if heads and not self.lead_words(np_start, end):
            return self.named(heads[-1], heads)
        words = self.content_words(np_start, end)
        if heads or not 0 < len(words) <= SUBJECT_HEAD_WORDS:
            return None
        if not any(w.startswith("ال") for w in words):  # a definite noun phrase
            return None
        described = self.describe(words)  # an unlisted form of a name
        return described if described is not None and described.how == "described" else None

    def _complement_subject(self, items: Sequence[Mention], start: int, end: int) -> Subject | None:
        """The participant that opens a clause after أن / إن, its subject by the grammar of
        the particle, when no relative clause stands between it and the verb."""
        if not items or not _AFTER_COMPLEMENTIZER.search(self.text, max(0, start - 6), start):
            return None
        first = items[0]
        if self.lead_words(start, first.span.start):
            return None
        if any(w in RELATIVES for w in folded_words(self.text[first.span.end : end])):
            return None
        return self.named(first, items)

    def _description_before(self, start: int, end: int) -> Subject | None:
        """A clause that is nothing but an unlisted definite noun phrase before its verb ("الشرطة
        قالت ان ها"): that phrase is the subject, whoever it describes."""
        words = self.content_words(start, end)
        if not 0 < len(words) <= SUBJECT_HEAD_WORDS or not all(
            w.startswith(("ال", "وال")) and w not in RELATIVES for w in words
        ):
            return None
        described = self.describe(words)
        if described is not None and described.how in ("described", "unknown"):
            return described
        return None

    def _right_before_verb(self, item: Mention, start: int, end: int) -> bool:
        """Nothing between the participant and the verb, no relative clause holding it
        ("الشركة التي يعمل لحسابها الحراس الخمسة ذكرت": the guards are the relative's), and no
        particle governing it ("رسالة بعث بها الى المستشارة الالمانية انجيلا ميركل اشار في ها":
        whom the letter went to is no subject of the verb after her)."""
        if self.lead_words(item.span.end, end) or _MARK.search(self.text, item.span.end, end):
            return False
        if glued_preposition(self.text, self._written_from(item, start)):
            return False
        before = folded_words(self.text[start : self._written_from(item, start)])
        if before and before[-1] in PARTICLES:
            return False
        return not any(w in RELATIVES for w in before)

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

    def _kin_after(self, item: Mention, end: int) -> bool:
        """The name's kinship, and nothing else, written between it and the verb ("فهد شقيق
        الشهيد قال", "محمد شقيق الشهيد والأقرب له يؤكد"): the name is the subject."""
        if self.mentions.kinds.get(item.pid) != "person" or _MARK.search(
            self.text, item.span.end, end
        ):
            return False
        words = self.unmentioned_words(item.span.end, end)
        rest = words[1:]
        return (
            bool(words)
            and words[0] in _KIN
            and len(rest) <= _KIN_REST
            and all(w.startswith(("ال", "وال")) or w in _KIN_PRONOUNS for w in rest)
        )

    def _word_before(self, start: int, lo: int = 0) -> str:
        """The folded word right before `start` (not before `lo`), or "" when there is none."""
        before = folded_words(self.text[max(lo, start - 12) : start])
        return before[-1] if before else ""

    def _written_from(self, item: Mention, start: int) -> int:
        """Where the participant's run of adjacent mentions (a title, then the name) begins."""
        begin = item.span.start
        for m in reversed(self.mentions.within(start, item.span.start)):
            if m.pid != item.pid or self.text[m.span.end : begin].strip():
                break
            begin = m.span.start
        return begin

    def _english_subject(self, segments: list[tuple[int, int]], end: int) -> Subject | None:
        """The first noun group of the clause before the verb.

        Appositions stand between them ("Khaled Al-Maeena, editor at large at the Saudi
        Gazette, said"): when a comma closes the stretch before the verb, the subject is the
        comma-delimited segment before that apposition.
        """
        seg = segments[-1]
        if len(segments) >= 2 and not self.content_words(*seg):
            for cand in (segments[-3] if len(segments) >= 3 else None, segments[-2]):
                items = self.heads(self.mentions.within(*cand)) if cand else []
                if items:
                    return self.named(self._group_head(items), items)
            seg = segments[-2]
        seg_start, seg_end = seg
        every = self.mentions.within(seg_start, seg_end)
        if not every and len(segments) >= 2 and self._verb_phrase(seg_start, seg_end):
            for cand in segments[:-1]:  # "Dan Shapiro, the US Ambassador to Israel, took to
                items = self.heads(self.mentions.within(*cand))  # Twitter to congratulate"
                if items:
                    return self.named(self._group_head(items), items)
        if every and QUOTED_AS.search(self.text[seg_start:end]):  # "quoted a source as saying"
            return self.named(every[-1], every)
        items = self.heads(every)
        people = [m for m in items if self.mentions.kinds.get(m.pid) == "person"]
        last = items[-1] if items else None
        if last and self._adjacent(last, end) and (not people or last in people):
            return self.named(last, items)  # "French police union Unité spokesman Rocco
            # Contento said", but "Caroline Lucas from the Green Party said" is Lucas
        if items and self.lead_words(seg_start, items[0].span.start) <= SUBJECT_MAX_LEAD:
            return self.named(self._group_head(items), items)
        words = self.content_words(seg_start, seg_end)
        if not words:
            return None
        found = self._pronoun_like(words, seg_start, end)
        if found is not None:
            return found
        owners = frozenset(m.pid for m in every if m not in items)  # "PC World's analysis"
        if owners:
            return Subject("described", owners, " ".join(words[:SUBJECT_HEAD_WORDS]))
        described = self.describe(words[-SUBJECT_HEAD_WORDS:])
        head = folded_words(self.text[seg_start:seg_end])[-1:]  # fillers kept: "statement"
        if head and head[0] in DOCUMENTS:  # "The statement explained": its authors, named before
            return Subject("continued", evidence=head[0])
        if described is None or described.how == "unknown":
            return Subject("unnamed", evidence=" ".join(words[-SUBJECT_HEAD_WORDS:]))
        return described

    def _pronoun_like(self, words: Sequence[str], start: int, end: int) -> Subject | None:
        """A collective, a pronoun or a relative pronoun right before the verb."""
        if not words:
            return None
        if any(w in COLLECTIVES for w in words[-3:]):
            return Subject("collective", evidence=" ".join(words[-3:]))
        if words[-1] in PRONOUNS or (self.english and words[-1] in ENGLISH_PRONOUN_SUBJECTS):
            return Subject("continued", evidence=words[-1])
        if words[-1] in RELATIVES:  # "سعد الحريري، الذي قال": the one the relative refers to
            last = re.search(r"\w+\W*$", self.text[start:end])
            return self._before_relative(start + last.start() if last else start)
        return None

    def _adjacent(self, item: Mention, end: int) -> bool:
        """Only auxiliaries stand between the name and the verb ("Smith has said"); not "and"
        ("Zuckerberg tweeted to Mohamed and said": Mohamed is not the subject)."""
        between = self.text[item.span.end : end]
        if re.search(r"[,;:()\[\]\"“”]", between):
            return False
        return all(w.casefold() in AUXILIARIES for w in _RAW_WORDS.findall(between))

    def _verb_phrase(self, start: int, end: int) -> bool:
        """The stretch before the verb starts with a lowercase word that is no determiner: it
        is the predicate ("took to Twitter to"), not a subject ("the minister")."""
        words = [w for w in _RAW_WORDS.findall(self.text[start:end]) if w.casefold() not in FILLERS]
        pronouns = ENGLISH_PRONOUN_SUBJECTS | PRONOUNS | {"they", "we", "i", "you"}
        return (
            bool(words)
            and words[0].islower()
            and words[0] not in DETERMINERS
            and words[0] not in pronouns
        )

    def _before_relative(self, start: int) -> Subject | None:
        """The antecedent of a relative pronoun: the mention ending just before its clause."""
        lo = self.sentence_start(start)
        items = self.heads(self.mentions.within(lo, start))
        if items and self.lead_words(items[-1].span.end, start) == 0:
            return self.named(items[-1], items)
        return None

    def _group_head(self, items: Sequence[Mention]) -> Mention:
        """The head of the first noun group: the last of the mentions written together
        ("Civil Defense Authority director General Suleiman al-Amr")."""
        head = items[0]
        for m in items[1:]:
            if (
                not touching(head.span, m.span, self.text)
                or "(" in self.text[head.span.end : m.span.start]
            ):
                break
            head = m
        return head

    def _segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """Comma-delimited stretches of [start, end), quotation marks as breaks too."""
        out: list[tuple[int, int]] = []
        at = start
        for m in re.finditer(r"[،,;؛:«»“”\"]", self.text[start:end]):
            out.append((at, start + m.start()))
            at = start + m.end()
        out.append((at, end))
        while len(out) > 1 and not self.text[out[0][0] : out[0][1]].strip():
            out.pop(0)
        return out


def _title_lead(lead: str, after: int = 0) -> bool:
    """`lead` may be a title written before its holder: a few words, no mark, and (from word
    `after` on: the dative's own word is not a title's) none that no title holds."""
    words = folded_words(lead)
    return (
        0 < len(words) <= TITLE_LEAD_MAX
        and not _MARK.search(lead)
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
