"""The failure rows of issue 17 against the fake endpoint (a real HTTP server, khabar's own client):
an unsupported mode answered once with the hint, a cut answer not re-asked, a local timeout resent
at most once, and lines that count the requests really sent."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx2 as httpx
import pytest

from agent.errors import EndpointFailed, EndpointUnreachable, IncompleteAnswer
from agent.fixtures.fake_endpoint import LLAMA_CPP_VALIDATION_500, FakeEndpoint, Fault
from agent.llm.answers import stops_mid_json
from agent.llm.pipeline import Extractor
from agent.llm.server_reply import refused_feature, says_invalid_request, short_reason
from agent.llm.transport import RetryingTransport, RetryPolicy, is_local_host, requests_sent
from agent.settings import Mode, Settings
from tests.conftest import SEED

ANSWER = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
TEXT = (SEED / "article.txt").read_text(encoding="utf-8")


def _extract(fake: FakeEndpoint, **values: Any) -> None:
    settings = Settings(base_url=fake.base_url, model="fake", **values)
    with Extractor(settings) as extractor:
        extractor.extract(TEXT)


def test_json_schema_on_llama_cpp_is_answered_once_with_the_modes_to_use() -> None:
    with FakeEndpoint(answers=[ANSWER], unsupported=["json_schema"]) as fake:
        with pytest.raises(EndpointFailed) as caught:
            _extract(fake, mode=Mode.JSON_SCHEMA)
        assert fake.requests == 1  # was 4: the 500 is not transient
    message = str(caught.value)
    assert message == (
        f"127.0.0.1:{fake.port} does not support --mode json_schema (HTTP 500: "
        "response_format.type: Input should be 'text' or 'json_object'); use --mode tools or "
        "md_json, or --mode auto (`khabar probe` shows what works)"
    )
    assert caught.value.status_code == 500


def test_a_500_repeating_a_validation_error_is_not_retried_in_any_mode() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.INVALID] * 5) as fake:
        with pytest.raises(EndpointFailed, match=r"rejected the request \(HTTP 500, not retried\)"):
            _extract(fake, mode=Mode.MD_JSON)
        assert fake.requests == 1


def test_a_plain_500_is_still_retried() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.SERVER_ERROR]) as fake:
        _extract(fake, transport_attempts=2)
        assert fake.requests == 2


def test_a_length_cut_answer_is_not_reasked() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.LENGTH] * 3) as fake:
        with pytest.raises(IncompleteAnswer) as caught:
            _extract(fake, max_reasks=2, max_tokens=2500)
        assert fake.requests == 1  # was 3: each re-ask was cut at the same limit
    error = caught.value
    assert error.kind == "incomplete" and error.attempts == 1
    assert error.finish_reason == "length" and error.max_tokens == 2500
    assert error.completion_tokens is not None and error.prompt_tokens is not None
    assert "cut off at the token limit (finish_reason length) after " in str(error)
    assert "raise KHABAR_MAX_TOKENS (now 2,500)" in str(error)


def test_a_reask_cut_mid_json_again_ends_the_run() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.MALFORMED] * 3) as fake:
        with pytest.raises(IncompleteAnswer, match="the re-ask's answer was cut off mid-JSON"):
            _extract(fake, max_reasks=2)
        assert fake.requests == 2  # was 3: the first cut is re-asked once, not twice


def test_cut_answer_in_the_cli_is_one_line_naming_the_setting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from agent.cli.main import main

    with (
        FakeEndpoint(answers=[ANSWER], faults=[Fault.LENGTH]) as fake,
        pytest.raises(SystemExit) as exited,
    ):
        main(["extract", str(SEED / "article.txt"), "--base-url", fake.base_url, "--model", "m"])
    err = capsys.readouterr().err
    assert exited.value.code == 1 and len(err.strip().splitlines()) == 1
    assert "KHABAR_MAX_TOKENS (now unset: the server's default)" in " ".join(err.split())


def test_a_local_read_timeout_is_resent_at_most_once() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.SLOW] * 6, slow_seconds=2.0) as fake:
        started = time.perf_counter()
        with pytest.raises(EndpointUnreachable) as caught:
            _extract(fake, timeout=0.3, transport_attempts=4)
        elapsed = time.perf_counter() - started
        assert fake.requests == 2  # was 4
    message = str(caught.value)
    assert "did not answer within 0.3 s (2 requests sent)" in message
    assert "a local server may still be busy with the abandoned request" in message
    assert elapsed < 1.5


def test_local_timeout_retries_zero_sends_it_once() -> None:
    with FakeEndpoint(answers=[ANSWER], faults=[Fault.SLOW] * 3, slow_seconds=2.0) as fake:
        with pytest.raises(EndpointUnreachable, match=r"\(1 request sent\)"):
            _extract(fake, timeout=0.3, local_timeout_retries=0)
        assert fake.requests == 1


def test_a_reask_that_times_out_says_the_first_answer_arrived() -> None:
    faults = [Fault.MALFORMED, Fault.SLOW, Fault.SLOW, Fault.SLOW]
    with FakeEndpoint(answers=[ANSWER], faults=faults, slow_seconds=2.0) as fake:
        with pytest.raises(EndpointUnreachable) as caught:
            _extract(fake, timeout=0.3, max_reasks=1, transport_attempts=4)
        assert fake.requests == 3  # the first answer, then the re-ask sent twice
    assert str(caught.value).startswith("the first answer arrived and re-ask 1 timed out: ")
    assert "(2 requests sent)" in str(caught.value)


def test_a_remote_read_timeout_keeps_the_whole_retry_budget() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        raise httpx.ReadTimeout("timed out", request=request)

    transport = RetryingTransport(
        httpx.MockTransport(handler), RetryPolicy(attempts=4, base_delay=0.0), sleep=lambda _: None
    )
    with pytest.raises(httpx.ReadTimeout) as caught:
        transport.handle_request(httpx.Request("POST", "https://api.example.com/v1/x"))
    assert len(calls) == 4 and requests_sent(caught.value) == 4
    calls.clear()
    with pytest.raises(httpx.ReadTimeout) as caught:
        transport.handle_request(httpx.Request("POST", "http://192.168.1.20:8000/v1/x"))
    assert len(calls) == 2 and requests_sent(caught.value) == 2


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("[::1]", True),
        ("10.0.0.5", True),
        ("192.168.1.20", True),
        ("gpu-box.local", True),
        ("api.openai.com", False),
        ("8.8.8.8", False),
    ],
)
def test_local_hosts(host: str, local: bool) -> None:
    assert is_local_host(host) is local


@pytest.mark.parametrize(
    ("status", "body", "invalid", "reason", "feature"),
    [
        (
            500,
            LLAMA_CPP_VALIDATION_500,
            True,
            "response_format.type: Input should be 'text' or 'json_object'",
            "response_format",
        ),
        (
            422,
            {"detail": [{"loc": ["body", "tool_choice"], "msg": "Extra inputs are not permitted"}]},
            True,
            "tool_choice: Extra inputs are not permitted",
            "tools",
        ),
        (
            400,
            {"error": {"message": "'json_schema' response format is not supported", "type": "x"}},
            True,
            "'json_schema' response format is not supported",
            "response_format",
        ),
        (500, {"error": {"message": "CUDA out of memory"}}, False, "CUDA out of memory", None),
        (503, "Service Unavailable", False, "Service Unavailable", None),
    ],
)
def test_server_error_bodies(
    status: int, body: Any, invalid: bool, reason: str, feature: str | None
) -> None:
    assert says_invalid_request(status, body) is invalid
    assert short_reason(body) == reason
    assert refused_feature(body) == feature


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ('{"a": [1, 2', True),
        ('{"a": "a } inside', True),
        ('```json\n{"a": {"b": 1}}\n```', False),
        ('{"a": "\\" quoted"}', False),
        ('{"a": 1,}', False),  # closed but invalid: an ordinary re-ask
        ("Here is a summary", False),
    ],
)
def test_stops_mid_json(text: str, cut: bool) -> None:
    assert stops_mid_json(text) is cut
