"""Settings → openai client → instructor client, with khabar's transport retries underneath.

Clients are built on demand, never at import time. khabar's own clients have the SDK's retries
switched off (`max_retries=0`): transport retries happen once, in `agent.llm.transport`, and
instructor's re-asks only ever follow validation errors. A client a user injects is used as is.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx2 as httpx
import openai

from agent.credentials import scrub, without_credentials
from agent.llm.answers import check_complete
from agent.llm.transport import AsyncRetryingTransport, RetryingTransport, RetryPolicy
from agent.settings import OPENAI_BASE_URL, Mode, Settings

# Local servers (vLLM, Ollama, llama.cpp, LM Studio) need no key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        attempts=settings.transport_attempts,
        max_seconds=settings.transport_max_seconds,
        local_timeout_retries=settings.local_timeout_retries,
    )


def _sdk_options(settings: Settings) -> dict[str, Any]:
    """What the sync and async clients share: endpoint, key, timeout, and the SDK's own retries
    off (transport retries happen once, in `agent.llm.transport`).

    The SDK gets the base URL without user info or query: those are credentials, and the SDK and
    httpx log every request's URL. The query goes in as the SDK's `default_query` (appended to
    each request, where a query inside the base URL ended up before the path), the user info as
    the HTTP client's basic auth (what httpx made of it in the URL)."""
    base_url = settings.base_url or OPENAI_BASE_URL
    options: dict[str, Any] = {
        "api_key": settings.api_key or PLACEHOLDER_KEY,
        "base_url": without_credentials(base_url),
        "timeout": settings.timeout,
        "max_retries": 0,
    }
    query = dict(parse_qsl(urlsplit(base_url).query))
    if query:
        options["default_query"] = query
    _scrub_sdk_logs(settings.secrets())
    return options


def _basic_auth(settings: Settings) -> httpx.BasicAuth | None:
    parts = urlsplit(settings.base_url or OPENAI_BASE_URL)
    if not (parts.username or parts.password):
        return None
    return httpx.BasicAuth(unquote(parts.username or ""), unquote(parts.password or ""))


class _SecretFilter(logging.Filter):
    """Replaces known secrets in the records of the SDK's and httpx's loggers (request URLs
    carry the query, error bodies echo keys), for anyone who turns those loggers on."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = scrub(message, tuple(sorted(self.secrets, key=len, reverse=True)))
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        return True


_SECRET_FILTER = _SecretFilter()
# Loggers whose records may carry a secret: request URLs (openai, httpx) and error bodies
# (instructor's retry log quotes them). Filters apply only to the logger a record is made on,
# so each existing logger under these names gets the filter, not only the top one.
SDK_LOGGER_PREFIXES = ("openai", "httpx2", "httpcore2", "instructor")


def _scrub_sdk_logs(secrets: tuple[str, ...] = ()) -> None:
    _SECRET_FILTER.secrets.update(secrets)
    if not _SECRET_FILTER.secrets:
        return
    names = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in SDK_LOGGER_PREFIXES
    ]
    for name in {*SDK_LOGGER_PREFIXES, *names}:
        logger = logging.getLogger(name)
        if _SECRET_FILTER not in logger.filters:
            logger.addFilter(_SECRET_FILTER)


def openai_client(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> openai.OpenAI:
    """A sync client for the configured endpoint (or for `transport`, e.g. a cassette)."""
    settings.require_endpoint(model=False)  # the model is checked per request
    retrying = RetryingTransport(
        transport or httpx.HTTPTransport(), policy or retry_policy(settings), sleep=sleep
    )
    return openai.OpenAI(
        http_client=httpx.Client(
            transport=retrying, timeout=settings.timeout, auth=_basic_auth(settings)
        ),
        **_sdk_options(settings),
    )


def async_openai_client(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    policy: RetryPolicy | None = None,
) -> openai.AsyncOpenAI:
    """An async client for the configured endpoint; share `policy` between workers."""
    settings.require_endpoint(model=False)  # the model is checked per request
    retrying = AsyncRetryingTransport(
        transport or httpx.AsyncHTTPTransport(), policy or retry_policy(settings)
    )
    return openai.AsyncOpenAI(
        http_client=httpx.AsyncClient(
            transport=retrying, timeout=settings.timeout, auth=_basic_auth(settings)
        ),
        **_sdk_options(settings),
    )


def instructor_mode(mode: Mode) -> Any:
    import instructor

    return {
        Mode.TOOLS: instructor.Mode.TOOLS,
        Mode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
        Mode.MD_JSON: instructor.Mode.MD_JSON,
    }[mode]


def patch(client: openai.OpenAI | openai.AsyncOpenAI, mode: Mode) -> Any:
    """The instructor wrapper around an openai client, sending its JSON as built."""
    import instructor

    _remember_async_validator_scans()
    _scrub_sdk_logs()  # instructor's own loggers exist now that it is imported
    wrapped = instructor.from_openai(client, mode=instructor_mode(mode))
    create = _json_as_extra_body(
        client.chat.completions.create, asynchronous=isinstance(client, openai.AsyncOpenAI)
    )
    wrapped.create_fn = instructor.patch(create=create, mode=instructor_mode(mode))
    return wrapped


# Request fields khabar and instructor build as plain JSON: the messages and, from the response
# model, the schema (the same on every request).
PLAIN_JSON_FIELDS = ("messages", "tools", "tool_choice", "response_format")


def _json_as_extra_body(create: Callable[..., Any], *, asynchronous: bool) -> Callable[..., Any]:
    """`create`, with the request's plain-JSON fields passed through `extra_body`.

    Before sending, the SDK walks every request parameter against its typed definitions, node by
    node, trying each member of a union (six message types per message): for khabar's requests
    that was 15-20 % of a batch's CPU. The anthropic SDK, built by the same generator, has the
    same report and the same cure (anthropic-sdk-python#1195). `extra_body` is merged into the
    JSON as it is, so the request sent is the same JSON, keys in another order (tests compare it
    with instructor's own; cassettes match bodies with sorted keys); `messages=[]` only satisfies
    the SDK's required argument.
    """

    def moved(kwargs: dict[str, Any]) -> dict[str, Any]:
        plain = {
            name: kwargs.pop(name)
            for name in PLAIN_JSON_FIELDS
            if isinstance(kwargs.get(name), dict | list)
        }
        if plain:
            kwargs["extra_body"] = {**plain, **(kwargs.get("extra_body") or {})}
        if "messages" in plain:
            kwargs["messages"] = []
        return kwargs

    # A cut-off answer stops here, before instructor re-asks it (agent.llm.answers).
    if asynchronous:

        async def create_async(**kwargs: Any) -> Any:
            request = {"messages": kwargs.get("messages"), "max_tokens": kwargs.get("max_tokens")}
            completion = await create(**moved(kwargs))
            check_complete(completion, request)
            return completion

        return create_async

    def create_sync(**kwargs: Any) -> Any:
        request = {"messages": kwargs.get("messages"), "max_tokens": kwargs.get("max_tokens")}
        completion = create(**moved(kwargs))
        check_complete(completion, request)
        return completion

    return create_sync


@cache
def _remember_async_validator_scans() -> None:
    """Scan each response model for async validators once, not on every call.

    instructor 1.17 walks the response model's whole class hierarchy several times per `create`
    to refuse models with async validators: about 40 % of khabar's CPU per article in a batch.
    The scan depends only on the class, so a class that passed once passes again; anything else
    (and any instructor without this function) goes through the original unchanged.
    """
    try:
        from instructor.v2.validation import async_validators
    except ImportError:
        return
    original = getattr(async_validators, "reject_async_validators", None)
    if original is None:
        return
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        original(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    async_validators.reject_async_validators = reject_async_validators


__all__ = [
    "PLACEHOLDER_KEY",
    "PLAIN_JSON_FIELDS",
    "async_openai_client",
    "openai_client",
    "patch",
    "retry_policy",
]
