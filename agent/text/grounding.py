"""Find strings the model copied in the article they were copied from.

This module is the single seam for matching: the validator, the structural checks and users who
ground their own lists all go through `Grounder.align` (or `ground_mentions`). Matching runs on the
folded form of `agent.text.normalize` and is tiered, best first; the first tier that finds the
mention wins and reports every occurrence it finds:

1. exact       the mention occurs verbatim (the tier also reports occurrences that differ only by
               folding, e.g. the same name once with diacritics);
2. normalized  the folded token sequence occurs (diacritics, hamza, ة/ه, ى/ي, case, quotes,
               dashes, line breaks), or occurs once spaces are ignored (عبد الله / عبدالله), or
               with the hamza on its other seat (مسؤول / مسئول, tried after tier 3);
3. clitic      the first word sits in a token with proclitics (و ف ب ك ل, لل) or the model
               added or dropped the article ال; the span covers the name, not the proclitic
               (القاهرة inside بالقاهرة); English possessive 's is treated the same way;
4. fuzzy       bounded: names need two or more words and may differ in one long word by one
               edit; long quoted content (`kind="text"`) may match a window of one paragraph.

Offsets always index the original article (`text[span.start:span.end]`), never a folded copy.
A mention that is not found comes back `unaligned` with no spans: a false hit is worse than a miss.
The article is folded and indexed by token once, so a lookup costs what its candidates cost, not
what the article's length costs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from agent.models import AlignmentStatus, Span
from agent.text.cue_words import PARTICLES
from agent.text.normalize import (
    crosses_sentence,
    edge_marks,
    fold,
    normalize,
    paragraph_bounds,
    same_marks,
    sentence_bounds,
    token_spans,
)

Kind = Literal["name", "text", "cue"]

EXACT_SCORE = 1.0
NORMALIZED_SCORE = 0.95
JOINED_SCORE = 0.9  # spaces differ: عبد الله / عبدالله, Al Sisi / AlSisi
CLITIC_SCORE = 0.9
ARTICLE_SCORE = 0.85  # the model added or dropped ال
SEAT_SCORE = 0.9  # the hamza sits on the other seat: مسؤول / مسئول
FUZZY_SCORE_SCALE = 0.85  # fuzzy scores are rapidfuzz ratios scaled below every other tier

CLITIC_MIN_STEM = 3  # a proclitic is never split off a one-word name shorter than this ...
CLITIC_MIN_STEM_IN_PHRASE = 2  # ... or off the first word of a longer name (بحي المفرق)
SHORT_CUE_MIN_LEN = 2  # a cue verb this short (حث, رد) may still be split off و or ف
SPLIT_CUE_SCORE = 0.8  # a verb and its particle with the subject written between them
SPLIT_CUE_MAX_GAP = 8  # tokens allowed between them: أعرب وزير الخارجية المصري سامح شكري عن
_SENTENCE_END = re.compile(r"[.!?؟\n]")
NAME_FUZZY_MIN_TOKENS = 2  # one-word names are never matched fuzzily
NAME_FUZZY_MIN_TOKEN_LEN = 6  # only a long word may differ, by one vowel letter, in one word:
NAME_FUZZY_VOWELS = frozenset("اويaeiouy")  # فرنسيسكو / فرانسيسكو, but not افريقيا / افريقية
TEXT_FUZZY_MIN_TOKENS = 4  # quoted content shorter than this is matched as strictly as a name
TEXT_FUZZY_MIN_RATIO = 85.0  # rapidfuzz ratio of the content to its best window, 0-100
TEXT_FUZZY_MIN_OVERLAP = 0.5  # share of the content's words a paragraph must hold to be tried
NEAR_MAX_GAP = 40  # characters between a title and its holder, e.g. "Ed Miliband, leader of"

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
PROCLITICS: tuple[str, ...] = tuple(
    c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS if c + p
)  # و ب ك ل ف وب وك ول فب فك فل (folded forms)
# A bare name (no ال) is split off only after these: ك and ف glue to too many words (كريم ≠ ريم).
_BARE_NAME_PROCLITICS = ("و", "ب", "ل", "وب", "ول", "فب", "فل")
_ARTICLE = "ال"
# The hamza before و on its other seat: Egyptian and older spelling writes ئ where others write ؤ
# (مسئول / مسؤول, الشئون / الشؤون); both occur in the NewsFANE gold. Folding keeps them apart
# (ؤ → و, ئ → ي) because و and ي must stay apart, so a mention is retried with the seat swapped
# there, and only there (القضائية keeps its ئ).
_SEAT_BEFORE_WAW = re.compile("[ؤئ](?=[\u064b-\u065f]*و)")


def _other_seat(core: str) -> str:
    return _SEAT_BEFORE_WAW.sub(lambda m: "ئ" if m.group() == "ؤ" else "ؤ", core)


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


_Hit = tuple[int, int, int]  # first token, end token, character offset into the first token


def _one_vowel_apart(a: str, b: str) -> bool:
    """True if one word is the other with one vowel letter more (a transliteration variant)."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) != len(short) + 1:
        return False
    return any(
        long[i] in NAME_FUZZY_VOWELS and long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


class Grounder:
    """Index one article once (folded text, token index), then align any number of mentions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._norm = normalize(text)
        self._spans = token_spans(self._norm.text)
        self._tokens = [self._norm.text[s:e] for s, e in self._spans]
        self._index: dict[str, list[int]] = {}
        for i, token in enumerate(self._tokens):
            self._index.setdefault(token, []).append(i)
        self._paragraphs: list[tuple[int, int]] | None = None

    def align(self, mention: str, *, kind: Kind = "name") -> Alignment:
        """Find every occurrence of `mention`.

        `kind="text"` lets long content match fuzzily; `kind="cue"` lets a two-letter verb be
        found behind و or ف.
        """
        core = mention.strip()
        tokens = fold(core).split()
        if not tokens:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        found = self._strict(mention, core, tokens)
        seated = _other_seat(core)
        if found is None and seated != core:  # مسؤول written مسئول, شؤون written شئون
            found = self._strict(mention, seated, fold(seated).split())
            if found is not None and found.status is AlignmentStatus.EXACT:
                found = Alignment(mention, AlignmentStatus.NORMALIZED, found.spans, SEAT_SCORE)
        if found is not None:
            return found
        if kind == "text" and len(tokens) >= TEXT_FUZZY_MIN_TOKENS:
            return self._fuzzy_text(mention, " ".join(tokens))
        if kind == "cue" and len(tokens) == 1:
            return self._short_cue(mention, tokens[0])
        if kind == "cue" and len(tokens) >= 2 and tokens[-1] in PARTICLES:
            return self._split_cue(mention, tokens)
        if len(tokens) >= NAME_FUZZY_MIN_TOKENS:
            return self._fuzzy_name(mention, tokens)
        return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)

    def _short_cue(self, mention: str, verb: str) -> Alignment:
        """A cue verb glued to و or ف (وحث, فرد, فصرح): too short for the name rule, or ف not
        split off names, but a verb takes a conjunction; the span covers the verb alone."""
        if not _is_arabic(verb[0]) or len(verb) < SHORT_CUE_MIN_LEN or verb[0] in ("و", "ف"):
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        hits = [(i, i + 1, 1) for c in ("و", "ف") for i in self._index.get(c + verb, ())]
        if not hits:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        return self._result(mention, AlignmentStatus.CLITIC, hits, CLITIC_SCORE)

    def _split_cue(self, mention: str, tokens: list[str]) -> Alignment:
        """A verb and its particle with the subject between them ("أعرب عن" written "أعرب
        المنفي عن", "pointed out" written "pointed it out"): the span covers the verb alone, so
        the subject after it is still read as the verb's."""
        head = tokens[:-1]
        starts = self._sequence(head) + self._glued(head)
        if not starts and len(head) == 1:
            starts = [(i, i + 1, 1) for c in ("و", "ف") for i in self._index.get(c + head[0], ())]
        hits = []
        for hit in starts:
            stop = min(len(self._tokens), hit[1] + SPLIT_CUE_MAX_GAP + 1)
            k = next((k for k in range(hit[1], stop) if self._tokens[k] == tokens[-1]), None)
            if k is None:
                continue
            between = self.text[self._source(hit)[1] : self._source((k, k + 1, 0))[0]]
            if not _SENTENCE_END.search(between):  # the particle is in the verb's sentence
                hits.append(hit)
        if not hits:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        return self._result(mention, AlignmentStatus.FUZZY, hits, SPLIT_CUE_SCORE)

    def _strict(self, mention: str, core: str, tokens: list[str]) -> Alignment | None:
        """Tiers 1-3: the folded words occur as they are, joined, or behind proclitics."""
        glued = self._glued(tokens)  # the same name with proclitics: reported with any tier
        hits = self._sequence(tokens)
        if hits:
            return self._exact_or_normalized(mention, core, hits, glued)
        hits = self._joined(tokens)
        if hits:
            return self._result(mention, AlignmentStatus.NORMALIZED, hits + glued, JOINED_SCORE)
        return self._clitic(mention, core, tokens)

    # -- tiers ---------------------------------------------------------------------------------

    def _sequence(self, tokens: Sequence[str], first: str | None = None) -> list[_Hit]:
        """Occurrences of the token sequence; `first` replaces the first token in the lookup."""
        k = len(tokens)
        rest = list(tokens[1:])
        found: list[_Hit] = []
        for i in self._index.get(tokens[0] if first is None else first, ()):
            if self._tokens[i + 1 : i + k] == rest:
                found.append((i, i + k, 0))
        return found

    def _exact_or_normalized(
        self, mention: str, core: str, hits: list[_Hit], glued: list[_Hit]
    ) -> Alignment:
        lead, trail = edge_marks(core)
        found: set[tuple[int, int]] = {self._source(hit) for hit in glued}
        verbatim = False
        for hit in hits:
            start, end = self._source(hit)
            at = start - len(lead)
            stop = at + len(core)
            if at >= 0 and stop >= end and self.text.startswith(core, at):
                verbatim = True  # the verbatim copy, edge quotes included, no mark cut off
                start, end = at, stop
            else:  # keep the quotes or the full stop the mention has, when the article has them
                if same_marks(self.text[end : end + len(trail)], trail):
                    end += len(trail)
                if start >= len(lead) and same_marks(self.text[start - len(lead) : start], lead):
                    start -= len(lead)
            found.add((start, end))
        spans = tuple(Span(start=s, end=e) for s, e in sorted(found))
        if verbatim:
            return Alignment(mention, AlignmentStatus.EXACT, spans, EXACT_SCORE)
        return Alignment(mention, AlignmentStatus.NORMALIZED, spans, NORMALIZED_SCORE)

    def _joined(self, tokens: list[str]) -> list[_Hit]:
        """Occurrences that differ only in where the spaces are."""
        joined = "".join(tokens)
        starts = set(self._index.get(tokens[0], ()))
        for cut in range(2, len(tokens[0]) - 1):  # the article splits the first word (عبد الله)
            starts.update(self._index.get(tokens[0][:cut], ()))
        if len(tokens) > 1:
            starts |= set(self._index.get(tokens[0] + tokens[1], ()))
        found: list[_Hit] = []
        for i in sorted(starts):
            acc, j = "", i
            while len(acc) < len(joined) and j < len(self._tokens) and joined.startswith(acc):
                acc += self._tokens[j]
                j += 1
            if acc == joined and (j - i) != len(tokens):
                found.append((i, j, 0))
        return found

    def _glued(self, tokens: list[str]) -> list[_Hit]:
        """Occurrences with proclitics glued to the first word (بالقاهرة, للامم المتحدة)."""
        if not _is_arabic(tokens[0][0]):
            return []
        surfaces = self._clitic_surfaces(tokens[0], single=len(tokens) == 1, known=True)[0][0]
        return self._surface_hits(tokens, surfaces)

    def _surface_hits(self, tokens: list[str], surfaces: list[tuple[str, int]]) -> list[_Hit]:
        return [
            (i, j, offset)
            for surface, offset in surfaces
            for i, j, _ in self._sequence(tokens, first=surface)
        ]

    def _clitic(self, mention: str, core: str, tokens: list[str]) -> Alignment | None:
        first = tokens[0]
        if not _is_arabic(first[0]):
            if len(tokens) > 1 and tokens[-1] == "s" and core[-2:-1] in ("'", "’"):
                hits = self._sequence(tokens[:-1])
                if hits:
                    return self._result(mention, AlignmentStatus.CLITIC, hits, CLITIC_SCORE)
            return None
        for surfaces, score in self._clitic_surfaces(first, single=len(tokens) == 1):
            hits = self._surface_hits(tokens, surfaces)
            if hits:
                return self._result(mention, AlignmentStatus.CLITIC, hits, score)
        return None

    @staticmethod
    def _clitic_surfaces(
        first: str, *, single: bool, known: bool = False
    ) -> list[tuple[list[tuple[str, int]], float]]:
        """How the first word may look in the article, with where the name starts in that token.

        `known`: the name also occurs on its own, so every proclitic may be split off it.
        """
        min_stem = CLITIC_MIN_STEM if single else CLITIC_MIN_STEM_IN_PHRASE
        has_article = first.startswith(_ARTICLE) and len(first) >= len(_ARTICLE) + min_stem
        glued: list[tuple[str, int]] = []
        if len(first) >= min_stem:
            bare_single = single and not has_article and not known
            prefixes = _BARE_NAME_PROCLITICS if bare_single else PROCLITICS
            for p in prefixes:
                glued.append((p + first, len(p)))
                if has_article and p.endswith("ل"):
                    glued.append((p + first[1:], len(p)))  # ل + القاهرة is written للقاهرة
        article: list[tuple[str, int]] = []
        if has_article:
            stem = first[len(_ARTICLE) :]
            article = [(p + stem, len(p)) for p in ("", *PROCLITICS)]
        elif len(first) >= min_stem:
            for p in ("", *PROCLITICS):
                article.append((p + _ARTICLE + first, len(p)))
                if p.endswith("ل"):
                    article.append((p + "ل" + first, len(p)))
        return [(glued, CLITIC_SCORE), (article, ARTICLE_SCORE)]

    def _fuzzy_name(self, mention: str, tokens: list[str]) -> Alignment:
        """Same words in the same order, except one long word one edit away."""
        k = len(tokens)
        windows = {
            p - q
            for q, token in enumerate(tokens)
            for p in self._index.get(token, ())
            if 0 <= p - q <= len(self._tokens) - k
        }
        hits: list[_Hit] = []
        best = 0.0
        for w in sorted(windows):
            window = self._tokens[w : w + k]
            diffs = [(a, b) for a, b in zip(tokens, window, strict=True) if a != b]
            if len(diffs) != 1:
                continue
            a, b = diffs[0]
            if min(len(a), len(b)) < NAME_FUZZY_MIN_TOKEN_LEN:
                continue
            if not _one_vowel_apart(a, b):
                continue
            hits.append((w, w + k, 0))
            best = max(best, fuzz.ratio(" ".join(tokens), " ".join(window)))
        if not hits:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        return self._result(mention, AlignmentStatus.FUZZY, hits, best / 100 * FUZZY_SCORE_SCALE)

    def _fuzzy_text(self, mention: str, needle: str) -> Alignment:
        """Best window of each paragraph that holds enough of the content's words."""
        folded = self._norm.text
        if self._paragraphs is None:
            index = self._norm.folded_index
            self._paragraphs = [(index(s), index(e)) for s, e in paragraph_bounds(self.text)]
        para_starts = [s for s, _ in self._paragraphs]
        words = set(needle.split())
        counts: dict[int, int] = {}
        for word in words:
            seen = {
                max(0, bisect_right(para_starts, self._spans[i][0]) - 1)
                for i in self._index.get(word, ())
            }
            for p in seen:
                counts[p] = counts.get(p, 0) + 1
        spans: list[Span] = []
        best = 0.0
        for p in sorted(counts):
            if counts[p] < TEXT_FUZZY_MIN_OVERLAP * len(words):
                continue
            fs, fe = self._paragraphs[p]
            window = self._best_window(needle, fs, fe)
            if window is None:
                continue
            ws, we = window
            score = fuzz.ratio(needle, folded[ws:we])
            if score >= TEXT_FUZZY_MIN_RATIO:
                start, end = self._norm.to_source(ws, we)
                spans.append(Span(start=start, end=end))
                best = max(best, score)
        if not spans:
            return Alignment(mention, AlignmentStatus.UNALIGNED, (), 0.0)
        return Alignment(
            mention, AlignmentStatus.FUZZY, tuple(spans), best / 100 * FUZZY_SCORE_SCALE
        )

    def _best_window(self, needle: str, fs: int, fe: int) -> tuple[int, int] | None:
        """The paragraph window most like `needle`, widened to whole tokens, in folded offsets."""
        folded = self._norm.text
        paragraph = folded[fs:fe]
        if len(needle) >= len(paragraph):
            ws, we = 0, len(paragraph)
        else:
            found = fuzz.partial_ratio_alignment(
                needle, paragraph, score_cutoff=TEXT_FUZZY_MIN_RATIO
            )
            if found is None:
                return None
            ws, we = found.dest_start, found.dest_end
        ws, we = fs + ws, fs + we
        while ws > fs and folded[ws - 1] != " ":
            ws -= 1
        while we < fe and folded[we] != " ":
            we += 1
        while ws < we and folded[ws] == " ":
            ws += 1
        while we > ws and folded[we - 1] == " ":
            we -= 1
        return (ws, we) if ws < we else None

    # -- offsets -------------------------------------------------------------------------------

    def _source(self, hit: _Hit) -> tuple[int, int]:
        i, j, offset = hit
        return self._norm.to_source(self._spans[i][0] + offset, self._spans[j - 1][1])

    def _result(
        self, mention: str, status: AlignmentStatus, hits: Iterable[_Hit], score: float
    ) -> Alignment:
        spans = sorted({self._source(hit) for hit in hits})
        return Alignment(mention, status, tuple(Span(start=s, end=e) for s, e in spans), score)


def ground_mentions(text: str, mentions: Iterable[str], *, kind: Kind = "name") -> list[Alignment]:
    """Locate each string a model copied from `text`, in order, as spans into `text` itself.

    The article is folded and indexed once for the whole list. Each `Alignment` carries every
    occurrence (`text[span.start:span.end]`), how the best one matched and a score:

    - ``exact`` (1.0): verbatim; ``normalized`` (0.95, 0.9 when only spaces differ): the same
      once diacritics, tatweel, hamza and alef forms, ة/ه, ى/ي, Persian letters, digits, case,
      quotes, dashes, whitespace and invisible marks are folded;
    - ``clitic`` (0.9, 0.85 when ال was added or dropped): inside a token with proclitics
      (بالقاهرة, للامم المتحدة, ولبنان) or English possessive 's; the span covers the name;
    - ``fuzzy`` (below 0.85): names of two or more words with one long word one edit away, and,
      with ``kind="text"``, quoted content of four or more words against its best window
      inside one paragraph (rapidfuzz ratio >= `TEXT_FUZZY_MIN_RATIO`);
    - ``unaligned`` (0.0, no spans): not in the article. A one-word name never matches fuzzily
      and a shared first name never grounds a different full name: a false hit is worse than a
      miss.

    Use ``kind="name"`` (default) for names, titles and cues; ``kind="text"`` for long quoted or
    reported content. Time grows with the article's length plus each mention's candidates.
    """
    grounder = Grounder(text)
    return [grounder.align(m, kind=kind) for m in mentions]


# -- structure: is a title next to its holder, are a cue and its content in one place? ---------


def sentence_of(bounds: Sequence[tuple[int, int]], position: int) -> int:
    """Index of the sentence in `bounds` (from `sentence_bounds`) that holds `position`."""
    return max(0, bisect_right([s for s, _ in bounds], position) - 1)


def near(a: Span, b: Span, text: str, max_gap_chars: int = NEAR_MAX_GAP) -> bool:
    """True if the spans overlap or at most `max_gap_chars` lie between them in one sentence.

    For a title beside its holder: "الفريق أول ركن صدام حفتر", "Ed Miliband, leader of the
    Labour Party".
    """
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    if hi.start <= lo.end:
        return True
    if hi.start - lo.end > max_gap_chars:
        return False
    return not crosses_sentence(text, lo.end, hi.start)


def same_or_adjacent_sentences(
    a: Span,
    b: Span,
    text: str,
    *,
    max_apart: int = 1,
    bounds: Sequence[tuple[int, int]] | None = None,
) -> bool:
    """True if the spans start at most `max_apart` sentences apart (0: the same sentence).

    For a stated position, whose cue and content must lie together. Pass `bounds` from
    `sentence_bounds` when checking many pairs in one article.
    """
    bounds = sentence_bounds(text) if bounds is None else bounds
    return abs(sentence_of(bounds, a.start) - sentence_of(bounds, b.start)) <= max_apart


__all__ = [
    "NEAR_MAX_GAP",
    "PROCLITICS",
    "TEXT_FUZZY_MIN_RATIO",
    "Alignment",
    "Grounder",
    "Kind",
    "ground_mentions",
    "near",
    "paragraph_bounds",
    "same_or_adjacent_sentences",
    "sentence_bounds",
    "sentence_of",
]
