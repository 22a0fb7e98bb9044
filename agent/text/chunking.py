"""Split a long article into chunks a small model can read, at the most natural place available.

A chunk is a slice of the article (`text[start:end]`, never a rewritten copy), so everything a
chunk's extraction grounds rebases to the article by adding `start`. Cuts are tried best first:

1. a paragraph break (a blank line), when it keeps the chunk at least half full;
2. a sentence end (`.` `!` `?` `؟` `…`, as `agent.text.normalize.sentence_bounds` finds them:
   "Mr." and "U.S." do not end one, and "3.5" never does, since a mark must be followed by
   whitespace), never inside a quotation (« » “ ” „ ‹ › or straight double quotes);
3. the Arabic comma ، (only as a last resort, outside quotations, never between digits);
4. the last space before the limit (a paragraph with no sentence end);
5. a hard cut inside a word, only when a whole chunk holds no space; the chunk says so.

Consecutive chunks overlap by one sentence (the last one of a chunk starts the next), so a
statement whose cue ends one chunk and whose content starts the next is whole in one of them.
Chunks are then evened out (the limit lowered while the count stays the same), so a long article
is never full chunks and a 300-character tail. A sentence longer than a quarter of a chunk is not
repeated: the overlap would cost more than the rare statement it saves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.text.normalize import paragraph_bounds, sentence_bounds

OVERLAP_MAX_SHARE = 4  # the overlap sentence is at most chunk_chars / 4 long
PARAGRAPH_MIN_FILL = 2  # a paragraph break ends a chunk only once it is at least 1/2 full
BALANCE_STEP = 0.95  # the limit is lowered in 5 % steps while the chunk count stays the same

_OPENING = {"«": "»", "“": "”", "„": "“", "‹": "›"}
_STRAIGHT = '"'
_ARABIC_COMMA = re.compile("،")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One slice of the article: `article[start:end] == text`."""

    index: int
    start: int
    end: int
    text: str
    hard_cut: bool = False  # the chunk ends inside a word: no space in a whole chunk

    @property
    def label(self) -> str:
        return f"chunk {self.index + 1}"


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    paragraph_end: bool = False
    hard_cut: bool = False


def split_article(text: str, max_chars: int) -> list[Chunk]:
    """The article in chunks of at most `max_chars` characters (one chunk if it fits)."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be 1 or more, got {max_chars}")
    if len(text) <= max_chars:
        return [Chunk(0, 0, len(text), text)]
    pieces = _pieces(text, max_chars)
    if not pieces:
        return [Chunk(0, 0, len(text), text)]
    return [
        Chunk(n, s, e, text[s:e], hard) for n, (s, e, hard) in enumerate(_pack(pieces, max_chars))
    ]


def _pack(pieces: list[_Piece], max_chars: int) -> list[tuple[int, int, bool]]:
    """Greedy: as many whole pieces as fit, ending at a paragraph break where one is near."""
    out: list[tuple[int, int, bool]] = []
    i, n = 0, len(pieces)
    while i < n:
        first = pieces[i].start
        j = i
        while j + 1 < n and pieces[j + 1].end - first <= max_chars:
            j += 1
        if j + 1 < n:
            for k in range(j, i - 1, -1):
                if pieces[k].paragraph_end:
                    if (pieces[k].end - first) * PARAGRAPH_MIN_FILL >= max_chars:
                        j = k
                    break
        out.append((first, pieces[j].end, pieces[j].hard_cut))
        if j + 1 >= n:
            break
        last = pieces[j]
        overlap = (
            j > i
            and not last.hard_cut
            and (last.end - last.start) * OVERLAP_MAX_SHARE <= max_chars
            and pieces[j + 1].end - last.start <= max_chars
        )
        i = j if overlap else j + 1
    return out


def _pieces(text: str, max_chars: int) -> list[_Piece]:
    """Sentences (or smaller cuts of an overlong one), each at most `max_chars` long."""
    pieces: list[_Piece] = []
    for p_start, p_end in paragraph_bounds(text):
        quotes = _quotations(text, p_start, p_end, max_chars)
        paragraph = [
            (s + p_start, e + p_start)
            for s, e in _sentences_outside_quotes(text[p_start:p_end], quotes, p_start)
        ]
        for s_start, s_end in paragraph:
            for c_start, c_end in _at_commas(text, s_start, s_end, max_chars, quotes):
                pieces.extend(_at_spaces(text, c_start, c_end, max_chars))
        if pieces:
            last = pieces[-1]
            pieces[-1] = _Piece(last.start, last.end, paragraph_end=True, hard_cut=last.hard_cut)
    return pieces


def _quotations(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Quoted stretches of one paragraph; one longer than a chunk cannot be kept whole."""
    found: list[tuple[int, int]] = []
    closing: str | None = None
    opened = 0
    for i in range(start, end):
        ch = text[i]
        if closing is None:
            if ch in _OPENING:
                closing, opened = _OPENING[ch], i
            elif ch == _STRAIGHT:
                closing, opened = _STRAIGHT, i
        elif ch == closing:
            found.append((opened, i + 1))
            closing = None
    if closing is not None:
        found.append((opened, end))
    return [(s, e) for s, e in found if e - s <= max_chars]


def _inside(position: int, quotes: list[tuple[int, int]]) -> bool:
    return any(s < position < e for s, e in quotes)


def _sentences_outside_quotes(
    paragraph: str, quotes: list[tuple[int, int]], offset: int
) -> list[tuple[int, int]]:
    """Sentence bounds, joined again wherever a sentence end falls inside a quotation."""
    merged: list[tuple[int, int]] = []
    for s, e in sentence_bounds(paragraph):
        if merged and _inside(merged[-1][1] + offset, quotes):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _at_commas(
    text: str, start: int, end: int, max_chars: int, quotes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """An overlong sentence cut after Arabic commas (outside quotations and numbers)."""
    if end - start <= max_chars:
        return [(start, end)]
    cuts = [
        m.end()
        for m in _ARABIC_COMMA.finditer(text, start, end)
        if not _inside(m.start(), quotes)
        and not (_digit(text, m.start() - 1) and _digit(text, m.end()))
    ]
    out: list[tuple[int, int]] = []
    at = start
    for cut in cuts:
        if cut - at > 0:
            out.append((at, cut))
            at = cut
    out.append((at, end))
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in out) if s < e]


def _at_spaces(text: str, start: int, end: int, max_chars: int) -> list[_Piece]:
    """Cut at the last space before the limit; with no space in reach, cut hard."""
    out: list[_Piece] = []
    at = start
    while end - at > max_chars:
        limit = at + max_chars
        space = _last_space(text, at, limit)
        if space > at:
            s, e = _trim(text, at, space)
            out.append(_Piece(s, e))
            at = space
        else:
            out.append(_Piece(at, limit, hard_cut=True))
            at = limit
        while at < end and text[at].isspace():
            at += 1
    if at < end:
        out.append(_Piece(at, end))
    return out


def _last_space(text: str, start: int, limit: int) -> int:
    """Index of the last whitespace in text[start:limit+1] (a space right at the limit counts)."""
    for i in range(min(limit, len(text) - 1), start, -1):
        if text[i].isspace():
            return i
    return start


def _digit(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isdigit()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


__all__ = ["Chunk", "split_article"]
