"""What can this server do? A few tiny requests, and the mode to use with it.

Every OpenAI-compatible server supports a different subset of forced tool calls and
`response_format` (json_schema, json_object); a wrong `--mode` used to cost a user minutes of
retried 500s. `probe(settings)` sends one tiny request per feature (a one-field schema, at most
`PROBE_MAX_TOKENS` tokens each): it lists the models (`GET /models`), then tries forced tool
calls, json_schema, json_object and plain markdown JSON, and recommends the first khabar mode
that works (tools > json_schema > md_json). The answer is remembered per base URL and model in
the user cache dir, so `--mode auto` probes once and then costs nothing.

`resolve(settings)` turns `--mode auto` and a left-out `--model` (when the server lists exactly
one) into concrete settings, with a sentence for provenance saying what was chosen and why.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import openai

from agent.errors import (
    AuthenticationError,
    ConfigError,
    EndpointFailed,
    EndpointUnreachable,
    OutputError,
)
from agent.files import write_atomic
from agent.llm.answers import stops_mid_json
from agent.llm.server_reply import says_invalid_request, short_reason
from agent.llm.transport import RetryPolicy
from agent.settings import OPENAI_BASE_URL, Mode, Settings, without_credentials

PROBE_MAX_TOKENS = 64
CACHE_FORMAT = 1
CACHE_TTL = timedelta(days=7)
# What each check is called in reports, in the order the checks run.
CHECKS = ("tools", "json_schema", "json_object", "md_json")
# The khabar modes, best first, and the check each depends on.
PREFERENCE = ((Mode.TOOLS, "tools"), (Mode.JSON_SCHEMA, "json_schema"), (Mode.MD_JSON, "md_json"))

_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
_QUESTION = "Which city is the capital of Egypt? Reply in JSON with one key, city."


@dataclass(frozen=True)
class Check:
    """One feature tried: `status` is works, refused (the server rejects the request), ignored
    (accepted but not honoured), failed (another error) or timeout."""

    name: str
    status: str
    detail: str
    http_status: int | None = None
    seconds: float = 0.0

    @property
    def works(self) -> bool:
        return self.status == "works"


@dataclass(frozen=True)
class ProbeReport:
    """What the probe found out about one base URL and model."""

    base_url: str
    model: str
    models: list[str] | None
    model_source: str  # "settings" or "only one listed"
    checks: list[Check]
    recommended: str | None
    probed_at: str
    seconds: float
    models_detail: str = ""
    cached: bool = field(default=False, compare=False)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("cached")
        for check in data["checks"]:
            check["works"] = check["status"] == "works"
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cached: bool = False) -> ProbeReport:
        checks = [
            Check(**{k: v for k, v in c.items() if k != "works"}) for c in data.get("checks", [])
        ]
        fields = {k: v for k, v in data.items() if k not in ("checks", "cached")}
        return cls(**fields, checks=checks, cached=cached)

    def summary(self) -> str:
        """One line: what works and the mode to use."""
        works = [c.name for c in self.checks if c.works] or ["nothing"]
        use = f"use --mode {self.recommended}" if self.recommended else "no khabar mode works"
        return f"{self.base_url} · {self.model}: {', '.join(works)} work; {use}"


# requests ---------------------------------------------------------------------------------------


def _messages(fenced: bool) -> list[dict[str, str]]:
    system = "You answer in JSON only."
    if fenced:
        system = "You answer with one JSON object inside a ```json code block, nothing else."
    return [{"role": "system", "content": system}, {"role": "user", "content": _QUESTION}]


def probe_body(check: str, model: str) -> dict[str, Any]:
    """The request each check sends (public so tests and cassettes can name it)."""
    body: dict[str, Any] = {
        "model": model,
        "messages": _messages(check == "md_json"),
        "max_tokens": PROBE_MAX_TOKENS,
        "temperature": 0.0,
    }
    if check == "tools":
        body["tools"] = [
            {
                "type": "function",
                "function": {"name": "answer", "description": "The answer.", "parameters": _SCHEMA},
            }
        ]
        body["tool_choice"] = {"type": "function", "function": {"name": "answer"}}
    elif check == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": _SCHEMA, "strict": True},
        }
    elif check == "json_object":
        body["response_format"] = {"type": "json_object"}
    return body


def _judge(check: str, answer: dict[str, Any]) -> tuple[str, str]:
    """(status, detail) of a 200 answer to `check`."""
    choice = (answer.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    finish = choice.get("finish_reason")
    cut = " (cut at the probe's token limit)" if finish == "length" else ""
    if check == "tools":
        calls = message.get("tool_calls") or []
        if not calls:
            return "ignored", "answered in prose: the server does not force tool calls"
        function = calls[0].get("function") or {}
        if function.get("name") != "answer":
            return "ignored", f"called {function.get('name')!r}, not the forced function"
        return "works", _json_detail(str(function.get("arguments") or ""), "tool call") + cut
    content = str(message.get("content") or "")
    if check == "md_json":
        if "{" not in content:
            return "ignored", "no JSON in the answer"
        return "works", _json_detail(content[content.index("{") :], "JSON in the text") + cut
    stripped = content.strip()
    if not stripped.startswith("{"):
        return "ignored", "accepted, but the answer is not JSON"
    return "works", _json_detail(stripped, "JSON answer") + cut


def _json_detail(text: str, what: str) -> str:
    if stops_mid_json(text):
        return f"{what}, cut off"
    try:
        value = json.JSONDecoder().raw_decode(text)[0]
    except ValueError:
        return f"{what} (not parseable)"
    return f"{what}: {json.dumps(value, ensure_ascii=False)[:60]}"


def _probe_client(settings: Settings) -> openai.OpenAI:
    from agent.llm.client import openai_client

    # Two tries for a transient error, and a timed-out probe is not sent again.
    policy = RetryPolicy(attempts=2, max_seconds=min(60.0, settings.transport_max_seconds))
    policy.local_timeout_retries = 0
    return openai_client(settings, policy=policy)


def list_models(client: openai.OpenAI, settings: Settings) -> tuple[list[str] | None, str]:
    """The model ids the server lists, or None (with why) when it lists none."""
    try:
        response = client.get("/models", cast_to=httpx.Response)
    except openai.APIStatusError as err:
        _raise_if_refused_key(err, settings)
        return None, f"GET /models answered HTTP {err.status_code}: {short_reason(err.body)}"
    except openai.APIConnectionError as err:
        raise _unreachable(err, settings) from None
    try:
        data = response.json().get("data") or []
        ids = [str(item["id"]) for item in data if isinstance(item, dict) and "id" in item]
    except (ValueError, AttributeError, TypeError):
        return None, "GET /models did not answer a model list"
    return ids, f"GET /models: {len(ids)} model{'s' if len(ids) != 1 else ''} listed"


def _run_check(client: openai.OpenAI, check: str, model: str, settings: Settings) -> Check:
    started = time.perf_counter()
    try:
        response = client.post(
            "/chat/completions", body=probe_body(check, model), cast_to=httpx.Response
        )
        answer = response.json()
        status, detail = _judge(check, answer if isinstance(answer, dict) else {})
        http_status: int | None = response.status_code
    except openai.APIStatusError as err:
        _raise_if_refused_key(err, settings)
        body = err.body if err.body is not None else err.message
        status = "refused" if says_invalid_request(err.status_code, body) else "failed"
        detail, http_status = short_reason(body, limit=120), err.status_code
    except openai.APITimeoutError:
        status, detail, http_status = "timeout", f"no answer within {settings.timeout:g} s", None
    except openai.APIConnectionError as err:
        raise _unreachable(err, settings) from None
    except ValueError:
        status, detail, http_status = "failed", "the answer is not JSON", 200
    return Check(check, status, detail, http_status, round(time.perf_counter() - started, 3))


def _raise_if_refused_key(err: openai.APIStatusError, settings: Settings) -> None:
    if err.status_code in (401, 403):
        raise AuthenticationError(
            f"{settings.endpoint_host} refused the API key (HTTP {err.status_code}): check "
            "KHABAR_API_KEY or OPENAI_API_KEY",
            host=settings.endpoint_host,
            status_code=err.status_code,
        )


def _unreachable(err: BaseException, settings: Settings) -> EndpointUnreachable:
    root: BaseException = err
    while root.__cause__ is not None:
        root = root.__cause__
    return EndpointUnreachable(
        f"cannot reach {settings.base_url or settings.endpoint_host}: "
        f"{' '.join(str(root).split()) or type(root).__name__}; is the server running?",
        host=settings.endpoint_host,
    )


def pick_model(models: list[str] | None, why: str, settings: Settings) -> tuple[str, str]:
    """(model, source): the configured one, else the only one the server lists."""
    if settings.model:
        return settings.model, "settings"
    if models is not None and len(models) == 1:
        return models[0], "only one listed"
    if not models:
        raise ConfigError(
            f"no model configured, and {settings.endpoint_host} lists none ({why}): "
            "pass --model or set KHABAR_MODEL"
        )
    shown = ", ".join(models[:8]) + (f", … ({len(models)} in all)" if len(models) > 8 else "")
    raise ConfigError(
        f"no model configured, and {settings.endpoint_host} lists {len(models)}: {shown}; "
        "pass one with --model or set KHABAR_MODEL"
    )


def probe(
    settings: Settings | None = None, *, client: openai.OpenAI | None = None, remember: bool = True
) -> ProbeReport:
    """Probe the configured endpoint (see the module doc); remember the answer unless told not
    to. Raises `EndpointUnreachable`, `AuthenticationError` or `ConfigError` (no model)."""
    settings = settings if settings is not None else Settings.load()
    settings.require_endpoint(model=False)
    started = time.perf_counter()
    own = client is None
    client = client or _probe_client(settings)
    try:
        models, models_detail = list_models(client, settings)
        model, source = pick_model(models, models_detail, settings)
        checks = [_run_check(client, name, model, settings) for name in CHECKS]
    finally:
        if own:
            client.close()
    works = {c.name for c in checks if c.works}
    recommended = next((m.value for m, check in PREFERENCE if check in works), None)
    report = ProbeReport(
        base_url=without_credentials(settings.base_url or OPENAI_BASE_URL),
        model=model,
        models=models,
        model_source=source,
        checks=checks,
        recommended=recommended,
        probed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - started, 3),
        models_detail=models_detail,
    )
    if remember:
        remember_report(report)
    return report


# the cache --------------------------------------------------------------------------------------

_cache_lock = threading.Lock()


def cache_path() -> Path:
    """$XDG_CACHE_HOME/khabar/probe.json (default ~/.cache/khabar/probe.json)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / "khabar" / "probe.json"


def _key(base_url: str, model: str) -> str:
    return f"{without_credentials(base_url)} {model}"


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: probe again
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def remember_report(report: ProbeReport) -> None:
    with _cache_lock:
        entries = _read_cache()
        entries[_key(report.base_url, report.model)] = report.to_dict()
        text = json.dumps({"format": CACHE_FORMAT, "entries": entries}, indent=1)
        # A read-only home, a cache path that is a folder or lies under a file: the probe still
        # answered, and not remembering it only costs a probe next time (write_atomic turns
        # every such OSError into an OutputError).
        with contextlib.suppress(OSError, OutputError):
            write_atomic(cache_path(), text + "\n")


def cached_report(base_url: str, model: str, *, now: datetime | None = None) -> ProbeReport | None:
    """The remembered probe of this base URL and model, if younger than `CACHE_TTL`; a damaged
    entry (edited by hand, written by another version) is not remembered: probe again."""
    report = _report_of(_read_cache().get(_key(base_url, model)))
    if report is None:
        return None
    try:
        age = (now or datetime.now(UTC)) - datetime.fromisoformat(report.probed_at)
    except (TypeError, ValueError):  # no date, or one without a time zone
        return None
    return report if age <= CACHE_TTL else None


_MODES = frozenset(mode.value for mode, _ in PREFERENCE)


def _report_of(entry: object) -> ProbeReport | None:
    """The report a cache entry holds, or None when any field is of the wrong type: a
    recommended mode that is no mode, or a list that is not one, would fail later, in a view
    or in `--mode auto`, with a traceback."""
    if not isinstance(entry, dict) or not isinstance(entry.get("checks"), list):
        return None
    if not all(isinstance(c, dict) for c in entry["checks"]):
        return None
    try:
        report = ProbeReport.from_dict(entry, cached=True)
    except (TypeError, ValueError):
        return None
    texts = [report.base_url, report.model, report.model_source, report.probed_at]
    texts += [report.models_detail] + [t for c in report.checks for t in (c.name, c.status)]
    texts += [c.detail for c in report.checks]
    numbers = [report.seconds] + [c.seconds for c in report.checks]
    if (
        not all(isinstance(text, str) for text in texts)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers)
        or not all(_is_status(c.http_status) for c in report.checks)
        or not (report.models is None or _is_texts(report.models))
        or not (report.recommended is None or report.recommended in _MODES)
    ):
        return None
    return report


def _is_status(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def remembered_models(base_url: str) -> list[str]:
    """The models probed at this base URL that the cache still remembers (any age)."""
    prefix = f"{without_credentials(base_url)} "
    return sorted(key[len(prefix) :] for key in _read_cache() if key.startswith(prefix))


# resolving --mode auto and a left-out model -----------------------------------------------------


def resolve(
    settings: Settings, *, client: openai.OpenAI | None = None
) -> tuple[Settings, str | None]:
    """Concrete settings for `--mode auto` and a missing model, and a sentence saying what was
    chosen from what (None when nothing was left to choose)."""
    needs_mode = settings.mode is Mode.AUTO
    if not needs_mode and settings.model:
        return settings, None
    settings.require_endpoint(model=False)
    base_url = without_credentials(settings.base_url or OPENAI_BASE_URL)
    notes: list[str] = []
    own = client is None
    client = client or _probe_client(settings)
    try:
        if not settings.model:
            models, why = list_models(client, settings)
            model, _ = pick_model(models, why, settings)
            notes.append(f"model {model}: the only one the server lists")
            settings = settings.with_overrides(model=model)
        if needs_mode:
            assert settings.model is not None
            report = cached_report(base_url, settings.model)
            if report is None:
                report = probe(settings, client=client)
            if report.recommended is None:
                failed = "; ".join(f"{c.name}: {c.status} ({c.detail})" for c in report.checks)
                raise EndpointFailed(
                    f"--mode auto: no mode works with {settings.endpoint_host} ({failed}); "
                    "see `khabar probe`",
                    host=settings.endpoint_host,
                )
            when = "cached" if report.cached else "just now"
            notes.append(
                f"mode {report.recommended}: recommended by the probe of {report.probed_at} "
                f"({when})"
            )
            settings = replace(settings, mode=Mode(report.recommended))
    finally:
        if own:
            client.close()
    return settings, "; ".join(notes)


__all__ = [
    "CHECKS",
    "Check",
    "ProbeReport",
    "cache_path",
    "cached_report",
    "list_models",
    "pick_model",
    "probe",
    "probe_body",
    "remember_report",
    "remembered_models",
    "resolve",
]
