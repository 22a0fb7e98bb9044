"""The fake endpoint is a real HTTP server: cassette and canned answers, latency, faults, load."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time

import aiohttp
import httpx2 as httpx
import pytest

from agent.errors import ConfigError, EndpointFailed
from agent.fixtures.diff import diff_results, strip_volatile
from agent.fixtures.fake_endpoint import FakeEndpoint, Fault
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.settings import Settings
from tests.conftest import ROOT, SEED

ANSWER = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
ARTICLE = (SEED / "article.txt").read_text(encoding="utf-8")


def test_serves_cassette_answers_to_the_real_pipeline() -> None:
    with FakeEndpoint(cassette=SEED / "cassette.json") as fake:
        settings = Settings(base_url=fake.base_url, model="reference-answer")
        with openai_client(settings) as client:
            result = Extractor(settings, client=client).extract(ARTICLE)
    golden = json.loads((SEED / "golden.json").read_text(encoding="utf-8"))
    changes = diff_results(golden, strip_volatile(result))
    assert [c.field for c in changes] == ["endpoint"]  # 127.0.0.1:port, not reference.invalid
    assert fake.requests == 1


def test_unrecorded_request_is_answered_400_with_the_reason() -> None:
    with FakeEndpoint(cassette=SEED / "cassette.json") as fake:
        settings = Settings(base_url=fake.base_url, model="another-model", transport_attempts=1)
        with openai_client(settings) as client, pytest.raises(EndpointFailed) as caught:
            Extractor(settings, client=client).extract(ARTICLE)
    assert "HTTP 400" in str(caught.value)
    assert "model 'reference-answer' → 'another-model'" in str(caught.value)


def test_scripted_faults_come_first_then_random_ones_by_rate() -> None:
    faults = [Fault.SERVER_ERROR, None, Fault.RATE_LIMIT]
    kinds = [Fault.UNAVAILABLE, Fault.SERVER_ERROR]
    with FakeEndpoint(
        answers=[ANSWER], faults=faults, fault_rate=0.5, fault_kinds=kinds, seed=1
    ) as fake:
        statuses = []
        with httpx.Client() as client:
            for _ in range(40):
                body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
                statuses.append(client.post(f"{fake.base_url}/chat/completions", json=body))
    assert [r.status_code for r in statuses[:3]] == [500, 200, 429]
    assert statuses[2].headers["retry-after"] == "0.1"
    assert {r.status_code for r in statuses[3:]} == {200, 500, 503}
    injected = sum(fake.injected.values())
    assert 2 + 8 <= injected <= 2 + 30  # about half of the 37 unscripted requests
    assert fake.requests == 40


def test_starts_within_a_second_and_serves_concurrent_load() -> None:
    requests, latency = 300, 0.2

    async def load(base_url: str) -> float:
        # aiohttp's client is light enough that the figure measures the server, not the client
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        connector = aiohttp.TCPConnector(limit=requests)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one() -> int:
                async with session.post(f"{base_url}/chat/completions", json=body) as response:
                    await response.read()
                    return response.status

            started = time.perf_counter()
            statuses = await asyncio.gather(*(one() for _ in range(requests)))
            elapsed = time.perf_counter() - started
        assert set(statuses) == {200}
        return elapsed

    with FakeEndpoint(answers=[ANSWER], latency=latency) as fake:
        elapsed = asyncio.run(load(fake.base_url))
    print(f"fake endpoint: start {fake.startup_seconds * 1000:.1f} ms, "
          f"{requests} requests at {latency} s latency in {elapsed:.2f} s "
          f"= {requests / elapsed:.0f} req/s")  # fmt: skip
    assert fake.startup_seconds < 1.0
    assert elapsed < requests * latency / 20  # 20+ requests in flight at once (serially: 60 s)


def test_async_context_manager() -> None:
    async def run() -> int:
        async with FakeEndpoint(answers=[ANSWER]) as fake, httpx.AsyncClient() as client:
            response = await client.post(f"{fake.base_url}/chat/completions", json={"x": 1})
            return response.status_code

    assert asyncio.run(run()) == 200


def test_needs_something_to_serve() -> None:
    with pytest.raises(ConfigError, match="a cassette or at least one answer"):
        FakeEndpoint()
    with pytest.raises(ConfigError, match="fault_rate"):
        FakeEndpoint(answers=[ANSWER], fault_rate=2)


def test_runs_by_hand_until_interrupted() -> None:
    command = [sys.executable, "-m", "agent.fixtures.fake_endpoint", "--cassette",
               str(SEED / "cassette.json"), "--latency", "0.05", "--port", "0"]  # fmt: skip
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("serving on http://127.0.0.1:"), line
        base_url = line.split()[2]
        response = httpx.post(f"{base_url}/chat/completions", json={"model": "x"}, timeout=5)
        assert response.status_code == 400  # no recorded answer for that body
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=10)[0]
    assert process.returncode == 0
    assert "served 1 request(s)" in rest
