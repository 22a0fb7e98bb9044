"""Who said it inside another's words, and titles across و: shapes held-out sets I and J showed.

The held-out articles (SaudiNewsNet, CC BY-NC-SA) may not be committed, so each test writes the
shape with other words.
"""

from __future__ import annotations

from agent.extraction.draft import ExtractionDraft
from agent.extraction.validate import ValidationRun, find_problems
from agent.models import IssueKind
from tests.test_attribution_chains import _answer, _decide, _person, _said, _swap


def test_wa_right_after_a_name_opens_the_next_person_s_titles() -> None:
    # "استشاري الجراحة الدكتور/ ماهر وأخصائي جراحة الأطفال الدكتور/ خالد": the specialist is
    # Khalid, not Maher before و; "مساعد الوزير و مدير الامن" after a title is one man's two
    text = (
        "وأجرى العملية فريق مكون من استشاري الجراحة الدكتور/ سامي العتيبي وأخصائي التخدير "
        "الدكتور/ فهد الحربي. وحضر اللواء سالم عوض مساعد وزير الداخلية و مدير الامن الحفل."
    )
    answer = _answer(
        [
            _person("p1", "سامي العتيبي", "استشاري الجراحة", "الدكتور"),
            _person("p2", "فهد الحربي", "أخصائي التخدير", "الدكتور"),
            _person("p3", "سالم عوض", "اللواء", "مساعد وزير الداخلية", "مدير الامن"),
        ],
        [],
    )
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    problems = list(find_problems(ExtractionDraft.model_validate(answer), run))
    assert not [p for p in problems if p.kind is IssueKind.DETACHED_TITLE]
    moved = {**answer, "participants": [dict(p) for p in answer["participants"]]}
    moved["participants"][0]["titles"] = [*answer["participants"][0]["titles"]]
    moved["participants"][0]["titles"].append(answer["participants"][1]["titles"][0])
    problems = list(find_problems(ExtractionDraft.model_validate(moved), run))
    assert [p.path for p in problems if p.kind is IssueKind.DETACHED_TITLE] == [
        "participants[p1].titles[2]"
    ]


def test_a_verb_joined_inside_a_statement_s_clause_has_that_clause_s_subject() -> None:
    # "وقالت الصحيفة إن الموظفة غادرت واعتبرت الأمر مزحة": the employee considered it, inside
    # the paper's report
    text = "وقالت الوكالة إن المدربة انسحبت واعتبرت القرار ظلما للفريق، لكن الإدارة تمسكت به."
    answer = _answer(
        [
            _person("p1", "الوكالة", kind="organization"),
            {**_person("p2", "مدربة الفريق"), "mentions": ["المدربة"]},
        ],
        [
            _said("p1", "وقالت", "المدربة انسحبت واعتبرت القرار ظلما للفريق"),
            _said("p2", "واعتبرت", "القرار ظلما للفريق"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")


def test_a_possessed_verbal_noun_is_not_said_by_the_object_written_before_it() -> None:
    # "عقب تهديده موظفة بادعائه أنه صنع قنبلة": his claim, not the employee's he threatened
    text = "وذكرت الشرطة أن الشاب أوقف عقب تهديده حارسة المبنى بادعائه أنه يحمل سلاحا في حقيبته."
    answer = _answer(
        [
            _person("p1", "الشرطة", kind="organization"),
            {**_person("p2", "شاب"), "mentions": ["الشاب"]},
            _person("p3", "حارسة المبنى"),
        ],
        [
            _said("p1", "وذكرت", "الشاب أوقف عقب تهديده حارسة المبنى"),
            _said("p2", "بادعائه", "يحمل سلاحا في حقيبته"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p2" in decision.speakers and not problems
    assert decision.how == "continued"  # read from the sentence, not the guard right before it


def test_who_delivered_a_speech_speaks_in_it_as_may_those_it_speaks_for() -> None:
    # "وألقى الدكتور سعد كلمة المكرمين قدم فيها الشكر": Saad delivered it, for the honourees
    text = (
        "وألقى المهندس علي الشهري كلمة الخريجين قدم فيها الشكر للجامعة على رعايتها، "
        "وفي الختام وزعت الجوائز."
    )
    answer = _answer(
        [
            _person("p1", "علي الشهري", "المهندس"),
            {**_person("p2", "الخريجون", kind="group"), "mentions": ["الخريجين"]},
            _person("p3", "الجامعة", kind="organization"),
        ],
        [_said("p1", "قدم", "الشكر للجامعة على رعايتها")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p1", "p2"} and not problems
    assert _swap(text, answer, 0, "p3")


def test_a_sentence_opening_with_wa_inna_goes_on_with_the_statement_before() -> None:
    # "وقال الشيحة إنه ... . وإن الشركة بدأت مشروعا ...، مفيدا بأن": his words go on, and the
    # company named inside them is not who goes on saying
    text = (
        "وقال مدير الفرع سعد القرني إن الطلب ارتفع هذا العام. وإن الشركة بدأت تركيب عدادات "
        "جديدة، مفيدا بأن المشروع سيكتمل في الربيع."
    )
    answer = _answer(
        [
            _person("p1", "سعد القرني", "مدير الفرع"),
            {**_person("p2", "الشركة الوطنية", kind="organization"), "mentions": ["الشركة"]},
        ],
        [
            _said("p1", "وقال", "الطلب ارتفع هذا العام"),
            _said("p1", "وقال", "الشركة بدأت تركيب عدادات جديدة"),
            _said("p1", "مفيدا", "المشروع سيكتمل في الربيع"),
        ],
    )
    for i in (1, 2):
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
        assert _swap(text, answer, i, "p2")


def test_a_statement_with_its_adjective_says_what_its_authors_say() -> None:
    # "وأصدر الاتحاد اليوم بيانا إعلاميا قال إنه": the federation, not the people named before
    text = (
        "وظهر المدرب واللاعب سامي الحمد في المقطع. وأصدر النادي الأهلي أمس بيانا رسميا قال "
        "إنه سيحقق في الواقعة."
    )
    answer = _answer(
        [
            _person("p1", "المدرب"),
            _person("p2", "سامي الحمد"),
            _person("p3", "النادي الأهلي", kind="organization"),
        ],
        [_said("p3", "قال", "سيحقق في الواقعة")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems
    assert _swap(text, answer, 0, "p2")


def test_what_was_said_in_the_media_is_the_media_s() -> None:
    # "عدم صحة ما ذكر في بعض وسائل الإعلام بأن": the media said it, not the body denying it
    text = "ونفت الوزارة في بيانها صحة ما نشر في بعض المواقع الإخبارية بأن المشروع توقف نهائيا."
    answer = _answer(
        [
            _person("p1", "الوزارة", kind="organization"),
            _person("p2", "بعض المواقع الإخبارية", kind="organization"),
        ],
        [
            _said("p1", "ونفت", "صحة ما نشر في بعض المواقع الإخبارية"),
            _said("p2", "نشر", "المشروع توقف نهائيا"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")
