"""Who said it, and whose title it is, when other words stand between: shapes held-out sets K
and L showed.

Another's statement between كان and a verb, a relative "ما قاله" between a cue and a name, "غير
أن" before a subject, a noun governing the name after a verb, a quoted name after its kind, إذ
between a subject and its verb, an aside "على حد قوله", a subheading over a sentence, the
writer's "والجدير بالذكر"; and for titles, a longer title running past a mention, a title's own
body between it and its holder, and a mention that is another's title beside their name. The
held-out articles (SaudiNewsNet, CC BY-NC-SA) may not be committed, so each test writes the
shape with other words.
"""

from __future__ import annotations

from typing import Any

from agent.extraction.draft import ExtractionDraft
from agent.extraction.validate import ValidationRun, find_problems
from agent.models import IssueKind
from tests.test_attribution_chains import _answer, _decide, _person, _said, _swap


def _detached_titles(text: str, answer: dict[str, Any]) -> list[str]:
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    problems = find_problems(ExtractionDraft.model_validate(answer), run)
    return [p.path for p in problems if p.kind is IssueKind.DETACHED_TITLE]


def test_another_s_statement_since_kana_closes_its_clause() -> None:
    # "وكان الاتحاد ... وقال المتحدث ... انه لا يوجد اتفاق ... مسعود البارزاني وأوضح عماد
    # أحمد": the spokesman named after his verb explains, not the party after كان
    text = (
        "وكان الحزب الحاكم رفض الأنباء عن التمديد وقال المتحدث باسم الحزب سامر خليل في تصريح "
        "انه لا يوجد اتفاق على بقاء الرئيس عادل نوري وأوضح سامر خليل انه لم يتفق أحد على ذلك."
    )
    answer = _answer(
        [
            _person("p1", "الحزب الحاكم", kind="organization"),
            {**_person("p2", "سامر خليل", "المتحدث باسم الحزب")},
            _person("p3", "عادل نوري", "الرئيس"),
        ],
        [
            _said("p2", "وقال", "لا يوجد اتفاق على بقاء الرئيس عادل نوري"),
            _said("p2", "وأوضح", "لم يتفق أحد على ذلك"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")


def test_the_subject_of_what_another_said_is_not_who_takes_it_up() -> None:
    # "واختتم قطان بيانه بالتأكيد على ما قاله خادم الحرمين إن": the ambassador stresses what
    # the king said; the king is the subject of قاله, not of بالتأكيد
    text = (
        "وقال السفير ماجد العلي إن الزيارة ناجحة. واختتم العلي كلمته بالتأكيد على ما قاله "
        "الرئيس سعيد الحربي إن العلاقات بين البلدين متينة."
    )
    answer = _answer(
        [
            {**_person("p1", "ماجد العلي", "السفير"), "mentions": ["العلي"]},
            _person("p2", "سعيد الحربي", "الرئيس"),
        ],
        [
            _said("p1", "وقال", "الزيارة ناجحة"),
            _said("p1", "بالتأكيد", "العلاقات بين البلدين متينة"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 1, "p2")


def test_a_subject_after_however_opens_the_clause_a_joined_verb_goes_on_with() -> None:
    # "مشيرة إلى أن ...، غير أن وزير الدفاع موشي يعلون بدا ...، ووصف المحادثات بأنها": the
    # minister describes, not the sources whose report the clause before closes
    text = (
        "وقالت المصادر إن الحكومة تطلب دعما إضافيا، مشيرة إلى أن الرئيس يضغط على البرلمان، "
        "غير أن وزير المالية خالد سالم بدا مطمئنا، ووصف المحادثات بأنها فرصة للمراجعة."
    )
    answer = _answer(
        [
            _person("p1", "المصادر", kind="group"),
            {**_person("p2", "خالد سالم", "وزير المالية")},
            _person("p3", "البرلمان", kind="organization"),
        ],
        [
            _said("p1", "وقالت", "الحكومة تطلب دعما إضافيا"),
            _said("p1", "مشيرة", "الرئيس يضغط على البرلمان"),
            _said("p2", "ووصف", "المحادثات بأنها فرصة للمراجعة"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 2, "p1")


def test_a_participant_governed_by_the_verb_s_object_does_not_go_on_speaking() -> None:
    # "وقالت القاضية ... . ورفضت محاولة مجموعة X لإعادة ...، قائلة": the judge refused the
    # group's attempt and said it; the group is the genitive of محاولة
    text = (
        "وقالت القاضية سلمى راشد إن القضية معقدة. ورفضت مطالبة جمعية حماية البيئة بوقف "
        "المشروع، قائلة إنها ملتزمة بحكم سابق."
    )
    answer = _answer(
        [
            {**_person("p1", "سلمى راشد", "القاضية")},
            _person("p2", "جمعية حماية البيئة", kind="organization"),
        ],
        [
            _said("p1", "وقالت", "القضية معقدة"),
            _said("p1", "قائلة", "ملتزمة بحكم سابق"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems


def test_a_mention_another_s_longer_title_runs_past_is_not_there() -> None:
    # "مع معالي وزير الخارجية الألماني فرانك": the Saudi minister's mention "معالي وزير
    # الخارجية" is the start of the German minister's title there
    text = (
        "أكد معالي وزير الخارجية الأستاذ سامي الناصر أن العلاقات جيدة. وقال الناصر في مؤتمر مع "
        "معالي وزير الخارجية الألماني هانز مولر إن التعاون مستمر. ورأى معالي وزير الخارجية أن "
        "الحوار ضروري."
    )
    answer = _answer(
        [
            {
                **_person("p1", "سامي الناصر", "معالي", "وزير الخارجية", "الأستاذ"),
                "mentions": ["الناصر", "معالي وزير الخارجية"],
            },
            _person("p2", "هانز مولر", "معالي", "وزير الخارجية الألماني"),
        ],
        [],
    )
    assert _detached_titles(text, answer) == []
    moved = {**answer, "participants": [dict(p) for p in answer["participants"]]}
    moved["participants"][0]["titles"] = [
        *answer["participants"][0]["titles"],
        answer["participants"][1]["titles"][1],
    ]
    assert _detached_titles(text, moved) == ["participants[p1].titles[3]"]


def test_a_title_s_own_body_may_stand_between_it_and_its_holder() -> None:
    # 'رئيس مجلس إدارة جمعية " كفى " عبدالعزيز السيف': the chairman of the society's board
    text = 'ثم ألقى رئيس مجلس إدارة جمعية " وعي " سالم الحربي كلمة أوضح فيها أن الجمعية نشطة.'
    title = {"text": "رئيس مجلس إدارة", "kind": "office", "organization": 'جمعية " وعي "'}
    answer = _answer(
        [
            {**_person("p1", 'جمعية "وعي"', kind="organization"), "mentions": ['جمعية " وعي "']},
            {**_person("p2", "سالم الحربي"), "titles": [title]},
        ],
        [],
    )
    assert _detached_titles(text, answer) == []
    unstated = {
        **answer,
        "participants": [answer["participants"][0], dict(answer["participants"][1])],
    }
    unstated["participants"][1]["titles"] = [{**title, "organization": None}]
    assert _detached_titles(text, unstated) == ["participants[p2].titles[0]"]


def test_a_mention_that_is_another_s_title_beside_their_name_is_the_title_there() -> None:
    # "الأمير خالد الفيصل مستشار خادم الحرمين الشريفين أمير منطقة مكة المكرمة": the prince's
    # titles, though another adviser is called "مستشار خادم الحرمين الشريفين" too
    text = (
        "بحضور معالي مستشار الملك الدكتور سعد الشمري. وشكر الشمري الأمير فيصل الخالد مستشار "
        "الملك أمير منطقة الرياض على دعمه."
    )
    answer = _answer(
        [
            {
                **_person("p1", "سعد الشمري", "معالي", "مستشار الملك", "الدكتور"),
                "mentions": ["الشمري", "مستشار الملك"],
            },
            _person("p2", "فيصل الخالد", "الأمير", "مستشار الملك", "أمير منطقة الرياض"),
        ],
        [],
    )
    assert _detached_titles(text, answer) == []


def test_a_name_quoted_after_its_kind_is_the_subject_kana_opens() -> None:
    # 'وكانت صحيفة "داريو تاندي" الأرجنتينية ونقلا عن مصادر ...، قد كشفت عن ... . وتابعت':
    # the paper revealed it and goes on, not the spokesman quoted before
    text = (
        'وقال المتحدث سامي العلي إن المفاوضات مستمرة. وكانت صحيفة "الصباح" المحلية ونقلا عن '
        "مصادر مطلعة، قد كشفت عن تلقي المدرب عرضا جديدا. وتابعت أن العرض يشمل عقدا لعامين."
    )
    answer = _answer(
        [
            _person("p1", "سامي العلي", "المتحدث"),
            _person("p2", "الصباح", kind="organization"),
            _person("p3", "مصادر مطلعة", kind="group"),
        ],
        [
            _said("p1", "وقال", "المفاوضات مستمرة"),
            _said("p2", "كشفت", "تلقي المدرب عرضا جديدا"),
            _said("p2", "وتابعت", "العرض يشمل عقدا لعامين"),
        ],
    )
    for i in (1, 2):
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
        assert _swap(text, answer, i, "p1")


def test_idh_between_a_subject_and_its_verb_stands_for_no_word() -> None:
    # "مشيراً إلى أن الهيئة إذ تعبر عن حزنها ... تؤكد": the organisation expresses it, inside
    # its secretary-general's words
    text = (
        "وأوضح الأمين العام للجمعية خالد سعد أن الأوضاع صعبة، مشيرا إلى أن الجمعية إذ تعبر عن "
        "قلقها من الأزمة تدعو إلى حل عاجل."
    )
    answer = _answer(
        [
            {**_person("p1", "خالد سعد"), "mentions": ["الأمين العام للجمعية"]},
            {**_person("p2", "جمعية الإغاثة", kind="organization"), "mentions": ["الجمعية"]},
        ],
        [
            _said("p1", "وأوضح", "الأوضاع صعبة"),
            _said("p1", "مشيرا", "الجمعية إذ تعبر عن قلقها من الأزمة تدعو إلى حل عاجل"),
            _said("p2", "تعبر عن", "قلقها من الأزمة"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 2, "p1")


def test_by_his_account_points_back_not_to_the_name_before_it() -> None:
    # "حيث إن المستشفى ــ على حد قوله ــ لم يسمح له": the resident's account, inside the health
    # office's; the hospital is what he spoke about
    text = (
        "وأوضحت الإدارة أن المراجع سالم تقدم بشكوى، حيث إن المصنع ــ على حد قوله ــ لم يصرف "
        "له راتبه منذ شهرين."
    )
    answer = _answer(
        [
            _person("p1", "الإدارة", kind="organization"),
            {**_person("p2", "المراجع سالم")},
            _person("p3", "المصنع", kind="organization"),
        ],
        [
            _said("p1", "وأوضحت", "المراجع سالم تقدم بشكوى"),
            _said("p2", "على حد قوله", "لم يصرف له راتبه منذ شهرين"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p2" in decision.speakers and not problems
    assert _swap(text, answer, 1, "p3")


def test_a_subheading_is_no_subject_of_the_sentence_below_it() -> None:
    # "الشورى وضع نظام التحرش بـ”الدُرج”\n وأضافت بقولها إن": the council in the subheading is
    # not who added it; she goes on from the paragraph before
    text = (
        "وقالت الباحثة منى سالم إن الحالات تزايدت.\nالمجلس يؤجل النظام\n وأضافت أن "
        "المجلس البلدي أجل مناقشة النظام مرارا."
    )
    answer = _answer(
        [
            _person("p1", "منى سالم", "الباحثة"),
            _person("p2", "المجلس البلدي", kind="organization"),
        ],
        [
            _said("p1", "وقالت", "الحالات تزايدت"),
            _said("p1", "وأضافت", "المجلس البلدي أجل مناقشة النظام مرارا"),
        ],
    )
    answer["participants"][1]["mentions"] = ["المجلس"]
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems


def test_the_writer_s_aside_does_not_go_on_with_the_speech_before() -> None:
    # "وقال لم نتلق ... من فريقنا ... . والجدير بالذكر أن الفريق اختتم": the writer's
    # background, not the coach's first-person words going on
    text = (
        "ونفى المدرب سعيد وجود عروض وقال لم نتلق أي عرض للاعبي فريقنا ، موضحا أن الإدارة "
        "متمسكة بهم. والجدير بالذكر أن الفريق اختتم معسكره في دبي أمس."
    )
    answer = _answer(
        [_person("p1", "سعيد", "المدرب")],
        [_said("p1", "ونفى", "وجود عروض"), _said("p1", "وقال", "لم نتلق أي عرض للاعبي فريقنا")],
    )
    assert not _decide(text, answer, 1)[1]
    analysis = {
        **answer,
        "positions": [
            *answer["positions"],
            _said("p1", "ونفى", "والجدير بالذكر أن الفريق اختتم معسكره في دبي أمس"),
        ],
    }
    assert _decide(text, analysis, 2)[0].status == "detached"
