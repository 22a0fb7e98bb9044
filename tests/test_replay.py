"""Recording scrubs every credential; replay matches on the body and explains misses."""

import json
from pathlib import Path

import httpx2 as httpx
import openai
import pytest

from agent.cassettes.replay import (
    Cassette,
    RecordingTransport,
    ReplayTransport,
    describe_difference,
)
from agent.errors import ReplayError
from agent.fixtures.reference import completion, reference_settings
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from tests.conftest import REASK, replay_extractor

TEXT = (REASK / "article.txt").read_text(encoding="utf-8")
SECRET = "sk-live-DO-NOT-LEAK-0123456789"


def _server_answers() -> httpx.MockTransport:
    """A stand-in server that echoes credentials back, as careless proxies do."""
    answers = json.loads((REASK / "answers.json").read_text(encoding="utf-8"))["answers"]
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {SECRET}"
        calls.append(1)
        body = completion(
            answers[len(calls) - 1],
            json.loads(request.content),
            reference_settings().mode,
            len(calls),
        )
        body["system_fingerprint"] = f"echo {SECRET}"
        return httpx.Response(
            200,
            json=body,
            headers={
                "openai-organization": "org-secret",
                "set-cookie": "session=abc",
                "x-request-id": "req_1",
            },
        )

    return httpx.MockTransport(handle)


def test_recording_scrubs_credentials_and_replays_identically(tmp_path: Path) -> None:
    settings = reference_settings(api_key=SECRET)
    cassette = Cassette(path=tmp_path / "rec.json", meta={"source": "recorded"})
    recorder = RecordingTransport(cassette, inner=_server_answers(), secrets=(SECRET,))
    client = openai_client(settings, transport=recorder)
    client = openai.OpenAI(
        api_key=SECRET,
        base_url=settings.base_url,
        max_retries=0,
        organization="org-secret",
        project="proj-secret",
        http_client=httpx.Client(transport=recorder),
    )
    recorded = Extractor(settings, client=client).extract(TEXT)

    raw = cassette.path.read_text(encoding="utf-8")
    for secret in (SECRET, "org-secret", "proj-secret", "session=abc"):
        assert secret not in raw
    saved = Cassette.load(cassette.path)
    headers = saved.exchanges[0]["request"]["headers"]
    assert headers["authorization"] == "<scrubbed>"
    assert headers["openai-organization"] == "<scrubbed>"
    assert headers["openai-project"] == "<scrubbed>"
    assert saved.exchanges[0]["response"]["headers"] == {
        "x-request-id": "req_1",
        "content-type": "application/json",
    }

    replayed = replay_extractor(saved, reference_settings()).extract(TEXT)
    assert replayed.participants == recorded.participants
    assert replayed.positions == recorded.positions
    assert replayed.provenance.usage == recorded.provenance.usage


def test_cassette_runs_out_of_answers() -> None:
    cassette = Cassette.load(REASK / "cassette.json")
    cassette.exchanges = cassette.exchanges[:1]
    with pytest.raises(ReplayError, match=r"has no answer left .* \(all 1 used\)"):
        replay_extractor(cassette).extract(TEXT)


def test_unreadable_cassettes(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="does not exist"):
        Cassette.load(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ReplayError, match="cannot read cassette"):
        Cassette.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"interactions": []}')
    with pytest.raises(ReplayError, match="is not a khabar cassette"):
        Cassette.load(tmp_path / "other.json")


def test_difference_names_prompt_schema_and_parameters() -> None:
    recorded = Cassette.load(REASK / "cassette.json").exchanges[0]["request"]["body"]
    sent = json.loads(json.dumps(recorded))
    sent["messages"][0]["content"] += " Be brief."
    sent["temperature"] = 0.7
    sent["tools"][0]["function"]["parameters"]["title"] = "Changed"
    found = describe_difference(recorded, sent)
    assert "system message 0 differs (prompt changed)" in found
    assert "parameter temperature 0.0 → 0.7" in found
    assert "the response schema changed" in found


def test_replay_serves_async_clients_too() -> None:
    import asyncio

    from agent.llm.client import async_openai_client

    settings = reference_settings()
    transport = ReplayTransport(Cassette.load(REASK / "cassette.json"))
    client = async_openai_client(settings, transport=transport)
    result = asyncio.run(Extractor(settings, client=client).aextract(TEXT))
    assert result.provenance.attempts == 2
