"""Splitting long articles: where chunks are cut, and that no character is lost or rewritten."""

from __future__ import annotations

import itertools

import pytest

from agent.text.chunking import Chunk, split_article


def covered(text: str, chunks: list[Chunk]) -> None:
    """Every chunk slices the article, and only whitespace lies outside every chunk."""
    seen = [False] * len(text)
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        for i in range(chunk.start, chunk.end):
            seen[i] = True
    assert all(ch.isspace() for ch, hit in zip(text, seen, strict=True) if not hit)


def test_an_article_that_fits_is_one_chunk_and_untouched() -> None:
    text = "  One short article.\n\nWith two paragraphs.  "
    assert split_article(text, 1000) == [Chunk(0, 0, len(text), text)]


def test_chunks_end_at_paragraph_breaks_when_one_is_near() -> None:
    paragraph = "A sentence about the talks. " * 10  # 280 characters
    text = "\n\n".join([paragraph.strip()] * 6)
    chunks = split_article(text, 1000)
    covered(text, chunks)
    for chunk in chunks[:-1]:
        assert text[chunk.end : chunk.end + 2] == "\n\n"
        assert len(chunk.text) <= 1000


def test_sentences_overlap_by_one_so_a_statement_at_the_seam_is_whole_somewhere() -> None:
    text = " ".join(f"Sentence number {i} ends here." for i in range(200))
    chunks = split_article(text, 600)
    covered(text, chunks)
    for a, b in itertools.pairwise(chunks):
        shared = text[b.start : a.end]
        assert shared.startswith("Sentence number") and shared.endswith("ends here.")
        assert shared.count("ends here.") == 1  # one sentence, not more


def test_never_inside_a_quotation_or_a_number() -> None:
    quote = "«" + " ".join(f"Point {i}. It stands." for i in range(8)) + "»"
    text = " ".join(f"The rate was {i}.5 percent, he said {quote} and left." for i in range(30))
    chunks = split_article(text, 800)
    covered(text, chunks)
    for chunk in chunks:
        assert chunk.text.count("«") == chunk.text.count("»")  # no quotation cut open
        assert not chunk.text.endswith(tuple("0123456789"))
        assert chunk.text.endswith("and left.")


def test_the_arabic_comma_only_when_a_sentence_is_too_long() -> None:
    clause = "وأكد الوزير أهمية التعاون بين البلدين في مجالات عدة"
    sentence = "، ".join([clause] * 40) + "."  # one sentence of about 2,100 characters
    text = " ".join([clause + "."] * 10) + " " + sentence
    chunks = split_article(text, 800)
    covered(text, chunks)
    assert all(len(c.text) <= 800 for c in chunks)
    cut_at_comma = [c for c in chunks if c.text.endswith("،")]
    assert cut_at_comma  # the long sentence was cut after its commas ...
    assert all(c.end > text.index(sentence) for c in cut_at_comma)  # ... and only it


def test_a_300000_character_paragraph_with_no_sentence_end_is_cut_at_spaces() -> None:
    words = [f"word{i % 97}" for i in range(50_000)]
    text = " ".join(words)[:300_000]
    assert len(text) == 300_000 and "." not in text
    chunks = split_article(text, 8000)
    covered(text, chunks)
    assert len(chunks) == pytest.approx(300_000 / 8000, abs=2)
    for chunk in chunks:
        assert len(chunk.text) <= 8000 and not chunk.hard_cut
        assert chunk.end == len(text) or text[chunk.end].isspace()  # never inside a word


def test_one_giant_word_is_cut_hard_and_says_so() -> None:
    text = "x" * 30_000
    chunks = split_article(text, 8000)
    covered(text, chunks)
    assert [c.hard_cut for c in chunks] == [True] * (len(chunks) - 1) + [False]
    assert "".join(c.text for c in chunks) == text  # no overlap, nothing lost
    assert all(len(c.text) <= 8000 for c in chunks)


def test_chunks_are_even_not_full_ones_and_a_tiny_tail() -> None:
    text = " ".join(f"Sentence {i} of the report." for i in range(1100))  # ~30,000 characters
    chunks = split_article(text, 8000)
    sizes = [len(c.text) for c in chunks]
    assert len(chunks) == 4
    assert min(sizes) > 0.8 * max(sizes)
