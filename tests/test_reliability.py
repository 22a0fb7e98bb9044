"""Every injected fault ends in a result after bounded retries, or in one clean line and no file.

The fake endpoint is a real HTTP server; the client is khabar's own (retrying transport, real
openai SDK, instructor), so timeouts, resets and cut bodies happen on real sockets.
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import pytest

from agent.cli.main import main
from agent.fixtures.fake_endpoint import FakeEndpoint, Fault
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.llm.transport import RetryPolicy
from agent.models import ArticleExtraction
from agent.settings import Settings
from tests.conftest import SEED

ANSWER = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
ARTICLE = SEED / "article.txt"
TIMEOUT = 0.5  # seconds per request: slow answers take 3 s, far past it
RETRY_AFTER = 0.2
SLOW_SECONDS = 3.0  # how long a slow answer takes: the times below are compared with it


def _extract(fake: FakeEndpoint) -> tuple[ArticleExtraction, float]:
    settings = Settings(
        base_url=fake.base_url, model="fake", timeout=TIMEOUT, transport_attempts=3,
        transport_max_seconds=4, max_reasks=1,
    )  # fmt: skip
    policy = RetryPolicy(attempts=3, max_seconds=4, base_delay=0.05)
    started = time.perf_counter()
    with openai_client(settings, policy=policy) as client:
        result = Extractor(settings, client=client).extract(ARTICLE.read_text(encoding="utf-8"))
    return result, time.perf_counter() - started


def _fake(faults: list[Fault | None]) -> FakeEndpoint:
    return FakeEndpoint(
        answers=[ANSWER], faults=faults, retry_after=RETRY_AFTER, slow_seconds=SLOW_SECONDS
    )


@pytest.mark.parametrize(
    "fault", [Fault.RATE_LIMIT, Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.RESET, Fault.SLOW]
)
def test_transport_fault_once_is_retried_and_succeeds(fault: Fault) -> None:
    with _fake([fault]) as fake:
        result, elapsed = _extract(fake)
    assert fake.requests == 2 and fake.injected[fault] == 1
    assert result.provenance.attempts == 1  # a transport retry is not a re-ask
    assert len(result.participants) == len(ANSWER["participants"])
    if fault is Fault.RATE_LIMIT:
        assert elapsed >= RETRY_AFTER  # Retry-After honoured
    if fault is Fault.SLOW:  # gave up after the timeout, did not wait out the slow answer
        assert TIMEOUT <= elapsed < SLOW_SECONDS
    else:
        assert elapsed < SLOW_SECONDS / 2


@pytest.mark.parametrize("fault", [Fault.MALFORMED, Fault.NO_TOOL_CALL])
def test_unusable_answer_once_is_reasked_and_succeeds(fault: Fault) -> None:
    with _fake([fault]) as fake:
        result, _ = _extract(fake)
    assert fake.requests == 2
    assert result.provenance.attempts == 2  # instructor re-asked once
    assert len(result.locations) == len(ANSWER["locations"])


def test_truncated_body_is_retried_and_succeeds() -> None:
    with _fake([Fault.TRUNCATED]) as fake:
        result, _ = _extract(fake)
    assert result.provenance.attempts == 1 and fake.requests == 2


EXPECTED = {
    Fault.RATE_LIMIT: "answered HTTP 429: rate limited (injected) (after retries)",
    Fault.SERVER_ERROR: "answered HTTP 500: internal error (injected) (after retries)",
    Fault.UNAVAILABLE: "answered HTTP 503: service unavailable (injected) (after retries)",
    Fault.RESET: "Connection reset by peer; is the server running?",
    Fault.SLOW: f"did not answer within {TIMEOUT:g} s (2 requests sent); a local server may "
    "still be busy with the abandoned request",
    Fault.TRUNCATED: "was cut off mid-read ([Errno 104] Connection reset by peer): the server or a "
    "proxy in between closed the connection",
    Fault.MALFORMED: "the re-ask's answer was cut off mid-JSON (finish_reason stop)",
    Fault.NO_TOOL_CALL: "could not be used after 2 attempt(s): No tool calls or function call "
    "found in response (mode: TOOLS)",
    Fault.LENGTH: "the model's answer was cut off at the token limit (finish_reason length)",
    Fault.INVALID: "rejected the request (HTTP 500, not retried): response_format.type: Input "
    "should be 'text' or 'json_object'",
    Fault.NO_CHOICES: "the server's answer holds no choices (an empty or missing `choices` list)",
}


@pytest.mark.parametrize("fault", list(Fault))
def test_persistent_fault_fails_with_one_line_and_writes_nothing(
    fault: Fault, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "result.json"
    with _fake([fault] * 10) as fake:
        started = time.perf_counter()
        with pytest.raises(SystemExit) as exited:
            main([
                "extract", str(ARTICLE), "--base-url", fake.base_url, "--model", "fake",
                "--timeout", str(TIMEOUT), "--max-reasks", "1", "-o", str(output), "--json",
            ])  # fmt: skip
        elapsed = time.perf_counter() - started
        code = exited.value.code
        gc.collect()  # an unclosed client would warn here, and warnings are errors
    err = capsys.readouterr()
    assert code == 1
    assert err.out == ""
    lines = err.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err.err
    assert EXPECTED[fault] in " ".join(err.err.split())
    assert not output.exists() and list(tmp_path.iterdir()) == []
    assert elapsed < 4.0  # KHABAR_TRANSPORT_MAX_SECONDS bounds waits; 2 attempts × timeout


@pytest.fixture(scope="module", autouse=True)
def warm_up() -> None:
    """Pay the one-off import and schema costs before anything is timed."""
    with _fake([]) as fake:
        _extract(fake)


@pytest.fixture(autouse=True)
def small_retry_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_ATTEMPTS", "2")
    monkeypatch.setenv("KHABAR_TRANSPORT_MAX_SECONDS", "1.5")
