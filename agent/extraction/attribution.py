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

from agent.extraction.mentions import Mention, Mentions
from agent.models import Span
from agent.text.normalize import fold
from agent.text.segments import folded_words, statement_sentences

if TYPE_CHECKING:
    from agent.extraction.draft import DraftPosition, ExtractionDraft
    from agent.extraction.validate import ValidationRun

Status = Literal["confirmed", "wrong", "unresolved", "detached"]
How = Literal["named", "collective", "continued", "described", "unknown", "unnamed", "none"]

CUE_BEFORE_MAX_GAP = 300  # characters from a cue to the content it introduces
CUE_AFTER_MAX_GAP = 80  # characters from a quotation's end to the cue after it ('…,' he said)
SUBJECT_MAX_LEAD = 3  # words allowed between the verb and its subject (وقال اليوم الوزير)
SUBJECT_HEAD_WORDS = 4  # words of an unlisted description compared with the participants
CARRY_MAX_SENTENCES = 5  # a dropped subject continues an attribution at most this far back
COLLECTIVE_SENTENCES_BACK = 3  # a collective stands for those named this far back

_WORDS = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"\s?['’]s\b")
_QUOTED_AS = re.compile(r"\bas\s*$")
_PLURAL_VERB = re.compile(r"[\u0621-\u064a]{2,}(?:وا|وه|وها|وهم|وهما|ونا)")
_OPENING_QUOTES = frozenset("\"“«„'‘`")
# "… ـ حسب ما ردده المتظاهرون ـ": Arabic reported content followed by its source
_SOURCE_AFTER = re.compile(r"(?:حسب|بحسب|وفق|وفقا|طبقا|على حد|كما)\s*(?:ما)?\s*$")
# "X and Y", "X and the Y", "X وY", "X و Y"
_COORDINATION = re.compile(r"\s*[,،]?\s*(?:(?:and|&)\s+(?:the\s+)?|و\s*)", re.IGNORECASE)


def _fold_set(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Words that may stand between a cue and its subject or its content without naming anyone.
FILLERS = _fold_set(
    "أيضا ايضا كذلك بدوره بدورها بدورهم اليوم أمس امس الاثنين الثلاثاء الأربعاء الخميس الجمعة "
    "السبت الأحد مساء صباح مجددا بدوره من جانبه جانبها جانبهم جهته "
    "جهتها جهتهم ناحيته قد وقد بشدة مجددا صراحة also then later again today yesterday monday "
    "tuesday wednesday "
    "thursday friday saturday sunday a an statement interview told reporters earlier has had "
    "have was is لكن ولكن بينما فيما كما بل ثم حين أما اما but while and"
)
# Words that open the content: the cue's clause has no subject of its own when only these follow.
OPENERS = _fold_set(
    "أن ان إن بأن بان لأن عن على إلى الى الي ب ل بضرورة إنه انه أنه إنها أنها انها إنهم انهم أنهم "
    "that to about on of for what how whether"
)
# Verbs and participles that continue the speaker of the sentence before.
CONTINUATIONS = _fold_set(
    "أضاف وأضاف أضافت وأضافت تابع وتابع تابعت وتابعت استطرد واستطرد مضى ومضى أردف وأردف ختم وختم "
    "مشيرا مؤكدا معتبرا مضيفا لافتا موضحا مشددا معربا داعيا منوها مبينا محذرا متابعا مطالبا "
    "مشيرة مؤكدة معتبرة مضيفة لافتة موضحة مشددة معربة داعية منوهة مبينة محذرة "
    "added continued adding noting saying stressing warning"
)
# Plural and dual references to several participants, and plural participles.
COLLECTIVES = _fold_set(
    "الزعيمان الزعيمين الجانبان الجانبين الطرفان الطرفين الوزيران الوزيرين الرئيسان الرئيسين "
    "البلدان البلدين الوفدان الوفدين القائدان القائدين المسؤولان المسؤولين الزعماء الجانبين "
    "مؤكدين مشيرين معتبرين مضيفين لافتين موضحين مشددين معربين داعين مؤكدان مشيران مشددان "
    "both two leaders sides pair they"
)
PRONOUNS = _fold_set("he she it his her هو هي")
# A verb's subject comes right after it in Arabic: a preposition there means it was dropped.
PREPOSITIONS = _fold_set(
    "في وفي خلال أثناء اثناء لدى عقب بعد قبل أمام امام عبر حول ل لل مع عند إثر اثر in at during "
    "after before on to with from"
)
ADVERBS = _fold_set("بشدة مجددا صراحة أيضا ايضا كذلك اليوم أمس امس ثم كما then also again")
OBJECT_VERBS = _fold_set("دعا حث طالب ناشد urged")
# Common attribution verbs, whose dual (اكدا) and plural (اكدوا) forms speak for several.
VERBS = _fold_set(
    "قال أكد شدد أعرب أشار أوضح أعلن حث طالب رحب ندد أدان اعتبر رأى لفت نفى كشف ذكر أفاد صرح "
    "تابع أضاف وصف حذر اتفق عبر جدد أبدى قرر أبلغ أكدت"
)
RELATIVES = _fold_set("الذي الذى التي اللذين اللتين الذين اللواتي who which that")
# English subjects that are pronouns for the speaker (the subject of "he said").
ENGLISH_PRONOUN_SUBJECTS = _fold_set("he she")


@dataclass(frozen=True)
class Decision:
    """The check's decision for one position: which cue governs it and who the text says spoke."""

    status: Status
    cue: Span | None = None
    content: Span | None = None
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    how: How = "none"


@dataclass(frozen=True)
class _Subject:
    """Who the text makes the speaker: `speakers` are accepted, `primary` is carried on to the
    next dropped subject (a candidate set must not grow from one statement to the next)."""

    how: How
    speakers: frozenset[str] = frozenset()
    evidence: str = ""
    primary: frozenset[str] | None = None

    @property
    def carried(self) -> frozenset[str]:
        return self.speakers if self.primary is None else self.primary


class Attributor:
    """Decides every position of one answer, in text order (a dropped subject needs the last)."""

    def __init__(self, draft: ExtractionDraft, run: ValidationRun, mentions: Mentions) -> None:
        self.draft = draft
        self.run = run
        self.text = run.article
        self.mentions = mentions
        self.english = draft.language == "en"
        self.sentences = statement_sentences(self.text)
        self._starts = [s for s, _ in self.sentences]
        self._descriptors = _descriptors(draft)

    def decide_all(self) -> list[Decision]:
        """One decision per position, in the draft's order."""
        governed = [self._govern(pos) for pos in self.draft.positions]
        at = [pair[0].start if pair else len(self.text) for pair in governed]
        order = sorted(range(len(governed)), key=lambda i: at[i])
        decisions: dict[int, Decision] = {}
        history: list[tuple[int, frozenset[str]]] = []  # (cue start, speakers) decided so far
        for i in order:
            pair = governed[i]
            if pair is None:
                decisions[i] = Decision("detached")
                continue
            cue, content = pair
            subject = self._subject(cue, content, history)
            decisions[i] = self._judge(self.draft.positions[i], cue, content, subject)
            if subject.carried:
                history.append((cue.start, subject.carried))
        return [decisions[i] for i in range(len(governed))]

    # -- which cue governs the content ------------------------------------------------------------

    def _govern(self, pos: DraftPosition) -> tuple[Span, Span] | None:
        cues = self.run.spans(pos.cue, "cue")
        contents = self.run.spans(pos.content, "text")
        best: tuple[int, Span, Span] | None = None
        for content in contents:
            sentence = self._sentence(content.start)
            lo, hi = self.sentences[sentence] if self.sentences else (0, len(self.text))
            end_sentence = self._sentence(max(content.start, content.end - 1))
            hi = max(hi, self.sentences[end_sentence][1] if self.sentences else hi)
            for cue in cues:
                if content.start <= cue.start and cue.end <= content.end:
                    cost = 0  # the model copied the cue into the content
                elif cue.end <= content.start and cue.start >= lo:
                    cost = content.start - cue.end
                    if cost > CUE_BEFORE_MAX_GAP:
                        continue
                elif cue.start >= content.end and cue.start < hi and self._quoted(content, cue):
                    cost = cue.start - content.end
                    if cost > CUE_AFTER_MAX_GAP:
                        continue
                    cost += 1  # a cue before its content is the usual order
                elif self._opens_previous(cue, content, sentence):
                    cost = CUE_BEFORE_MAX_GAP  # "وقال:" then the quotation in the next sentence
                else:
                    continue
                if best is None or cost < best[0]:
                    best = (cost, cue, content)
        return None if best is None else (best[1], best[2])

    def _quoted(self, content: Span, cue: Span) -> bool:
        """Content may come before its cue: in English always, in Arabic only a quotation."""
        if self.english:  # "..., according to the ministry" / "The plan will fail, he said."
            return True
        closing = "\"'”’»"
        between = self.text[max(0, content.end - 1) : cue.start]
        return any(ch in closing for ch in between) or bool(_SOURCE_AFTER.search(between))

    def _opens_previous(self, cue: Span, content: Span, sentence: int) -> bool:
        """The cue ends the sentence just before the one the content starts ("قال:" / "said:")."""
        if sentence == 0 or not self.sentences:
            return False
        lo = self.sentences[sentence][0]
        prev_start, prev_end = self.sentences[sentence - 1]
        between = self.text[cue.end : lo]
        starts_sentence = not _WORDS.search(self.text[lo : content.start])
        if not (prev_start <= cue.start and cue.end <= prev_end and starts_sentence):
            return False
        colon = self.text[prev_start:prev_end].rstrip().endswith(":")  # "tweeted using …:"
        # "Heald noted the findings show … . "An air-quality cleanup would …"": a quotation that
        # makes a sentence of its own goes on from the cue of the sentence before
        quotation = self.text[lo : lo + 1] in _OPENING_QUOTES
        return colon or quotation or len(_WORDS.findall(between)) <= 2

    # -- who the text makes the speaker -----------------------------------------------------------

    def _subject(
        self, cue: Span, content: Span, history: Sequence[tuple[int, frozenset[str]]]
    ) -> _Subject:
        sentence = self._sentence(cue.start)
        lo = self.sentences[sentence][0] if self.sentences else 0
        participle = self._is_continuation(cue)
        if not self.english and self._plural_verb(cue):
            found_plural = self._after(cue, content.start if cue.end <= content.start else None)
            if found_plural is None or found_plural.how != "named":
                return self._collective(cue, sentence, history, "(dual or plural verb)")
        if cue.start >= content.end:  # '…,' Smith said. / '…,' said Smith.
            found = self._after(cue) or self._before(content.end, cue.start)
        elif self.english:  # English is SVO; "according to X" and "said X" follow the cue
            after_end = content.start if cue.end <= content.start else cue.end
            quoted_as = bool(_QUOTED_AS.search(self.text[lo : cue.start]))  # "quoted X as saying"
            found = None if participle and not quoted_as else self._before(lo, cue.start)
            if found is None and not self._content_words(lo, cue.start):
                found = self._main_clause(content.end)  # "Stating Hall was innocent, Straw said"
            if found is None or found.how == "unnamed":
                found = self._after(cue, after_end) or found
        else:  # Arabic is VSO; a subject before the verb opens its clause
            after_end = content.start if cue.end <= content.start else cue.end
            found = self._after(cue, after_end)
            if (found is None or found.how == "continued") and not participle:
                found = self._before(self._clause_start(cue.start, sentence), cue.start) or found
        if found is not None and found.how == "collective":
            return self._collective(cue, sentence, history, found.evidence)
        if found is not None and found.how not in ("continued", "none"):
            if self._may_be_object(cue, found):
                carried = self._continued(cue, sentence, history, pronoun=False)
                speakers = found.speakers | carried.carried  # either may go on speaking
                return _Subject("named", speakers, found.evidence)
            return found
        return self._continued(cue, sentence, history, pronoun=found is not None)

    def _main_clause(self, start: int) -> _Subject | None:
        """The subject of the clause after an opening participle phrase."""
        stop = self._sentence_end(start)
        items = self._heads(self.mentions.within(start, stop))
        if items and self._lead_words(start, items[0].span.start) <= SUBJECT_MAX_LEAD:
            return self._named(self._group_head(items), items)
        return None

    def _is_continuation(self, cue: Span) -> bool:
        """A participle or a verb going on with the speaker before (مشيرا, وأضاف, ", adding")."""
        words = folded_words(self.text[cue.start : cue.end])
        if any(w in CONTINUATIONS for w in words):
            return True
        after_comma = self.text[max(0, cue.start - 3) : cue.start].rstrip().endswith(",")
        return self.english and bool(words) and words[0].endswith("ing") and after_comma

    def _may_be_object(self, cue: Span, found: _Subject) -> bool:
        """دعا المجتمع الدولي الى: the one body after the verb may be whom it urges, not who
        urges (a person there is the subject: دعا انان اسرائيل الى)."""
        if self.english or found.how != "named":
            return False
        if any(self.mentions.kinds.get(pid) == "person" for pid in found.speakers):
            return False
        return any(
            _stem_verb(w) in OBJECT_VERBS for w in folded_words(self.text[cue.start : cue.end])
        )

    def _plural_verb(self, cue: Span) -> bool:
        """اكدا / قالوا / وصفوه: a dual or plural attribution verb speaks for several."""
        for w in folded_words(self.text[cue.start : cue.end]):
            stem = _stem_verb(w)
            if stem.endswith("ا") and stem[:-1] in VERBS:  # dual: اكدا
                return True
            if _PLURAL_VERB.fullmatch(stem):  # plural, perhaps with an object: قالوا, وصفوه
                return True
        return False

    def _after(self, cue: Span, end: int | None = None) -> _Subject | None:
        """The subject written right after the verb (VSO), within the cue's clause."""
        stop = self._sentence_end(cue.start) if end is None else end
        if end is None:  # after a quotation: up to the next clause break
            m = re.search(r"[،,;؛.!?؟\n]", self.text[cue.end : stop])
            stop = cue.end + m.start() if m else stop
        items = self._heads(self.mentions.within(cue.end, stop))
        words = folded_words(self.text[cue.end : stop])
        while words and words[0] in ADVERBS:
            words.pop(0)
        if words and words[0] in PREPOSITIONS:  # "وقال في كلمة ...": the subject was dropped
            return _Subject("continued", evidence=words[0])
        if items:
            first = self._genitive_head(items)
            lead = self.text[cue.end : first.span.start]
            apposition = lead.rstrip().endswith((",", "،")) and len(folded_words(lead)) <= 6
            if self._lead_words(cue.end, first.span.start) <= SUBJECT_MAX_LEAD or apposition:
                return self._named(first, items)
        found = self._describe(words[: SUBJECT_HEAD_WORDS + 2])
        if found is not None and found.how == "unknown" and not _definite_noun(words, self.english):
            return None  # not clearly a subject: decide nothing from it
        return found

    def _before(self, start: int, end: int) -> _Subject | None:
        """The subject written before the verb (SVO: "Smith said", "the two leaders said")."""
        segments = self._segments(start, end)
        if not segments:
            return None
        if self.english:
            return self._english_subject(segments, end)
        seg_start, seg_end = segments[-1]
        items = self._heads(self.mentions.within(seg_start, seg_end))
        if (  # "الرئيس المصري أكد": the subject is the whole clause before the verb
            items
            and not self._lead_words(seg_start, items[0].span.start)
            and not self._lead_words(items[-1].span.end, end)
        ):
            return self._named(items[-1], items)
        return self._pronoun_like(self._content_words(seg_start, seg_end), seg_start)

    def _english_subject(self, segments: list[tuple[int, int]], end: int) -> _Subject | None:
        """The first noun group of the clause before the verb.

        Appositions stand between them ("Khaled Al-Maeena, editor at large at the Saudi
        Gazette, said"): when a comma closes the stretch before the verb, the subject is the
        comma-delimited segment before that apposition.
        """
        seg = segments[-1]
        if len(segments) >= 2 and not self._content_words(*seg):
            for cand in (segments[-3] if len(segments) >= 3 else None, segments[-2]):
                items = self._heads(self.mentions.within(*cand)) if cand else []
                if items:
                    return self._named(self._group_head(items), items)
            seg = segments[-2]
        seg_start, seg_end = seg
        every = self.mentions.within(seg_start, seg_end)
        if every and _QUOTED_AS.search(self.text[seg_start:end]):  # "quoted a source as saying"
            return self._named(every[-1], every)
        items = self._heads(every)
        if items and self._lead_words(seg_start, items[0].span.start) <= SUBJECT_MAX_LEAD:
            return self._named(self._group_head(items), items)
        words = self._content_words(seg_start, seg_end)
        if not words:
            return None
        found = self._pronoun_like(words, seg_start)
        if found is not None:
            return found
        owners = frozenset(m.pid for m in every if m not in items)  # "PC World's analysis"
        if owners:
            return _Subject("described", owners, " ".join(words[:SUBJECT_HEAD_WORDS]))
        described = self._describe(words[-SUBJECT_HEAD_WORDS:])
        if described is None or described.how == "unknown":
            return _Subject("unnamed", evidence=" ".join(words[-SUBJECT_HEAD_WORDS:]))
        return described

    def _pronoun_like(self, words: Sequence[str], start: int) -> _Subject | None:
        """A collective, a pronoun or a relative pronoun right before the verb."""
        if not words:
            return None
        if any(w in COLLECTIVES for w in words[-3:]):
            return _Subject("collective", evidence=" ".join(words[-3:]))
        if words[-1] in PRONOUNS or (self.english and words[-1] in ENGLISH_PRONOUN_SUBJECTS):
            return _Subject("continued", evidence=words[-1])
        if words[-1] in RELATIVES:  # "سعد الحريري، الذي قال": the one the relative refers to
            return self._before_relative(start)
        return None

    def _content_words(self, start: int, end: int) -> list[str]:
        return [w for w in folded_words(self.text[start:end]) if w not in FILLERS]

    def _before_relative(self, start: int) -> _Subject | None:
        """The antecedent of a relative pronoun: the mention ending just before its clause."""
        lo = self.sentences[self._sentence(start)][0] if self.sentences else 0
        items = self._heads(self.mentions.within(lo, start))
        if items and self._lead_words(items[-1].span.end, start) == 0:
            return self._named(items[-1], items)
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

    def _heads(self, items: Sequence[Mention]) -> list[Mention]:
        """Mentions that can head a subject: not a possessor ("the Afghan team's coach")."""
        return [m for m in items if not _POSSESSIVE.match(self.text, m.span.end)]

    def _named(self, first: Mention, items: Sequence[Mention]) -> _Subject:
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
                elif not _COORDINATION.fullmatch(between):
                    break
                else:
                    group.add(ordered[j].pid)
                current, j = ordered[j], j + step
        evidence = self.text[first.span.start : first.span.end]
        return _Subject("named", frozenset(group), evidence)

    def _describe(self, words: Sequence[str]) -> _Subject | None:
        """An unlisted subject, compared word by word with every participant's descriptors."""
        words = [w for w in words if w not in FILLERS]
        while words and words[-1] in OPENERS:
            words.pop()
        if not words or words[0] in OPENERS:
            return None
        if words[0] in CONTINUATIONS:
            return _Subject("continued", evidence=words[0])
        if any(w in COLLECTIVES for w in words[:3]):
            return _Subject("collective", evidence=" ".join(words[:3]))
        if words[0] in PRONOUNS:
            return _Subject("continued", evidence=words[0])
        stems = {_stem(w) for w in words[:SUBJECT_HEAD_WORDS]}
        scores = {pid: len(stems & d) for pid, d in self._descriptors.items()}
        top = max(scores.values(), default=0)
        evidence = " ".join(words[:SUBJECT_HEAD_WORDS])
        if top == 0:
            return _Subject("unknown", evidence=evidence)
        return _Subject("described", frozenset(p for p, s in scores.items() if s == top), evidence)

    def _collective(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        evidence: str,
    ) -> _Subject:
        first = max(0, sentence - COLLECTIVE_SENTENCES_BACK)
        start = self.sentences[first][0] if self.sentences else 0
        named = {
            m.pid
            for m in self.mentions.within(start, cue.start)
            if self.mentions.kinds.get(m.pid) in ("person", "state", "organization", "group")
        }
        named |= {pid for at, speakers in history if at >= start for pid in speakers}
        return _Subject("collective", frozenset(named), evidence)

    def _continued(
        self,
        cue: Span,
        sentence: int,
        history: Sequence[tuple[int, frozenset[str]]],
        *,
        pronoun: bool,
    ) -> _Subject:
        """A dropped subject: the speaker of this sentence's or the last attribution."""
        lo = self.sentences[sentence][0] if self.sentences else 0
        same = [(at, speakers) for at, speakers in history if lo <= at < cue.start]
        if same:  # the clause goes on from the last attribution, or from someone named since
            at, last = same[-1]
            since = {
                m.pid
                for m in self.mentions.within(at, cue.start)
                if self.mentions.kinds.get(m.pid) == "person"
            }
            return _Subject("continued", last | since, "(same sentence)", primary=last)
        participle = self._is_continuation(cue)
        clause = self._heads(self.mentions.within(lo, cue.start))
        people = [m for m in clause if self.mentions.kinds.get(m.pid) != "state"]
        if people and participle and not pronoun:  # "وزار فلان ...، مؤكدا أن": its subject
            return _Subject("continued", frozenset({people[0].pid}), "(subject of the sentence)")
        earliest = (
            self.sentences[max(0, sentence - CARRY_MAX_SENTENCES)][0] if self.sentences else 0
        )
        before = [(at, speakers) for at, speakers in history if earliest <= at < cue.start]
        if not before:
            return _Subject("none")
        last = before[-1][1]
        candidates = set(last)
        if pronoun:  # "he" may be anyone named since: keep them as candidates
            candidates |= {
                m.pid
                for m in self.mentions.within(before[-1][0], cue.start)
                if self.mentions.kinds.get(m.pid) == "person"
            }
        return _Subject("continued", frozenset(candidates), "(the speaker before)", primary=last)

    # -- the verdict ------------------------------------------------------------------------------

    def _judge(self, pos: DraftPosition, cue: Span, content: Span, subject: _Subject) -> Decision:
        if not subject.speakers:
            status: Status = "wrong" if subject.how == "unknown" else "unresolved"
        elif pos.speaker_id in subject.speakers:
            status = "confirmed"
        else:
            status = "wrong"
        return Decision(status, cue, content, subject.speakers, subject.evidence or "", subject.how)

    # -- text helpers -----------------------------------------------------------------------------

    def _sentence(self, position: int) -> int:
        from bisect import bisect_right

        return max(0, bisect_right(self._starts, position) - 1)

    def _sentence_end(self, position: int) -> int:
        if not self.sentences:
            return len(self.text)
        return self.sentences[self._sentence(position)][1]

    def _clause_start(self, position: int, sentence: int) -> int:
        """Where the cue's clause begins: the sentence start or the last clause break before it."""
        lo = self.sentences[sentence][0] if self.sentences else 0
        window = self.text[lo:position]
        breaks = [m.end() for m in re.finditer(r"[،,;؛:»”\"\n]", window)]
        return lo + (breaks[-1] if breaks else 0)

    def _lead_words(self, start: int, end: int) -> int:
        """Words between two points, not counting fillers and other mentions ("the Afghan
        team's coach": the team is a modifier, not a word standing between)."""
        text = list(self.text[start:end])
        for m in self.mentions.within(start, end):
            text[m.span.start - start : m.span.end - start] = " " * (m.span.end - m.span.start)
        words = folded_words("".join(text))
        return sum(1 for w in words if w not in FILLERS and w != "s")

    def _genitive_head(self, items: Sequence[Mention]) -> Mention:
        """وقال وزير خارجية مصر سامح شكري: a state or body after a head noun is its genitive;
        the person written right after is the subject."""
        first = items[0]
        if self.mentions.kinds.get(first.pid) == "person" or len(items) < 2:
            return first
        nxt = items[1]
        gap = self._lead_words(first.span.end, nxt.span.start)
        if self.mentions.kinds.get(nxt.pid) == "person" and gap <= 1:
            return nxt
        return first


def _stem_verb(word: str) -> str:
    """A verb without the conjunction glued to it (ودعا → دعا)."""
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word


def _definite_noun(words: Sequence[str], english: bool) -> bool:
    """An Arabic definite noun right after the verb ("وقال المتظاهرون") is surely its subject."""
    return not english and bool(words) and words[0].startswith("ال") and len(words[0]) > 3


def _touching(a: Span, b: Span, text: str) -> bool:
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    return hi.start <= lo.end + 2 and not _WORDS.search(text[lo.end : hi.start])


def _stem(word: str) -> str:
    """A folded word without ال, proclitics and the feminine or nisba ending, for descriptions."""
    for prefix in ("وال", "بال", "فال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in ("يه", "ه", "ي"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word.removesuffix("s") if word.isascii() and len(word) > 3 else word


_GENERIC = frozenset(
    _stem(w)
    for w in folded_words(
        "the of and for in on at to a an الفريق أول اللواء العميد العقيد ركن في من على عن إلى و "
        "مع ل ب"
    )
)


def _descriptors(draft: ExtractionDraft) -> dict[str, set[str]]:
    """Each participant's distinctive words: name, titles, mentions, affiliation."""
    out: dict[str, set[str]] = {}
    for p in draft.participants:
        phrases = [p.name, *(t.text for t in p.titles), *p.mentions, p.affiliation or ""]
        out[p.id] = {
            _stem(w) for phrase in phrases for w in folded_words(phrase) if _stem(w) not in _GENERIC
        }
    return out


__all__ = ["Attributor", "Decision"]
