"""Is a cassette's JSON shaped like a cassette? Checked once, when it is loaded.

A hand-edited or half-merged cassette can be valid JSON and still not a cassette: a list, a
missing `exchanges`, an exchange without its request or response, an answer whose body is not
a chat completion or holds no choices. Replaying one failed deep inside the SDK or instructor
("'response'", "list index out of range", read as "cannot reach the server"). Each problem is
found here instead and named in one line: which exchange, which field, what it holds.

Only what replay relies on is checked. A recorded error answer (4xx/5xx) may carry any body,
as a server sent it; a successful chat completion must be an object with at least one choice
holding a message, since that is what the code reads.
"""

from __future__ import annotations

from typing import Any

META_TEXT = ("source", "model", "mode", "base_url", "prompt_version")


def _kind(value: Any) -> str:
    """A JSON value's type in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return "an object"


def shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a cassette's top-level object (format already checked), or None."""
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        return f'"meta" is {_kind(meta)}, not an object'
    for key in META_TEXT:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            return f'"meta.{key}" is {_kind(meta[key])}, not a string'
    settings = meta.get("settings")
    if settings is not None and not isinstance(settings, dict):
        return f'"meta.settings" is {_kind(settings)}, not an object'
    if "exchanges" not in data:
        return 'it has no "exchanges" list'
    exchanges = data["exchanges"]
    if not isinstance(exchanges, list):
        return f'"exchanges" is {_kind(exchanges)}, not a list'
    for number, exchange in enumerate(exchanges, start=1):
        problem = _exchange_problem(exchange)
        if problem is not None:
            return f"exchange {number} of {len(exchanges)} {problem}"
    return None


def _exchange_problem(exchange: Any) -> str | None:
    if not isinstance(exchange, dict):
        return f'is {_kind(exchange)}, not an object with "request" and "response"'
    for part in ("request", "response"):
        if part not in exchange:
            return f'has no "{part}"'
        if not isinstance(exchange[part], dict):
            return f'has a "{part}" that is {_kind(exchange[part])}, not an object'
    request, response = exchange["request"], exchange["response"]
    for key in ("method", "path"):
        if key not in request:
            return f'has no request "{key}"'
        if not isinstance(request[key], str) or not request[key]:
            return f'has a request "{key}" that is {_shown(request[key])}, not a name'
    status = response.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        return f'has a response "status" of {_shown(status)}, not an HTTP status (100-599)'
    headers = response.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return 'has response "headers" that are not an object of strings'
    if 200 <= status < 300 and request["path"].endswith("/chat/completions"):
        return _completion_problem(response.get("body"))
    return None


def _completion_problem(body: Any) -> str | None:
    """What keeps a successful chat-completion body from being an answer, or None."""
    if not isinstance(body, dict):
        return f"answers with a body that is {_kind(body)}, not a chat completion object"
    choices = body.get("choices")
    if not isinstance(choices, list):
        where = "no" if choices is None else f"{_kind(choices)} for its"
        return f'answers with {where} "choices" list: a chat completion needs one choice'
    if not choices:
        return 'answers with no choices (an empty "choices" list): there is no answer to give'
    first = choices[0]
    if not isinstance(first, dict) or not isinstance(first.get("message"), dict):
        return 'answers with a first choice that holds no "message" object'
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


__all__ = ["shape_problem"]
