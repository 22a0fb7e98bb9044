"""Sentences that respect quotations, and the words of a stretch of text.

Attribution is decided inside a sentence: the cue, its speaker and its content. A plain sentence
splitter cuts «... الأمن. ونحن ...» or "... peace. We will ..." in two at the full stop inside
the quotation, and the speaker named before the quotation is lost to the words after it. So a
quotation («…», “…”, „…“, "…", ``…'') is never split; it may not cross a paragraph, and an unclosed
mark quotes nothing (a stray " must not swallow the rest of the article).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from agent.text.normalize import fold, paragraph_bounds, sentence_bounds

# `` '' is the ASCII pair of typewriter text and of tokenised corpora (PTB, QA-SRL).
_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›", "``": "''"}
_OPENING = re.compile('``|[«“„‹"]')
_WORD = re.compile(r"\w+")


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation, marks included; none crosses a paragraph."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_bounds(text):
        at = p_start
        while True:
            m = _OPENING.search(text, at, p_end)
            if m is None:
                break
            closing = _PAIRS.get(m.group(), m.group())
            end = text.find(closing, m.end(), p_end)
            if end < 0:
                at = m.end()  # an unclosed mark quotes nothing
                continue
            spans.append((m.start(), end + len(closing)))
            at = end + len(closing)
    return spans


def statement_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds in which no quotation is cut: a break inside quotation marks is skipped."""
    quotes = quotation_spans(text)
    starts = [s for s, _ in quotes]
    merged: list[tuple[int, int]] = []
    for start, end in sentence_bounds(text):
        if merged and _inside_quote(text, merged[-1][1], quotes, starts):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _inside_quote(
    text: str, position: int, quotes: Sequence[tuple[int, int]], starts: list[int]
) -> bool:
    """True when `position` (a sentence end) lies inside a quotation, words of it still to come
    (not "… about . '' She said": there the quotation ends with the sentence)."""
    i = bisect_right(starts, position - 1) - 1
    return (
        i >= 0
        and quotes[i][0] < position < quotes[i][1] - 1
        and bool(_WORD.search(text, position, quotes[i][1]))
    )


def folded_words(text: str) -> list[str]:
    """The folded words of `text`, for comparing phrases (diacritics, hamza and case ignored)."""
    return _WORD.findall(fold(text))


__all__ = ["folded_words", "quotation_spans", "statement_sentences"]
