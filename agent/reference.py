"""Cassettes from hand-written reference answers, for where no model can be reached.

A case folder holds `article.txt` and `answers.json` (`meta` plus `answers`, one answer per model
call: the first answer, then the answer to each re-ask). This module runs the real extractor
against a stand-in server that answers each request khabar sends with the next hand-written
answer, wrapped as a chat completion in the shape of the configured instructor mode, and records
the exchanges as `cassette.json`. The cassette therefore holds the exact requests the code sends;
its metadata says, in plain words, that the answers were written by hand, not produced by a model.
Token counts in these completions are estimates (characters / 4), and say so.

    python -m agent.reference fixtures/cases/seed_military_visit
"""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx

from agent.articles import read_article
from agent.client import openai_client
from agent.errors import KhabarError
from agent.models import ArticleExtraction
from agent.pipeline import Extractor
from agent.replay import HAND_WRITTEN, Cassette, RecordingTransport, request_settings
from agent.settings import Mode, Settings

REFERENCE_MODEL = "reference-answer"
REFERENCE_BASE_URL = "http://reference.invalid/v1"


def reference_settings(**overrides: Any) -> Settings:
    """The settings hand-written cassettes are made (and replayed) with."""
    base = Settings(model=REFERENCE_MODEL, base_url=REFERENCE_BASE_URL, max_reasks=2)
    return base.with_overrides(**overrides)


def completion(
    answer: dict[str, Any], request_body: dict[str, Any], mode: Mode, n: int
) -> dict[str, Any]:
    """A chat completion carrying `answer` the way a server in `mode` would send it."""
    arguments = json.dumps(answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if mode is Mode.TOOLS:
        name = request_body["tool_choice"]["function"]["name"]
        message["tool_calls"] = [
            {
                "id": f"call_{n}",
                "type": "function",
                "function": {"name": name, "arguments": arguments},
            }
        ]
    elif mode is Mode.MD_JSON:
        message["content"] = f"```json\n{arguments}\n```"
    else:
        message["content"] = arguments
    prompt = math.ceil(len(json.dumps(request_body, ensure_ascii=False)) / 4)
    produced = math.ceil(len(arguments) / 4)
    return {
        "id": f"reference-{n}",
        "object": "chat.completion",
        "created": 0,
        "model": request_body.get("model", REFERENCE_MODEL),
        "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": produced,
            "total_tokens": prompt + produced,
        },
    }


def write_reference_cassette(case: Path, settings: Settings | None = None) -> ArticleExtraction:
    """Run the extractor on a case with its hand-written answers and record `cassette.json`."""
    settings = settings or reference_settings(transport_attempts=1)
    spec = json.loads((case / "answers.json").read_text(encoding="utf-8"))
    answers: list[dict[str, Any]] = spec["answers"]
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if len(calls) >= len(answers):
            return httpx.Response(500, json={"error": {"message": "no more reference answers"}})
        calls.append(1)
        return httpx.Response(
            200, json=completion(answers[len(calls) - 1], body, settings.mode, len(calls))
        )

    cassette = Cassette(
        path=case / "cassette.json",
        meta={
            **spec["meta"],
            "source": HAND_WRITTEN,
            "written_at": datetime.now(UTC).date().isoformat(),
            "model": settings.model,
            "base_url": settings.base_url,
            "mode": str(settings.mode),
            "usage_note": "token counts are estimates (characters / 4), not counted by a model",
            "settings": request_settings(settings),
        },
    )
    recorder = RecordingTransport(cassette, inner=httpx.MockTransport(answer))
    with openai_client(settings, transport=recorder) as client:
        result = Extractor(settings, client=client).extract(read_article(case / "article.txt"))
    recorder.finish(result.provenance.prompt_version)
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m agent.reference CASE_DIR...", file=sys.stderr)
        return 2
    for folder in args:
        try:
            result = write_reference_cassette(Path(folder))
        except KhabarError as exc:
            print(f"{folder}: {exc}", file=sys.stderr)
            return 1
        print(
            f"{folder}/cassette.json: {result.provenance.attempts} exchange(s), "
            f"prompt {result.provenance.prompt_version}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
