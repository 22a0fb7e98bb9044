"""The re-ask path, end to end through openai + instructor over a replayed cassette."""

import json
import re

import pytest

from agent.cassettes.replay import Cassette
from agent.errors import UngroundedError, ValidationFailed
from agent.fixtures.reference import reference_settings
from agent.models import AlignmentStatus
from tests.conftest import REASK, assert_spans_slice_article, replay_extractor

TEXT = (REASK / "article.txt").read_text(encoding="utf-8")


def test_invented_participant_is_reasked_and_the_clean_answer_wins() -> None:
    cassette = Cassette.load(REASK / "cassette.json")
    result = replay_extractor(cassette).extract(TEXT)

    assert result.provenance.attempts == 2
    usages = [e["response"]["body"]["usage"] for e in cassette.exchanges]
    assert result.provenance.usage.prompt_tokens == sum(u["prompt_tokens"] for u in usages)
    assert result.provenance.usage.completion_tokens == sum(u["completion_tokens"] for u in usages)
    assert result.provenance.usage.total_tokens == sum(u["total_tokens"] for u in usages)

    names = [p.name.text for p in result.participants]
    assert "Archbishop Christodoulos" not in names
    assert names == ["Greek court", "Greek Ministry of Culture", "The Greek Orthodox Church"]
    assert all(not p.titles for p in result.participants)
    assert result.grounding.issues == []
    assert any("'Archbishop Christodoulos' does not occur" in m for m in result.grounding.reasked)
    assert any("'Supreme Court judge' does not occur" in m for m in result.grounding.reasked)
    assert assert_spans_slice_article(result, TEXT) > 0
    church = result.participants[2]
    assert len(church.name.spans) == TEXT.count("The Greek Orthodox Church") == 2
    for span in church.name.spans:
        assert TEXT[span.start : span.end] == "The Greek Orthodox Church"


def test_reask_message_sent_to_the_model_is_precise() -> None:
    cassette = Cassette.load(REASK / "cassette.json")
    second = cassette.exchanges[1]["request"]["body"]["messages"]
    feedback = second[-1]["content"]
    assert (
        "participants[p4].name 'Archbishop Christodoulos' does not occur in the article" in feedback
    )
    assert "participants[p1].titles[0] 'Supreme Court judge' does not occur" in feedback
    assert "positions[1].speaker_id" not in feedback  # p4 exists in that answer: not broken


def _first_answer_only() -> Cassette:
    cassette = Cassette.load(REASK / "cassette.json")
    cassette.exchanges = cassette.exchanges[:1]
    return cassette


@pytest.mark.parametrize("policy", ["flag", "drop"])
def test_policy_after_the_last_attempt(policy: str) -> None:
    settings = reference_settings(max_reasks=0, on_ungrounded=policy)
    result = replay_extractor(_first_answer_only(), settings).extract(TEXT)
    assert result.provenance.attempts == 1
    issues = {i.path: i for i in result.grounding.issues}
    assert set(issues) >= {
        "participants[p4].name",
        "participants[p1].titles[0]",
        "participants[p4].titles[0]",
    }
    assert {i.action for i in issues.values()} == {"flagged" if policy == "flag" else "dropped"}
    names = [p.name.text for p in result.participants]
    speakers = [p.speaker_id for p in result.positions]
    if policy == "flag":
        assert "Archbishop Christodoulos" in names
        p4 = result.participant("p4")
        assert p4 is not None and p4.name.alignment == "unaligned" and p4.name.spans == []
        assert result.grounding.counts[AlignmentStatus.UNALIGNED] >= 3
    else:
        assert "Archbishop Christodoulos" not in names
        assert "p4" not in speakers  # his position went with him
        assert result.participant("p1") is not None
        assert result.participant("p1").titles == []  # type: ignore[union-attr]
        assert result.grounding.counts[AlignmentStatus.UNALIGNED] == 0


def test_policy_fail_raises_with_the_first_problem() -> None:
    settings = reference_settings(max_reasks=0, on_ungrounded="fail")
    with pytest.raises(UngroundedError, match=r"problem\(s\) left after 1 attempt\(s\)"):
        replay_extractor(_first_answer_only(), settings).extract(TEXT)


def test_answer_that_never_validates_reports_attempts_and_reason() -> None:
    cassette = Cassette.load(REASK / "cassette.json")
    first = cassette.exchanges[0]
    call = first["response"]["body"]["choices"][0]["message"]["tool_calls"][0]
    answer = json.loads(call["function"]["arguments"])
    del answer["language"]
    call["function"]["arguments"] = json.dumps(answer)
    cassette.exchanges = [first]
    settings = reference_settings(max_reasks=0)
    with pytest.raises(ValidationFailed) as caught:
        replay_extractor(cassette, settings).extract(TEXT)
    message = str(caught.value)
    assert re.fullmatch(r"the model's answer did not validate after 1 attempt\(s\): .*", message)
    assert "language: Field required" in message
    assert "\n" not in message
