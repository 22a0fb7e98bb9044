"""Who said it, on sentence shapes common in news that no benchmark article happens to have.

Each sentence here is written for the test in the shape news agencies use (the benchmark's real
articles have none of these shapes wrong or at all), with a reference answer built the way the
benchmark's are; `tests/test_attribution.py` holds the patterns read from real articles.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.extraction.attribution import Decision
from agent.extraction.draft import ExtractionDraft
from agent.extraction.validate import ValidationRun, find_problems
from agent.models import IssueKind


def _person(name: str, kind: str = "person", titles: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "name": name,
        "kind": kind,
        "titles": [{"text": t, "kind": "office", "organization": None} for t in titles],
        "role": "speaker",
        "mentions": [],
    }


def _decide(
    text: str,
    people: list[dict[str, Any]],
    positions: list[tuple[str, str, str]],
    language: str = "ar",
) -> list[Decision]:
    answer = {
        "language": language,
        "participants": [{"id": f"p{i + 1}", **p} for i, p in enumerate(people)],
        "locations": [],
        "positions": [
            {
                "speaker_id": speaker,
                "cue": cue,
                "content": content,
                "attribution": "reported",
                "gist_en": "-",
                "topic": "-",
                "stance": "neutral",
            }
            for speaker, cue, content in positions
        ],
    }
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    draft = ExtractionDraft.model_validate(answer)
    problems = [p for p in find_problems(draft, run) if p.kind is not IssueKind.WRONG_SPEAKER]
    assert problems == []  # everything grounds; only the speaker is in question
    return run.attributions(draft)


HAMAS_ISRAEL = (
    "واتهمت حركة حماس إسرائيل بعرقلة المفاوضات، فيما نفت تل أبيب ذلك وقالت إن الحركة ترفض العرض."
)


def test_a_verb_joined_by_waw_after_while_has_the_subject_of_its_own_clause() -> None:
    people = [_person("حركة حماس", "organization"), _person("تل أبيب", "state")]
    right = ("p1", "واتهمت", "إسرائيل بعرقلة المفاوضات"), ("p2", "وقالت", "الحركة ترفض العرض")
    decisions = _decide(HAMAS_ISRAEL, people, list(right))
    assert [d.status for d in decisions] == ["confirmed", "confirmed"]
    assert decisions[1].evidence == "(subject of the verb before)"
    swapped = _decide(HAMAS_ISRAEL, people, [right[0], ("p1", "وقالت", "الحركة ترفض العرض")])
    assert swapped[1].status == "wrong" and swapped[1].speakers == {"p2"}


def test_a_clause_of_the_statement_is_not_the_next_verbs_subject() -> None:
    # "وإن مصر ستدعم الجزائر" is part of what Tebboune said; "ودعا" is still his.
    text = (
        "وقال الرئيس عبد المجيد تبون إن العلاقات ممتازة، وإن مصر ستدعم الجزائر، "
        "ودعا إلى تعزيز التعاون."
    )
    people = [_person("عبد المجيد تبون", titles=("الرئيس",)), _person("مصر", "state")]
    positions = [
        ("p1", "وقال", "العلاقات ممتازة، وإن مصر ستدعم الجزائر"),
        ("p1", "ودعا", "تعزيز التعاون"),
    ]
    assert [d.status for d in _decide(text, people, positions)] == ["confirmed", "confirmed"]
    positions[1] = ("p2", "ودعا", "تعزيز التعاون")
    assert _decide(text, people, positions)[1].status == "wrong"


def test_a_statement_that_speaks_gives_the_words_to_its_author() -> None:
    text = (
        "وقالت الوزارة في بيان إن 20 شخصا قتلوا. "
        "وأضاف البيان أن فرق الإنقاذ ما زالت تبحث عن مفقودين."
    )
    people = [_person("الوزارة", "organization"), _person("فرق الإنقاذ", "group")]
    positions = [
        ("p1", "وقالت", "20 شخصا قتلوا"),
        ("p1", "وأضاف", "فرق الإنقاذ ما زالت تبحث عن مفقودين"),
    ]
    decisions = _decide(text, people, positions)
    assert [d.status for d in decisions] == ["confirmed", "confirmed"]
    assert decisions[1].how == "continued" and decisions[1].speakers == {"p1"}


def test_an_unlisted_description_refers_back_like_a_pronoun() -> None:
    # "the veteran diplomat" is no listed name, title or mention: an epithet for someone named
    # before, as a pronoun is. It was reported as an unknown speaker, sending correct answers back.
    text = (
        "والتقى وزير الخارجية الأمريكي أنتوني بلينكن في الرياض ولي العهد السعودي. "
        "وقال الدبلوماسي المخضرم إن واشنطن ملتزمة بأمن المنطقة."
    )
    people = [
        _person("أنتوني بلينكن", titles=("وزير الخارجية الأمريكي",)),
        _person("ولي العهد السعودي"),
        _person("واشنطن", "state"),
    ]
    content = "واشنطن ملتزمة بأمن المنطقة"
    (decision,) = _decide(text, people, [("p1", "وقال", content)])
    assert decision.status == "confirmed" and decision.how == "continued"
    (swapped,) = _decide(text, people, [("p3", "وقال", content)])
    assert swapped.status == "wrong" and "p1" in swapped.speakers


def test_an_unlisted_subject_with_no_one_named_before_decides_nothing() -> None:
    text = "وقال المراقبون إن الانتخابات جرت بهدوء، وأعلنت اللجنة الانتخابية فوز الحزب الحاكم."
    people = [_person("اللجنة الانتخابية", "organization"), _person("الحزب الحاكم", "organization")]
    (decision,) = _decide(text, people, [("p1", "وقال", "الانتخابات جرت بهدوء")])
    assert decision.status == "unresolved"


def test_a_source_phrase_glued_to_ma_after_its_content_governs_it() -> None:
    # "حسبما أفادت" (حسب + ما written as one word) after the content it sources
    text = (
        "وأسفر القصف عن مقتل خمسة أشخاص، حسبما أفادت وكالة الأنباء الرسمية. "
        "وقال شهود عيان إن الطائرات قصفت السوق."
    )
    people = [_person("وكالة الأنباء الرسمية", "organization"), _person("شهود عيان", "group")]
    right = [
        ("p1", "حسبما أفادت", "أسفر القصف عن مقتل خمسة أشخاص"),
        ("p2", "وقال", "الطائرات قصفت السوق"),
    ]
    assert [d.status for d in _decide(text, people, right)] == ["confirmed", "confirmed"]
    swapped = _decide(text, people, [("p2", *right[0][1:]), right[1]])
    assert swapped[0].status == "wrong" and swapped[0].speakers == {"p1"}


def test_a_tokenised_source_phrase_after_its_content_governs_it() -> None:
    # NewsFANE writes "بحسب" as "ب حسب"
    text = "و قتل خمسة اشخاص في القصف ، ب حسب مصادر طبية . و قال شهود ان الطائرات عادت ."
    people = [_person("مصادر طبية", "group"), _person("شهود", "group")]
    right = [("p1", "ب حسب", "قتل خمسة اشخاص في القصف"), ("p2", "و قال", "الطائرات عادت")]
    assert [d.status for d in _decide(text, people, right)] == ["confirmed", "confirmed"]
    swapped = _decide(text, people, [("p2", *right[0][1:]), right[1]])
    assert swapped[0].status == "wrong" and swapped[0].speakers == {"p1"}


def test_the_two_leaders_are_the_two_people_not_the_capital_named_with_them() -> None:
    text = (
        "واستقبل الملك عبد الله الثاني الرئيس الفرنسي إيمانويل ماكرون في عمان. "
        "وأكد الزعيمان على أهمية حل الدولتين."
    )
    people = [
        _person("عبد الله الثاني", titles=("الملك",)),
        _person("إيمانويل ماكرون", titles=("الرئيس الفرنسي",)),
        _person("عمان", "state"),
    ]
    for speaker in ("p1", "p2"):
        (decision,) = _decide(text, people, [(speaker, "وأكد الزعيمان", "أهمية حل الدولتين")])
        assert decision.status == "confirmed" and decision.speakers == {"p1", "p2"}
    (decision,) = _decide(text, people, [("p3", "وأكد الزعيمان", "أهمية حل الدولتين")])
    assert decision.status == "wrong"


def test_a_participle_after_the_counterpart_greeted_goes_on_with_the_greeter() -> None:
    text = (
        "وهنأ الرئيس التونسي قيس سعيد نظيره الجزائري عبد المجيد تبون بفوزه، "
        "مؤكدًا حرص تونس على تعزيز العلاقات."
    )
    people = [
        _person("قيس سعيد", titles=("الرئيس التونسي",)),
        _person("عبد المجيد تبون"),
        _person("تونس", "state"),
    ]
    position = ("مؤكدًا", "حرص تونس على تعزيز العلاقات")
    assert _decide(text, people, [("p1", *position)])[0].status == "confirmed"
    (swapped,) = _decide(text, people, [("p2", *position)])
    assert swapped.status == "wrong" and swapped.speakers == {"p1"}


def test_who_is_quoted_by_an_agency_in_the_passive_is_who_speaks() -> None:
    text = (
        "Officials were quoted by the Associated Press as saying that the bridge had "
        "collapsed. The mayor, Karen Bass, told KTLA that rescue teams were on the scene."
    )
    people = [
        _person("Officials", "group"),
        _person("the Associated Press", "organization"),
        _person("Karen Bass", titles=("The mayor",)),
    ]
    position = ("saying", "the bridge had collapsed")
    (right,) = _decide(text, people, [("p1", *position)], "en")
    assert right.status == "confirmed" and right.speakers == {"p1"}
    (swapped,) = _decide(text, people, [("p3", *position)], "en")
    assert swapped.status == "wrong"


def test_a_state_named_by_an_adjective_keeps_its_name_after_a_definite_noun() -> None:
    # "المملكة العربية السعودية": "السعودية" after "العربية" is the state, not an adjective
    text = "وأعلنت المملكة العربية السعودية أنها ستستضيف القمة المقبلة."
    people = [_person("السعودية", "state")]
    (decision,) = _decide(text, people, [("p1", "وأعلنت", "ستستضيف القمة المقبلة")])
    assert decision.status == "confirmed" and decision.how == "named"


@pytest.mark.parametrize("cue", ["وجاء", "وجاء في"])
def test_what_appears_in_a_statement_is_its_authors_not_the_speaker_before(cue: str) -> None:
    text = (
        "وقال الوزير بدر عبد العاطي إن الحل سياسي. "
        "وجاء في بيان لوزارة الخارجية المصرية أن القاهرة ترفض التصعيد."
    )
    people = [
        _person("وزارة الخارجية المصرية", "organization"),
        _person("القاهرة", "state"),
        _person("بدر عبد العاطي", titles=("الوزير",)),
    ]
    said = ("p3", "وقال", "الحل سياسي")
    right = _decide(text, people, [said, ("p1", cue, "القاهرة ترفض التصعيد")])
    assert [d.status for d in right] == ["confirmed", "confirmed"]
    swapped = _decide(text, people, [said, ("p3", cue, "القاهرة ترفض التصعيد")])
    assert swapped[1].status == "wrong" and swapped[1].speakers == {"p1"}


def test_a_verb_with_its_subject_dropped_before_a_phrase_goes_on_with_the_speaker() -> None:
    # "وأضاف في تصريح لـ«الأهرام» أن": the prime minister goes on; the government named
    # inside his first statement does not take over
    text = (
        "وقال رئيس الوزراء مصطفى مدبولي إن الحكومة ماضية في الإصلاح. "
        "وأضاف في تصريح لـ«الأهرام» أن الأسعار ستستقر."
    )
    people = [
        _person("مصطفى مدبولي", titles=("رئيس الوزراء",)),
        _person("الحكومة", "organization"),
        _person("الأهرام", "organization"),
    ]
    said = ("p1", "وقال", "الحكومة ماضية في الإصلاح")
    added = ("وأضاف في تصريح", "الأسعار ستستقر")
    assert _decide(text, people, [said, ("p1", *added)])[1].status == "confirmed"
    swapped = _decide(text, people, [said, ("p2", *added)])[1]
    assert swapped.status == "wrong" and "p2" not in swapped.speakers


def test_a_tail_source_that_relays_gives_the_words_to_whom_it_relays_too() -> None:
    text = (
        "وارتفع عدد الضحايا إلى عشرين، بحسب ما نقلت وكالة رويترز عن مسؤول محلي. "
        "ونفت الحكومة هذه الأرقام."
    )
    people = [
        _person("وكالة رويترز", "organization"),
        _person("مسؤول محلي"),
        _person("الحكومة", "organization"),
    ]
    position = ("بحسب ما نقلت", "ارتفع عدد الضحايا إلى عشرين")
    for speaker in ("p1", "p2"):
        (decision,) = _decide(text, people, [(speaker, *position)])
        assert decision.status == "confirmed" and decision.speakers == {"p1", "p2"}
    (swapped,) = _decide(text, people, [("p3", *position)])
    assert swapped.status == "wrong"


def test_the_tokenised_spellings_of_the_counterpart_and_of_what_appears_read_the_same() -> None:
    # NewsFANE writes clitics apart: "نظير ه", "و جاء في"
    text = (
        "و هنأ الرئيس التونسي قيس سعيد نظير ه الجزائري عبد المجيد تبون ب فوز ه ، "
        "مؤكدا حرص تونس على تعزيز العلاقات . "
        "و جاء في بيان ل وزارة الخارجية ان تونس ترحب ب الزيارة ."
    )
    people = [
        _person("قيس سعيد", titles=("الرئيس التونسي",)),
        _person("عبد المجيد تبون"),
        _person("تونس", "state"),
        _person("وزارة الخارجية", "organization"),
    ]
    greeted = ("مؤكدا", "حرص تونس على تعزيز العلاقات")
    appears = ("و جاء في", "تونس ترحب ب الزيارة")
    right = _decide(text, people, [("p1", *greeted), ("p4", *appears)])
    assert [d.status for d in right] == ["confirmed", "confirmed"]
    swapped = _decide(text, people, [("p2", *greeted), ("p1", *appears)])
    assert [d.status for d in swapped] == ["wrong", "wrong"]


def test_a_tokenised_cue_copied_with_the_start_of_its_subject_reads_the_subject() -> None:
    # "و لاحظ محللون في دبي ان": the cue copied as "و لاحظ محللون", و written apart
    text = "و قال الوزير ان السوق مستقرة . و لاحظ محللون في دبي ان الاسعار تراجعت ."
    people = [_person("الوزير"), _person("محللون في دبي", "group")]
    said = ("p1", "و قال", "السوق مستقرة")
    noted = ("و لاحظ محللون", "الاسعار تراجعت")
    assert _decide(text, people, [said, ("p2", *noted)])[1].status == "confirmed"
    swapped = _decide(text, people, [said, ("p1", *noted)])[1]
    assert swapped.status == "wrong" and swapped.speakers == {"p2"}
