"""Interview transcripts: a line opened by a speaker's label is that speaker's; first person.

Wikinews interviews and press-conference transcripts carry no cue verb: "Richman : Any action
costs money ...", "RK : No , because ...", and headlines write "رايس : اذا اختار ...". The label
names who speaks, and the first person of the answer it opens ("I hope", "As I mentioned",
"I 'm sure that") is that speaker, also in the answer's next paragraphs, up to the next label.

An Arabic cue in the first person ("غير اننى ارى", "و اعتقد ان", "اعتبرت ه منذ ... عيناى")
names nobody in the sentence either: its speaker is whoever is speaking, never a third party
written nearby.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from agent.models import Span
from agent.text.cue_words import bare_verb
from agent.text.normalize import fold
from agent.text.segments import folded_words

# A name of at most MAX_LABEL_WORDS words and a colon opening a line ("Dr. Robert Kelly :").
MAX_LABEL_WORDS = 6
ANSWER_PARAGRAPHS = 3  # an answer's first person is its label's this many paragraphs on
_LABEL = re.compile(r"^[ \t]*([^\n:：]{1,80}?)[ \t]*[:：]", re.M)
_WORD = re.compile(r"\w+")
# The first person right before a cue: "I hope", "I could imagine", "As I mentioned", "we fear".
_FIRST_PERSON_BEFORE = re.compile(r"(?<![\w'])(?:I|we|We)(?:\s+[\w']+){0,2}\s*$")


# Imperfect first-person cue verbs: no third person is written so ("ارى", not رأى).
_FIRST_PERSON_VERBS = frozenset(
    fold(w)
    for w in [
        "أرى",
        "أظن",
        "أؤكد",
        "أقول",
        "أتوقع",
        "أتمنى",
        "أرجو",
        "أشعر",
        "آمل",
        # and speech verbs spelt unlike their past: ادعو not دعا, ادين not ادان, اشير not اشار
        "أدعو",
        "أطالب",
        "أرفض",
        "أنفي",
        "أرحب",
        "أدين",
        "أشير",
        "أتساءل",
        "أخشى",
        "أؤمن",
    ]
)
# Spelt alike in the first person and the third ("اعتقد": I believe, he believed; "اعتبرت":
# I, or she, considered): first person only with another first-person word in the sentence.
_AMBIGUOUS_VERBS = frozenset(fold(w) for w in ["أعتقد", "أعتبر", "اعتبرت", "أكدت", "قلت"])
# First-person words as NewsFANE splits them off ("انن ي", "حياة نا") or glued (اننى، عيناى،
# بقينا): a sentence holding one is spoken by someone.
_FIRST_PERSON_WORDS = frozenset(
    fold(w)
    for w in ["ي", "ى", "ني", "نى", "نا", "انا", "أنا", "نحن", "اننى", "انني", "إنني", "لكنني"]
)
_FIRST_PERSON_GLUED = re.compile(r"(?:[\u0621-\u064a]{2,}نا|[\u0621-\u064a]اى)$")
AMBIGUOUS_WINDOW = 10  # words after an ambiguous cue searched for a first-person word
_NOT_FIRST_PERSON = frozenset(fold(w) for w in ["هنا", "ها هنا"])


def arabic_first_person(cue_text: str, after: str, subject_after: Callable[[], bool]) -> bool:
    """Whether an Arabic cue is in the first person: "ارى", "لا اعتبر ه", or "اعتبرت ه" /
    "و اعتقد ان" with no subject after the verb and a first-person word in the words after it
    ("اعتبرت ه منذ ان تفتحت عيناى"); `after`: the text after the cue, up to its sentence end;
    `subject_after` is asked only for a verb spelt alike in both persons."""
    words = folded_words(cue_text)
    negated = words[:1] == ["لا"]
    words = words[1:] if negated else words
    if not words:
        return False
    verb = bare_verb(words[0])
    if verb in _FIRST_PERSON_VERBS:
        return True
    if verb not in _AMBIGUOUS_VERBS or subject_after():
        return False
    if negated and not verb.endswith("ت"):  # "لا" negates the imperfect: "لا أعتبره"
        return True
    return any(
        w in _FIRST_PERSON_WORDS or (_FIRST_PERSON_GLUED.search(w) and w not in _NOT_FIRST_PERSON)
        for w in folded_words(after)[:AMBIGUOUS_WINDOW]
    )


class Transcript:
    """The speaker labels of one article, in text order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.labels: list[Span] = [
            Span(start=m.start(1), end=m.end(1))
            for m in _LABEL.finditer(text)
            if len(_WORD.findall(m.group(1))) <= MAX_LABEL_WORDS
        ]
        self._starts = [label.start for label in self.labels]

    def label_of(self, cue: Span) -> Span | None:
        """The name in a cue that is a label ("RK :"), else None."""
        if not self.text[cue.start : cue.end].rstrip().endswith((":", "：")):
            return None
        for label in self.labels:
            if cue.start <= label.start and label.end <= cue.end:
                return label
        return None

    def answered_by(self, cue: Span) -> Span | None:
        """The label whose answer holds a first-person cue ("I hope"), else None."""
        if not _FIRST_PERSON_BEFORE.search(self.text[max(0, cue.start - 40) : cue.start]):
            return None
        at = bisect_right(self._starts, cue.start) - 1
        if at < 0:
            return None
        label = self.labels[at]
        paragraphs = self.text.count("\n\n", label.end, cue.start)
        return label if paragraphs <= ANSWER_PARAGRAPHS else None


__all__ = ["Transcript", "arabic_first_person"]
