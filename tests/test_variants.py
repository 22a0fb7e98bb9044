"""Correct answers copied differently keep their verdict (benchmarks/validator_variants.py)."""

from __future__ import annotations

from benchmarks import validator as vb
from benchmarks.validator_variants import KINDS, _variants, measure


def test_each_kind_of_recopied_span_is_made() -> None:
    said = "وقال الوزير إن "
    content = " ".join(f"كلمة{i}" for i in range(16))
    text = said + content + " ."
    cue = (1, 4)  # قال
    made = {
        kind: value
        for kind, _, value in _variants(text, cue, (len(said), len(said) + len(content)))
    }
    assert made[KINDS[1]] == "قال الوزير"
    assert KINDS[2] not in made  # "وقال" is written glued: no separate conjunction
    assert KINDS[0] not in made  # the minister stands between: not a complementizer alone
    assert made[KINDS[3]].split() == content.split()[:12]
    again = {
        kind: value
        for kind, _, value in _variants("قال إن " + content, (0, 3), (7, 7 + len(content)))
    }
    assert again[KINDS[0]] == "إن " + content


def test_recopied_spans_of_correct_answers_are_rarely_flagged() -> None:
    cases = [c for c in vb.load_cases("fresh7")]
    result = measure(cases)
    assert all(n > 0 for n, _ in result.values() if n) and sum(n for n, _ in result.values()) > 100
    flagged = sum(f for _, f in result.values())
    assert flagged <= 0.05 * sum(n for n, _ in result.values())


def test_a_conjunction_is_only_a_word_of_its_own() -> None:
    """ "قادة الناتو طلبوا": the و before the cue ends "الناتو"; no "و طلبوا" is made."""
    text = "و قال قادة الناتو طلبوا تعزيزات كبيرة في الجنوب"
    cue = (text.index("طلبوا"), text.index("طلبوا") + 5)
    content = (text.index("تعزيزات"), len(text))
    assert KINDS[2] not in {kind for kind, _, _ in _variants(text, cue, content)}
    cue = (2, 5)  # قال, after a separate و
    assert (KINDS[2], "cue", "و قال") in set(_variants(text, cue, content))


def test_content_without_its_complementizer_and_cut_to_its_first_clause() -> None:
    said = "قال الوزير "
    content = "ان العلاقات ممتازة جدا بين البلدين، و ان التعاون مستمر"
    text = said + content
    made = {k: v for k, _, v in _variants(text, (0, 3), (len(said), len(text)))}
    assert made[KINDS[4]] == content[3:]
    assert made[KINDS[5]] == "ان العلاقات ممتازة جدا بين البلدين"


def test_content_copied_as_its_sentence_only_where_the_sentence_holds_it_alone() -> None:
    said = "وقال الوزير إن "
    content = "العلاقات ممتازة"
    text = said + content + " ."
    spans = (1, 4), (len(said), len(said) + len(content))
    made = {k: v for k, _, v in _variants(text, *spans, alone=(0, len(text)))}
    assert made[KINDS[9]] == text.strip()
    assert KINDS[9] not in {k for k, _, _ in _variants(text, *spans)}  # another statement there
