"""Real recordings from a real model (SmolLM2-135M on llama.cpp) replay, and the validator
catches what that model invented. See each case's SOURCE.md and cassette meta."""

from pathlib import Path

import pytest

from agent.cassettes.replay import RECORDED, Cassette
from agent.fixtures.pytest_plugin import replay
from agent.models import AlignmentStatus
from tests.conftest import CASES, assert_spans_slice_article

RECORDED_CASES = sorted(CASES.glob("recorded_*"))


def test_there_are_at_least_three_real_recordings() -> None:
    assert len(RECORDED_CASES) >= 3


@pytest.mark.parametrize("case", RECORDED_CASES, ids=lambda p: p.name)
def test_real_recording_replays_and_the_validator_reports_what_it_caught(case: Path) -> None:
    meta = Cassette.load(case / "cassette.json").meta
    assert meta["source"] == RECORDED
    assert "llama" in meta["server"] and meta["model_file"].startswith("SmolLM2-135M-Instruct")
    assert meta["recorded_on"] and meta["settings"]["max_reasks"] == 1

    result = replay(case)
    text = (case / "article.txt").read_text(encoding="utf-8")
    assert result.provenance.model == "smollm2-135m-instruct"
    assert result.provenance.attempts == 2  # the first answer was re-asked
    assert result.grounding.issues, "a 135M model's answer always has something to flag"
    for issue in result.grounding.issues:
        assert issue.action == "flagged"
    assert result.grounding.counts[AlignmentStatus.UNALIGNED] >= 3
    assert_spans_slice_article(result, text)


def test_invented_names_are_flagged_not_grounded() -> None:
    result = replay(CASES / "recorded_smollm2_en_greek_worship")
    flagged = {issue.path: issue.message for issue in result.grounding.issues}
    assert "'Preston Drekos' does not occur in the article" in flagged["participants[p1].name"]
    invented = result.participant("p1")
    assert invented is not None and invented.name.spans == []
    assert invented.name.alignment == "unaligned"
    assert any("does not occur in the article" in m for m in result.grounding.reasked)
