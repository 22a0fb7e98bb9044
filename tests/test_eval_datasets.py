"""Gold sets: khabar's JSONL format, the loaders, and one clear line for each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.eval.datasets import (
    LOCATION,
    PERSON,
    DatasetError,
    GoldEntity,
    Span,
    load_dataset,
)
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "data" / "eval"
TEXT = "Ed Miliband said Britain should wait."


def write(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_khabar_format_reads_entities_and_positions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "id": 7,
            "text": TEXT,
            "entities": [
                {"type": "person", "start": 0, "end": 11},
                {"type": "location", "start": 17, "end": 24},
            ],
            "positions": [{"speaker": [[0, 11]], "cue": [12, 16], "content": [17, 36]}],
        },
        {"id": "no-positions", "text": TEXT, "entities": []},
    )
    first, second = load_dataset(path).documents
    assert first.id == "7"
    assert first.entities == (
        GoldEntity(PERSON, Span(0, 11), "Ed Miliband"),
        GoldEntity(LOCATION, Span(17, 24), "Britain"),
    )
    assert first.positions is not None and first.positions[0].contents == (Span(17, 36),)
    assert second.entities == () and second.positions is None  # not annotated: not scored


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            [{"id": "a", "text": TEXT, "entities": [{"type": "person", "start": 30, "end": 99}]}],
            "gold.jsonl:1: document 'a': entity 0 (person) [30, 99) is outside the text "
            "(37 characters) or empty",
        ),
        (
            [
                {
                    "id": "a",
                    "text": TEXT,
                    "entities": [
                        {"type": "person", "start": 0, "end": 11},
                        {"type": "location", "start": 3, "end": 11},
                    ],
                }
            ],
            "gold.jsonl:1: document 'a': gold person 'Ed Miliband' [0, 11) overlaps gold location "
            "'Miliband' [3, 11): one span, one type",
        ),
        (
            [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}, {"id": "a", "text": TEXT}],
            "gold.jsonl:3: document 'a': id already used on line 1",
        ),
        (
            [{"id": "a", "text": TEXT, "entities": [{"type": "PER", "start": 0, "end": 2}]}],
            "gold.jsonl:1: document 'a': entity type 'PER' is not one of person, organization, "
            "location",
        ),
        (
            [
                {
                    "id": "a",
                    "text": TEXT,
                    "positions": [{"speaker": [0], "cue": [1, 2], "content": [3, 4]}],
                }
            ],
            "gold.jsonl:1: speaker must be [start, end], got [0]",
        ),
        (
            [
                {
                    "id": "a",
                    "text": TEXT,
                    "positions": [{"speaker": [0, 2], "cue": [1, 80], "content": [3, 4]}],
                }
            ],
            "position 0 cue [1, 80) is outside the text",
        ),
    ],
)
def test_bad_gold_is_one_clear_line(
    tmp_path: Path, records: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(write(tmp_path, *records))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_gold_file_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{nope\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"gold.jsonl:2: not JSON \(Expecting property name"):
        load_dataset(path)


def test_missing_paths_are_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such gold file"):
        load_dataset(tmp_path / "nope.jsonl")
    with pytest.raises(DatasetError, match="no such file or folder"):
        load_dataset("newsfane", tmp_path / "missing")
    with pytest.raises(DatasetError, match=r"no newsfane_gold\.jsonl in"):
        load_dataset("newsfane", tmp_path)
    with pytest.raises(DatasetError, match="say where its data is with --data"):
        load_dataset("qasrl")


def test_newsfane_scores_people_organisations_and_places_but_not_nationalities() -> None:
    docs = {d.id: d for d in load_dataset("newsfane", EVAL).documents}
    assert len(docs) == 10
    doc = docs["newsfane_s00160"]  # نجاد, البريطانيين (Group), الولايات المتحدة, اسرائيل
    assert [(e.type, e.text) for e in doc.entities or ()] == [
        (PERSON, "نجاد"),
        (LOCATION, "الولايات المتحدة"),
        (LOCATION, "اسرائيل"),
    ]
    assert [doc.text[s.start : s.end] for s in doc.ignored] == ["البريطانيين"]
    assert doc.positions is None


def test_qasrl_makes_one_document_per_sentence_with_its_statements() -> None:
    docs = {d.id: d for d in load_dataset("qasrl", EVAL / "attribution_predicates.jsonl").documents}
    murphy = docs["Wiki1k:wikinews:784189:5:2"]
    assert murphy.entities is None  # QA-SRL annotates no entities: names are not scored
    assert murphy.positions is not None
    cues = [murphy.text[p.cue.start : p.cue.end] for p in murphy.positions]
    assert cues == ["said", "think"]
    speakers = [murphy.text[s.start : s.end] for s in murphy.positions[0].speakers]
    assert speakers == ["Jim Murphy", "Shadow Defence Secretary"]


def test_gum_keeps_the_shorter_of_two_overlapping_named_mentions(tmp_path: Path) -> None:
    text = "U.S. President Donald Trump spoke in Washington."
    record = {
        "id": "GUM_news_x",
        "text": text,
        "mentions": [
            {"etype": "person", "start": 0, "end": 27, "contains_propn": True},
            {"etype": "place", "start": 0, "end": 4, "contains_propn": True},
            {"etype": "place", "start": 37, "end": 47, "wiki_identity": "Washington,_D.C."},
            {"etype": "person", "start": 28, "end": 33, "contains_propn": False},
            {"etype": "event", "start": 28, "end": 47, "contains_propn": True},
        ],
    }
    path = tmp_path / "gum_news_docs.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = load_dataset("gum", tmp_path).documents
    assert [(e.type, e.text) for e in doc.entities or ()] == [
        (LOCATION, "U.S."),
        (LOCATION, "Washington"),
    ]
    assert sorted(doc.ignored) == [Span(0, 27), Span(28, 33)]


def test_a_named_set_pointed_at_the_wrong_file_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, {"id": "a", "text": TEXT})
    with pytest.raises(DatasetError, match="does not look like this set's file: a record lacks"):
        load_dataset("newsfane", path)


def test_a_named_set_with_a_field_of_the_wrong_shape_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, {"id": "a", "text": TEXT, "entities": "x"})
    # was "a record lacks 'str' object has no attribute 'get'"
    with pytest.raises(DatasetError, match="a record has a field of the wrong shape"):
        load_dataset("newsfane", path)
