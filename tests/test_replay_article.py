"""Replaying a cassette against another article names the article, not the prompt, as the cause."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.cassettes.replay import Cassette, describe_difference
from agent.cli.main import main
from agent.fixtures.reference import reference_settings
from agent.llm.pipeline import draft_schema
from agent.llm.prompts import PromptSet
from tests.conftest import REASK, SEED


def _first_request() -> dict[str, Any]:
    body: dict[str, Any] = Cassette.load(REASK / "cassette.json").exchanges[0]["request"]["body"]
    return body


def _request_for(article: str) -> dict[str, Any]:
    sent: dict[str, Any] = json.loads(json.dumps(_first_request()))
    prompts = PromptSet.load(reference_settings().prompts_dir)
    sent["messages"] = prompts.build(article, draft_schema()).messages
    return sent


def test_another_article_is_named_as_the_difference() -> None:
    found = describe_difference(_first_request(), _request_for("A different story entirely."))
    assert len(found) == 1, found  # not "system message 0 differs (prompt changed)"
    recorded = " ".join((REASK / "article.txt").read_text(encoding="utf-8").split())[:39]
    assert found[0].startswith(f"the article differs: recorded '{recorded}…'")
    assert found[0].endswith("given 'A different story entirely.', 27 characters")


def test_a_changed_prompt_is_still_named_beside_the_article() -> None:
    sent = _request_for("A different story entirely.")
    sent["messages"][0]["content"] += " Be brief."
    found = describe_difference(_first_request(), sent)
    assert found[0].startswith("the article differs")
    assert "system message 0 differs (prompt changed)" in found


def test_the_cli_says_the_cassette_is_for_another_article(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extract", str(SEED / "article.txt"), "--replay", str(REASK / "cassette.json")])
    assert exited.value.code == 1
    line = " ".join(capsys.readouterr().err.split())
    assert "was recorded for a different article (the article differs: recorded 'Greek" in line
    seed = len((SEED / "article.txt").read_text(encoding="utf-8"))
    assert f", {seed:,} characters): give it the article it was recorded with" in line
    assert "prompt changed" not in line
