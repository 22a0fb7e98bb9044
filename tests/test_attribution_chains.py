"""Who said it, in the shapes full newspaper articles added (SaudiNewsNet, measured locally).

Those articles may not be committed (CC BY-NC-SA, fetched, not ours to ship), so each test here
writes the sentence shape a held-out article showed with other words, except the first, whose
text is a committed benchmark case (fresh40, NewsFANE, CC BY-SA 3.0).
"""

from __future__ import annotations

from typing import Any

from agent.extraction.attribution import Decision
from agent.extraction.draft import ExtractionDraft
from agent.extraction.validate import Problem, ValidationRun, find_problems
from agent.models import IssueKind
from tests.conftest import ROOT
from tests.test_attribution import _check, _load, _position

FRESH40 = ROOT / "benchmarks" / "validator_cases" / "fresh40"


def _person(pid: str, name: str, *titles: str, kind: str = "person") -> dict[str, Any]:
    return {
        "id": pid,
        "name": name,
        "kind": kind,
        "name_en": name,
        "titles": [{"text": t, "kind": "office", "organization": None} for t in titles],
        "affiliation": None,
        "role": "speaker",
        "mentions": [],
    }


def _said(speaker: str, cue: str, content: str) -> dict[str, Any]:
    return {
        "speaker_id": speaker,
        "cue": cue,
        "content": content,
        "attribution": "reported",
        "gist_en": "",
        "topic": "",
        "stance": "neutral",
        "about_ids": [],
    }


def _answer(participants: list[dict[str, Any]], positions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"language": "ar", "participants": participants, "locations": [], "positions": positions}


def _decide(text: str, answer: dict[str, Any], i: int) -> tuple[Decision, list[Problem]]:
    decisions, problems = _check(text, answer)
    return decisions[i], [p for p in problems if p.path == f"positions[{i}].speaker_id"]


def _swap(text: str, answer: dict[str, Any], i: int, other: str) -> list[Problem]:
    swapped = {**answer, "positions": [dict(p) for p in answer["positions"]]}
    swapped["positions"][i]["speaker_id"] = other
    return _decide(text, swapped, i)[1]


def test_an_unlisted_speech_verb_with_its_subject_starts_the_chain_that_goes_on() -> None:
    # "... مستقبل الرجل ء . ... و لكن الحكيم قال ما هو اروع من ذلك . لقد تحدث عن ها ...": the
    # answer lists no statement for "قال ما هو اروع", yet Hakim, named with it, speaks on
    case = FRESH40 / "ar_nf_tawfiq_hakim_woman_aragon_future_of_man_love"
    text, answer = _load(case)
    for content in ("عن ها ككائن", "ان عقيدة ي", "ان الحب قصة", "الحب الفردي"):
        i = _position(answer, content)
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {"p1"}, content
        assert not problems, content
        assert _swap(text, answer, i, "p3"), content  # not the poet quoted before him


def test_the_noun_that_opens_a_clause_after_anna_is_its_verb_s_subject() -> None:
    # "أن الوزير بعد اطلاعه على نتائج اللجنة أكد": the minister, though the committee, a
    # genitive of the phrase between, stands right before the verb
    text = (
        "وأوضح المتحدث الرسمي فهد السالم أن وزير الصحة سعد الراشد بعد اطلاعه على نتائج "
        "اللجنة أكد على المستشفيات اعتماد التقرير كاملا."
    )
    answer = _answer(
        [
            _person("p1", "فهد السالم", "المتحدث الرسمي"),
            _person("p2", "سعد الراشد", "وزير الصحة"),
            _person("p3", "اللجنة", kind="organization"),
        ],
        [
            _said("p1", "وأوضح", "وزير الصحة سعد الراشد بعد اطلاعه على نتائج اللجنة أكد"),
            _said("p2", "أكد", "على المستشفيات اعتماد التقرير كاملا"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p2" in decision.speakers and not problems
    assert _swap(text, answer, 1, "p1")


def test_a_participle_inside_a_quotation_may_be_the_quoting_speaker_s() -> None:
    # 'وأضاف «تحدث الوزير بوضوح ...، مشيراً أن ...»': the participle may go on with the subject
    # of the quoted clause or be the words of the one quoting; both readings stand
    text = (
        "وكشف مصدر دبلوماسي أن اللقاء تناول ملفات عدة. وأضاف «تحدث الوزير كريم ناصر بوضوح "
        "عن ضرورة رفع القيود عن المعابر، مشيراً أن اللقاء جاء بعد لقاءات واسعة مع الأوروبيين»."
    )
    answer = _answer(
        [
            _person("p1", "مصدر دبلوماسي"),
            _person("p2", "كريم ناصر", "الوزير"),
            _person("p3", "الأوروبيين", kind="group"),
        ],
        [
            _said("p1", "وكشف", "اللقاء تناول ملفات عدة"),
            _said("p1", "وأضاف", "تحدث الوزير كريم ناصر بوضوح عن ضرورة رفع القيود عن المعابر"),
            _said("p2", "تحدث", "عن ضرورة رفع القيود عن المعابر"),
            _said("p1", "مشيراً", "اللقاء جاء بعد لقاءات واسعة مع الأوروبيين"),
        ],
    )
    decision, problems = _decide(text, answer, 3)
    assert decision.status == "confirmed" and {"p1", "p2"} <= decision.speakers
    assert not problems
    assert _swap(text, answer, 3, "p3")


def test_a_title_in_brackets_after_a_person_s_name_is_his() -> None:
    # "قال السيد ايمرسون (المحامي الذي يمثل الأسرة)": the bracket glosses who he is
    text = "وقال السيد حمدان (المحامي الذي يمثل أسرة الضحية) إن الهجوم متعمد."
    answer = _answer(
        [_person("p1", "حمدان", "السيد", "المحامي الذي يمثل أسرة الضحية")],
        [_said("p1", "وقال", "الهجوم متعمد")],
    )
    _, problems = _check(text, answer)
    assert not [p for p in problems if p.kind is IssueKind.DETACHED_TITLE]
    moved = _answer(
        [_person("p1", "حمدان", "السيد"), _person("p2", "الضحية", "المحامي الذي يمثل أسرة الضحية")],
        [_said("p1", "وقال", "الهجوم متعمد")],
    )
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    problems = list(find_problems(ExtractionDraft.model_validate(moved), run))
    assert [p.path for p in problems if p.kind is IssueKind.DETACHED_TITLE] == [
        "participants[p2].titles[0]"
    ]


def test_a_dual_stands_for_the_pair_written_together_before_it() -> None:
    # "... هما فلان وفلان في بريطانيا. وينفي كل من الرجلين ...": the two men coordinated,
    # not the lawyer who named them
    text = (
        "وقال المحامي نبيل حداد إن النيابة تريد محاكمة متهمين اثنين هما سامر خليل ومازن "
        "يوسف بتهمة الاحتيال. وينفي كل من الرجلين أي علاقة لهما بالشركة."
    )
    answer = _answer(
        [
            _person("p1", "نبيل حداد", "المحامي"),
            _person("p2", "النيابة", kind="organization"),
            _person("p3", "سامر خليل"),
            _person("p4", "مازن يوسف"),
        ],
        [
            _said("p1", "وقال", "النيابة تريد محاكمة متهمين اثنين هما سامر خليل ومازن يوسف"),
            _said("p3", "وينفي", "أي علاقة لهما بالشركة"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p3", "p4"}
    assert not problems
    assert _swap(text, answer, 1, "p1")


def test_a_verb_whose_root_begins_with_waw_is_not_joined_by_and() -> None:
    # "علمت الصحيفة أن الجهات العليا وجهت في تعميم بأن ...": وجهت (directed) is no و + جهت,
    # so its subject is the noun right before it, and the next verb goes on with it
    text = (
        "علمت الصحيفة أن الجهات العليا وجهت في تعميم لكل وزارة بأن تستمر الوزارة في عملها. "
        "وشددت على فحص تظلمات الموظفين."
    )
    answer = _answer(
        [
            _person("p1", "الصحيفة", kind="organization"),
            _person("p2", "الجهات العليا", kind="organization"),
            _person("p3", "الوزارة", kind="organization"),
        ],
        [
            _said("p2", "وجهت", "تستمر الوزارة في عملها"),
            _said("p2", "وشددت", "على فحص تظلمات الموظفين"),
        ],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 0, "p1")
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and not problems


def test_a_pair_with_titles_between_is_coordinated_past_the_names_inside_the_titles() -> None:
    # "وأعاد X اللاعب السابق لمنتخب البرازيل وY رئيس الاتحاد الليبيري التأكيد على نيتهما": both,
    # not the team named inside X's title
    text = (
        "وأعاد سامي عادل المدرب السابق لنادي الهلال وكريم فؤاد رئيس اتحاد الكرة التأكيد "
        "هذا الأسبوع على نيتهما الترشح."
    )
    answer = _answer(
        [
            _person("p1", "سامي عادل", "المدرب السابق لنادي الهلال"),
            _person("p2", "نادي الهلال", kind="organization"),
            _person("p3", "كريم فؤاد", "رئيس اتحاد الكرة"),
        ],
        [_said("p1", "التأكيد", "على نيتهما الترشح")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p1", "p3"}
    assert not problems and _swap(text, answer, 0, "p2")


def test_the_late_between_a_title_and_its_holder_keeps_the_title_his() -> None:
    # "عائلة زعيم الحركة الراحل الشيخ فلان": the late leader's title, though it lies inside
    # the family's name too
    text = "قالت عائلة زعيم الحركة الراحل الشيخ نادر سالم إنها لم تبايع أحدا."
    answer = _answer(
        [
            _person("p1", "عائلة زعيم الحركة الراحل الشيخ نادر سالم", kind="group"),
            _person("p2", "نادر سالم", "الشيخ", "زعيم الحركة"),
        ],
        [_said("p1", "قالت", "لم تبايع أحدا")],
    )
    _, problems = _check(text, answer)
    assert not [p for p in problems if p.kind is IssueKind.DETACHED_TITLE]


def test_the_paper_told_after_a_telling_verb_is_not_its_subject() -> None:
    # 'أبلغ "الصحيفة" مسؤول حكومي، أن ...': the verb's object (the paper, quoted) comes first
    text = 'أبلغ "الوطن" مسؤول حكومي، أن الحكومة ستراجع أسعار الوقود قريبا.'
    answer = _answer(
        [
            _person("p1", "الوطن", kind="organization"),
            _person("p2", "مسؤول حكومي"),
            _person("p3", "الحكومة", kind="organization"),
        ],
        [_said("p2", "أبلغ", "الحكومة ستراجع أسعار الوقود قريبا")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 0, "p1")


def test_a_title_after_a_body_s_name_opens_the_person_s_name_after_it() -> None:
    # 'نفى ل"الرياض" القنصل العام ... الأستاذ فلان': the consul, not the paper he told
    text = (
        'نفى ل"المدينة" القنصل السعودي العام بالإنابة في جمهورية إيران الإسلامية الأستاذ '
        "ماجد السالم الأخبار التي تحدثت عن إغلاق التحقيق."
    )
    answer = _answer(
        [
            _person("p1", "المدينة", kind="organization"),
            _person("p2", "ماجد السالم", "القنصل السعودي العام بالإنابة", "الأستاذ"),
        ],
        [_said("p2", "نفى", "الأخبار التي تحدثت عن إغلاق التحقيق")],
    )
    decision, problems = _check(text, answer)
    assert decision[0].status == "confirmed" and decision[0].speakers == {"p2"}
    assert not problems


def test_the_cue_whose_colon_opens_a_quotation_governs_it_not_the_next_cue() -> None:
    # 'وقال الدكتور أ: “...”، وقال الدكتور ب: “...”': each quotation is its own cue's
    text = (
        "وقال الدكتور خالد منصور: “من يقرأ التاريخ يعرف هؤلاء”، وقال الدكتور سالم فهد: "
        "“هؤلاء يفجرون المساجد”."
    )
    answer = _answer(
        [_person("p1", "خالد منصور", "الدكتور"), _person("p2", "سالم فهد", "الدكتور")],
        [
            {**_said("p1", "وقال", "من يقرأ التاريخ يعرف هؤلاء"), "attribution": "direct"},
            {**_said("p2", "وقال", "هؤلاء يفجرون المساجد"), "attribution": "direct"},
        ],
    )
    for i, speaker, other in ((0, "p1", "p2"), (1, "p2", "p1")):
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {speaker} and not problems
        assert _swap(text, answer, i, other)


def test_a_name_glued_to_bi_is_reached_not_the_subject_of_the_verb_after_it() -> None:
    # "اتصل الفتى بعائلته ليقول لها إنه ...": the boy calls; his family is whom he called
    text = (
        "اختفى سامر علي من منزله قبل ثلاثة أشهر. وبعد أسبوع اتصل الفتى بعائلته ليقول لها "
        "إنه انضم إلى المتمردين."
    )
    answer = _answer(
        [_person("p1", "سامر علي"), _person("p2", "عائلته", kind="group")],
        [_said("p1", "ليقول", "انضم إلى المتمردين")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and "p2" not in decision.speakers and not problems
    assert _swap(text, answer, 0, "p2")


def test_imam_after_the_verb_is_a_title_not_the_preposition_it_folds_to() -> None:
    # "ولفت إمام وخطيب جامع الراعب فلان إلى": إمام (imam) folds to أمام (in front of)
    text = "ولفت إمام وخطيب جامع النور سالم الحربي إلى أهمية الخطب الموحدة."
    answer = _answer(
        [_person("p1", "سالم الحربي", "إمام وخطيب جامع النور"), _person("p2", "الوزارة")],
        [_said("p1", "ولفت", "أهمية الخطب الموحدة")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 0, "p2")


def test_a_source_phrase_right_after_the_verb_is_no_subject() -> None:
    # "كما أدانت مملكة البحرين ... . وشددت وفقا لما نقلته وكالة الأنباء، على أن": Bahrain
    # stressed; the agency relays
    text = (
        "كما أدانت دولة قطر التفجير الإرهابي الذي استهدف المسجد. وشددت وفقا لما نقلته وكالة "
        "الأنباء القطرية، على أن هذه الجريمة لا تمت بصلة لأي دين."
    )
    answer = _answer(
        [
            _person("p1", "دولة قطر", kind="state"),
            _person("p2", "وكالة الأنباء القطرية", kind="organization"),
        ],
        [
            _said("p1", "أدانت", "التفجير الإرهابي الذي استهدف المسجد"),
            _said("p1", "وشددت", "هذه الجريمة لا تمت بصلة لأي دين"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems


def test_a_claim_framed_between_a_cue_and_its_words_does_not_end_the_chain() -> None:
    # "وقال المتحدث ردا على مطالبات عدد من المواطنين ...: إن ... . وأضاف": the spokesman goes
    # on; the citizens' demands were only what he answered
    text = (
        "وقال المتحدث الرسمي عادل ناصر ردا على مطالبات عدد من المواطنين للبلدية التدخل: إن "
        "مراقبة الأسعار ليست من مهامها، مشيرا إلى أن التسعير من اختصاص الوزارة. وأضاف "
        "قائلا: إن التدخل في الأسعار إجراء غير نظامي."
    )
    answer = _answer(
        [
            _person("p1", "عادل ناصر", "المتحدث الرسمي"),
            _person("p2", "عدد من المواطنين", kind="group"),
            _person("p3", "الوزارة", kind="organization"),
        ],
        [
            _said("p1", "وقال", "مراقبة الأسعار ليست من مهامها"),
            _said("p2", "مطالبات", "للبلدية التدخل"),
            _said("p1", "مشيرا", "التسعير من اختصاص الوزارة"),
            _said("p1", "وأضاف", "التدخل في الأسعار إجراء غير نظامي"),
        ],
    )
    decision, problems = _decide(text, answer, 3)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems
    assert _swap(text, answer, 3, "p3")


def test_a_name_a_preposition_governs_after_the_verb_is_not_its_subject() -> None:
    # "... وقال مدافعا عن الجمعية "...": whom he defended; his subject was dropped
    text = (
        "من جانبه، رفض مدير فرع الجمعية طارق حسن هذه الرؤية، مؤكدا حضور الجمعية في المهرجان "
        'وقال مدافعا عن الجمعية "تقوم بدورها الكامل لدعم الأعمال المسرحية".'
    )
    answer = _answer(
        [
            _person("p1", "طارق حسن", "مدير فرع الجمعية"),
            _person("p2", "الجمعية", kind="organization"),
        ],
        [
            _said("p1", "رفض", "هذه الرؤية"),
            _said("p1", "مؤكدا", "حضور الجمعية في المهرجان"),
            {
                **_said("p1", "وقال", "تقوم بدورها الكامل لدعم الأعمال المسرحية"),
                "attribution": "direct",
            },
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 2, "p2")


def test_a_name_after_a_kinship_noun_is_the_relative_s_genitive_not_the_speaker() -> None:
    # "قال عم الشهيد ضيف الله ...": the uncle speaks, not the martyr his kinship names
    text = (
        "وشيع المئات الطالب ياسر العمري أمس. من جانبه، قال خال الطالب سعيد بن ناصر القحطاني، "
        "إن الحزن الذي نشعر به يخففه صبر الأسرة، مضيفا أن الجميع وقف معهم."
    )
    answer = _answer(
        [
            {**_person("p1", "ياسر العمري"), "mentions": ["الطالب"]},
            _person("p2", "سعيد بن ناصر القحطاني"),
        ],
        [
            _said("p2", "قال", "الحزن الذي نشعر به يخففه صبر الأسرة"),
            _said("p2", "مضيفا", "الجميع وقف معهم"),
        ],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 0, "p1")
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and not problems


def test_a_name_with_its_kinship_written_before_the_verb_is_its_subject() -> None:
    # "محمد شقيق الشهيد والأقرب له يؤكد على شجاعته، وذكر أنه": the brother, SVO, and the
    # chain his verb starts goes on with him, not with the speaker before
    text = (
        "وأكد عبد الله الزهراني أن الفريق سيعود أقوى. سالم شقيق اللاعب والأكبر منه يؤكد على "
        "صبره، وذكر أنه كان يتدرب كل يوم رغم الإصابة."
    )
    answer = _answer(
        [
            _person("p1", "عبد الله الزهراني"),
            {**_person("p2", "ياسر"), "mentions": ["اللاعب"]},
            _person("p3", "سالم"),
        ],
        [
            _said("p1", "وأكد", "الفريق سيعود أقوى"),
            _said("p3", "يؤكد", "صبره"),
            _said("p3", "وذكر", "كان يتدرب كل يوم رغم الإصابة"),
        ],
    )
    for i in (1, 2):
        decision, problems = _decide(text, answer, i)
        assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems
    assert _swap(text, answer, 2, "p1")


def test_who_conducted_a_survey_is_its_source_not_what_it_surveyed() -> None:
    # "وبحسب مسح لإنتاج أوبك أجرته رويترز": Reuters, not OPEC; but "في بيان نشره الاتحاد"
    # leaves the statement its speaker's, and a published study is not the paper's
    text = (
        "وبحسب استطلاع لصادرات السعودية أجرته وكالة بلومبرغ ارتفعت الصادرات ثلاثة في المئة. "
        'وأضاف سامي الفهد في بيان نشره النادي "سنعود إلى المنافسة".'
    )
    answer = _answer(
        [
            _person("p1", "السعودية", kind="state"),
            _person("p2", "وكالة بلومبرغ", kind="organization"),
            _person("p3", "سامي الفهد"),
            _person("p4", "النادي", kind="organization"),
        ],
        [
            _said("p2", "وبحسب", "ارتفعت الصادرات ثلاثة في المئة"),
            {**_said("p3", "وأضاف", "سنعود إلى المنافسة"), "attribution": "direct"},
        ],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 0, "p1")
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems


def test_a_cue_that_takes_the_sentence_before_back_as_its_object_governs_it() -> None:
    # "مددت اللجنة ... موعد استقبال المشاركات. أوضح ذلك رئيس اللجنة الدكتور أحمد ...": the
    # lead is the chairman's; not a sentence further back
    text = (
        "أعلنت البلدية إغلاق السوق القديم. وقررت الأمانة نقل الباعة إلى الموقع الجديد خلال "
        "أسبوعين. صرح بذلك مدير الإعلام في الأمانة خالد الشمري، مضيفا أن الموقع جاهز."
    )
    answer = _answer(
        [
            _person("p1", "خالد الشمري", "مدير الإعلام في الأمانة"),
            _person("p2", "الأمانة", kind="organization"),
        ],
        [
            _said("p1", "صرح", "وقررت الأمانة نقل الباعة إلى الموقع الجديد خلال أسبوعين"),
            _said("p1", "مضيفا", "الموقع جاهز"),
            _said("p1", "صرح", "أعلنت البلدية إغلاق السوق القديم"),
        ],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 0, "p2")
    assert _decide(text, answer, 2)[0].status == "detached"  # two sentences back: not it


def test_who_published_the_data_may_be_its_source_and_who_prepared_a_study_is() -> None:
    # "وأظهرت البيانات التي نشرتها مجلة ذا بانكر أن": the magazine, or the body that spoke
    # before and relays it; "وأظهرت الدراسة التي أعدتها جامعة X أن": the university
    text = (
        "كشف الاتحاد الخليجي أن 40 شركة دخلت القائمة. وأظهرت الأرقام التي نشرتها مجلة فوربس "
        "أن الإمارات تصدرت القائمة. وأكدت الدراسة التي أعدتها جامعة الملك سعود أن الطلب ارتفع."
    )
    answer = _answer(
        [
            _person("p1", "الاتحاد الخليجي", kind="organization"),
            _person("p2", "مجلة فوربس", kind="organization"),
            _person("p3", "جامعة الملك سعود", kind="organization"),
        ],
        [
            _said("p1", "كشف", "40 شركة دخلت القائمة"),
            _said("p2", "وأظهرت", "الإمارات تصدرت القائمة"),
            _said("p3", "وأكدت", "الطلب ارتفع"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p1", "p2"} and not problems
    assert _swap(text, answer, 1, "p3")
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p3"} and not problems
    assert _swap(text, answer, 2, "p1")
