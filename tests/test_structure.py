"""Structural cross-checks: titles beside their holder, cues beside content and speaker."""

import copy
import json
from typing import Any

import pytest

from agent.extraction.draft import ExtractionDraft
from agent.extraction.validate import ValidationRun, find_problems
from agent.models import IssueKind
from tests.conftest import SEED

TEXT = (SEED / "article.txt").read_text(encoding="utf-8")
ANSWER: dict[str, Any] = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][
    0
]


def problems(answer: dict[str, Any]) -> list[tuple[str, IssueKind, str]]:
    run = ValidationRun(article=TEXT, max_attempts=1)
    draft = ExtractionDraft.model_validate(answer)
    return [(p.path, p.kind, p.message) for p in find_problems(draft, run)]


def test_the_reference_answer_has_no_problems() -> None:
    assert problems(ANSWER) == []


def test_title_moved_to_the_wrong_person_is_detached() -> None:
    answer = copy.deepcopy(ANSWER)
    answer["participants"][0]["titles"].append({"text": "المشير", "kind": "rank"})  # Saddam
    found = problems(answer)
    assert found == [
        (
            "participants[p1].titles[2]",
            IssueKind.DETACHED_TITLE,
            "title 'المشير' is not p1's ('صدام حفتر'): it is written beside p4 ('خليفة حفتر'); "
            "attach titles only to the participant they are written beside",
        )
    ]


def test_statement_given_to_the_wrong_speaker() -> None:
    answer = copy.deepcopy(ANSWER)
    answer["positions"][2]["speaker_id"] = "p2"  # Saqr did not express Saddam's appreciation
    (found,) = problems(answer)
    assert found[:2] == ("positions[2].speaker_id", IssueKind.WRONG_SPEAKER)
    assert "the article attributes this to p1 ('صدام حفتر'), not p2 ('عبد المجيد صقر')" in found[2]


def test_cue_far_from_its_content() -> None:
    answer = copy.deepcopy(ANSWER)
    answer["positions"][0]["cue"] = "أعلن"  # first sentence; the content is paragraphs later
    (found,) = problems(answer)
    assert found[:2] == ("positions[0].cue", IssueKind.DETACHED_STATEMENT)


@pytest.mark.parametrize(
    ("edit", "path", "kind"),
    [
        (
            lambda a: a["positions"][0].update(speaker_id="p99"),
            "positions[0].speaker_id",
            IssueKind.BROKEN_REFERENCE,
        ),
        (
            lambda a: a["positions"][0].update(about_ids=["l99"]),
            "positions[0].about_ids",
            IssueKind.BROKEN_REFERENCE,
        ),
        (
            lambda a: a["participants"].append({**a["participants"][0], "id": "p9"}),
            "participants[p9]",
            IssueKind.DUPLICATE,
        ),
        (
            lambda a: a["locations"].append(
                {"id": "l9", "name": "طرابلس", "kind": "city", "role": "mentioned"}
            ),
            "locations[l9].name",
            IssueKind.UNGROUNDED,
        ),
    ],
)
def test_reference_and_grounding_problems(edit: Any, path: str, kind: IssueKind) -> None:
    answer = copy.deepcopy(ANSWER)
    edit(answer)
    assert (path, kind) in [(p, k) for p, k, _ in problems(answer)]


def test_ungrounded_place_message_is_precise() -> None:
    answer = copy.deepcopy(ANSWER)
    answer["locations"].append({"id": "l9", "name": "طرابلس", "kind": "city", "role": "mentioned"})
    messages = [m for _, _, m in problems(answer)]
    assert messages == [
        "locations[l9].name 'طرابلس' does not occur in the article: copy place names exactly as "
        "written, or remove the location"
    ]
