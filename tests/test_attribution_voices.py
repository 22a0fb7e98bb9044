"""Whose voice a statement is: shapes held-out set N showed (a fund's representative, a woman
who goes on, a participle whose letters end as a plural verb's, an aside before "قوله", a plural
title before two women with their own titles).

The held-out articles (SaudiNewsNet, CC BY-NC-SA) may not be committed, so each test writes the
shape with other words.
"""

from __future__ import annotations

from tests.test_attribution_between import _detached_titles
from tests.test_attribution_chains import _answer, _decide, _person, _said, _swap


def test_a_representative_s_words_may_be_given_to_the_body_he_speaks_for() -> None:
    # "ومن بينهم ممثل صندوق النقد الدولي الذي قال إنه لن يسهم في هذه الخطة": the answer may
    # name the representative or the fund; not another participant of the sentence
    text = (
        "والتقى الوزير سامي نور كبار ممثلي الدائنين، ومن بينهم ممثل البنك الدولي الذي قال "
        "إنه لن يشارك في الخطة."
    )
    answer = _answer(
        [
            _person("p1", "سامي نور", "الوزير"),
            _person("p2", "ممثل البنك الدولي"),
            _person("p3", "البنك الدولي", kind="organization"),
        ],
        [_said("p2", "قال", "لن يشارك في الخطة")],
    )
    for speaker in ("p2", "p3"):
        answer["positions"][0]["speaker_id"] = speaker
        decision, problems = _decide(text, answer, 0)
        assert decision.status == "confirmed" and not problems, speaker
        assert decision.speakers == {"p2", "p3"}
    assert _swap(text, answer, 0, "p1")


def test_a_body_is_credited_only_for_a_participant_named_as_its_voice() -> None:
    # "مدير البنك الدولي" heads the bank but is not named as one who speaks for it
    text = "ومن بينهم مدير البنك الدولي الذي قال إنه لن يشارك في الخطة."
    answer = _answer(
        [_person("p2", "مدير البنك الدولي"), _person("p3", "البنك الدولي", kind="organization")],
        [_said("p3", "قال", "لن يشارك في الخطة")],
    )
    assert _decide(text, answer, 0)[1]


def test_a_feminine_verb_after_a_woman_s_statement_goes_on_with_her() -> None:
    # "وقالت دانيلي بيل ، مديرة مهمة ... إن النساء ... . وأضافت " ارتفعت ...": she adds, not
    # the United Nations or its report that spoke before her
    text = (
        "وقالت الأمم المتحدة إن عدد الضحايا ارتفع. ووثق تقرير الأمم المتحدة 400 حالة. "
        "وقالت سارة لين ، مديرة البعثة في كابول إن الأطفال الأكثر تضررا. "
        'وأضافت " ارتفعت الخسائر بين النساء بنسبة كبيرة ".'
    )
    answer = _answer(
        [
            _person("p1", "الأمم المتحدة", kind="organization"),
            _person("p2", "تقرير الأمم المتحدة", kind="organization"),
            _person("p3", "سارة لين", "مديرة البعثة"),
        ],
        [
            _said("p1", "وقالت", "عدد الضحايا ارتفع"),
            _said("p2", "ووثق", "400 حالة"),
            _said("p3", "وقالت", "الأطفال الأكثر تضررا"),
            _said("p3", "وأضافت", "ارتفعت الخسائر بين النساء بنسبة كبيرة"),
        ],
    )
    decision, problems = _decide(text, answer, 3)
    assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems
    assert _swap(text, answer, 3, "p1") and _swap(text, answer, 3, "p2")


def test_a_feminine_verb_after_a_man_s_statement_may_take_up_the_body_again() -> None:
    # the reading the rule above keeps: "و اكدت ان" after a man spoke may be the paper again
    text = (
        "وقالت الأمم المتحدة إن عدد الضحايا ارتفع. وقال سامر لين ، مدير البعثة في كابول إن "
        'الأطفال الأكثر تضررا. وأضافت " ارتفعت الخسائر بين النساء بنسبة كبيرة ".'
    )
    answer = _answer(
        [
            _person("p1", "الأمم المتحدة", kind="organization"),
            _person("p3", "سامر لين", "مدير البعثة"),
        ],
        [
            _said("p1", "وقالت", "عدد الضحايا ارتفع"),
            _said("p3", "وقال", "الأطفال الأكثر تضررا"),
            _said("p1", "وأضافت", "ارتفعت الخسائر بين النساء بنسبة كبيرة"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems


def test_a_singular_participle_ending_as_a_plural_verb_does_not_speak_for_a_crowd() -> None:
    # "ولفت إلى أنه ... لابد أن يكون هناك معوقات ...، منوهاً بالدعم الكبير": منوها (منوّهاً)
    # ends in the letters of وصفوها, yet it is one man going on, not everyone named before
    text = (
        "وقال وزير الداخلية سالم حسن إن المدينة آمنة. ولفت إلى أنه بعد الحرب مع المتمردين "
        "لابد أن تواجه الحكومة معوقات كثيرة، منوهاً بالدعم الكبير المقدم من قوات التحالف."
    )
    answer = _answer(
        [
            _person("p1", "سالم حسن", "وزير الداخلية"),
            _person("p2", "المتمردين", kind="group"),
            _person("p3", "الحكومة", kind="organization"),
            _person("p4", "قوات التحالف", kind="group"),
        ],
        [
            _said("p1", "وقال", "المدينة آمنة"),
            _said("p1", "ولفت", "بعد الحرب مع المتمردين لابد أن تواجه الحكومة معوقات كثيرة"),
            _said("p1", "منوهاً", "بالدعم الكبير المقدم من قوات التحالف"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 2, "p2") and _swap(text, answer, 2, "p3")


def test_the_owner_of_qawlihi_is_written_before_an_aside_between_dashes() -> None:
    # "ونقلت وكالة أنباء فارس عن ظريف -الذي قاد وفد بلاده المفاوض- قوله في الخطاب إن": the
    # minister says it, not the delegation in the aside nor the agency
    text = (
        "وقال الوزير كريم زاده إن الاتفاق متوازن. ونقلت وكالة الأنباء عن زاده -الذي قاد وفد "
        "بلاده المفاوض- قوله في الخطاب إن الاتفاق لقي اهتماما واسعا."
    )
    answer = _answer(
        [
            {**_person("p1", "كريم زاده", "الوزير"), "mentions": ["زاده"]},
            _person("p2", "وكالة الأنباء", kind="organization"),
            _person("p3", "وفد بلاده المفاوض", kind="group"),
        ],
        [
            _said("p1", "وقال", "الاتفاق متوازن"),
            _said("p1", "قوله", "الاتفاق لقي اهتماما واسعا"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 1, "p3")


def test_a_feminine_plural_title_before_two_women_with_their_own_titles_is_both_of_theirs() -> None:
    # "والمشرفات على الخيمة الأستاذة غادة العبدلي والأستاذة منى الشراري"
    text = (
        "وشكر المدير فريق العمل والمشرفات على المعرض الأستاذة هند سالم والأستاذة ريم عادل "
        "ومديرة المركز نورة فهد."
    )
    plural = "المشرفات على المعرض"
    answer = _answer(
        [
            _person("p1", "هند سالم", plural, "الأستاذة"),
            _person("p2", "ريم عادل", plural, "الأستاذة"),
            _person("p3", "نورة فهد", "مديرة المركز"),
        ],
        [],
    )
    assert _detached_titles(text, answer) == []
    third = _answer(
        [
            _person("p1", "هند سالم", plural, "الأستاذة"),
            _person("p2", "ريم عادل", "الأستاذة"),
            _person("p3", "نورة فهد", "مديرة المركز", plural),
        ],
        [],
    )
    assert _detached_titles(text, third) == ["participants[p3].titles[1]"]
