"""Cassettes: recorded HTTP exchanges, replayed to a real openai client with no network.

A cassette is one JSON file: `meta` (where the answers came from, model, mode, prompt version) and
`exchanges` (request method, path and JSON body; response status, a few headers and body). The
replay transport serves them to an unmodified `openai.OpenAI`/`AsyncOpenAI`, so the SDK, instructor
and the validator all run for real. Requests are matched on method, path and the canonical JSON
body, each exchange answering once, in order; a request with no recorded answer raises
`ReplayError` naming the cassette and what differs from the nearest recorded request. The
recording transport writes real exchanges, with credentials scrubbed, after every exchange.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx

from agent.cassettes.shape import shape_problem
from agent.errors import ConfigError, ReplayError
from agent.files import write_atomic
from agent.settings import OPENAI_BASE_URL, Settings, without_credentials

FORMAT = 1
SCRUBBED = "<scrubbed>"
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "x-api-key",
        "openai-organization",
        "openai-project",
        "cookie",
        "set-cookie",
        "proxy-authorization",
    }
)
KEPT_RESPONSE_HEADERS = frozenset(
    {"content-type", "retry-after", "retry-after-ms", "x-request-id", "openai-processing-ms"}
)
HAND_WRITTEN = "hand-written"
RECORDED = "recorded"


def canonical(body: Any) -> str:
    """One string per JSON value, whatever its key order or spacing."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _request_body(request: httpx.Request) -> Any:
    raw = request.content
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


@dataclass
class Cassette:
    """Recorded exchanges and where they came from."""

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> Cassette:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ReplayError(f"cassette {path} does not exist") from None
        except (OSError, ValueError) as exc:
            raise ReplayError(f"cannot read cassette {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ReplayError(f"{path} is not a khabar cassette (format {FORMAT})")
        problem = shape_problem(data)
        if problem is not None:
            raise ReplayError(
                f"cassette {path} is damaged: {problem}; restore it or record it again"
            )
        return cls(path=path, meta=data.get("meta", {}), exchanges=data["exchanges"])

    def save(self, secrets: tuple[str, ...] = ()) -> None:
        """Write atomically, with every known secret value replaced."""
        text = json.dumps(
            {"format": FORMAT, "meta": self.meta, "exchanges": self.exchanges},
            ensure_ascii=False,
            indent=1,
        )
        for secret in secrets:
            if secret:
                text = text.replace(secret, SCRUBBED)
        write_atomic(self.path, text + "\n")

    @property
    def base_url(self) -> str:
        return str(self.meta.get("base_url") or "http://replay.invalid/v1")


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves a cassette's answers; usable by sync and async clients."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette
        self.used: set[int] = set()
        # (recorded body, sent body) of the last miss that had a nearest recorded request.
        self.mismatch: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = _request_body(request)
        key = (request.method, request.url.path, canonical(body))
        with self._lock:
            for i, exchange in enumerate(self.cassette.exchanges):
                if i in self.used:
                    continue
                req = exchange["request"]
                if (req["method"], req["path"], canonical(req.get("body"))) == key:
                    self.used.add(i)
                    return _response(exchange["response"], request)
            raise ReplayError(self._explain(request.method, request.url.path, body))

    def _explain(self, method: str, path: str, body: Any) -> str:
        name = self.cassette.path
        unused = [e["request"] for i, e in enumerate(self.cassette.exchanges) if i not in self.used]
        if not unused:
            return (
                f"cassette {name} has no answer left for {method} {path} "
                f"(all {len(self.cassette.exchanges)} used); re-record it with --record"
            )
        nearest = next((r for r in unused if r["method"] == method and r["path"] == path), None)
        if nearest is None:
            return f"cassette {name} holds no {method} {path} request; re-record it with --record"
        self.mismatch = (nearest.get("body"), body)
        differences = describe_difference(nearest.get("body"), body)
        if differences[0].startswith(ARTICLE_DIFFERS):
            return (
                f"cassette {name} was recorded for a different article "
                f"({'; '.join(differences)}): give it the article it was recorded with, "
                "or record one for this article with --record"
            )
        return (
            f"cassette {name} is stale: the request differs from the recorded one "
            f"({'; '.join(differences)}); re-record it with --record"
        )


# The article sits between two copies of its fence (agent.llm.prompts.article_fence), which is
# derived from the article, so the fence differs wherever the article does (the system message
# names it too): both are taken out before the prompts are compared.
_FENCED = re.compile(r"(<<<ARTICLE-[0-9a-f]+>>>)\n?(.*?)\n?\1", re.DOTALL)
_FENCE = re.compile(r"<<<ARTICLE-[0-9a-f]+>>>")
ARTICLE_DIFFERS = "the article differs"


def _article_in(messages: list[Any]) -> str | None:
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str) and (fenced := _FENCED.search(content)):
            return fenced.group(2)
    return None


def article_of(body: Any) -> str | None:
    """The article (or a long article's chunk) a chat-completion body carries between its
    fences, or None."""
    messages = body.get("messages") if isinstance(body, dict) else None
    return _article_in(messages) if isinstance(messages, list) else None


def _without_article(message: Any) -> str:
    if isinstance(message, dict) and isinstance(message.get("content"), str):
        content = _FENCE.sub("<<<ARTICLE>>>", _FENCED.sub("<<<ARTICLE>>>", message["content"]))
        message = {**message, "content": content}
    return canonical(message)


def _gist(article: str) -> str:
    start = " ".join(article.split())
    start = start if len(start) <= 40 else start[:39] + "…"
    return f"{start!r}, {len(article):,} characters"


def describe_difference(recorded: Any, sent: Any) -> list[str]:
    """Name what changed between two chat-completion bodies, most telling first."""
    if not isinstance(recorded, dict) or not isinstance(sent, dict):
        return ["body differs"]
    found: list[str] = []
    for key in ("model", "temperature", "max_tokens", "tool_choice", "response_format", "tools"):
        if canonical(recorded.get(key)) != canonical(sent.get(key)):
            if key in ("tools", "response_format"):
                found.append("the response schema changed")
            elif key == "model":
                found.append(f"model {recorded.get(key)!r} → {sent.get(key)!r}")
            else:
                found.append(f"parameter {key} {recorded.get(key)!r} → {sent.get(key)!r}")
    old, new = recorded.get("messages") or [], sent.get("messages") or []
    old_article, new_article = _article_in(old), _article_in(new)
    if old_article is not None and new_article is not None and old_article != new_article:
        found.insert(
            0, f"{ARTICLE_DIFFERS}: recorded {_gist(old_article)}; given {_gist(new_article)}"
        )
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        if _without_article(a) != _without_article(b):
            role = b.get("role", "?") if isinstance(b, dict) else "?"
            what = "prompt" if role in ("system", "user") and i < 2 else "re-ask"
            found.append(f"{role} message {i} differs ({what} changed)")
    if len(old) != len(new):
        found.append(f"{len(new)} messages sent, {len(old)} recorded")
    extra = sorted(set(recorded) ^ set(sent))
    if extra:
        found.append(f"parameters added or removed: {', '.join(extra)}")
    return found or ["body differs"]


def _response(recorded: dict[str, Any], request: httpx.Request) -> httpx.Response:
    body = recorded.get("body")
    headers = dict(recorded.get("headers") or {})
    if isinstance(body, str):
        content = body.encode()
    else:
        content = json.dumps(body, ensure_ascii=False).encode()
        headers.setdefault("content-type", "application/json")
    return httpx.Response(
        recorded.get("status", 200), headers=headers, content=content, request=request
    )


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Passes requests to a real transport and writes each exchange, scrubbed, to a cassette."""

    def __init__(
        self,
        cassette: Cassette,
        inner: httpx.BaseTransport | None = None,
        async_inner: httpx.AsyncBaseTransport | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.cassette = cassette
        self.inner = inner or httpx.HTTPTransport()
        self.async_inner = async_inner or httpx.AsyncHTTPTransport()
        self.secrets = secrets
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self._record(request, response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.async_inner.handle_async_request(request)
        await response.aread()
        self._record(request, response)
        return response

    def finish(self, prompt_version: str) -> None:
        """Stamp the cassette with the prompt version its requests were made with."""
        with self._lock:
            self.cassette.meta["prompt_version"] = prompt_version
            self.cassette.save(self.secrets)

    def _record(self, request: httpx.Request, response: httpx.Response) -> None:
        try:
            body: Any = json.loads(response.content)
        except ValueError:
            body = response.content.decode("utf-8", "replace")
        exchange = {
            "request": {
                "method": request.method,
                "path": request.url.path,
                "headers": scrub_headers(request.headers),
                "body": _request_body(request),
            },
            "response": {
                "status": response.status_code,
                "headers": {
                    k: v for k, v in response.headers.items() if k.lower() in KEPT_RESPONSE_HEADERS
                },
                "body": body,
            },
        }
        with self._lock:
            self.cassette.exchanges.append(exchange)
            self.cassette.save(self.secrets)

    def close(self) -> None:
        self.inner.close()

    async def aclose(self) -> None:
        await self.async_inner.aclose()


# Settings that shape the request body; a replay must use the recorded ones to match it.
REQUEST_SETTINGS = ("temperature", "max_tokens", "max_reasks")


def request_settings(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in REQUEST_SETTINGS}


def recorder_for(path: Path, settings: Settings) -> RecordingTransport:
    """A recording transport to a new cassette whose metadata names model, endpoint and mode."""
    cassette = Cassette(
        path=path,
        meta={
            "source": RECORDED,
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "model": settings.model,
            "base_url": without_credentials(settings.base_url or OPENAI_BASE_URL),
            "mode": str(settings.mode),
            "settings": request_settings(settings),
        },
    )
    return RecordingTransport(cassette, secrets=(settings.api_key or "",))


def replay_settings(cassette: Cassette, base: Settings) -> Settings:
    """`base`, answered as the cassette was recorded: its model, mode, base URL and request
    settings, except where `base` took them from an explicit argument."""
    recorded = {k: cassette.meta.get(k) for k in ("model", "mode")}
    recorded |= cassette.meta.get("settings") or {}
    unknown = sorted(set(recorded) - set(REQUEST_SETTINGS) - {"model", "mode", "chunk_chars"})
    if unknown:
        raise ReplayError(
            f"cassette {cassette.path} is damaged: its recorded settings name "
            f"{', '.join(map(repr, unknown))}, which khabar does not record; restore it or "
            "record it again"
        )
    overrides = {
        k: v
        for k, v in recorded.items()
        if v is not None and base.sources.get(k) not in ("argument", "flag")
    }
    settings = replace(base, api_key=None)
    source = f"cassette {cassette.path}"  # a bad value is the cassette's, not a flag's
    try:
        return settings.with_values(source, **overrides, base_url=cassette.base_url)
    except ConfigError as exc:
        reason = str(exc).removeprefix(f"{source}: ")
        raise ReplayError(
            f"{source} is damaged: its recorded settings are invalid ({reason}); "
            "restore it or record it again"
        ) from None


def scrub_headers(headers: httpx.Headers) -> dict[str, str]:
    """Request headers worth keeping, with every credential replaced."""
    kept: dict[str, str] = {}
    for key, value in headers.items():
        lower = key.lower()
        if lower.startswith("x-stainless") or lower in ("content-length", "host", "user-agent"):
            continue
        kept[lower] = SCRUBBED if lower in SECRET_HEADERS else value
    return kept


__all__ = [
    "ARTICLE_DIFFERS",
    "HAND_WRITTEN",
    "RECORDED",
    "Cassette",
    "RecordingTransport",
    "ReplayTransport",
    "article_of",
    "canonical",
    "describe_difference",
    "recorder_for",
    "replay_settings",
    "request_settings",
    "scrub_headers",
]
