"""Tokens spent on articles that failed are paid for too: they appear on every failure.

On the error line of `khabar extract`, in the `provenance.usage` of batch error lines, and in the
batch totals, which add up to the sum over the lines. Real HTTP, real SDK and instructor.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from click.testing import CliRunner

from agent.batch.engine import BatchStats, extract_many
from agent.cli.main import cli, main
from agent.errors import EndpointUnreachable
from agent.fixtures.fake_endpoint import FakeEndpoint, Fault
from agent.llm.client import async_openai_client
from agent.llm.pipeline import Extractor
from agent.settings import Settings
from tests.conftest import REASK
from tests.test_batch import ARTICLE, CLEAN_ANSWER, answer_for, settings


def _line_usage(lines: list[dict[str, Any]]) -> tuple[int, int]:
    usages = [line["provenance"]["usage"] for line in lines]
    return sum(u["prompt_tokens"] for u in usages), sum(u["completion_tokens"] for u in usages)


def test_batch_error_lines_carry_their_tokens_and_the_totals_add_up(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"id": f"a{i}", "text": ARTICLE} for i in range(3)] + [{"id": "empty", "text": " "}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # One worker, so requests arrive in input order: a1's only answer comes back cut.
    fake = FakeEndpoint(answers=[CLEAN_ANSWER], faults=[None, Fault.MALFORMED, None])
    with fake:
        result = CliRunner().invoke(
            cli,
            ["batch", str(source), "-o", str(out), "-j", "1", "--no-progress",
             "--base-url", fake.base_url, "--model", "fake", "--max-reasks", "0"],
            env={"KHABAR_TRANSPORT_ATTEMPTS": "1", "COLUMNS": "200"},
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    lines = {line["id"]: line for line in map(json.loads, out.read_text("utf-8").splitlines())}
    failed = lines["a1"]
    assert failed["status"] == "error" and failed["error"]["kind"] == "validation"
    spent = failed["provenance"]["usage"]
    assert spent["prompt_tokens"] > 0 and spent["completion_tokens"] > 0
    assert failed["error"]["message"].endswith(
        f"; spent tokens {spent['total_tokens']:,} ({spent['prompt_tokens']:,} in, "
        f"{spent['completion_tokens']:,} out)"
    )
    assert lines["empty"]["provenance"]["usage"]["total_tokens"] == 0  # never sent
    totals = re.search(r"tokens in / out\s*│\s*([\d,]+) / ([\d,]+)", result.output)
    assert totals is not None, result.output
    shown = tuple(int(n.replace(",", "")) for n in totals.groups())
    assert shown == _line_usage(list(lines.values()))


def test_with_an_injected_client_the_totals_count_failed_articles_too() -> None:
    items = [{"id": "ok", "text": ARTICLE}, {"id": "bad", "text": ARTICLE}]
    served: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        served.append(1)
        body = answer_for(request.content, len(served))
        if len(served) > 1:  # the second article's answer comes back cut: it never validates
            call = body["choices"][0]["message"]["tool_calls"][0]["function"]
            call["arguments"] = call["arguments"][:200]
        return httpx.Response(200, json=body)

    stats = BatchStats()
    config = settings().with_overrides(max_reasks=0)

    async def run() -> list[Any]:
        client = async_openai_client(config, transport=httpx.MockTransport(answer))
        async with client:
            batch = extract_many(items, settings=config, client=client, stats=stats, concurrency=1)
            return [record async for record in batch]

    records = asyncio.run(run())
    assert [r.status for r in records] == ["ok", "error"]
    lines = [r.to_json() for r in records]
    assert lines[1]["provenance"]["usage"]["completion_tokens"] > 0
    assert (stats.prompt_tokens, stats.completion_tokens) == _line_usage(lines)


def test_the_extract_error_line_says_what_was_spent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_ATTEMPTS", "1")
    fake = FakeEndpoint(answers=[CLEAN_ANSWER], faults=[Fault.MALFORMED] * 2)
    with fake, pytest.raises(SystemExit) as exited:
        main([
            "extract", str(REASK / "article.txt"), "--base-url", fake.base_url, "--model", "fake",
            "--max-reasks", "1", "--json",
        ])  # fmt: skip
    assert exited.value.code == 1
    line = " ".join(capsys.readouterr().err.split())
    assert "the re-ask's answer was cut off mid-JSON" in line
    assert re.search(r"; spent tokens [\d,]+ \([\d,]+ in, [\d,]+ out\)$", line), line


def test_a_long_article_that_fails_counts_the_chunks_that_answered() -> None:
    text = (
        Path(__file__).parent.parent / "fixtures/cases/en_chunked_gum_digest/article.txt"
    ).read_text(encoding="utf-8")
    empty = {"language": "en", "participants": [], "locations": [], "positions": []}
    # Chunk 1 answers, chunk 2 times out: the article fails, having paid for chunk 1.
    with FakeEndpoint(answers=[empty], faults=[None, Fault.SLOW], slow_seconds=3.0) as fake:
        settings = Settings(base_url=fake.base_url, model="fake", max_reasks=0).with_overrides(
            timeout=0.5, transport_attempts=1, chunk_concurrency=1
        )
        with pytest.raises(EndpointUnreachable) as caught, Extractor(settings) as extractor:
            extractor.extract(text)
    usage = caught.value.usage
    assert usage is not None and usage.prompt_tokens > 0  # chunk 1's, though chunk 2 failed
    assert str(caught.value).startswith("chunk 2 of 4: ")
    assert str(caught.value).endswith(f"; spent {usage.describe()}")
