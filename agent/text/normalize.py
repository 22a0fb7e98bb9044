"""Fold text into a matching form and keep a map from every folded character back to the source.

Models rewrite what they copy: they drop or add diacritics and tatweel, write أ as ا, swap ة/ه and
ى/ي, use Persian letter shapes, change case, quotes and dashes, or break lines differently. Matching
runs on the folded form; offsets are always reported in the original string through the map, so
`text[start:end]` is what the article really says.

Folding is per character and never expands one character into several, so the map is exact:
every folded character comes from one source character (or from a run of separators), and any
slice of the folded text maps to a source slice that folds back to that same slice.

- ignored (no folded character; they stay inside the span of the character before them):
  combining marks (Arabic harakat U+064B-U+065F, U+0670, Latin accents), tatweel, format
  characters (bidi controls, zero-width joiners, soft hyphen) and other control characters;
- separators: any run of whitespace and punctuation (quotes, dashes, brackets, ، ؛ ؟) becomes
  one space;
- Arabic letters: أ إ آ ٱ ٲ ٳ → ا, ؤ → و, ئ → ي (the hamza is dropped to its seat, as in the
  common unhamzated spelling), ى → ي, ة → ه, and Persian/Urdu/Kurdish shapes ک ڪ → ك,
  ی ې ۍ ێ → ي, ە ھ ۀ ۃ → ه;
- digits: every decimal digit (Arabic-Indic, Persian, fullwidth, ...) → 0-9;
- otherwise NFKC when it yields one character (presentation forms, fullwidth letters), accents
  stripped, then casefold when that yields one character (so ß and İ stay as they are).

The module also knows where sentences and paragraphs end (`sentence_bounds`, `paragraph_bounds`),
because fuzzy matching must not cross a paragraph and the structural checks must not cross a
sentence; Arabic ؟ ends one, "Mr." and "U.S." do not.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

__all__ = [
    "Normalized",
    "crosses_sentence",
    "edge_marks",
    "fold",
    "fold_char",
    "is_caption",
    "normalize",
    "paragraph_bounds",
    "same_marks",
    "sentence_bounds",
    "token_spans",
]

_LETTERS: dict[str, str] = {
    **dict.fromkeys("أإآٱٲٳ", "ا"),
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    **dict.fromkeys("کڪ", "ك"),
    **dict.fromkeys("یېۍێ", "ي"),
    **dict.fromkeys("ەھۀۃ", "ه"),
}
_TATWEEL = "\u0640"
_IGNORED_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn"})
_CACHE: dict[str, str] = {}
_TOKEN = re.compile(r"[^ ]+")


def _fold_uncached(ch: str) -> str:
    if ch in _LETTERS:
        return _LETTERS[ch]
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in _IGNORED_CATEGORIES or ch == _TATWEEL:
        return ""
    if category[0] in "PZ":
        return " "
    compat = unicodedata.normalize("NFKC", ch)
    if len(compat) == 1 and compat != ch:
        return fold_char(compat)
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        return fold_char(decomposed[0])
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    folded = ch.casefold()
    if len(folded) == 1:
        return folded
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


def fold_char(ch: str) -> str:
    """Fold one character: "" if it is ignored, " " for a separator, else exactly one character."""
    folded = _CACHE.get(ch)
    if folded is None:
        folded = _CACHE[ch] = _fold_uncached(ch)
    return folded


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded copy of `source` and the map back: folded index i came from `source_index(i)`.

    Folding only deletes characters (ignored marks, the rest of a separator run) and replaces the
    others one for one, so the map is stored as breakpoints: after folded index `at[k]`, `shift[k]`
    characters of the source have been deleted. Plain text has few; lookups are a bisect.
    """

    source: str
    text: str
    at: list[int]
    shift: list[int]

    def source_index(self, i: int) -> int:
        """Where folded character `i` starts in the source (`len(source)` for `len(text)`)."""
        if i >= len(self.text):
            return len(self.source)
        k = bisect_right(self.at, i) - 1
        return i + (self.shift[k] if k >= 0 else 0)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the folded slice `text[start:end]` (non-empty) to a slice of `source`.

        The slice ends where the next folded character starts, so the diacritics of its last
        letter and the whole of a separator run are inside it.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad folded slice {start}:{end} of {len(self.text)}")
        return self.source_index(start), self.source_index(end)

    def folded_index(self, position: int) -> int:
        """The first folded character that starts at or after source `position`."""
        return bisect_left(range(len(self.text)), position, key=self.source_index)


_DELETED = "\x00"
# Deleted: every ignored character, and the rest of a separator run after its first space.
_DELETIONS = re.compile("(?<= )[ \x00]+|\x00+")
_TABLE: dict[int, str] = {}


def normalize(text: str) -> Normalized:
    """Fold `text` (see the module docstring) and record where each folded character came from.

    A separator run keeps one space spanning the whole run; ignored characters belong to the
    folded character before them, so a matched word keeps its diacritics. Leading and trailing
    separators are kept, which makes the round trip exact for every slice. Runs in C (translate,
    one regex pass) apart from one step per deletion.
    """
    for ch in set(text):
        if ord(ch) not in _TABLE:
            _TABLE[ord(ch)] = fold_char(ch) or _DELETED
    mapped = text.translate(_TABLE)
    at: list[int] = []
    shift: list[int] = []
    deleted = 0
    for match in _DELETIONS.finditer(mapped):
        start, end = match.span()
        deleted += end - start
        at.append(end - deleted)
        shift.append(deleted)
    return Normalized(text, _DELETIONS.sub("", mapped), at, shift)


def fold(text: str) -> str:
    """The folded form of `text` with edge separators removed: the key two spellings share."""
    return normalize(text).text.strip()


def token_spans(folded: str) -> list[tuple[int, int]]:
    """Start and end of every space-delimited token of a folded string."""
    return [m.span() for m in _TOKEN.finditer(folded)]


# Typographic variants of the same edge mark compare equal when a span is widened to its quotes.
_MARK_VARIANTS = str.maketrans("’‘‚‛ʼ′“”„‟″«»‐‑‒–—―−\n\t\u00a0", '\'\'\'\'\'\'"""""""-------   ')


def edge_marks(core: str) -> tuple[str, str]:
    """The leading and trailing marks of a mention: quotes, brackets, a full stop."""
    first = next((n for n, ch in enumerate(core) if fold_char(ch) not in ("", " ")), len(core))
    last = len(core)
    while last > first and fold_char(core[last - 1]) in ("", " "):
        last -= 1
    while last < len(core) and fold_char(core[last]) == "":
        last += 1  # diacritics of the last letter are part of the word, not an edge
    return core[:first], core[last:]


def same_marks(a: str, b: str) -> bool:
    """True if two runs of marks differ only in typography (’ and ', “ and ", – and -)."""
    return a.translate(_MARK_VARIANTS) == b.translate(_MARK_VARIANTS)


# -- where sentences and paragraphs end, for the structural checks ---------------------------

# A photo credit ends the caption before it ("… مراقبي ها ( الفرنسية ) و اعرب ..."): wire
# copy carries captions glued to the story, and the next verb is not the caption's.
_CREDIT = (
    r"\(\s*(?:الفرنسية|رويترز|الاوروبية|الأوروبية|الجزيرة|الجزيرة نت|[اأ] ف ب|اف ب|د ب [اأ]"
    r"|[اأ]سوشيتد برس|[اأ] ب|AFP|AP|Reuters|EPA|Getty Images)(?:\s*-\s*[اأ]رشيف)?\s*\)"
)
_BREAK = re.compile(r"[.!?؟…]+[\"'”’»)\]]*(?=\s|$)|\n[ \t\r\f\v]*\n|" + _CREDIT + r"(?=\s|$)")
_ENDS_WITH_CREDIT = re.compile(_CREDIT + r"\s*$")


def is_caption(sentence: str) -> bool:
    """A sentence that ends with a photo credit is a caption, not the story's narration."""
    return bool(_ENDS_WITH_CREDIT.search(sentence))


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "sgt",
        "sen",
        "rep",
        "gov",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "no",
        "prof",
        "capt",
        "maj",
        "adm",
        "rev",
        "mt",
        "ft",
    ]
)
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """A full stop after an initial (U.S.) or a title abbreviation (Mr.) does not end a sentence,
    nor one inside letters spelt out with spaces (tokenised "سي . ان . ان", "اف . بي . اي")."""
    mark = match.group()
    if not mark.startswith(".") or len(mark.rstrip("\"'”’»)]")) > 1:
        return True
    around = text[max(0, match.start() - 12) : match.end() + 12]
    at = match.start() - max(0, match.start() - 12)
    if any(m.start() < at < m.end() for m in _SPELT_LETTERS.finditer(around)):
        return False
    word = re.search(r"(\w+)$", text[max(0, match.start() - 12) : match.start()])
    if word is None:
        return True
    token = word.group(1)
    if (len(token) == 1 and token.isalpha()) or token.casefold() in _ABBREVIATIONS:
        return False
    nxt = re.match(r"\s*(\S)", text[match.end() : match.end() + 8])
    return not (nxt is not None and nxt.group(1).islower())


_SPELT_LETTERS = re.compile(r"(?<!\S)(?:[^\W\d_]{1,2} \. ){2,}[^\W\d_]{1,2}(?!\S)")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, whitespace trimmed; a blank line always ends one, and
    so does a subheading's line."""
    bounds: list[tuple[int, int]] = []
    start = 0
    ends = {m.end() for m in _BREAK.finditer(text) if _ends_sentence(text, m)}
    ends |= {m.start() for m in _NEWLINE.finditer(text) if _line_ends_sentence(text, m.start())}
    for end in sorted(ends):
        _append_trimmed(text, start, end, bounds)
        start = end
    _append_trimmed(text, start, len(text), bounds)
    return bounds


def crosses_sentence(text: str, start: int, end: int) -> bool:
    """True if a sentence ends inside `text[start:end]` (or a blank line lies there)."""
    if any(_ends_sentence(text, m) for m in _BREAK.finditer(text, start, end)):
        return True
    return any(_line_ends_sentence(text, m.start()) for m in _NEWLINE.finditer(text, start, end))


def _line_ends_sentence(text: str, newline: int) -> bool:
    """A line break with no full stop that still ends a sentence: after a subheading, or after
    a quotation closing its line."""
    return _is_heading(text, newline) or _quotation_ends_line(text, newline)


def _is_heading(text: str, newline: int) -> bool:
    """The line ending at `newline` is a subheading: a short line of its own after a line that
    ended a sentence, not ending as a sentence that goes on ("قانون لاحترام بناتنا\n وأوضحت
    أن"). A heading is no part of the sentence below it, whose dropped subject it would seem to
    name. Not an article's first line (its dateline), nor a line cut inside a sentence ("و كشف
    السقاف ان\n")."""
    start = text.rfind("\n", 0, newline) + 1
    words = text[start:newline].split()
    if start == 0 or not 0 < len(words) <= HEADING_MAX_WORDS or not text[newline:].strip():
        return False
    if fold(words[-1]).strip("\"'”’»)]") in _GOES_ON:
        return False
    if not _ARABIC_ONLY.fullmatch(text, start, newline):  # English is cut into lines too
        return False  # ("Al-Sisi's spokesman said Donald\nTrump's visit"); headings are Arabic
    return bool(_ENDS_LINE.search(text, max(0, start - 12), start))


def _quotation_ends_line(text: str, newline: int) -> bool:
    """An Arabic line ending in a closing quotation mark, with a new line opening on و or ف: the
    quoted words ended their sentence, though no full stop was written ('قال مارادونا "أريد أن
    أكون داخل "فيفا"\nوفي أواخر مايو')."""
    start = text.rfind("\n", 0, newline) + 1
    line = text[start:newline].rstrip()
    if not line.endswith(('"', "”", "»")) or not _ARABIC_ONLY.fullmatch(text, start, newline):
        return False
    return _OPENS_ON_AND.match(text, newline) is not None


_NEWLINE = re.compile(r"\n")
_OPENS_ON_AND = re.compile(r"\s*[وف][\u0621-\u064a]")
_ARABIC_ONLY = re.compile(r"[^A-Za-z\n]*[\u0621-\u064a][^A-Za-z\n]*")
HEADING_MAX_WORDS = 10  # a subheading is a few words; a longer line is text cut into lines
# The line before a heading ended a sentence: a final mark, perhaps closed by a quotation mark.
_ENDS_LINE = re.compile(r"[.!?؟…:][\"'”’»)\]]*[ \t\r\f\v]*\n[ \t\r\f\v]*$")
# Words a line cut inside a sentence ends with: the sentence goes on below ("و كشف السقاف ان").
_GOES_ON_WORDS = (
    "و ف أن ان إن بأن أنه انه إنه عن على الى إلى في من ل ب مع ه ها هم الذي التي بين حول ضد منذ "
    "لدى عند بعد قبل خلال أو او ثم كما that to of in on for and or the a"
)
_GOES_ON = frozenset(fold(w) for w in _GOES_ON_WORDS.split())


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph: text between blank lines, whitespace trimmed."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        _append_trimmed(text, start, match.start(), bounds)
        start = match.end()
    _append_trimmed(text, start, len(text), bounds)
    return bounds


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))
