"""The pipeline for one article: prompt → model (re-asked until grounded) → grounded result.

    text ─► check ─► render prompt ─► instructor(openai) ─► ExtractionDraft ─► build_result
                                           ▲      │ validator: ungrounded strings, broken ids
                                           └──────┘ re-ask, at most `max_reasks` times

`Extractor` holds the settings, the prompt templates and the client; `extract` and `aextract` are
one-call conveniences. Every failure leaves as a `KhabarError` with a one-line reason and the
tokens spent. A re-ask that fails (timeout, cut or unusable answer) does not throw away an answer
that validated before it: with policy flag or drop the best one so far becomes the result.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import openai

from agent.errors import (
    AuthenticationError,
    ConfigError,
    EndpointError,
    ExtractionError,
    IncompleteAnswer,
    InputError,
    KhabarError,
)
from agent.extraction.draft import CURRENT_RUN, ExtractionDraft
from agent.extraction.result import build_result
from agent.extraction.validate import ValidationRun
from agent.llm import chunked
from agent.llm.client import async_openai_client, openai_client, patch
from agent.llm.failures import translate_error
from agent.llm.prompts import PromptSet
from agent.models import ArticleExtraction, Provenance, Usage
from agent.settings import Mode, Policy, Settings


@cache
def khabar_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("khabar")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def response_model() -> Any:
    """ExtractionDraft wrapped for instructor once, not on every call (it also keeps instructor's
    schema cache warm: a fresh wrapper per call costs several ms of CPU per article)."""
    import instructor

    return instructor.openai_schema(ExtractionDraft)


@cache
def draft_schema() -> dict[str, Any]:
    """The JSON Schema the model is asked to fill (part of the prompt version)."""
    return ExtractionDraft.model_json_schema()


TATWEEL = "\u0640"  # Arabic letter stretching: a "letter" to Python, no letter to a reader


def check_article(text: object, settings: Settings) -> str:
    """The article as given, or an `InputError` saying why it cannot be used."""
    if not isinstance(text, str):
        raise InputError(f"the article must be text (str), not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty (nothing but whitespace)")
    if not any(ch.isalnum() and ch != TATWEEL for ch in text):  # zero-width, bidi marks, NULs
        raise InputError(
            "the article has no letter or digit (only punctuation, marks or invisible "
            "characters): nothing to extract"
        )
    if len(text) > settings.max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, over the limit of {settings.max_chars:,} "
            "(raise it with --max-chars or KHABAR_MAX_CHARS)"
        )
    return text


@dataclass
class _Call:
    """One extraction in flight: counts attempts and sums usage over every model answer."""

    text: str
    settings: Settings
    prompts: PromptSet
    run: ValidationRun = field(init=False)
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    reask_failed: str | None = None
    auto_choice: str | None = None
    started: float = field(default_factory=time.perf_counter)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def __post_init__(self) -> None:
        self.run = ValidationRun(article=self.text, max_attempts=self.settings.max_attempts)
        self.prompt = self.prompts.build(self.text, draft_schema())

    def kwargs(self) -> dict[str, Any]:
        from instructor.core.hooks import Hooks

        hooks = Hooks()
        hooks.on("completion:response", self._on_response)
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": self.prompt.messages,
            "response_model": response_model(),
            "max_retries": self.settings.max_reasks,
            "hooks": hooks,
            "temperature": self.settings.temperature,
        }
        if self.settings.max_tokens is not None:
            kwargs["max_tokens"] = self.settings.max_tokens
        return kwargs

    def _on_response(self, response: Any) -> None:
        self.run.attempt += 1
        self.model = getattr(response, "model", None) or self.model
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.usage = self.usage + Usage(
                prompt_tokens=usage.prompt_tokens or 0,
                completion_tokens=usage.completion_tokens or 0,
                total_tokens=usage.total_tokens or 0,
            )

    def recover(self, error: KhabarError) -> ExtractionDraft:
        """After a failed attempt: the best answer that validated before it, or `error` again.

        Only a failure of the model call itself (endpoint, cut or unusable answer) falls back, and
        only when the policy keeps a result with problems (flag, drop): a refused key, a stale
        cassette or policy fail still fail.
        """
        failed_call = isinstance(error, EndpointError | ExtractionError) and not isinstance(
            error, AuthenticationError
        )
        keeps_problems = self.settings.on_ungrounded is not Policy.FAIL
        draft = self.run.settle_on_best() if failed_call and keeps_problems else None
        if draft is None:
            raise error.spent(self.usage)
        self.reask_failed = f"the last re-ask failed ({error.kind}): {error}"
        return draft

    def _count_cut(self, error: IncompleteAnswer) -> None:
        """A cut answer stops before instructor's hooks see it: count it here."""
        self.run.attempt += 1
        error.attempts = self.run.attempt
        self.usage = self.usage + Usage(
            prompt_tokens=error.prompt_tokens or 0,
            completion_tokens=error.completion_tokens or 0,
            total_tokens=(error.prompt_tokens or 0) + (error.completion_tokens or 0),
        )

    def finish(self, draft: ExtractionDraft) -> ArticleExtraction:
        provenance = Provenance(
            khabar_version=khabar_version(),
            model=self.model or self.settings.model or "unknown",
            endpoint=self.settings.endpoint_host,
            mode=str(self.settings.mode),
            auto_choice=self.auto_choice,
            prompt_version=self.prompt.version,
            attempts=max(self.run.attempt, 1),
            usage=self.usage,
            started_at=self.started_at,
            duration_s=round(time.perf_counter() - self.started, 3),
            reask_failed=self.reask_failed,
        )
        try:
            return build_result(draft, self.run, self.settings.on_ungrounded, provenance)
        except KhabarError as exc:
            exc.spent(self.usage)
            raise

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """Around the model call: the run is visible to the validator, and whatever the SDK or
        instructor raises leaves as one KhabarError."""
        token = CURRENT_RUN.set(self.run)
        try:
            yield
        except KhabarError:
            raise
        except Exception as exc:
            error = translate_error(exc, self.settings, attempts=self.run.attempt)
            if isinstance(error, IncompleteAnswer):
                self._count_cut(error)
            raise error from exc
        finally:
            CURRENT_RUN.reset(token)


class Extractor:
    """Reusable extraction: settings, templates and client are set up once, used per article."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings.load()
        self.prompts = PromptSet.load(self.settings.prompts_dir)
        self._client = client
        self._sync: Any = None
        self._async: Any = None
        self.auto_choice: str | None = None
        self._resolved = threading.Lock()

    def close(self) -> None:
        """Close the HTTP connections of clients this Extractor built (not injected ones)."""
        if self._client is None and self._sync is not None:
            self._sync.client.close()
        self._sync = None

    async def aclose(self) -> None:
        if self._client is None and self._async is not None:
            await self._async.client.close()
        self._async = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(self) -> None:
        """Build the client and the response model now instead of at the first article (a batch
        calls this before it freezes what lives for the whole run)."""
        response_model()
        if isinstance(self._client, openai.OpenAI):
            self.instructor_client()
        else:
            self.async_instructor_client()

    def resolve(self) -> None:
        """Settle `--mode auto` and a left-out model (agent.llm.probe) once, before the first
        request: from the remembered probe, or by probing now."""
        if self.settings.mode is not Mode.AUTO and self.settings.model:
            return
        with self._resolved:
            if self.settings.mode is not Mode.AUTO and self.settings.model:
                return
            from agent.llm.probe import resolve

            sync = self._client if isinstance(self._client, openai.OpenAI) else None
            self.settings, self.auto_choice = resolve(self.settings, client=sync)

    def instructor_client(self) -> Any:
        """The instructor client over the sync openai client, built once and shared."""
        self.resolve()
        if self._sync is None:
            client = self._client or openai_client(self.settings)
            if isinstance(client, openai.AsyncOpenAI):
                raise ConfigError("the injected client is async: call aextract() instead")
            self._sync = patch(client, self.settings.mode)
        return self._sync

    def async_instructor_client(self) -> Any:
        """The instructor client over the async openai client, built once and shared."""
        self.resolve()
        if self._async is None:
            client = self._client or async_openai_client(self.settings)
            self._async = patch(client, self.settings.mode)
        return self._async

    def check_ready(self) -> None:
        """Settle `--mode auto` and a left-out model, then fail now if no endpoint or model is
        configured."""
        self.resolve()
        if self._client is None:
            self.settings.require_endpoint()
        elif not self.settings.model:
            raise ConfigError("no model configured: set KHABAR_MODEL or pass --model")

    def _start(self, text: str) -> _Call:
        text = check_article(text, self.settings)
        self.check_ready()
        call = _Call(text, self.settings, self.prompts)
        call.auto_choice = self.auto_choice
        return call

    def extract(self, text: str) -> ArticleExtraction:
        """Extract one article, blocking until the result is grounded (or fails)."""
        if chunked.is_long(text, self.settings):  # longer than one chunk: agent.llm.chunked
            return chunked.extract_long(self, text)
        call = self._start(text)
        client = self.instructor_client()
        try:
            with call.in_flight():
                draft = client.create(**call.kwargs())
        except KhabarError as exc:
            draft = call.recover(exc)
        return call.finish(draft)

    async def aextract(self, text: str) -> ArticleExtraction:
        """The async twin of `extract`; a sync injected client runs in a worker thread."""
        if isinstance(self._client, openai.OpenAI):
            return await asyncio.to_thread(self.extract, text)
        if chunked.is_long(text, self.settings):
            return await chunked.aextract_long(self, text)
        call = self._start(text)
        client = self.async_instructor_client()
        try:
            with call.in_flight():
                draft = await client.create(**call.kwargs())
        except KhabarError as exc:
            draft = call.recover(exc)
        return call.finish(draft)


def extract(
    text: str,
    *,
    client: openai.OpenAI | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> ArticleExtraction:
    """Extract participants, titles, locations and stated positions from one article.

    `settings` defaults to the environment and config file; keyword overrides (`model=...`,
    `on_ungrounded="drop"`, …) apply on top. Raises `KhabarError` subclasses only.
    """
    settings = (settings or Settings.load()).with_overrides(**overrides)
    return Extractor(settings, client=client).extract(text)


async def aextract(
    text: str,
    *,
    client: openai.AsyncOpenAI | openai.OpenAI | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> ArticleExtraction:
    """The async twin of `extract`."""
    settings = (settings or Settings.load()).with_overrides(**overrides)
    return await Extractor(settings, client=client).aextract(text)


__all__ = ["Extractor", "aextract", "check_article", "extract"]
