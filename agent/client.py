"""Settings → openai client → instructor client, with khabar's transport retries underneath.

Clients are built on demand, never at import time. khabar's own clients have the SDK's retries
switched off (`max_retries=0`): transport retries happen once, in `agent.transport`, and
instructor's re-asks only ever follow validation errors. A client a user injects is used as is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import openai

from agent.settings import OPENAI_BASE_URL, Mode, Settings
from agent.transport import AsyncRetryingTransport, RetryingTransport, RetryPolicy

# Local servers (vLLM, Ollama, llama.cpp, LM Studio) need no key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        attempts=settings.transport_attempts, max_seconds=settings.transport_max_seconds
    )


def openai_client(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> openai.OpenAI:
    """A sync client for the configured endpoint (or for `transport`, e.g. a cassette)."""
    settings.require_endpoint()
    retrying = RetryingTransport(
        transport or httpx.HTTPTransport(), policy or retry_policy(settings), sleep=sleep
    )
    return openai.OpenAI(
        api_key=settings.api_key or PLACEHOLDER_KEY,
        base_url=settings.base_url or OPENAI_BASE_URL,
        timeout=settings.timeout,
        max_retries=0,
        http_client=httpx.Client(transport=retrying, timeout=settings.timeout),
    )


def async_openai_client(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    policy: RetryPolicy | None = None,
) -> openai.AsyncOpenAI:
    """An async client for the configured endpoint; share `policy` between workers."""
    settings.require_endpoint()
    retrying = AsyncRetryingTransport(
        transport or httpx.AsyncHTTPTransport(), policy or retry_policy(settings)
    )
    return openai.AsyncOpenAI(
        api_key=settings.api_key or PLACEHOLDER_KEY,
        base_url=settings.base_url or OPENAI_BASE_URL,
        timeout=settings.timeout,
        max_retries=0,
        http_client=httpx.AsyncClient(transport=retrying, timeout=settings.timeout),
    )


def instructor_mode(mode: Mode) -> Any:
    import instructor

    return {
        Mode.TOOLS: instructor.Mode.TOOLS,
        Mode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
        Mode.MD_JSON: instructor.Mode.MD_JSON,
    }[mode]


def patch(client: openai.OpenAI | openai.AsyncOpenAI, mode: Mode) -> Any:
    """The instructor wrapper around an openai client."""
    import instructor

    return instructor.from_openai(client, mode=instructor_mode(mode))


__all__ = ["PLACEHOLDER_KEY", "async_openai_client", "openai_client", "patch", "retry_policy"]
