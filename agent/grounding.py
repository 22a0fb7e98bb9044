"""Find strings the model copied in the article they were copied from.

This module is the single seam for matching: the validator, the structural checks and users who
ground their own lists all go through `Grounder.align` (or `ground_mentions`). Matching is tiered,
best first; the first tier that finds the mention wins and reports every occurrence it finds:

1. exact      the mention occurs verbatim;
2. normalized the mention occurs once whitespace and punctuation runs are collapsed.

Offsets always index the original article (`text[span.start:span.end]`), never a normalised copy.
A mention that is not found comes back `unaligned` with no spans: a miss is better than a false hit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from agent.models import AlignmentStatus, Span


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where one mention was found, and how."""

    mention: str
    status: AlignmentStatus
    spans: tuple[Span, ...]
    score: float

    @property
    def grounded(self) -> bool:
        return self.status is not AlignmentStatus.UNALIGNED


def _is_separator(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZ"


def _collapse(text: str) -> tuple[str, list[int]]:
    """Collapse separator runs to one space; return the folded text and, per char, its source index."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if _is_separator(ch):
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(i)
            continue
        chars.append(ch)
        index.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def _find_all(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


class Grounder:
    """Index one article once, then align any number of mentions against it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded, self._index = _collapse(text)

    def align(self, mention: str) -> Alignment:
        needle = mention.strip()
        if not needle:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        starts = _find_all(self.text, needle)
        if starts:
            spans = tuple(Span(start=s, end=s + len(needle)) for s in starts)
            return Alignment(mention, AlignmentStatus.EXACT, spans, 1.0)
        folded_needle, _ = _collapse(needle)
        if folded_needle:
            spans = tuple(self._folded_spans(folded_needle))
            if spans:
                return Alignment(mention, AlignmentStatus.NORMALIZED, spans, 0.95)
        return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)

    def _folded_spans(self, needle: str) -> Iterable[Span]:
        folded = self._folded
        for start in _find_all(folded, needle):
            end = start + len(needle)
            if start > 0 and folded[start - 1] != " " and not _is_separator(needle[0]):
                continue
            if end < len(folded) and folded[end] != " " and not _is_separator(needle[-1]):
                continue
            yield Span(start=self._index[start], end=self._index[end - 1] + 1)


def ground_mentions(text: str, mentions: Iterable[str]) -> list[Alignment]:
    """Align each mention against `text`; the article is indexed once for the whole list."""
    grounder = Grounder(text)
    return [grounder.align(m) for m in mentions]


__all__ = ["Alignment", "Grounder", "ground_mentions"]
