"""Reading a cue's subject from the text: after the verb, before it, past appositions.

`SubjectReader` knows the article, its quotation-aware sentences and where each participant is
mentioned; `Attributor` (agent.extraction.attribution) asks it who is written as the subject of
a cue occurrence. Arabic is read VSO (the subject follows the verb unless a preposition shows it
was dropped), English SVO (the clause's first noun group, past appositions and possessors).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from agent.extraction.mentions import DESCRIPTION_WORDS, Mention, Mentions
from agent.models import Span
from agent.text.cue_words import (
    ADVERBS,
    AUXILIARIES,
    COLLECTIVES,
    CONTINUATIONS,
    COORDINATION,
    DOCUMENTS,
    ENGLISH_PRONOUN_SUBJECTS,
    FILLERS,
    GENERIC_WORDS,
    OPENERS,
    PARTICLES,
    POSSESSIVE,
    PREPOSITIONS,
    PRONOUNS,
    QUOTED_AS,
    RELATIVES,
    SOURCE_CUE,
    WORDS,
    bare_verb,
    definite_noun,
    word_stem,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import ExtractionDraft
    from agent.extraction.validate import ValidationRun

How = Literal["named", "collective", "continued", "described", "unknown", "unnamed", "none"]

# Verbs of appearing in a document ("وجاء في البيان", "وورد في التقرير").
_APPEARS = frozenset(fold(w) for w in ["جاء", "ورد"])
# Prepositions that open a phrase right after a verb whose subject was dropped ("وقال في كلمة",
# "قوله خلال"); not ل or عن, after which the subject may still follow ("قال لـ«الحياة» مسؤول").
_AFTER_DROPPED_WORDS = "في خلال أثناء اثناء عقب بعد قبل أمام امام عبر لدى إثر اثر"
_AFTER_DROPPED = frozenset(fold(w) for w in _AFTER_DROPPED_WORDS.split(" "))
# A kinship noun right before a name, which is its genitive: "وابن اية الله الطبسي", "نجل الرئيس".
_KIN_BEFORE = re.compile(
    r"(?<!\w)(?:و\s?)?(?:ابن|إبن|نجل|ابنة|إبنة|كريمة|والد|والدة|شقيق|شقيقة|زوج|زوجة|ارملة|أرملة|حفيد|حفيدة)\s+$"
)
# "نفت في ه حماس", "ادعى فيها البابا": the pronoun of a relative clause before the subject
_RESUMPTIVE = re.compile(r"\s*(?:في\s?(?:ه|ها|هم)|خلال\s?(?:ه|ها))(?!\w)")
# Words after which a clause, and its subject, begins: "و لكن X قالت", "بينما X قال"
_SUBJECT_OPENER = re.compile(r"(?<!\w)(?:و\s?|ف\s?)?(?:لكن|بينما|فيما|حيث|ان|إن|أن)(?!\w)")
# Any mark between a name and the verb after it: then the name is no subject standing right before
_MARK = re.compile(r"[,،;؛:()«»\"“”]")
# A photo caption's position marker right before the verb: "( يمين )", "(الى اليسار)".
_PHOTO_POSITION = re.compile(r"\(\s*(?:(?:الى|إلى|في)\s*)?(?:ال)?(?:يمين|يسار|وسط)\s*\)\s*$")
# ل before a name right after the verb: the one told ("للشرق الأوسط", "لـ«الحياة»", tokenised
# "ل الشرق الاوسط"); the span of a name behind لل starts at its second ل
_DATIVE = re.compile(r"\s*(?:ل{1,2}|لـ)\s*[«\"“]?\s*")
_CLOSING_MARKS = frozenset('»"”')
_ADDRESSED = re.compile(r"(?<!\w)(?:الى|إلى|الي)(?!\w)")
_CLAUSE_BREAK = re.compile(r"[،,;؛:»”\"\n]|(?<!\w)(?:أن|ان|إن|بأن|بان)(?!\w)")
_RAW_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"]
)
SUBJECT_MAX_LEAD = 3  # words allowed between the verb and its subject (وقال اليوم الوزير)
SUBJECT_HEAD_WORDS = 4  # words of an unlisted description compared with the participants


@dataclass(frozen=True)
class Subject:
    """Who the text makes the speaker: `speakers` are accepted, `primary` is carried on to the
    next dropped subject (a candidate set must not grow from one statement to the next)."""

    how: How
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    primary: frozenset[str] | None = None

    @property
    def carried(self) -> frozenset[str]:
        return self.speakers if self.primary is None else self.primary


class SubjectReader:
    """Who is written as the subject around a cue occurrence, in one article."""

    def __init__(self, draft: ExtractionDraft, run: ValidationRun, mentions: Mentions) -> None:
        self.draft = draft
        self.run = run
        self.text = run.article
        self.mentions = mentions
        self.english = draft.language == "en"
        self.sentences = run.sentences()
        self._starts = [s for s, _ in self.sentences]
        self._descriptors = _descriptors(draft)

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
        items = self.heads(self.mentions.within(begin, stop))
        # "وقال للشرق الأوسط مسؤول", "قال لـ«الحياة»": whom he told is no subject; only after a
        # verb ("قال بيان لرئاسة الوزراء" is the office's statement)
        last = folded_words(self.text[cue.start : cue.end])[-1:]
        # after a source phrase ل names the source ("وفقا لمصادر امنية"), not whom it was told
        told = not self.english and bool(last) and last[0] not in DOCUMENTS
        told = told and not self.source_phrase(cue)
        if items and told and _DATIVE.fullmatch(self.text[begin : items[0].span.start]):
            begin = items[0].span.end
            while begin < stop and self.text[begin] in _CLOSING_MARKS:
                begin += 1
            items = self.heads(self.mentions.within(begin, stop))
        words = folded_words(self.text[begin:stop])
        while words and words[0] in ADVERBS:
            words.pop(0)
        copied = folded_words(self.text[cue.start : cue.end])
        verb = [w for w in copied if w not in ("و", "ف")]  # "و جاء في" as NewsFANE writes it
        if verb and bare_verb(verb[0]) in _APPEARS and "في" in (verb + words)[1:2]:
            # "وجاء في بيان لوزارة الخارجية ان": the document's author, named after it, speaks
            if items and self.lead_words(begin, items[0].span.start) <= SUBJECT_MAX_LEAD:
                return self.named(items[0], items)
            return Subject("continued", evidence="في")  # "وجاء في البيان": its author
        if words and words[0] in PREPOSITIONS:  # "وقال في كلمة ...": the subject was dropped
            return Subject("continued", evidence=words[0])
        # the cue copied with the preposition: "قالت في", "قائلا في", "قوله خلال"
        if len(copied) > 1 and copied[-1] in _AFTER_DROPPED and not self.source_phrase(cue):
            return Subject("continued", evidence=copied[-1])
        if items and not self.english and self._governed_by_particle(cue, begin, items[0]):
            return Subject("continued", evidence=words[0])  # "نداء الى المسؤولين ل": whom
            # it is addressed to, not who makes it
        if words and words[0] in DOCUMENTS and items and self._addressed(begin, items[0]):
            return Subject("continued", evidence=words[0])  # "وطالبت المذكرة الموجهة الى
            # الرئيس": the memorandum's authors speak, not the president it is addressed to
        if items and not self.english:
            held = self._held_by_description(begin, items)
            if held is not None:
                return held
        if items:
            first = self._genitive_head(items, begin)
            lead = self.text[begin : first.span.start]
            apposition = lead.rstrip().endswith((",", "،")) and len(folded_words(lead)) <= 6
            if self.lead_words(begin, first.span.start) <= SUBJECT_MAX_LEAD or apposition:
                return self.named(first, items)
        if words and words[0] in DOCUMENTS and not self.english and not words[0].startswith("ال"):
            return Subject("none", evidence=words[0])  # "اظهرت دراسة جديدة ... ان": an
            # indefinite document whose authors this clause does not name: nobody's before
        found = self.describe(words[: SUBJECT_HEAD_WORDS + 2])
        if found is not None and found.how == "unknown" and not definite_noun(words, self.english):
            return None  # not clearly a subject: decide nothing from it
        return found

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
            if not (word.startswith("ال") or word == "و"):
                break
            head.append(word)
        rest = lead[len(head) :]
        if not rest:
            return None  # the participant follows the description directly: its apposition
        owner = (
            frozenset({first.pid})
            if rest == lead[-1:] and rest[0] in DESCRIPTION_WORDS
            else frozenset()
        )
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
            if last is not None and self._right_before_verb(last, seg_start, end):  # no word
                return self.named(last, [last])  # or mark between, is its subject
            return None
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

    def _right_before_verb(self, item: Mention, start: int, end: int) -> bool:
        """Nothing between the participant and the verb, and no relative clause holding it
        ("الشركة التي يعمل لحسابها الحراس الخمسة ذكرت": the guards are the relative's)."""
        if self.lead_words(item.span.end, end) or _MARK.search(self.text, item.span.end, end):
            return False
        return not any(w in RELATIVES for w in folded_words(self.text[start : item.span.start]))

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

    def content_words(self, start: int, end: int) -> list[str]:
        return [w for w in folded_words(self.text[start:end]) if w not in FILLERS]

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
                not _touching(head.span, m.span, self.text)
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

    def heads(self, items: Sequence[Mention]) -> list[Mention]:
        """Mentions that can head a subject: not a possessor ("the Afghan team's coach"), nor
        the relative a kinship noun names ("ناصر الطبسي ... وابن اية الله الطبسي": the son)."""
        kin: list[Mention] = []  # with his title written right after: "اية الله الطبسي المسؤول"
        for m in sorted(items, key=lambda m: m.span.start):
            if _KIN_BEFORE.search(self.text, max(0, m.span.start - 12), m.span.start) or any(
                k.pid == m.pid and not self.text[k.span.end : m.span.start].strip() for k in kin
            ):
                kin.append(m)
        return [m for m in items if not POSSESSIVE.match(self.text, m.span.end) and m not in kin]

    def named(self, first: Mention, items: Sequence[Mention]) -> Subject:
        """A written subject, with the participants coordinated with it ("X and Y said")."""
        ordered = sorted(items, key=lambda m: m.span.start)
        group = {first.pid}
        i = ordered.index(first)
        for step in (-1, 1):
            j, current = i + step, first
            while 0 <= j < len(ordered):
                lo, hi = sorted((current, ordered[j]), key=lambda m: m.span.start)
                between = self.text[lo.span.end : hi.span.start]
                if ordered[j].pid == current.pid and _touching(lo.span, hi.span, self.text):
                    pass  # a name and its title written together agree
                elif not COORDINATION.fullmatch(between):
                    break
                else:
                    group.add(ordered[j].pid)
                current, j = ordered[j], j + step
        evidence = self.text[first.span.start : first.span.end]
        return Subject("named", frozenset(group), evidence)

    def describe(self, words: Sequence[str]) -> Subject | None:
        """An unlisted subject, compared word by word with every participant's descriptors."""
        words = [w for w in words if w not in FILLERS]
        while words and words[-1] in OPENERS:
            words.pop()
        if not words or words[0] in OPENERS:
            return None
        if words[0] in CONTINUATIONS:
            return Subject("continued", evidence=words[0])
        if any(w in COLLECTIVES for w in words[:3]):
            return Subject("collective", evidence=" ".join(words[:3]))
        if words[0] in PRONOUNS or words[0] in DOCUMENTS:  # "وأضاف البيان": its author
            return Subject("continued", evidence=words[0])
        stems = {word_stem(w) for w in words[:SUBJECT_HEAD_WORDS]}
        scores = {pid: len(stems & d) for pid, d in self._descriptors.items()}
        # an adjective of origin decides: "الرئيس الروماني" is no president of another land
        origin = len(words) > 1 and words[0].startswith("ال") and _ORIGIN.fullmatch(words[1])
        if origin:  # (the head noun's own adjective, not one after a name: "بوست» الاميركية")
            origins = {word_stem(words[1])}
            scores = {pid: n for pid, n in scores.items() if origins <= self._descriptors[pid]}
        top = max(scores.values(), default=0)
        evidence = " ".join(words[:SUBJECT_HEAD_WORDS])
        if top == 0:
            return Subject("unknown", evidence=evidence)
        return Subject("described", frozenset(p for p, s in scores.items() if s == top), evidence)

    def sentence_of(self, position: int) -> int:
        return max(0, bisect_right(self._starts, position) - 1)

    def named_within(self, start: int, end: int, kinds: Collection[str]) -> frozenset[str]:
        """The participants of these kinds mentioned between two points."""
        found = self.mentions.within(start, end)
        return frozenset(m.pid for m in found if self.mentions.kinds.get(m.pid) in kinds)

    def bounds(self, sentence: int) -> tuple[int, int]:
        """A sentence's (start, end); the whole text when it has no sentences (empty text)."""
        return self.sentences[sentence] if self.sentences else (0, len(self.text))

    def sentence_start(self, position: int) -> int:
        return self.bounds(self.sentence_of(position))[0]

    def sentence_end(self, position: int) -> int:
        return self.bounds(self.sentence_of(position))[1]

    def clause_start(self, position: int, sentence: int) -> int:
        """Where the cue's clause begins: the sentence start, the last clause break before it,
        or a complementizer ("ذكرت الصحيفة أن [الوزارة قالت]")."""
        lo = self.bounds(sentence)[0]
        window = self.text[lo:position]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
        return lo + (breaks[-1] if breaks else 0)

    def source_phrase(self, cue: Span) -> bool:
        """The cue is a source phrase (حسب، بحسب، وفقا، نقلا، على حد): its content is whose it
        names, written before or after it."""
        return SOURCE_CUE.match(fold(self.text[cue.start : cue.end])) is not None

    def lead_words(self, start: int, end: int) -> int:
        """Words between two points, not counting fillers and other mentions ("the Afghan
        team's coach": the team is a modifier, not a word standing between)."""
        text = list(self.text[start:end])
        for m in self.mentions.within(start, end):
            text[m.span.start - start : m.span.end - start] = " " * (m.span.end - m.span.start)
        words = folded_words("".join(text))
        return sum(1 for w in words if w not in FILLERS and w != "s")

    def _genitive_head(self, items: Sequence[Mention], start: int) -> Mention:
        """وقال وزير خارجية مصر سامح شكري: a state or body after a head noun is its genitive;
        the person written right after is the subject. Not after a document ("وصف بيان ل هيئة
        الافتاء الشيخ القرضاوي": the body's statement speaks, the person is its object)."""
        first = items[0]
        if self.mentions.kinds.get(first.pid) == "person" or len(items) < 2:
            return first
        head = folded_words(self.text[start : first.span.start])
        if not self.lead_words(start, first.span.start) or any(w in DOCUMENTS for w in head):
            return first  # "و ابدت سوريا عبر فيصل المقداد": no head noun, the state speaks
        nxt = items[1]
        gap = self.lead_words(first.span.end, nxt.span.start)
        if self.mentions.kinds.get(nxt.pid) == "person" and gap <= 1:
            return nxt
        return first


def _touching(a: Span, b: Span, text: str) -> bool:
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    return hi.start <= lo.end + 2 and not WORDS.search(text[lo.end : hi.start])


def _descriptors(draft: ExtractionDraft) -> dict[str, set[str]]:
    """Each participant's distinctive words: name, titles, mentions, affiliation."""
    out: dict[str, set[str]] = {}
    for p in draft.participants:
        phrases = [p.name, *(t.text for t in p.titles), *p.mentions, p.affiliation or ""]
        out[p.id] = {
            word_stem(w)
            for phrase in phrases
            for w in folded_words(phrase)
            if word_stem(w) not in GENERIC_WORDS
        }
    return out


# A definite adjective of origin: الروماني، الاميركية، الاسرائيلي.
_ORIGIN = re.compile(r"ال[\u0621-\u064a]{3,}(?:ي|يه|ية)")

__all__ = ["How", "Subject", "SubjectReader"]
