"""The terminal view reads without colour: every alignment tier has its own mark."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx2 as httpx
from rich.console import Console

from agent.fixtures.reference import completion, reference_settings
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.models import AlignmentStatus, ArticleExtraction
from agent.settings import Mode
from agent.views.terminal import STATUS_MARK, render_extraction
from tests.conftest import SEED

TEXT = (SEED / "article.txt").read_text(encoding="utf-8")


def _extract(answer: dict[str, Any]) -> ArticleExtraction:
    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json=completion(answer, json.loads(request.content), Mode.TOOLS, 1)
        )

    settings = reference_settings()
    with openai_client(settings, transport=httpx.MockTransport(serve)) as client:
        return Extractor(settings, client=client).extract(TEXT)


def _plain(result: ArticleExtraction) -> str:
    out = io.StringIO()
    Console(file=out, no_color=True, width=250).print(render_extraction(result))
    return out.getvalue()


def test_normalized_and_clitic_matches_have_different_marks() -> None:
    answer = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
    cairo = next(loc for loc in answer["locations"] if loc["name"] == "القاهرة")
    cairo["name"] = "القاهره"  # ta marbuta written as ha: the same word once normalised
    result = _extract(answer)

    marks = list(STATUS_MARK.values())
    assert len(set(marks)) == len(marks)  # one mark per tier (exact has none)
    found = {loc.name.text: loc.name.alignment for loc in result.locations}
    assert found["القاهره"] is AlignmentStatus.NORMALIZED
    army = result.participant("p7")
    assert army is not None and army.name.alignment is AlignmentStatus.CLITIC

    shown = _plain(result)
    assert "القاهره *" in shown
    assert "الجيش الوطني الليبي ~" in shown
    footer = shown.strip().splitlines()[-1]
    assert "1 normalized *" in footer and "clitic ~" in footer and "exact," in footer
