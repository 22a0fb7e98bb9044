"""The fixture suite: the shipped cases match their goldens, and every kind of drift is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.errors import InputError
from agent.fixtures.diff import diff_results
from agent.fixtures.pytest_plugin import assert_matches_golden, replay
from agent.fixtures.suite import Case, Status, check_case, discover
from agent.settings import Settings
from tests.conftest import CASES, REASK, SEED

SHIPPED = discover(CASES)


@pytest.mark.parametrize("case", SHIPPED, ids=[c.name for c in SHIPPED])
def test_shipped_case_matches_its_golden(case: Case) -> None:
    outcome = check_case(case, Settings())
    assert outcome.status is Status.OK, [c.line() for c in outcome.changes] or outcome.reason


def test_every_shipped_case_has_its_files_and_says_where_it_came_from() -> None:
    assert len(SHIPPED) >= 8
    for case in SHIPPED:
        assert case.golden.is_file(), case.name
        meta = json.loads(case.cassette.read_text(encoding="utf-8"))["meta"]
        assert meta["source"] in ("hand-written", "recorded"), case.name
        if meta["source"] == "hand-written":
            assert case.answers.is_file() and "NOT produced by a model" in meta["note"]


def _copy(case: Path, tmp_path: Path) -> Case:
    target = tmp_path / case.name
    shutil.copytree(case, target)
    return Case(target)


def _edit_json(path: Path, edit: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_edited_golden_gives_semantic_diff_lines(tmp_path: Path) -> None:
    case = _copy(SEED, tmp_path)

    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["participants"][1]["role"] = "visitor"
        d["participants"][0]["titles"].pop(0)
        d["locations"] = [loc for loc in d["locations"] if loc["name"]["text"] != "القاهرة"]
        d["positions"][0]["content"]["spans"][0]["start"] += 1
        d["positions"][1]["cue"]["alignment"] = "fuzzy"

    _edit_json(case.golden, edit)
    outcome = check_case(case, Settings())
    assert outcome.status is Status.CHANGED
    lines = sorted(c.line() for c in outcome.changes)
    assert lines == sorted(
        [
            "changed: participant عبد المجيد صقر · role: visitor → host",
            "added: participant صدام حفتر · title: ∅ → الفريق أول ركن (rank)",
            "added: location القاهرة: ∅ → city, mentioned",
            "moved: position أحمد خليفة: اعتزازه بالعلاقات الراسخة التي تربط القوات المس… · "
            "content spans: 816–882 exact → 815–882 exact",
            "grounding: position أحمد خليفة: حرص القيادة العامة على تعزيز أواصر التعاون في م… · "
            "cue: fuzzy 1.00 → exact 1.00",
            # the golden's about_ids named a location it no longer has: shown by id
            "changed: position صدام حفتر: بسعي القاهرة الدائم لإرساء دعائم الأمن والاستقرا… · "
            "about: l4 → القاهرة",
        ]
    )


def test_changed_prompt_makes_cassette_stale_with_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(Path(__file__).resolve().parent.parent / "prompts", prompts)
    with (prompts / "system.j2").open("a", encoding="utf-8") as handle:
        handle.write("6. Be brief.\n")
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    outcome = check_case(Case(REASK))
    assert outcome.status is Status.STALE
    recorded = json.loads((REASK / "cassette.json").read_text(encoding="utf-8"))["meta"]
    assert outcome.reason.startswith(
        f"stale cassette: prompt version {recorded['prompt_version']} → "
    )
    assert "system message 0 differs (prompt changed)" in outcome.reason


def test_changed_schema_or_parameter_is_named(tmp_path: Path) -> None:
    case = _copy(REASK, tmp_path)

    def edit(d: dict) -> None:  # type: ignore[type-arg]
        body = d["exchanges"][0]["request"]["body"]
        body["temperature"] = 0.7
        body["tools"][0]["function"]["parameters"]["properties"].pop("language")

    _edit_json(case.cassette, edit)
    outcome = check_case(case, Settings())
    assert outcome.status is Status.STALE
    assert "parameter temperature 0.7 → 0.0" in outcome.reason
    assert "schema hash " in outcome.reason


def test_changed_cassette_answer_shows_in_the_diff(tmp_path: Path) -> None:
    case = _copy(SEED, tmp_path)

    def edit(d: dict) -> None:  # type: ignore[type-arg]
        answered = next(e for e in d["exchanges"] if e["response"]["status"] == 200)
        call = answered["response"]["body"]["choices"][0]["message"]["tool_calls"][0]
        answer = json.loads(call["function"]["arguments"])
        answer["participants"][3]["role"] = "attendee"
        answer["locations"] = [loc for loc in answer["locations"] if loc["id"] != "l7"]
        call["function"]["arguments"] = json.dumps(answer, ensure_ascii=False)

    _edit_json(case.cassette, edit)
    outcome = check_case(case, Settings())
    assert outcome.status is Status.CHANGED
    lines = {c.line() for c in outcome.changes}
    assert "changed: participant خليفة حفتر · role: mentioned → attendee" in lines
    assert "removed: location السودان: country, mentioned → ∅" in lines
    assert any(line.startswith("changed: grounding · exact count: ") for line in lines)


def test_renumbered_ids_are_not_a_change() -> None:
    golden = json.loads((SEED / "golden.json").read_text(encoding="utf-8"))
    renumbered = json.loads(json.dumps(golden).replace('"p1"', '"p9"'))
    assert diff_results(golden, renumbered) == []


def test_discover_needs_cases(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no fixture cases"):
        discover(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        discover(tmp_path / "missing")


def test_testing_helpers_replay_and_compare(tmp_path: Path) -> None:
    result = replay(SEED)
    assert_matches_golden(result, SEED / "golden.json")
    golden = _copy(SEED, tmp_path).golden
    _edit_json(golden, lambda d: d.update(language="en"))
    with pytest.raises(AssertionError, match=r"changed: result · language: en → ar"):
        assert_matches_golden(result, golden)
