"""Other ways an article writes a participant than the answer lists.

An answer lists each participant's name and the mentions the model noticed, but news also
writes a body by its initials ("IDF" for the Israeli Defense Force, "KCNA", "BBC"), a state by
its capital ("أكدت فيه بكين", "و ان سول اعلنت", "Moscow said") and whoever was just named as
"the latter" ("و قال ان الاخير عرض"). The attribution check needs
those as the participant's own, or it reads the subject as someone else; an annotator or a
model that lists fewer mentions is then not sent back for a correct answer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from agent.models import PlaceFeature, Span
from agent.places.gazetteer import load_gazetteer, query_keys
from agent.text.normalize import crosses_sentence, fold

if TYPE_CHECKING:
    from agent.extraction.draft import ExtractionDraft

# Words an acronym skips: RBI for "Reserve Bank of India".
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "des", "in", "on"})
ACRONYM_PREFIX_MIN = 3  # letters of a name's first initials that may stand for the whole
_WORD = re.compile(r"\w+")
_UPPER_RUN = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")
# A preposition before a capital makes it the place, not the state speaking through it.
# NewsFANE writes proclitics apart ("ب واشنطن", "ل ـ بكين"): those too.
_PLACE_BEFORE = re.compile(
    r"(?<!\w)(?:في|فى|الى|إلى|من|عن|على|علي|لدى|حتى|نحو|قرب|ب|ل|لـ|in|to|from|at|of|near|into|"
    r"via)\s*ـ?\s*$",
    re.IGNORECASE,
)


def acronyms(draft: ExtractionDraft, text: str) -> Iterator[tuple[Span, str]]:
    """(span, participant id) where the text writes a participant's Latin name of several
    words by its initials; not initials two participants share, nor ones some participant is
    named or mentioned as (then the name itself is grounded)."""
    if not _UPPER_RUN.search(text):  # no word in capitals, no acronym to find
        return
    owners: dict[str, set[str]] = {}
    for p in draft.participants:
        for phrase in (p.name, *p.mentions):
            for acronym in initials(phrase):
                owners.setdefault(acronym, set()).add(p.id)
    written = {fold(phrase) for p in draft.participants for phrase in (p.name, *p.mentions)}
    for acronym, pids in owners.items():
        if len(pids) != 1 or fold(acronym) in written:
            continue
        (pid,) = pids
        for m in re.finditer(rf"(?<![A-Za-z]){acronym}(?![A-Za-z])", text):
            yield Span(start=m.start(), end=m.end()), pid


def initials(phrase: str) -> set[str]:
    """The acronyms a Latin name of several words is written as: the initials of every word,
    and of the words other than "of", "the", "and", and the first three or more of those."""
    words = re.findall(r"[A-Za-z][\w'-]*", phrase)
    if len(words) < 2 or len(words) != len(phrase.split()) or not words[0][0].isupper():
        return set()
    every = "".join(w[0] for w in words).upper()
    content = "".join(w[0] for w in words if w.casefold() not in _ACRONYM_SKIPS).upper()
    # a long name is often written by its first words' initials: UNRWA for "United Nations
    # Relief and Works Agency for Palestine Refugees", WWF for "World Wide Fund for Nature"
    heads = {content[:n] for n in range(ACRONYM_PREFIX_MIN, len(content))}
    return {a for a in (every, content, *heads) if len(a) >= 2}


def capitals(draft: ExtractionDraft, text: str) -> Iterator[tuple[Span, str]]:
    """(span, state participant id) where the text writes a state's capital as a name of its
    own, with no preposition or proclitic that makes it the place ("في بكين", "لبكين", "to
    Moscow"); a و or ف before it is the sentence's ("وبكين ترى"). Any spelling the gazetteer
    stores for the capital counts (بكين and بيكين)."""
    gazetteer = load_gazetteer()
    keys: dict[str, str] = {}  # a capital's key → the state's participant id
    for p in draft.participants:
        if p.kind.value != "state":
            continue
        for place in gazetteer.lookup(p.name):
            if place.feature is PlaceFeature.COUNTRY and place.country_code:
                for key in gazetteer.capital_keys(place.country_code):
                    keys.setdefault(key, p.id)
    if not keys:
        return
    words = list(_WORD.finditer(text))
    for i, word in enumerate(words):
        for j in (i + 1, i):  # a two-word name first: "ابو ظبي", "Addis Ababa"
            if j >= len(words) or (j > i and len(word.group()) < 2):
                continue  # not "و بيكين": a proclitic written apart is no part of the name
            start, end = word.start(), words[j].end()
            pid = _capital_of(text[start:end], keys)
            if pid is not None:
                if not _PLACE_BEFORE.search(text, max(0, start - 12), start):
                    yield Span(start=start, end=end), pid
                break


def _capital_of(name: str, keys: dict[str, str]) -> str | None:
    """The state whose capital `name` is, as written or after a و or ف."""
    for form in (name, name[1:] if name[:1] in ("و", "ف") else ""):
        stored = query_keys(form)[:1] if form else []
        if stored and stored[0] in keys:
            return keys[stored[0]]
    return None


def the_latter(text: str, anchors: Sequence[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """ "و قال ان الاخير عرض", "the latter said": whoever was named last before it, in its
    sentence or close before it. Not the adjective after a noun ("المتهم الاخير")."""
    ordered = sorted(anchors, key=lambda a: a[0].end)
    ends = [span.end for span, _ in ordered]
    out: list[tuple[Span, str]] = []
    for found in _LATTER.finditer(text):
        span = Span(start=found.start("word"), end=found.end("word"))
        if not _LATTER_AFTER.search(fold(text[max(0, found.start() - 20) : found.start()])):
            continue  # "مطالب ه الاخيرة", "المتهم الاخير": the adjective of a noun
        k = bisect_right(ends, span.start) - 1
        if k < 0:
            continue
        before, pid = ordered[k]
        if span.start - before.end <= LATTER_MAX_GAP or not crosses_sentence(
            text, before.end, span.start
        ):
            out.append((span, pid))
    return out


LATTER_MAX_GAP = 200  # characters back to the one "the latter" names, across a full stop
# What stands before "الاخير" used as a noun: the start of a clause, a complementizer, a
# preposition or a speech verb ("و قال ان الاخير", "نقل عن الاخير", "و اكد الاخير").
_LATTER_AFTER = re.compile(
    r"(?:^|[.,،؛:!?؟\n]|(?<!\w)(?:و|ف|ان|إن|أن|بان|لكن|كما|عن|من|الى|إلى|على|مع|ل|قال|اكد|"
    r"اضاف|اوضح|اشار|said|and|but|as|that))\s*$"
)
# "الاخير" / "الأخيرة" standing alone as a noun, "the latter".
_LATTER = re.compile(r"(?<!\w)(?:[وف]\s?)?(?P<word>ال[اأ]خير[ةه]?|the latter)(?!\w)", re.I)


__all__ = ["acronyms", "capitals", "initials", "the_latter"]
