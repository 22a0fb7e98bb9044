"""The instructor client khabar builds sends the same request as instructor's own, more cheaply."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2 as httpx
import instructor
import openai.resources.chat.completions.completions as sdk_completions
import pytest

from agent.fixtures.reference import completion, reference_settings
from agent.llm.client import (
    PLAIN_JSON_FIELDS,
    async_openai_client,
    instructor_mode,
    openai_client,
    patch,
)
from agent.llm.pipeline import Extractor, response_model
from agent.llm.prompts import PromptSet
from agent.settings import Mode
from tests.conftest import REASK

ARTICLE = (REASK / "article.txt").read_text(encoding="utf-8")
CLEAN_ANSWER: dict[str, Any] = json.loads((REASK / "answers.json").read_text(encoding="utf-8"))[
    "answers"
][1]
SCHEMA_FIELDS_BY_MODE = {
    Mode.TOOLS: {"tools", "tool_choice"},
    Mode.JSON_SCHEMA: {"response_format"},
    Mode.MD_JSON: set(),
}


class Answering:
    """An endpoint in `mode` answering every request with the hand-written clean answer."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        return httpx.Response(200, json=completion(CLEAN_ANSWER, body, self.mode, len(self.bodies)))

    async def handle(self, request: httpx.Request) -> httpx.Response:
        return self(request)


@pytest.fixture
def transformed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Per request, the parameters holding JSON that the SDK type-walked (a pass-through spy)."""
    seen: list[set[str]] = []

    def walked(data: Any) -> set[str]:
        return {name for name, value in data.items() if isinstance(value, dict | list) and value}

    sync_transform, async_transform = (
        sdk_completions.maybe_transform,  # type: ignore[attr-defined]
        (sdk_completions.async_maybe_transform),  # type: ignore[attr-defined]
    )

    def spy(data: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(walked(data))
        return sync_transform(data, *args, **kwargs)

    async def async_spy(data: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(walked(data))
        return await async_transform(data, *args, **kwargs)

    monkeypatch.setattr(sdk_completions, "maybe_transform", spy)
    monkeypatch.setattr(sdk_completions, "async_maybe_transform", async_spy)
    return seen


def instructor_own_request(mode: Mode) -> dict[str, Any]:
    """What instructor's unmodified client sends for the same article: the reference."""
    endpoint = Answering(mode)
    settings = reference_settings(mode=mode)
    client = openai_client(settings, transport=httpx.MockTransport(endpoint))
    prompt = PromptSet.load().build(ARTICLE, {})
    instructor.from_openai(client, mode=instructor_mode(mode)).create(
        model=settings.model,
        messages=prompt.messages,  # type: ignore[arg-type]
        response_model=response_model(),
        max_retries=0,
        temperature=settings.temperature,
    )
    return endpoint.bodies[0]


@pytest.mark.parametrize("mode", [m for m in Mode if m is not Mode.AUTO])
def test_requests_are_the_ones_instructor_sends_without_the_sdk_walking_their_json(
    mode: Mode, transformed: list[set[str]]
) -> None:
    expected = instructor_own_request(mode)
    assert SCHEMA_FIELDS_BY_MODE[mode] <= set(expected)
    transformed.clear()

    endpoint = Answering(mode)
    settings = reference_settings(mode=mode)
    client = openai_client(settings, transport=httpx.MockTransport(endpoint))
    result = Extractor(settings, client=client).extract(ARTICLE)

    assert result.participants and endpoint.bodies == [expected]
    assert transformed and all(not names & set(PLAIN_JSON_FIELDS) for names in transformed)


def test_the_async_client_sends_the_same_request(transformed: list[set[str]]) -> None:
    expected = instructor_own_request(Mode.TOOLS)
    transformed.clear()
    endpoint = Answering(Mode.TOOLS)
    settings = reference_settings()

    async def run() -> None:
        client = async_openai_client(settings, transport=httpx.MockTransport(endpoint.handle))
        extractor = Extractor(settings, client=client)
        await extractor.aextract(ARTICLE)
        await client.close()

    asyncio.run(run())
    assert endpoint.bodies == [expected]
    assert transformed and all(not names & set(PLAIN_JSON_FIELDS) for names in transformed)


def test_extra_body_given_by_a_caller_is_kept(transformed: list[set[str]]) -> None:
    endpoint = Answering(Mode.TOOLS)
    settings = reference_settings()
    client = openai_client(settings, transport=httpx.MockTransport(endpoint))
    wrapped = patch(client, Mode.TOOLS)
    prompt = PromptSet.load().build(ARTICLE, {})
    wrapped.create(
        model=settings.model,
        messages=prompt.messages,
        response_model=response_model(),
        max_retries=0,
        extra_body={"top_k": 5},
    )
    assert endpoint.bodies[0]["top_k"] == 5 and "tools" in endpoint.bodies[0]
