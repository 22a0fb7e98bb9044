"""The scorer on small hand-made cases, each figure written out, so a scoring bug cannot pass."""

from __future__ import annotations

from agent.eval.datasets import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    Document,
    GoldEntity,
    GoldPosition,
    Span,
)
from agent.eval.report import EntityError, Figures, PositionError
from agent.eval.scoring import (
    Mention,
    PositionTally,
    PredictedPosition,
    entity_errors,
    score_entities,
    scored_mentions,
)

TEXT = "Ahmed Ali met the Emir of Qatar in Doha, said Reuters."


def at(phrase: str, text: str = TEXT, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase))


def gold(kind: str, phrase: str) -> GoldEntity:
    return GoldEntity(kind, at(phrase), phrase)


def pred(kind: str, phrase: str) -> Mention:
    return Mention(kind, at(phrase), phrase)


DOC = Document(
    "d1",
    TEXT,
    entities=(
        gold(PERSON, "Ahmed Ali"),
        gold(LOCATION, "Qatar"),
        gold(LOCATION, "Doha"),
        gold(ORGANIZATION, "Reuters"),
    ),
)
PREDICTED = [
    pred(PERSON, "Ahmed Ali"),  # strict hit
    pred(LOCATION, "of Qatar"),  # partial hit: overlaps Qatar, same type
    pred(PERSON, "Doha"),  # wrong type
    pred(PERSON, "the Emir"),  # spurious
]  # Reuters: missed


def test_strict_partial_wrong_type_miss_and_spurious_overall() -> None:
    scores = score_entities([(DOC, PREDICTED)])
    assert scores.overall.strict == Figures(
        correct=1, incorrect=2, partial=0, missed=1, spurious=1, possible=4, actual=4,
        precision=0.25, recall=0.25, f1=0.25,
    )  # fmt: skip
    assert scores.overall.partial == Figures(
        correct=2, incorrect=1, partial=0, missed=1, spurious=1, possible=4, actual=4,
        precision=0.5, recall=0.5, f1=0.5,
    )  # fmt: skip


def test_per_type_a_wrong_type_is_spurious_in_one_type_and_missed_in_the_other() -> None:
    by_type = score_entities([(DOC, PREDICTED)]).by_type
    person = by_type[PERSON].strict
    assert (person.correct, person.spurious, person.missed) == (1, 2, 0)
    assert (person.precision, person.recall, person.f1) == (0.333333, 1.0, 0.5)
    location = by_type[LOCATION]
    assert (location.strict.correct, location.strict.incorrect, location.strict.missed) == (0, 1, 1)
    assert (location.strict.precision, location.strict.recall) == (0.0, 0.0)
    assert (location.partial.correct, location.partial.missed) == (1, 1)
    assert (location.partial.precision, location.partial.recall) == (1.0, 0.5)
    assert location.partial.f1 == 0.666667
    org = by_type[ORGANIZATION].strict
    assert (org.correct, org.missed, org.possible, org.actual, org.f1) == (0, 1, 1, 0, 0.0)


def test_errors_name_each_false_positive_and_miss_with_its_text() -> None:
    false_positives, misses = entity_errors(DOC, PREDICTED)
    q, d, e = at("of Qatar"), at("Doha"), at("the Emir")
    assert false_positives == [
        EntityError(type=LOCATION, start=q.start, end=q.end, text="of Qatar", why="boundary"),
        EntityError(
            type=PERSON, start=d.start, end=d.end, text="Doha", why="wrong type (gold location)"
        ),
        EntityError(type=PERSON, start=e.start, end=e.end, text="the Emir", why="spurious"),
    ]
    assert [m.text for m in misses] == ["Qatar", "Doha", "Reuters"]


def test_an_exact_prediction_is_not_lost_to_a_near_one_listed_first() -> None:
    doc = Document("d", TEXT, entities=(gold(PERSON, "Ahmed Ali"),))
    scores = score_entities([(doc, [pred(PERSON, "Ahmed"), pred(PERSON, "Ahmed Ali")])])
    strict = scores.overall.strict
    assert (strict.correct, strict.incorrect, strict.spurious, strict.missed) == (1, 0, 1, 0)


def test_a_document_with_no_result_counts_all_its_gold_as_missed() -> None:
    scores = score_entities([(DOC, []), (DOC, PREDICTED)])
    assert scores.overall.strict.missed == 1 + 4
    assert scores.overall.strict.possible == 8
    assert scores.overall.strict.recall == 0.125


def test_a_prediction_inside_ignored_gold_counts_neither_way() -> None:
    text = "The Arabs and Ali met."
    doc = Document(
        "g",
        text,
        entities=(GoldEntity(PERSON, at("Ali", text), "Ali"),),
        ignored=(at("Arabs", text),),
    )
    arabs = Mention(ORGANIZATION, at("Arabs", text), "Arabs")
    the_arabs = Mention(ORGANIZATION, at("The Arabs", text), "The Arabs")
    assert scored_mentions(doc, [arabs, the_arabs]) == [the_arabs]


def test_documents_not_annotated_for_entities_are_not_scored_on_them() -> None:
    doc = Document("q", TEXT, entities=None, positions=())
    scores = score_entities([(doc, PREDICTED)])
    assert scores.overall.strict == Figures()


SAID = (
    "Ed Miliband, the Labour leader, said the war plan was ill-thought, and Cameron said nothing."
)


def span(phrase: str, nth: int = 0) -> Span:
    return at(phrase, SAID, nth)


def position(cue: Span, content: Span, *speaker: Span) -> PredictedPosition:
    label = PositionError(cue=SAID[cue.start : cue.end], content=SAID[content.start : content.end])
    return PredictedPosition(cue=(cue,), content=(content,), speaker=speaker, label=label)


MILIBAND = GoldPosition(
    cue=span("said"),
    speakers=(span("Ed Miliband"), span("the Labour leader")),
    contents=(span("the war plan was ill-thought"),),
)


def test_a_statement_is_found_when_cue_content_and_speaker_all_overlap() -> None:
    doc = Document("s", SAID, positions=(MILIBAND,))
    tally = PositionTally()
    found = position(span("said"), span("the war plan"), span("Miliband"))
    other = position(span("said", 1), span("nothing"), span("Cameron"))
    spurious, missed = tally.add(doc, SAID, [found, other])
    assert (tally.correct, tally.missed, tally.spurious, tally.cue_found) == (1, 0, 1, 1)
    assert [s.content for s in spurious] == ["nothing"] and missed == []
    figures = tally.scores().figures
    assert (figures.precision, figures.recall, figures.f1) == (0.5, 1.0, 0.666667)


def test_the_right_words_given_to_the_wrong_speaker_are_a_miss_and_a_spurious() -> None:
    doc = Document("s", SAID, positions=(MILIBAND,))
    tally = PositionTally()
    wrong = position(span("said"), span("the war plan"), span("Cameron"))
    _, missed = tally.add(doc, SAID, [wrong])
    assert (tally.correct, tally.missed, tally.spurious, tally.cue_found) == (0, 1, 1, 1)
    assert missed == [
        PositionError(
            cue="said",
            content="the war plan was ill-thought",
            speaker="Ed Miliband / the Labour leader",
        )
    ]


def test_statements_are_paired_one_to_one_at_best() -> None:
    # Gold A's content is matched by both predictions, gold B's only by the first: greedy
    # pairing in gold order would give A the first and leave B unmatched.
    a = GoldPosition(span("said"), (span("Ed Miliband"),), (span("the war plan"),))
    b = GoldPosition(span("said"), (span("Ed Miliband"),), (span("ill-thought"),))
    both = position(span("said"), span("the war plan was ill-thought"), span("Ed Miliband"))
    only_a = position(span("said"), span("war plan"), span("Ed Miliband"))
    tally = PositionTally()
    tally.add(Document("s", SAID, positions=(a, b)), SAID, [both, only_a])
    assert (tally.correct, tally.missed, tally.spurious) == (2, 0, 0)


def test_a_prediction_at_an_unscored_cue_counts_neither_way() -> None:
    doc = Document("s", SAID, positions=(MILIBAND,), ignored_cues=(span("said", 1),))
    tally = PositionTally()
    tally.add(doc, SAID, [position(span("said", 1), span("nothing"), span("Cameron"))])
    assert (tally.correct, tally.missed, tally.spurious) == (0, 1, 0)


def test_the_gold_itself_scores_one_on_the_shipped_newsfane_sample() -> None:
    from agent.eval.datasets import load_dataset
    from tests.conftest import ROOT

    documents = load_dataset("newsfane", ROOT / "tests" / "data" / "eval").documents
    pairs = [
        (doc, scored_mentions(doc, [Mention(g.type, g.span, g.text) for g in doc.entities or ()]))
        for doc in documents
    ]
    strict = score_entities(pairs).overall.strict
    assert (strict.correct, strict.possible, strict.actual, strict.f1) == (35, 35, 35, 1.0)
