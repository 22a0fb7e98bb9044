"""Who spoke on a call, and which of several alike statements is whose: shapes held-out set M
showed (four princes' condolence calls to one recipient, answered in the same words); and whom
a participle's object or an issued statement names, which set T showed (the men a commander
addresses, the king he describes, a brigade's statement passed on by activists).

The held-out articles (SaudiNewsNet, CC BY-NC-SA) may not be committed, so each test writes the
shape with other words.
"""

from __future__ import annotations

from typing import Any

from tests.test_attribution_between import _detached_titles
from tests.test_attribution_chains import _answer, _decide, _person, _said, _swap

_CALLS = (
    "تلقى الوزير سعد العلي اتصالا هاتفيا امس من الأمير فهد الراشد، أعرب خلاله عن إدانته "
    "للهجوم. وأعرب سموه عن تعازيه لأسر الضحايا. وشكر الوزير العلي سمو الأمير على مشاعره.\n"
    "كما تلقى الوزير سعد العلي اتصالا هاتفيا امس من الشيخ خالد الناصر، أعرب فيه عن إدانته "
    "للهجوم. وأعرب سموه عن تعازيه لأسر الضحايا."
)


def _calls_answer() -> dict[str, Any]:
    return _answer(
        [
            {**_person("p1", "سعد العلي", "الوزير"), "mentions": ["العلي"]},
            {**_person("p2", "فهد الراشد", "الأمير"), "mentions": ["سموه", "سمو الأمير"]},
            {**_person("p3", "خالد الناصر", "الشيخ"), "mentions": ["سموه"]},
        ],
        [
            _said("p2", "أعرب", "إدانته للهجوم"),
            _said("p2", "وأعرب", "تعازيه لأسر الضحايا"),
            _said("p3", "أعرب", "إدانته للهجوم"),
            _said("p3", "وأعرب", "تعازيه لأسر الضحايا"),
        ],
    )


def test_who_made_a_call_speaks_in_it_not_who_received_it() -> None:
    # "تلقى نائب خادم الحرمين ... اتصالاً هاتفياً امس من الأمير سلمان بن حمد، أعرب خلاله عن
    # إدانته": the caller condemns, not the recipient named first
    answer = _calls_answer()
    for i, caller in ((0, "p2"), (2, "p3")):
        decision, problems = _decide(_CALLS, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {caller} and not problems
        assert _swap(_CALLS, answer, i, "p1")


def test_statements_copied_alike_take_the_occurrences_in_order() -> None:
    # the second caller's "أعرب فيه عن إدانته للهجوم" is the second occurrence, though the
    # first stands as near its cue
    answer = _calls_answer()
    assert _decide(_CALLS, answer, 2)[0].cue.start > _CALLS.index("كما تلقى")  # type: ignore[union-attr]
    assert _decide(_CALLS, answer, 0)[0].cue.start < _CALLS.index("كما تلقى")  # type: ignore[union-attr]


def test_a_mention_listed_for_several_is_the_one_the_chain_carries() -> None:
    # "وأعرب سموه": listed for each caller; after the second call it is the second caller
    answer = _calls_answer()
    decision, problems = _decide(_CALLS, answer, 3)
    assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems
    assert _swap(_CALLS, answer, 3, "p2")


def test_what_follows_a_participle_is_its_object_not_a_speaker_described() -> None:
    # "وقدم شكره ...، داعياً الله أن لا يريه أي مكروه": God is asked, the prince asks; not anyone
    # the sentences before named, as an unlisted subject would be
    text = (
        "واستهدف الهجوم مقر شركة النفط الوطنية. وقال الأمير فهد الراشد إن الهجوم جبان، داعيا "
        "الله أن يحفظ البلاد."
    )
    answer = _answer(
        [
            _person("p1", "فهد الراشد", "الأمير"),
            _person("p2", "شركة النفط الوطنية", kind="organization"),
        ],
        [_said("p1", "وقال", "الهجوم جبان"), _said("p1", "داعيا", "يحفظ البلاد")],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 1, "p2")


def test_a_construct_dual_title_listed_for_both_names_after_it_is_both_of_theirs() -> None:
    # "وبدأ وزيرا المالية والاقتصاد اليونانيان اقليدس تساكالوتوس وجيورجيوس ستاثاكيس"
    text = "وبدأ وزيرا الخارجية والدفاع المصريان سامح علي وكمال حسن اجتماعهما في القاهرة."
    dual = "وزيرا الخارجية والدفاع المصريان"
    answer = _answer([_person("p1", "سامح علي", dual), _person("p2", "كمال حسن", dual)], [])
    assert _detached_titles(text, answer) == []
    alone = _answer([_person("p1", "سامح علي"), _person("p2", "كمال حسن", dual)], [])
    alone["participants"].append(_person("p3", "عمر فاروق", dual))
    assert _detached_titles(text, alone) == ["participants[p3].titles[0]"]


def test_a_title_s_body_quoted_after_bi_stands_between_it_and_its_holder() -> None:
    # 'وأوضح مدير إدارة الطوارئ والأزمات بـ"صحة جازان" عبدالرحمن دغريري': his title; moved to
    # the director named two sentences on, it is not his
    text = (
        'وأوضح مدير إدارة الطوارئ بـ"صحة المنطقة" سالم العمري أن العمل مستمر. ورفعت الأسماء '
        "إلى مدير عام الشؤون الصحية الدكتور فهد الزهراني الذي اعتمدها."
    )
    title = "مدير إدارة الطوارئ"
    answer = _answer(
        [
            _person("p1", "سالم العمري", title),
            _person("p2", "فهد الزهراني", "مدير عام الشؤون الصحية", "الدكتور"),
        ],
        [],
    )
    assert _detached_titles(text, answer) == []
    moved = _answer(
        [
            _person("p1", "سالم العمري"),
            _person("p2", "فهد الزهراني", "مدير عام الشؤون الصحية", "الدكتور", title),
        ],
        [],
    )
    assert _detached_titles(text, moved) == ["participants[p2].titles[2]"]


def test_a_page_s_link_under_its_headline_is_nobody_s_speech() -> None:
    # "وأضاف أن ... .\nرابط الخبر بصحيفة الوئام: أمريكا : نحن حريصون على أمن الخليج"
    text = (
        "وقال المتحدث باسم البيت الأبيض إن الاتفاق جيد.\nرابط الخبر بصحيفة الوئام: أمريكا : "
        "نحن حريصون على أمن الخليج"
    )
    answer = _answer(
        [_person("p1", "المتحدث باسم البيت الأبيض")],
        [
            _said("p1", "وقال", "الاتفاق جيد"),
            _said("p1", "وقال", "رابط الخبر بصحيفة الوئام: أمريكا : نحن حريصون على أمن الخليج"),
        ],
    )
    assert not _decide(text, answer, 0)[1]
    assert _decide(text, answer, 1)[0].status == "detached"


def test_a_noun_with_its_pronoun_is_no_participle_whose_object_follows() -> None:
    # "وذكرت مصادر الوفد ان الجانب الاسرائيلي اثار مسائل ... ومن مطالبه الاخيرة ازالة": his
    # demands (folded like the participle مطالبة); the side named in the sources' words may own
    # them, so the adjective after is no reason to give them to the sources alone
    text = (
        "وذكرت مصادر الوفد ان الجانب الآخر اثار مسائل متعددة ومن مطالبه الاخيرة ازالة "
        "المواقع من الجنوب."
    )
    answer = _answer(
        [_person("p1", "مصادر الوفد", kind="group"), _person("p2", "الجانب الآخر", kind="group")],
        [
            _said("p1", "وذكرت", "الجانب الآخر اثار مسائل متعددة"),
            _said("p2", "مطالبه", "ازالة المواقع من الجنوب"),
        ],
    )
    assert not _decide(text, answer, 1)[1]


def test_whom_a_participle_addresses_is_its_object_not_who_goes_on() -> None:
    # "وأكد أن الجيش الشعبي ...، مخاطبا الأفراد الذين التحقوا بالجيش الوطني قائلا: «بكم
    # أنتم ستتحرر تعز»": the commander says it, not the men he addresses
    text = (
        "وقال العميد سالم حسن إن الجيش يتقدم. وأكد أن المقاومة لها دور كبير، مخاطبا "
        "المتطوعين الجدد قائلا: «بكم ستتحرر المدينة»."
    )
    answer = _answer(
        [
            _person("p1", "سالم حسن", "العميد"),
            _person("p2", "المقاومة", kind="group"),
            _person("p3", "المتطوعين الجدد", kind="group"),
        ],
        [
            _said("p1", "وقال", "الجيش يتقدم"),
            _said("p1", "وأكد", "المقاومة لها دور كبير"),
            _said("p1", "قائلا", "بكم ستتحرر المدينة"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems
    assert _swap(text, answer, 2, "p3")


def test_a_name_right_after_an_accusative_participle_is_its_object() -> None:
    # "وأشاد سرحان بمواقف الرئيس هادي والتحالف العربي، واصفا الملك سلمان بـ«البطل والشجاع»":
    # the commander describes the king; the chain after it stays his
    text = (
        "وأشاد العميد سالم حسن بمواقف الحلفاء، واصفا الملك فهد بـ«البطل». وأردف: «نحن نبني "
        "جيشا وطنيا»."
    )
    answer = _answer(
        [_person("p1", "سالم حسن", "العميد"), _person("p2", "فهد", "الملك")],
        [
            _said("p1", "وأشاد", "بمواقف الحلفاء"),
            _said("p1", "واصفا", "البطل"),
            _said("p1", "وأردف", "نحن نبني جيشا وطنيا"),
        ],
    )
    for i in (1, 2):
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
        assert _swap(text, answer, i, "p2")


def test_a_statement_issued_by_a_body_is_its_words() -> None:
    # "وتناقلت مواقع التواصل الاجتماعي بياناً صادراً عن الفرقة 30 جاء فيه: «استنكرت ...»"
    text = "وتناقل ناشطون بياناً صادراً عن اللواء الخامس جاء فيه: «نستنكر خطف قائدنا»."
    answer = _answer(
        [
            _person("p1", "ناشطون", kind="group"),
            _person("p2", "اللواء الخامس", kind="organization"),
        ],
        [_said("p2", "جاء فيه", "نستنكر خطف قائدنا")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 0, "p1")
