"""Transport retries under the real SDK: 429 with Retry-After, 5xx, connection errors, bounds."""

import asyncio
import copy
from typing import Any

import httpx2 as httpx
import pytest

from agent.cassettes.replay import Cassette, ReplayTransport
from agent.errors import EndpointFailed, EndpointUnreachable
from agent.fixtures.reference import reference_settings
from agent.llm.client import async_openai_client
from agent.llm.pipeline import Extractor
from agent.llm.transport import RetryPolicy, retry_after_seconds
from tests.conftest import REASK, Sleeps, replay_extractor

TEXT = (REASK / "article.txt").read_text(encoding="utf-8")


def _with_errors(*errors: tuple[int, dict[str, str]]) -> Cassette:
    """The re-ask cassette, its first request first answered with the given error statuses."""
    cassette = Cassette.load(REASK / "cassette.json")
    first = cassette.exchanges[0]["request"]
    failures = [
        {
            "request": copy.deepcopy(first),
            "response": {
                "status": status,
                "headers": headers,
                "body": {"error": {"message": f"simulated {status}", "type": "server_error"}},
            },
        }
        for status, headers in errors
    ]
    cassette.exchanges = failures + cassette.exchanges
    return cassette


def test_429_retry_after_is_honoured_then_success(sleeps: Sleeps) -> None:
    cassette = _with_errors((429, {"retry-after": "3"}))
    result = replay_extractor(cassette, sleep=sleeps).extract(TEXT)
    assert sleeps == [3.0]
    assert result.provenance.attempts == 2  # model answers; transport retries are not re-asks
    assert len(result.participants) == 3


def test_500_then_success_waits_with_bounded_jitter(sleeps: Sleeps) -> None:
    cassette = _with_errors((500, {}), (503, {}))
    result = replay_extractor(cassette, sleep=sleeps).extract(TEXT)
    assert len(sleeps) == 2
    assert all(0 <= s <= RetryPolicy().max_delay for s in sleeps)
    assert result.provenance.attempts == 2


def test_bounded_failure_after_the_last_attempt(sleeps: Sleeps) -> None:
    cassette = _with_errors(*[(503, {})] * 6)
    settings = reference_settings(transport_attempts=4)
    replay = ReplayTransport(cassette)
    from agent.llm.client import openai_client

    extractor = Extractor(settings, client=openai_client(settings, transport=replay, sleep=sleeps))
    with pytest.raises(EndpointFailed) as caught:
        extractor.extract(TEXT)
    assert str(caught.value) == "reference.invalid answered HTTP 503: simulated 503 (after retries)"
    assert len(replay.used) == 4
    assert len(sleeps) == 3


def test_retry_after_beyond_the_time_budget_fails_at_once(sleeps: Sleeps) -> None:
    cassette = _with_errors((429, {"retry-after": "600"}))
    settings = reference_settings(transport_max_seconds=5)
    with pytest.raises(EndpointFailed, match="HTTP 429: simulated 429"):
        replay_extractor(cassette, settings, sleep=sleeps).extract(TEXT)
    assert sleeps == []  # waiting 5 s only to fail anyway helps nobody


class FlakyTransport(httpx.BaseTransport):
    """Refuses the first `failures` connections, then hands over to a real replay."""

    def __init__(self, inner: httpx.BaseTransport, failures: int) -> None:
        self.inner, self.failures, self.calls = inner, failures, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.failures:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return self.inner.handle_request(request)


def test_connection_errors_are_retried_then_reported(sleeps: Sleeps) -> None:
    from agent.llm.client import openai_client

    settings = reference_settings(transport_attempts=3)
    replay = ReplayTransport(Cassette.load(REASK / "cassette.json"))
    flaky = FlakyTransport(replay, failures=2)
    client = openai_client(settings, transport=flaky, sleep=sleeps)
    assert len(Extractor(settings, client=client).extract(TEXT).participants) == 3
    assert len(sleeps) == 2

    dead = FlakyTransport(replay, failures=99)
    client = openai_client(settings, transport=dead, sleep=sleeps)
    with pytest.raises(EndpointUnreachable, match=r"cannot reach http://reference\.invalid/v1: "):
        Extractor(settings, client=client).extract(TEXT)
    assert dead.calls == 3


def test_async_client_retries_and_pauses_the_shared_policy() -> None:
    cassette = _with_errors((429, {"retry-after": "0.05"}))
    settings = reference_settings()
    policy = RetryPolicy(attempts=3, max_seconds=10)
    client = async_openai_client(settings, transport=ReplayTransport(cassette), policy=policy)
    result = asyncio.run(Extractor(settings, client=client).aextract(TEXT))
    assert result.provenance.attempts == 2
    assert policy._pause_until > 0  # every worker sharing the policy saw the pause


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after-ms": "150"}, 0.15),
        ({}, None),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
    ],
)
def test_retry_after_parsing(headers: dict[str, Any], expected: float | None) -> None:
    assert retry_after_seconds(httpx.Response(429, headers=headers)) == expected
