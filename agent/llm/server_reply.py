"""Reading a server's error body: is the request itself invalid, and why, in a few words.

OpenAI-compatible servers word their refusals differently: OpenAI and vLLM answer 400 with
`{"error": {"message": ...}}`, FastAPI apps 422 with `{"detail": [{"loc", "msg"}]}`, and
llama-cpp-python answers a request it cannot validate with HTTP 500 carrying the validation
error's text (`1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format',
'type'), 'msg': "Input should be 'text' or 'json_object'" …}` plus a file and line). A 500 like
that is not transient: sending it again gets the same answer, so the transport does not retry it
and the error line names the field and the server's reason, not its stack.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Signs, in a 5xx body, that the server is repeating a validation error about the request.
_VALIDATION_MARKERS = (
    "validation error",
    "literal_error",
    "'loc': (",
    "extra_forbidden",
    "invalid_request_error",
)
_REPR_ERROR = re.compile(r"'loc': \(([^)]*)\), 'msg': (\"[^\"]*\"|'[^']*')")
_STACK_START = re.compile(r"\s+(File \"|Traceback \()")
INVALID_STATUS = frozenset({400, 404, 422})


def body_of(content: bytes | str | Any) -> Any:
    """The JSON of an error body, or its text when it is not JSON."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def error_text(body: Any) -> str:
    """The server's own message, whatever shape it came in."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            for key in ("message", "detail", "msg"):
                if inner.get(key):
                    value = inner[key]
                    return value if isinstance(value, str) else json.dumps(value)
        elif isinstance(inner, str):
            return inner
        detail = body.get("detail")
        if detail:
            return detail if isinstance(detail, str) else json.dumps(detail)
        return json.dumps(body)
    return str(body or "")


def says_invalid_request(status: int, body: Any) -> bool:
    """The server rejected the request itself (400/404/422, or a 5xx quoting a validation error),
    so the same request would be rejected again."""
    if status in INVALID_STATUS:
        return True
    if status < 500:
        return False
    inner = body.get("error") if isinstance(body, dict) else None
    if isinstance(inner, dict) and inner.get("type") == "invalid_request_error":
        return True
    text = error_text(body)
    return any(marker in text for marker in _VALIDATION_MARKERS)


def field_errors(body: Any) -> list[tuple[str, str]]:
    """(field, message) pairs of a validation error, from FastAPI's JSON or pydantic's text."""
    found: list[tuple[str, str]] = []
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict) and "msg" in item:
                found.append((_field(item.get("loc") or ()), str(item["msg"])))
    if not found:
        for loc, msg in _REPR_ERROR.findall(error_text(body)):
            parts = [p.strip().strip("'\"") for p in loc.split(",") if p.strip()]
            found.append((_field(parts), msg[1:-1]))
    return found


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if str(p) not in ("body", "query")]
    return ".".join(parts) or "request"


def short_reason(body: Any, limit: int = 300) -> str:
    """The server's reason in a few words: the first invalid field and why, else its first
    sentence without the stack."""
    errors = field_errors(body)
    if errors:
        name, msg = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return _clip(f"{name}: {msg}{more}", limit)
    text = _STACK_START.split(error_text(body), maxsplit=1)[0]
    return _clip(text, limit)


def refused_feature(body: Any) -> str | None:
    """Which structured-output feature the server refused: "response_format", "tools" or None."""
    fields = [name for name, _ in field_errors(body)]
    text = " ".join(fields) or error_text(body).lower()
    if "response_format" in text or "json_schema" in text:
        return "response_format"
    if "tool" in text or "function" in text:
        return "tools"
    return None


def _clip(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


__all__ = [
    "INVALID_STATUS",
    "body_of",
    "error_text",
    "field_errors",
    "refused_feature",
    "says_invalid_request",
    "short_reason",
]
