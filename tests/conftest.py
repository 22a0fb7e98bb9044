"""Shared test set-up: an isolated environment and replaying clients over real SDK objects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.cassettes.replay import Cassette, ReplayTransport
from agent.extraction.result import iter_grounded
from agent.fixtures.reference import reference_settings
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.llm.transport import RetryPolicy
from agent.models import ArticleExtraction
from agent.settings import Settings
from agent.text.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
SEED = CASES / "seed_military_visit"
REASK = CASES / "reask_invented_participant"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No developer key, endpoint or config file leaks into a test."""
    for name in list(os.environ):
        if name.startswith(("KHABAR_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


class Sleeps(list[float]):
    """Records the waits the retry policy asked for, and moves a fake clock instead of waiting."""

    now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def replay_extractor(
    cassette: Cassette | Path,
    settings: Settings | None = None,
    sleep: Sleeps | None = None,
) -> Extractor:
    """An Extractor whose real openai client is answered from a cassette (fake time if `sleep`)."""
    if isinstance(cassette, Path):
        cassette = Cassette.load(cassette)
    settings = settings or reference_settings()
    transport = ReplayTransport(cassette)
    if sleep is None:
        client = openai_client(settings, transport=transport)
    else:
        policy = RetryPolicy(
            attempts=settings.transport_attempts,
            max_seconds=settings.transport_max_seconds,
            clock=sleep.clock,
        )
        client = openai_client(settings, transport=transport, policy=policy, sleep=sleep)
    return Extractor(settings, client=client)


def assert_spans_slice_article(result: ArticleExtraction, text: str) -> int:
    """Every span of every grounded field slices the article: exact occurrences equal the text,
    normalised ones fold to it, and a field is exact only if one occurrence is."""
    checked = 0
    for item in iter_grounded(result):
        for span in item.spans:
            assert 0 <= span.start < span.end <= len(text), (item.text, span)
            written = text[span.start : span.end]
            if span.alignment == "exact":
                assert written == item.text.strip()
            elif span.alignment == "normalized":
                assert fold(written) == fold(item.text)
            else:
                assert span.alignment in ("clitic", "fuzzy"), (item.text, span)
            checked += 1
        if item.alignment == "exact":
            assert any(s.alignment == "exact" for s in item.spans), item.text
    return checked
