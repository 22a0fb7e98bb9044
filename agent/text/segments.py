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
    quotation may run over lines, but one left open must not swallow the next line's quote).

    A corpus cut into one sentence per line puts a quotation's closing mark at the start of the
    next line (`" و اضاف " الم يحن ...`): a line with an odd number of marks whose first mark
    opens the line and is followed by a space closes the quotation the line before left open,
    or, with none open (an excerpt cut inside a quotation), closes one this text does not hold.
    So does a line's first mark when only "و اضاف" stands between it and the next."""
    marks = list(_SYMMETRIC.finditer(text, start, end))
    spans: list[tuple[int, int]] = []
    odd: list[re.Match[str]] = []
    i = 0
    while i < len(marks):
        line_end = text.find("\n", marks[i].start(), end)
        line = [m for m in marks[i:] if line_end < 0 or m.start() < line_end]
        i += len(line)
        if (len(line) % 2 and _closes_the_line_before(text, line[0])) or (
            len(line) > 1 and _narration_between(text, line[0], line[1])
        ):
            if odd and not any(odd[-1].end() <= s < line[0].start() for s, _ in spans):
                spans.append((odd.pop().start(), line[0].end()))
            line = line[1:]
        k = 0
        while k + 1 < len(line):
            if _only_opens(text, line[k + 1]):  # '"1.433.5"، "كيلو ... ونصف الجرام، وذلك ...
                k += 1  # أوضح ذلك "محمد العقيل"': a mark left open before one that opens
                continue
            spans.append((line[k].start(), line[k + 1].end()))
            k += 2
        if k < len(line):
            odd.append(line[-1])
    j = 0
    while j + 1 < len(odd):
        a, b = odd[j], odd[j + 1]
        if any(a.end() <= s < b.start() for s, _ in spans):
            j += 1  # a quotation between: this one was left open
            continue
        spans.append((a.start(), b.end()))
        j += 2
    return spans


def _only_opens(text: str, mark: re.Match[str]) -> bool:
    """A mark with a space before it and a letter right after it opens a quotation and cannot
    close one ('ذلك "محمد'); marks spaced on both sides (a tokenised corpus) may do either."""
    before = text[mark.start() - 1 : mark.start()] if mark.start() else " "
    after = text[mark.end() : mark.end() + 1]
    return before.isspace() and after.isalnum()


def _narration_between(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """'" و اضاف "': between two marks only "and" and a speech verb, which no quotation is:
    the first mark closes a quotation, the second opens the next."""
    from agent.text.cue_words import CONTINUATIONS, VERBS, bare_verb  # it imports this module

    words = [fold(w) for w in _WORD.findall(text[a.end() : b.start()])]
    if words[:1] in (["و"], ["ف"]) and len(words) == 2:
        words = ["و" + words[1]]
    return (
        len(words) == 1
        and words[0][:1] in ("و", "ف")
        and (bare_verb(words[0]) in VERBS or words[0] in CONTINUATIONS)
    )


def _closes_the_line_before(text: str, mark: re.Match[str]) -> bool:
    """'\n" و اضاف': the mark opens its line, a space after it (the tokenised closing mark)."""
    line_start = text.rfind("\n", 0, mark.start()) + 1
    return not text[line_start : mark.start()].strip() and text[mark.end() : mark.end() + 1] in (
        " ",
        "\t",
    )


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
