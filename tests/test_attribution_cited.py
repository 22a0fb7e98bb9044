"""Whose words go on after a claim cited inside another's, and where a subject may stand after
its verb: shapes held-out sets O and P showed (a committee's view inside a spokesman's, an
authority's estimate inside an investor's, a time between a verb and its subject, a source after
"بحسب ما", a "but he" clause before a participle, an origin between a title and its holder; a
document a lawyer presented, "however" after a concession, a name inside another's title, the
writer's sentence after a closed quotation).

The held-out articles (SaudiNewsNet, CC BY-NC-SA) may not be committed, so each test writes the
shape with other words.
"""

from __future__ import annotations

from tests.test_attribution_between import _detached_titles
from tests.test_attribution_chains import _answer, _decide, _person, _said, _swap


def test_a_verb_joined_after_a_claim_cited_in_another_s_words_goes_on_with_the_other() -> None:
    # "أكد المتحدث الرسمي عدنان المعيبد ... أن قرار الاتحاد ... جاء بعد أن رأت لجنة الانضباط
    # عدم وجود مسوغ قانوني يخالف قرارها السابق، وقال:": the spokesman says, not the committee
    text = (
        "أكد المتحدث الرسمي سامي العلي أن القرار جاء بعد أن رأت لجنة الحكام عدم وجود خطأ "
        'في قرارها السابق، وقال: "اللجنة استندت إلى المادة الثالثة".'
    )
    answer = _answer(
        [
            _person("p1", "سامي العلي", "المتحدث الرسمي"),
            _person("p2", "لجنة الحكام", kind="organization"),
        ],
        [
            _said("p1", "أكد", "القرار جاء بعد أن رأت لجنة الحكام عدم وجود خطأ في قرارها السابق"),
            _said("p2", "رأت", "عدم وجود خطأ في قرارها السابق"),
            _said("p1", "وقال", "اللجنة استندت إلى المادة الثالثة"),
        ],
    )
    decision, problems = _decide(text, answer, 2)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 2, "p2")


def test_a_clause_after_a_source_cited_in_another_s_words_goes_on_with_the_other() -> None:
    # "مضيفا أنه، وفقا لتقديرات هيئة الغذاء والدواء، لا يقل عدد المصانع ... عن 45 مصنعا،
    # ... لكنه توقع أن يكون العدد الحقيقي ... أكثر": the investor expects, not the authority
    text = (
        "وقال المستثمر سالم فهد إن السوق تنمو، مضيفا أنه، وفقا لتقديرات هيئة الإحصاء، لا يقل "
        "عدد المصانع عن 40 مصنعا، لكنه توقع أن يكون العدد الحقيقي أكبر."
    )
    answer = _answer(
        [
            _person("p1", "سالم فهد", "المستثمر"),
            _person("p2", "هيئة الإحصاء", kind="organization"),
        ],
        [
            _said("p1", "وقال", "السوق تنمو"),
            _said("p1", "مضيفا", "وفقا لتقديرات هيئة الإحصاء، لا يقل عدد المصانع عن 40 مصنعا"),
            _said("p2", "وفقا", "لا يقل عدد المصانع عن 40 مصنعا"),
            _said("p1", "توقع", "يكون العدد الحقيقي أكبر"),
        ],
    )
    decision, problems = _decide(text, answer, 3)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 3, "p2")


def test_a_time_after_fi_may_stand_between_the_verb_and_its_subject() -> None:
    # "فقد سبق وأعلن في أبريل الماضي رسام الكاريكاتير رينالد لوزير أنه": the cartoonist, not
    # the paper whose report the sentence continues
    text = (
        "وذكرت الصحيفة أن تصريحاته ليست الأولى، فقد سبق وأعلن في مارس الماضي الرسام "
        "جان مارتان أنه لم يعد يرسم."
    )
    answer = _answer(
        [
            _person("p1", "الصحيفة", kind="organization"),
            _person("p2", "جان مارتان", "الرسام"),
        ],
        [_said("p1", "وذكرت", "تصريحاته ليست الأولى"), _said("p2", "وأعلن", "لم يعد يرسم")],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")


def test_a_source_after_what_was_said_is_whose_the_words_are() -> None:
    # "وصلت إلى 50.5 % من إجمالي المساحة، بحسب ما كشفت عنه بيانات أمانات المناطق": the
    # municipalities are the source, not the writer whose quotation holds the phrase
    text = (
        'وقال الكاتب سامر نبيل: "نسبة الأراضي المحتكرة وصلت إلى 40 % من المساحة، بحسب ما '
        'كشفت عنه بيانات أمانة المدينة".'
    )
    answer = _answer(
        [
            _person("p1", "سامر نبيل", "الكاتب"),
            _person("p2", "أمانة المدينة", kind="organization"),
        ],
        [
            _said("p1", "وقال", "نسبة الأراضي المحتكرة وصلت إلى 40 % من المساحة"),
            _said("p2", "بحسب", "نسبة الأراضي المحتكرة وصلت إلى 40 % من المساحة"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")


def test_a_but_he_clause_before_a_participle_may_name_who_goes_on() -> None:
    # "فاتجه حين ذلك لنائبه لكنه اعتذر عن إفادته، معللاً ذلك بأنه ليس له أي علم": the deputy
    # may be the one explaining; a participant the clause does not name may not
    text = (
        "وأشار سالم العمر إلى أنه راجع الوزارة، فاتجه إلى المدير خالد حسن لكنه اعتذر عن "
        "إفادته، معللاً ذلك بأنه ليس له أي علم بالقضية."
    )
    answer = _answer(
        [
            _person("p1", "سالم العمر"),
            _person("p2", "الوزارة", kind="organization"),
            _person("p3", "خالد حسن", "المدير"),
        ],
        [
            _said(
                "p1", "وأشار", "أنه راجع الوزارة، فاتجه إلى المدير خالد حسن لكنه اعتذر عن إفادته"
            ),
            _said("p3", "معللاً", "أنه ليس له أي علم بالقضية"),
        ],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and "p3" in decision.speakers and not problems
    assert _swap(text, answer, 1, "p2")


def test_an_origin_may_stand_between_a_title_and_its_holder() -> None:
    # "الشيخ البحريني سلمان بن إبراهيم", "الأمير الأردني علي بن الحسين"
    text = "وأيد الشيخ الكويتي فهد سالم ترشح الأمير الأردني زيد بن علي لرئاسة الاتحاد."
    answer = _answer(
        [_person("p1", "فهد سالم", "الشيخ"), _person("p2", "زيد بن علي", "الأمير")], []
    )
    assert _detached_titles(text, answer) == []
    moved = _answer([_person("p1", "فهد سالم", "الأمير"), _person("p2", "زيد بن علي", "الشيخ")], [])
    assert sorted(_detached_titles(text, moved)) == [
        "participants[p1].titles[0]",
        "participants[p2].titles[0]",
    ]


def test_a_document_a_participant_presented_is_his_source() -> None:
    # "وكان قاصرا يومها بحسب شهادة ميلاده التي قدمها محاميه": the lawyer's evidence, not the
    # convict the sentence is about
    text = (
        "ودفع سامي نور ببراءته، وكان قاصرا يومها بحسب شهادة ميلاده التي قدمها محاميه، "
        "ما يعني أنه لا يمكن إعدامه."
    )
    answer = _answer(
        [_person("p1", "سامي نور"), _person("p2", "محاميه")],
        [_said("p1", "دفع", "ببراءته"), _said("p2", "بحسب", "كان قاصرا يومها")],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p2"} and not problems
    assert _swap(text, answer, 1, "p1")


def test_after_a_concession_illa_anna_opens_the_clause_a_participle_goes_on_with() -> None:
    # "وبرغم تفاوت الآراء حول تقييم أداء الحكام ... إلا أن المهنا تمسك برضاه عن أداء حكامه
    # قائلا": the committee head, not the referees named in the concession
    text = (
        "وشدد سالم الفهد على أهمية الخطوة. وبرغم تفاوت الآراء حول تقييم أداء اللاعبين إلا أن "
        'الفهد تمسك برضاه عن أداء فريقه قائلا: "كنت راضيا في المجمل".'
    )
    answer = _answer(
        [
            {**_person("p1", "سالم الفهد"), "mentions": ["الفهد"]},
            _person("p2", "اللاعبين", kind="group"),
        ],
        [_said("p1", "وشدد", "أهمية الخطوة"), _said("p1", "قائلا", "كنت راضيا في المجمل")],
    )
    decision, problems = _decide(text, answer, 1)
    assert decision.status == "confirmed" and decision.speakers == {"p1"} and not problems
    assert _swap(text, answer, 1, "p2")


def test_a_name_inside_another_s_title_holds_none_of_the_titles_after_it() -> None:
    # "الأمير خالد الفيصل مستشار خادم الحرمين الشريفين أمير منطقة مكة المكرمة رئيس اللجنة
    # الإشرافية": the prince's titles, one after another, though the king is named in the first
    text = (
        "وأقرها الأمير فهد سالم مستشار رئيس الدولة أمير المنطقة الشرقية رئيس لجنة المهرجان "
        "مؤخرا. وحضر الافتتاح سعد علي."
    )
    titles = ("الأمير", "مستشار رئيس الدولة", "أمير المنطقة الشرقية", "رئيس لجنة المهرجان")
    people = [_person("p2", "رئيس الدولة"), _person("p3", "سعد علي")]
    assert _detached_titles(text, _answer([_person("p1", "فهد سالم", *titles), *people], [])) == []
    people[1] = _person("p3", "سعد علي", titles[3])
    moved = _answer([_person("p1", "فهد سالم", *titles[:3]), *people], [])
    assert _detached_titles(text, moved) == ["participants[p3].titles[0]"]


def test_the_writer_s_sentence_after_a_closed_quotation_is_not_the_speaker_s() -> None:
    # 'وقال ديريك "... لم يتحدث أي شخص معنا ... ." ويملك اتحاد الكاريبي 25 صوتا': the first
    # person was inside his quotation, which closed; the next sentence is the writer's
    text = (
        'وقال سامر ديريك عبر الهاتف "لم يتحدث أي شخص معنا بشكل جماعي. لم نعقد اجتماعا."\n'
        "ويملك اتحاد الجزر 25 صوتا من 35 داخل الاتحاد."
    )
    answer = _answer(
        [_person("p1", "سامر ديريك")],
        [_said("p1", "وقال", "ويملك اتحاد الجزر 25 صوتا من 35 داخل الاتحاد")],
    )
    assert _decide(text, answer, 0)[0].status == "detached"


def test_a_title_s_place_glued_to_bi_stands_before_its_quoted_holder() -> None:
    # 'فتقدمت المرشدة الطلابية بعسير "زكية العتيبي"، وألقت قصيدة'; moved to the girl named
    # next, it is not hers
    text = (
        'فتقدمت المشرفة التربوية بجازان "هند سالم"، وألقت قصيدة، كما قدمت الطالبة '
        '"ريم علي" ورشة عمل.'
    )
    title = "المشرفة التربوية"
    answer = _answer([_person("p1", "هند سالم", title), _person("p2", "ريم علي", "الطالبة")], [])
    assert _detached_titles(text, answer) == []
    moved = _answer([_person("p1", "هند سالم"), _person("p2", "ريم علي", "الطالبة", title)], [])
    assert _detached_titles(text, moved) == ["participants[p2].titles[1]"]
    # not بأن after a title: "و قد اقر قائد الوحدة ب الشرطة بان الاف المسلمين ..." names no
    # holder after بان (the variants benchmark, with no mentions listed, found it)
    after_that = "وزار خالد علي المدرسة. وقد أقر المشرف التربوي بان سامي نور تحت الرقابة."
    held = _answer([_person("p1", "خالد علي", "المشرف التربوي"), _person("p2", "سامي نور")], [])
    assert _detached_titles(after_that, held) == []


def test_a_source_phrase_glued_to_wa_after_the_verb_is_no_subject() -> None:
    # "عقد اللاعب الذي أكد وبحسب مقربين منه رغبته في الانضمام": the player affirms; those
    # close to him are the source phrase's, not the verb's subject
    text = "وتفاوض النادي على عقد اللاعب سامي نور الذي أكد وبحسب مقربين منه رغبته في الانضمام."
    answer = _answer(
        [
            {**_person("p1", "سامي نور"), "mentions": ["اللاعب"]},
            _person("p2", "مقربين منه", kind="group"),
            _person("p3", "النادي", kind="organization"),
        ],
        [_said("p1", "أكد", "رغبته في الانضمام")],
    )
    decision, problems = _decide(text, answer, 0)
    assert decision.status == "confirmed" and "p1" in decision.speakers and not problems
    assert _swap(text, answer, 0, "p3")
