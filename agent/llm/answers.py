"""Is an answer whole? A cut-off answer is told apart from a wrong one before instructor parses it.

A server cuts an answer at its token limit and says so with `finish_reason: "length"`; some
(llama-cpp-python with forced tool calls) report `"tool_calls"` instead, and the only sign is
JSON that stops mid-way. instructor would re-ask a cut answer like an invalid one, appending the
cut answer to a longer prompt, and the model is cut again at the same limit (a 3-attempt, 242 s
failure on a local server). So:

- `finish_reason == "length"`: `IncompleteAnswer` at once, never re-asked;
- JSON that stops mid-way with no such signal: the first answer is re-asked once as usual (the
  re-ask is a different request, and a real llama.cpp recording shows one answering in a tenth
  of the tokens); a re-ask whose answer is cut again ends the run with `IncompleteAnswer`.

The error names the token figures and the setting to raise (KHABAR_MAX_TOKENS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent.errors import ExtractionError, IncompleteAnswer


def structured_text(completion: Any) -> str | None:
    """The text that should hold the JSON: the first tool call's arguments, else the content."""
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return None
    message = getattr(choices[0], "message", None)
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        function = getattr(calls[0], "function", None)
        arguments = getattr(function, "arguments", None)
        return arguments if isinstance(arguments, str) else None
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def stops_mid_json(text: str) -> bool:
    """True when the first JSON object or array in `text` is opened but never closed.

    Prose with no JSON at all is not "cut" (that is a different failure, re-asked as usual), nor
    is JSON that closes but is otherwise invalid.
    """
    depth = 0
    in_string = escaped = started = False
    for char in text:
        if not started:
            if char in "{[":
                started, depth = True, 1
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return False
    return started


def is_reask(messages: object) -> bool:
    """A request that carries an earlier answer (instructor appends it when it re-asks)."""
    if not isinstance(messages, Sequence):
        return False
    return any(isinstance(m, Mapping) and m.get("role") in ("assistant", "tool") for m in messages)


def check_complete(completion: Any, request: Mapping[str, Any]) -> None:
    """Raise `IncompleteAnswer` when `completion` (to `request`) was cut off; see the module doc.

    An answer with no choice, or a first choice with no message, holds nothing to read: refused
    here in words (instructor failed on it with "list index out of range"), not re-asked."""
    choices = getattr(completion, "choices", None)
    if not choices:
        raise ExtractionError(
            "the server's answer holds no choices (an empty or missing `choices` list): there "
            "is no message to read; check the server and its logs, or try another model"
        )
    if getattr(choices[0], "message", None) is None:
        raise ExtractionError(
            "the server's answer holds a choice without a message: there is nothing to read; "
            "check the server and its logs, or try another model"
        )
    finish_reason = getattr(choices[0], "finish_reason", None)
    text = structured_text(completion)
    cut_mid_json = text is not None and stops_mid_json(text)
    reask = is_reask(request.get("messages"))
    if finish_reason != "length" and not (cut_mid_json and reask):
        return
    usage = getattr(completion, "usage", None)
    prompt_tokens = getattr(usage, "prompt_tokens", None)
    completion_tokens = getattr(usage, "completion_tokens", None)
    max_tokens = request.get("max_tokens")
    raise IncompleteAnswer(
        incomplete_message(
            finish_reason=finish_reason,
            reask=reask,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            max_tokens=max_tokens if isinstance(max_tokens, int) else None,
        ),
        finish_reason=finish_reason,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        max_tokens=max_tokens if isinstance(max_tokens, int) else None,
    )


def incomplete_message(
    *,
    finish_reason: str | None,
    reask: bool,
    prompt_tokens: int | None,
    completion_tokens: int | None,
    max_tokens: int | None,
) -> str:
    """One line: what was cut, how far it got, which limit to raise."""
    what = "the re-ask's answer" if reask else "the model's answer"
    how = (
        "at the token limit (finish_reason length)"
        if finish_reason == "length"
        else f"mid-JSON (finish_reason {finish_reason or 'not given'})"
    )
    figures = []
    if completion_tokens is not None:
        figures.append(f"{completion_tokens:,} tokens out")
    if prompt_tokens is not None:
        figures.append(f"{prompt_tokens:,} in")
    got = f" after {', '.join(figures)}" if figures else ""
    limit = f"now {max_tokens:,}" if max_tokens is not None else "now unset: the server's default"
    return (
        f"{what} was cut off {how}{got}: raise KHABAR_MAX_TOKENS ({limit}) or the server's "
        "context size, or shorten the article; not re-asked (the same request would be cut "
        "again)"
    )


__all__ = ["check_complete", "incomplete_message", "is_reask", "stops_mid_json", "structured_text"]
