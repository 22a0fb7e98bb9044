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

import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx2 as httpx
import openai

from agent.errors import (
    AuthenticationError,
    ConfigError,
    EndpointFailed,
    EndpointUnreachable,
)
from agent.llm.answers import stops_mid_json
from agent.llm.probe_report import (
    PREFERENCE,
    Check,
    ProbeReport,
    cache_path,
    cached_report,
    remember_report,
    remembered_models,
)
from agent.llm.server_reply import says_invalid_request, short_reason
from agent.llm.transport import RetryPolicy
from agent.settings import OPENAI_BASE_URL, Mode, Settings, without_credentials

PROBE_MAX_TOKENS = 64
# What each check is called in reports, in the order the checks run.
CHECKS = ("tools", "json_schema", "json_object", "md_json")

_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
_QUESTION = "Which city is the capital of Egypt? Reply in JSON with one key, city."


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
