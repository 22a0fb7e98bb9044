"""Where a cue's subject is written before the verb: SVO in Arabic clauses, and English.

Arabic writes the subject before the verb after أن, لكن, بينما, in a headline run into the text,
or with the name's kinship between them ("فهد شقيق الشهيد قال"); English always does ("Smith
said", "Khaled Al-Maeena, editor at large at the Saudi Gazette, said"). `WrittenSubjectReader`
(agent.extraction.written_subjects) adds the VSO reading after the verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.extraction.mentions import Mention
from agent.extraction.subjects import (
    KIN_WORDS,
    SUBJECT_HEAD_WORDS,
    SUBJECT_MAX_LEAD,
    Subject,
    SubjectReader,
    glued_preposition,
    touching,
)
from agent.text.cue_words import (
    AUXILIARIES,
    COLLECTIVES,
    DOCUMENTS,
    ENGLISH_PRONOUN_SUBJECTS,
    FILLERS,
    PARTICLES,
    PRONOUNS,
    QUOTED_AS,
    RELATIVES,
)
from agent.text.normalize import fold
from agent.text.segments import folded_words

# Words after which a clause, and its subject, begins: "و لكن X قالت", "بينما X قال"
# A clause that opens right after the particle أن / إن (its noun is the subject).
_AFTER_COMPLEMENTIZER = re.compile(r"(?<!\w)(?:ب?[أإا]ن)\s*$")
_SUBJECT_OPENER = re.compile(r"(?<!\w)(?:و\s?|ف\s?)?(?:لكن|بينما|فيما|حيث|ان|إن|أن)(?!\w)")

# Any mark between a name and the verb after it: then the name is no subject standing right before
MARK = re.compile(r"[,،;؛:()«»\"“”]")

# A photo caption's position marker right before the verb: "( يمين )", "(الى اليسار)".
_PHOTO_POSITION = re.compile(r"\(\s*(?:(?:الى|إلى|في|فى)\s*)?(?:ال)?(?:يمين|يسار|وسط)\s*\)\s*$")

_AS = fold("إذ")  # "الهيئة إذ تعبر عن حزنها ... تؤكد": as it expresses
# A kinship written after a name: the noun, its genitive and at most a definite adjective with
# its pronoun ("شقيق الشهيد والأقرب له").
_KIN = frozenset(fold(w) for w in KIN_WORDS.split(" "))
_KIN_PRONOUNS = frozenset(["له", "لها", "لهم", "منه", "منها"])
_KIN_REST = 3

_RAW_WORDS = re.compile(r"[^\W\d_][\w'’-]*")

DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"]
)


class BeforeVerbReader(SubjectReader):
    """The subject written before a cue's verb, and the word and mention runs around it."""

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
        between = [w for w in self.unmentioned_words(item.span.end, end) if w != _AS]
        if between or MARK.search(self.text, item.span.end, end):  # "أن الهيئة إذ تعبر": إذ
            return False  # (as) opens the verb's circumstance, no word between it and subject
        if glued_preposition(self.text, self._written_from(item, start)):
            return False
        before = folded_words(self.text[start : self._written_from(item, start)])
        if before and before[-1] in PARTICLES:
            return False
        return not any(w in RELATIVES for w in before)

    def _kin_after(self, item: Mention, end: int) -> bool:
        """The name's kinship, and nothing else, written between it and the verb ("فهد شقيق
        الشهيد قال", "محمد شقيق الشهيد والأقرب له يؤكد"): the name is the subject."""
        if self.mentions.kinds.get(item.pid) != "person" or MARK.search(
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


__all__ = ["DETERMINERS", "MARK", "BeforeVerbReader"]
