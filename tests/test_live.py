"""Against whatever real endpoint is configured: probe, one extraction per supported mode, and a
5-article batch. Deselected by default; run against your own server with

    KHABAR_LIVE=1 KHABAR_BASE_URL=http://127.0.0.1:8080/v1 pytest -m live

(KHABAR_MODEL may be left out when the server lists one model; KHABAR_API_KEY for hosted ones.)
These check khabar's contract, not the model's quality: every result's spans slice the article,
and every failure is one KhabarError line with its kind, never a traceback.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.batch.engine import BatchRecord, extract_many
from agent.errors import KhabarError
from agent.llm.client import async_openai_client
from agent.llm.pipeline import Extractor
from agent.llm.probe import ProbeReport, probe
from agent.settings import Mode, Settings
from tests.conftest import CASES, SEED, assert_spans_slice_article

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("KHABAR_LIVE") != "1", reason="set KHABAR_LIVE=1"),
]

# Read at import, before the autouse fixture clears KHABAR_* and OPENAI_* for every test.
LIVE_ENV = {k: v for k, v in os.environ.items() if k.startswith(("KHABAR_", "OPENAI_", "XDG_"))}
BATCH = sorted(p for p in CASES.iterdir() if (p / "article.txt").exists())[:5]


@pytest.fixture(scope="module")
def live_settings() -> Settings:
    env = {k: v for k, v in LIVE_ENV.items() if k != "KHABAR_MODE"}
    return Settings.load(env=env)


@pytest.fixture(scope="module")
def report(live_settings: Settings) -> ProbeReport:
    return probe(live_settings, remember=False)


@pytest.fixture(autouse=True)
def live_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if "XDG_CACHE_HOME" in LIVE_ENV:
        monkeypatch.setenv("XDG_CACHE_HOME", LIVE_ENV["XDG_CACHE_HOME"])
    yield


def _one_line(error: KhabarError) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message, message
    assert error.kind


def test_probe_reaches_the_server_and_recommends_a_mode(report: ProbeReport) -> None:
    print(report.summary())
    assert report.model
    assert {c.name for c in report.checks} == {"tools", "json_schema", "json_object", "md_json"}
    assert report.recommended in (None, *(m.value for m in Mode if m is not Mode.AUTO))
    for check in report.checks:
        assert check.status in ("works", "refused", "ignored", "failed", "timeout")


@pytest.mark.parametrize("mode", [Mode.TOOLS, Mode.JSON_SCHEMA, Mode.MD_JSON])
def test_one_extraction_per_supported_mode(
    mode: Mode, report: ProbeReport, live_settings: Settings
) -> None:
    check = report.check(mode.value)
    if check is None or not check.works:
        pytest.skip(f"the server does not support {mode.value}: {check.detail if check else '?'}")
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    settings = live_settings.with_overrides(model=report.model, mode=mode)
    with Extractor(settings) as extractor:
        try:
            result = extractor.extract(text)
        except KhabarError as error:
            _one_line(error)
            pytest.xfail(f"{mode.value}: the model's answer failed: {error}")
    assert result.provenance.mode == mode.value
    assert result.provenance.usage.total_tokens > 0
    assert_spans_slice_article(result, text)


def test_a_five_article_batch(report: ProbeReport, live_settings: Settings, tmp_path: Path) -> None:
    if report.recommended is None:
        pytest.skip("no mode works with this server")
    settings = live_settings.with_overrides(model=report.model, mode=report.recommended)
    items = [
        {"id": case.name, "text": (case / "article.txt").read_text(encoding="utf-8")}
        for case in BATCH
    ]

    async def run() -> list[BatchRecord]:
        async with async_openai_client(settings) as client:  # closed here, not at exit
            batch = extract_many(items, settings=settings, client=client, concurrency=2)
            return [r async for r in batch]

    records = asyncio.run(run())
    assert sorted(r.id for r in records) == sorted(i["id"] for i in items)
    texts = {i["id"]: i["text"] for i in items}
    for record in records:
        if record.result is not None:
            assert_spans_slice_article(record.result, texts[record.id])
        else:
            assert record.error is not None and record.error["kind"] and record.error["message"]
    print(f"{sum(r.ok for r in records)} of {len(records)} ok")
