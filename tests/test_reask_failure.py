"""A re-ask that fails (times out, comes back cut) keeps the answer that validated before it.

Real HTTP through the fake endpoint, khabar's own client, the real openai SDK and instructor: the
first answer is the hand-written one that invents a participant and a title (so it is re-asked),
and the re-ask is then answered too slowly or with cut-off JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli.main import main
from agent.errors import EndpointUnreachable, IncompleteAnswer
from agent.fixtures.fake_endpoint import FakeEndpoint, Fault
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.models import ArticleExtraction
from agent.settings import Settings
from tests.conftest import REASK

ARTICLE = REASK / "article.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")
FIRST, CLEAN = json.loads((REASK / "answers.json").read_text(encoding="utf-8"))["answers"]
TIMEOUT = 0.5
INVENTED = "Archbishop Christodoulos"


def _fake(second: Fault) -> FakeEndpoint:
    # The re-ask would get the clean answer, but the fault gets in the way.
    return FakeEndpoint(answers=[FIRST, CLEAN], faults=[None, second], slow_seconds=3.0)


def _settings(fake: FakeEndpoint, policy: str) -> Settings:
    return Settings(
        base_url=fake.base_url, model="fake", timeout=TIMEOUT, transport_attempts=1, max_reasks=1
    ).with_overrides(on_ungrounded=policy)  # fmt: skip


def _extract(fake: FakeEndpoint, policy: str) -> ArticleExtraction:
    settings = _settings(fake, policy)
    with openai_client(settings) as client:
        return Extractor(settings, client=client).extract(TEXT)


@pytest.mark.parametrize("policy", ["flag", "drop"])
def test_a_reask_that_times_out_keeps_the_first_answer(policy: str) -> None:
    with _fake(Fault.SLOW) as fake:
        result = _extract(fake, policy)
    assert fake.requests == 2
    prov = result.provenance
    assert prov.reask_failed is not None
    assert prov.reask_failed.startswith("the last re-ask failed (unreachable): ")
    assert f"did not answer within {TIMEOUT:g} s" in prov.reask_failed
    assert prov.attempts == 1 and prov.usage.prompt_tokens > 0  # the one answer that came
    paths = {issue.path for issue in result.grounding.issues}
    assert {"participants[p4].name", "participants[p1].titles[0]"} <= paths
    assert {issue.action for issue in result.grounding.issues} == {
        "flagged" if policy == "flag" else "dropped"
    }
    names = [p.name.text for p in result.participants]
    assert (INVENTED in names) is (policy == "flag")
    assert "Greek Orthodox Church" in names


def test_a_reask_answered_with_cut_json_keeps_the_first_answer() -> None:
    with _fake(Fault.MALFORMED) as fake:
        result = _extract(fake, "drop")
    prov = result.provenance
    # a re-ask answer that stops mid-JSON is a cut answer (agent.llm.answers), not re-asked again
    assert prov.reask_failed is not None and "(incomplete)" in prov.reask_failed
    assert "cut off mid-JSON" in prov.reask_failed
    assert prov.attempts == 2  # both answers came, and both were paid for
    assert INVENTED not in [p.name.text for p in result.participants]


def test_the_best_of_several_validated_answers_is_kept() -> None:
    worse = json.loads(json.dumps(FIRST))
    worse["participants"][0]["name"] = "Someone Invented"  # one more problem than FIRST
    fake = FakeEndpoint(answers=[worse, FIRST, CLEAN], faults=[None, None, Fault.SLOW])
    with fake:
        settings = _settings(fake, "flag").with_overrides(max_reasks=2)
        with openai_client(settings) as client:
            result = Extractor(settings, client=client).extract(TEXT)
    assert fake.requests == 3 and result.provenance.attempts == 2
    assert "Someone Invented" not in [p.name.text for p in result.participants]
    assert INVENTED in [p.name.text for p in result.participants]


def test_policy_fail_still_fails_with_the_reasks_error_and_its_tokens() -> None:
    with _fake(Fault.SLOW) as fake, pytest.raises(EndpointUnreachable) as caught:
        _extract(fake, "fail")
    assert caught.value.usage is not None and caught.value.usage.prompt_tokens > 0
    assert str(caught.value).endswith(f"; spent {caught.value.usage.describe()}")


def test_no_earlier_answer_means_the_error_stands() -> None:
    fake = FakeEndpoint(answers=[FIRST], faults=[Fault.MALFORMED, Fault.MALFORMED])
    with fake, pytest.raises(IncompleteAnswer) as caught:
        _extract(fake, "flag")
    usage = caught.value.usage
    assert usage is not None and usage.completion_tokens > 0  # two cut answers, both paid
    assert "spent tokens" in str(caught.value)


def test_the_cli_prints_the_result_and_says_the_reask_failed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_ATTEMPTS", "1")
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "result.json"
    with _fake(Fault.SLOW) as fake, pytest.raises(SystemExit) as exited:
        main([
            "extract", str(ARTICLE), "--base-url", fake.base_url, "--model", "fake",
            "--timeout", str(TIMEOUT), "--max-reasks", "1", "-o", str(out),
        ])  # fmt: skip
    shown = capsys.readouterr().out
    assert exited.value.code == 0
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert "did not answer within" in saved["provenance"]["reask_failed"]
    assert "the last re-ask failed (unreachable)" in " ".join(shown.split())
