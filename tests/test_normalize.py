"""The folded form and its map back to the source: the round trip is exact for every slice."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.text.normalize import (
    crosses_sentence,
    fold,
    fold_char,
    normalize,
    sentence_bounds,
    token_spans,
)

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱؤئىةکیەھ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
INVISIBLE = "\u200e\u200f\u200b\u200c\u200d\u202a\u202b\u202c\u2066\u2069\u00ad\ufeff"
PUNCT = " \n\t\u00a0.,،؛؟!?«»\"'“”‘’-–—()[]"
LATIN = "abcABCxyzÉéßİıÅ"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"

news_text = st.text(alphabet=ARABIC + MARKS + INVISIBLE + PUNCT + LATIN + DIGITS, max_size=80)


@given(news_text, st.data())
@settings(max_examples=400)
def test_every_folded_slice_maps_to_a_source_slice_that_folds_back(
    text: str, data: st.DataObject
) -> None:
    norm = normalize(text)
    if not norm.text:
        return
    start = data.draw(st.integers(0, len(norm.text) - 1))
    end = data.draw(st.integers(start + 1, len(norm.text)))
    src_start, src_end = norm.to_source(start, end)
    assert 0 <= src_start < src_end <= len(text)
    assert normalize(text[src_start:src_end]).text == norm.text[start:end]


@given(news_text)
def test_found_tokens_map_back_to_source_words(text: str) -> None:
    norm = normalize(text)
    for start, end in token_spans(norm.text):
        src_start, src_end = norm.to_source(start, end)
        assert fold(text[src_start:src_end]) == norm.text[start:end]


@given(news_text)
def test_map_is_monotonic_and_folding_is_idempotent(text: str) -> None:
    norm = normalize(text)
    starts = [norm.source_index(i) for i in range(len(norm.text) + 1)]
    assert all(a < b for a, b in pairwise(starts))
    assert starts[-1] == len(text)
    assert all(norm.folded_index(s) == i for i, s in enumerate(starts[:-1]))
    assert normalize(norm.text).text == norm.text


@given(news_text)
def test_breakpoint_map_matches_a_per_character_fold(text: str) -> None:
    """The fast map agrees with folding one character at a time."""
    out: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if folded and not (folded == " " and out and out[-1] == " "):
            out.append(folded)
            starts.append(i)
    norm = normalize(text)
    assert norm.text == "".join(out)
    assert [norm.source_index(i) for i in range(len(out))] == starts


def test_arabic_variants_fold_together() -> None:
    assert fold("أُسَامَة") == fold("اسامه") == "اسامه"
    assert fold("إبراهيم") == fold("ابراهيم")
    assert fold("آمنة") == fold("امنه")
    assert fold("مصطفى") == fold("مصطفي")
    assert fold("مسؤول") == "مسوول"
    assert fold("رئيس") == "رييس"
    assert fold("مـحـمـد") == "محمد"
    assert fold("کرمانشاه") == fold("كرمانشاه")
    assert fold("علی") == fold("علي")
    assert fold("١٢٣ ۴۵۶") == "123 456"
    assert fold("ﺃﺣﻤﺪ") == "احمد"  # presentation forms


def test_invisible_marks_vanish_and_separators_collapse() -> None:
    assert fold("\u200fمحمد\u200c علي\u200e") == "محمد علي"
    assert fold("Al\u2011Sisi") == fold("Al - Sisi") == "al sisi"
    assert fold("“Quoted”  ,  ‘text’") == "quoted text"
    assert fold("line\nbreak") == "line break"


def test_latin_case_and_accents_fold_one_to_one() -> None:
    assert fold("JOSÉ Müller") == "jose muller"
    assert fold_char("ß") == "ß"  # casefold would give two characters; the map stays one-to-one
    assert fold_char("İ") == "i"
    assert len(fold_char("Ⅻ")) == 1


def test_diacritics_stay_inside_the_span_of_their_letter() -> None:
    text = "قال مُحَمَّدٌ اليوم"
    norm = normalize(text)
    start = norm.text.index("محمد")
    src = norm.to_source(start, start + len("محمد"))
    assert text[src[0] : src[1]] == "مُحَمَّدٌ"


def test_fold_char_is_at_most_one_character() -> None:
    for code in range(0x20, 0x3000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cs":
            continue
        assert len(fold_char(ch)) <= 1, hex(code)


def test_a_subheading_s_line_ends_a_sentence_and_a_line_cut_inside_one_does_not() -> None:
    # SaudiNewsNet writes subheadings as short lines without a mark; NewsFANE cuts sentences
    # into lines ("و كشف السقاف ان\n"), and an article's first line is its dateline
    text = (
        "جدة واس\nقال الوزير إن الخطة جاهزة.\nالخطة الجديدة\nوأضاف أن التنفيذ قريب.\n"
        "و كشف ان\nالعمل بدأ."
    )
    sentences = [text[a:b] for a, b in sentence_bounds(text)]
    assert sentences == [
        "جدة واس\nقال الوزير إن الخطة جاهزة.",
        "الخطة الجديدة",
        "وأضاف أن التنفيذ قريب.",
        "و كشف ان\nالعمل بدأ.",
    ]
    assert crosses_sentence(text, text.index("الجديدة"), text.index("وأضاف"))
    assert not crosses_sentence(text, text.index("كشف"), text.index("العمل"))
    english = "He arrived on Tuesday.\nThe spokesman said Donald\nTrump's visit was a success."
    assert len(sentence_bounds(english)) == 2  # English is cut into lines, and has no such heads
