"""Helpers for your own test suite: replay recorded cassettes, compare with golden results.

Use the functions directly, or load this module as a pytest plugin (in `conftest.py`:
`pytest_plugins = ["agent.testing"]`) for the `khabar_replay` and `khabar_golden` fixtures:

    def test_visit(khabar_replay, khabar_golden):
        result = khabar_replay("fixtures/cases/seed_military_visit")
        khabar_golden(result, "fixtures/cases/seed_military_visit/golden.json")

A golden comparison failing lists the semantic differences (participants, titles, locations,
positions, spans, grounding), one per line. Set `KHABAR_UPDATE_GOLDEN=1` to (re)write golden
files instead of comparing, then review the change in version control.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from agent.models import ArticleExtraction
from agent.replay import Cassette, write_atomic
from agent.settings import Settings
from agent.suite import ARTICLE, CASSETTE, Case, replay_case, replay_settings
from agent.suite_diff import diff_results, strip_volatile

UPDATE_VARIABLE = "KHABAR_UPDATE_GOLDEN"


def replay_client(
    cassette: str | Path | Cassette, settings: Settings | None = None
) -> openai.OpenAI:
    """A real `openai.OpenAI` whose answers come from `cassette` (no network)."""
    from agent.client import openai_client
    from agent.replay import ReplayTransport

    if not isinstance(cassette, Cassette):
        cassette = Cassette.load(cassette)
    return openai_client(
        replay_settings(cassette, settings or Settings()), transport=ReplayTransport(cassette)
    )


def replay(case: str | Path, settings: Settings | None = None) -> ArticleExtraction:
    """Extract a case folder's `article.txt`, answered from its `cassette.json`."""
    folder = Path(case)
    for name in (ARTICLE, CASSETTE):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} does not exist")
    return replay_case(Case(folder), settings or Settings())


def assert_matches_golden(result: ArticleExtraction, golden: str | Path) -> None:
    """Fail with one line per semantic difference between `result` and the golden file."""
    path = Path(golden)
    current = strip_volatile(result)
    if os.environ.get(UPDATE_VARIABLE) == "1":
        write_atomic(path, json.dumps(current, ensure_ascii=False, indent=1) + "\n")
        return
    if not path.exists():
        raise AssertionError(f"{path} does not exist: run with {UPDATE_VARIABLE}=1 to write it")
    changes = diff_results(json.loads(path.read_text(encoding="utf-8")), current)
    if changes:
        lines = "\n".join(f"  {c.line()}" for c in changes)
        raise AssertionError(f"result differs from {path} ({len(changes)}):\n{lines}")


@pytest.fixture
def khabar_replay() -> Callable[[str | Path], ArticleExtraction]:
    """Replay a case folder (article.txt + cassette.json) through the real pipeline."""
    return replay


@pytest.fixture
def khabar_golden() -> Callable[[ArticleExtraction, str | Path], None]:
    """Compare a result with a golden file (`KHABAR_UPDATE_GOLDEN=1` rewrites it)."""
    return assert_matches_golden


__all__ = [
    "UPDATE_VARIABLE",
    "assert_matches_golden",
    "khabar_golden",
    "khabar_replay",
    "replay",
    "replay_client",
]
