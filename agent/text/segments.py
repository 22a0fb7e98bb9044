"""Sentences that respect quotations, and the words of a stretch of text.

Attribution is decided inside a sentence: the cue, its speaker and its content. A plain sentence
splitter cuts «... الأمن. ونحن ...» or "... peace. We will ..." in two at the full stop inside
the quotation, and the speaker named before the quotation is lost to the words after it. So a
quotation («…», “…”, „…“, "…", ``…'', ء ء…ء ء) is never split; it may not cross a paragraph,
and an unclosed mark quotes nothing (a stray " must not swallow the rest of the article).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from agent.text.normalize import fold, paragraph_bounds, sentence_bounds

# `` '' is the ASCII pair of typewriter text and of tokenised corpora (PTB, QA-SRL).
_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›", "``": "''"}
_OPENING = re.compile("``|[«“„‹]")
# Marks that open and close alike: " and, in some Arabic newswire (NewsFANE), a lone hamza run
# (ء ء), which is no word.
_SYMMETRIC = re.compile(r'"|(?<!\S)ء(?:[ \t]+ء)*(?!\S)')
_WORD = re.compile(r"\w+")


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation, marks included; none crosses a paragraph."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_bounds(text):
        paired = _paired_quotes(text, p_start, p_end)
        spans += paired
        spans += [
            q
            for q in _symmetric_quotes(text, p_start, p_end)
            if not any(a <= q[0] < b for a, b in paired)  # "…" inside «…» is part of it
        ]
    return sorted(spans)


def _paired_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations between marks that differ («…», “…”, ``…'')."""
    spans: list[tuple[int, int]] = []
    at = start
    while (m := _OPENING.search(text, at, end)) is not None:
        closing = _PAIRS[m.group()]
        close = text.find(closing, m.end(), end)
        if close < 0:
            at = m.end()  # an unclosed mark quotes nothing
            continue
        spans.append((m.start(), close + len(closing)))
        at = close + len(closing)
    return spans


def _symmetric_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations between marks that are alike ("…"): marks pair within their line first, and
    a line's odd mark out pairs with the next odd one unless a quotation lies between (a
    quotation may run over lines, but one left open must not swallow the next line's quote)."""
    marks = list(_SYMMETRIC.finditer(text, start, end))
    spans: list[tuple[int, int]] = []
    odd: list[re.Match[str]] = []
    i = 0
    while i < len(marks):
        line_end = text.find("\n", marks[i].start(), end)
        line = [m for m in marks[i:] if line_end < 0 or m.start() < line_end]
        for a, b in zip(line[0::2], line[1::2], strict=False):
            spans.append((a.start(), b.end()))
        if len(line) % 2:
            odd.append(line[-1])
        i += len(line)
    j = 0
    while j + 1 < len(odd):
        a, b = odd[j], odd[j + 1]
        if any(a.end() <= s < b.start() for s, _ in spans):
            j += 1  # a quotation between: this one was left open
            continue
        spans.append((a.start(), b.end()))
        j += 2
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
