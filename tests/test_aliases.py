"""Initials and capitals: other ways the article writes a participant than the answer lists."""

from __future__ import annotations

from typing import Any

from agent.extraction.aliases import acronyms, capitals, initials
from agent.extraction.draft import ExtractionDraft


def _draft(*participants: tuple[str, str], mentions: tuple[str, ...] = ()) -> ExtractionDraft:
    people: list[dict[str, Any]] = [
        {"id": f"p{i + 1}", "name": name, "kind": kind, "titles": [], "role": "speaker"}
        for i, (name, kind) in enumerate(participants)
    ]
    people[0]["mentions"] = list(mentions)
    return ExtractionDraft.model_validate(
        {"language": "en", "participants": people, "locations": [], "positions": []}
    )


def _found(found: Any, text: str) -> list[tuple[str, str]]:
    return [(text[span.start : span.end], pid) for span, pid in found]


def test_initials_of_every_word_and_of_the_words_that_count() -> None:
    assert initials("Korean Central News Agency") == {"KCNA", "KCN"}
    assert initials("Reserve Bank of India") == {"RBOI", "RBI"}
    # a long name by its first words' initials
    assert "UNRWA" in initials("United Nations Relief and Work Agency for Palestine Refugees")
    assert "WWF" in initials("World Wide Fund for Nature")
    assert initials("Hamas") == set()  # one word has no acronym
    assert initials("the party") == set()  # nor a description


def test_a_body_written_by_its_initials_is_that_body() -> None:
    text = "The IDF called their targets legitimate, the IDF said, and IDFA is another word."
    draft = _draft(("Israeli Defense Force", "organization"))
    assert _found(acronyms(draft, text), text) == [("IDF", "p1"), ("IDF", "p1")]


def test_initials_two_participants_share_or_one_is_named_by_are_nobodys() -> None:
    text = "The BBC reported it first."
    alone = _draft(("British Broadcasting Corporation", "organization"))
    assert _found(acronyms(alone, text), text) == [("BBC", "p1")]
    shared = _draft(
        ("British Broadcasting Corporation", "organization"),
        ("Bahrain Business Council", "organization"),
    )
    assert list(acronyms(shared, text)) == []  # which of the two: the text does not say
    named = _draft(("British Broadcasting Corporation", "organization"), ("BBC", "organization"))
    assert list(acronyms(named, text)) == []  # the BBC is a participant of its own


def test_a_capital_written_as_a_subject_is_its_state_and_after_a_preposition_is_the_place() -> None:
    text = "أكدت بكين دعمها للمبعوث الذي وصل الى بكين أمس، و بيكين ترى ذلك، وقال في ب بكين."
    draft = _draft(("الصين", "state"))
    found = _found(capitals(draft, text), text)
    assert found == [("بكين", "p1"), ("بيكين", "p1")]


def test_no_state_no_capital() -> None:
    text = "وقالت واشنطن إن المحادثات فشلت."
    assert list(capitals(_draft(("وزارة الخارجية", "organization")), text)) == []
    found = _found(capitals(_draft(("الولايات المتحدة", "state")), text), text)
    assert found == [("واشنطن", "p1")]
