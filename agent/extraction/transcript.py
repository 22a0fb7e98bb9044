"""Interview transcripts: a line opened by a speaker's label is that speaker's.

Wikinews interviews and press-conference transcripts carry no cue verb: "Richman : Any action
costs money ...", "RK : No , because ...", and headlines write "رايس : اذا اختار ...". The label
names who speaks, and the first person of the answer it opens ("I hope", "As I mentioned",
"I 'm sure that") is that speaker, also in the answer's next paragraphs, up to the next label.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from agent.models import Span

# A name of at most MAX_LABEL_WORDS words and a colon opening a line ("Dr. Robert Kelly :").
MAX_LABEL_WORDS = 6
ANSWER_PARAGRAPHS = 3  # an answer's first person is its label's this many paragraphs on
_LABEL = re.compile(r"^[ \t]*([^\n:：]{1,80}?)[ \t]*[:：]", re.M)
_WORD = re.compile(r"\w+")
# The first person right before a cue: "I hope", "I could imagine", "As I mentioned", "we fear".
_FIRST_PERSON_BEFORE = re.compile(r"(?<![\w'])(?:I|we|We)(?:\s+[\w']+){0,2}\s*$")


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


__all__ = ["Transcript"]
