"""What the SDK or instructor raised, as one `KhabarError` with a one-line reason.

Each failure names the host, what was sent, what came back and what to change (a setting, a
mode, the key), and never carries a secret: servers echo keys and URLs in their error bodies.
"""

from __future__ import annotations

import openai
from pydantic import ValidationError

from agent.credentials import redacted_url
from agent.errors import (
    AuthenticationError,
    EndpointFailed,
    EndpointUnreachable,
    KhabarError,
    ValidationFailed,
)
from agent.llm.server_reply import refused_feature, says_invalid_request, short_reason
from agent.llm.transport import BodyCutOff, is_local_host, requests_sent, retry_after_seconds
from agent.settings import Mode, Settings


def translate_error(exc: BaseException, settings: Settings, *, attempts: int) -> KhabarError:
    """Map whatever the SDK or instructor raised to one KhabarError with a one-line reason.

    The line never carries a secret: servers and proxies echo keys and URLs back in their
    error bodies, so the key and the base URL's password and query values are replaced."""
    error = _translate(exc, settings, attempts=attempts)
    scrubbed = settings.scrub(error.reason)  # the message itself, without the cost suffix
    if scrubbed != error.reason:
        error.args = (scrubbed,)
    return error


def _translate(exc: BaseException, settings: Settings, *, attempts: int) -> KhabarError:
    chain = _causes(exc)
    for err in chain:
        if isinstance(err, KhabarError):
            return err
    host = settings.endpoint_host
    for err in chain:
        if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
            return AuthenticationError(
                f"{host} refused the API key (HTTP {err.status_code}): check KHABAR_API_KEY "
                "or OPENAI_API_KEY",
                host=host,
                status_code=err.status_code,
            )
        if isinstance(err, openai.APITimeoutError):
            return EndpointUnreachable(_timeout_message(err, settings, attempts), host=host)
        if isinstance(err, openai.APIConnectionError):
            reason = _root_reason(err)
            if any(isinstance(cause, BodyCutOff) for cause in _causes(err)):
                return EndpointFailed(
                    f"the answer from {host} was cut off mid-read ({reason}): the server or a "
                    "proxy in between closed the connection before the whole body came",
                    host=host,
                )
            shown = redacted_url(settings.base_url) if settings.base_url else host
            return EndpointUnreachable(
                f"cannot reach {shown}: {reason}; is the server running?",
                host=host,
            )
        if isinstance(err, openai.APIStatusError) and says_invalid_request(
            err.status_code, err.body if err.body is not None else err.message
        ):
            return EndpointFailed(
                _invalid_request_message(err, settings), host=host, status_code=err.status_code
            )
        if isinstance(err, openai.APIStatusError):
            message = _api_message(err)
            wait = retry_after_seconds(err.response)
            if wait is not None and wait > settings.transport_max_seconds:
                return EndpointFailed(
                    f"{host} answered HTTP {err.status_code}: {message}; it asks to wait "
                    f"{wait:g} s (Retry-After), past the {settings.transport_max_seconds:g} s "
                    "retry budget (KHABAR_TRANSPORT_MAX_SECONDS): try again later",
                    host=host,
                    status_code=err.status_code,
                )
            return EndpointFailed(
                f"{host} answered HTTP {err.status_code}: {message}"
                + (
                    " (after retries)"
                    if err.status_code in (408, 409, 429) or err.status_code >= 500
                    else ""
                ),
                host=host,
                status_code=err.status_code,
            )
    for err in chain:
        if isinstance(err, ValidationError):
            return ValidationFailed(
                f"the model's answer did not validate after {max(attempts, 1)} attempt(s): "
                f"{_first_error(err)}",
                attempts=attempts,
            )
    from instructor.core.exceptions import InstructorRetryException

    inner = [e for e in chain if not isinstance(e, InstructorRetryException)]
    cause = inner[0] if inner else exc  # instructor's own message embeds every completion
    return ValidationFailed(
        f"the model's answer could not be used after {max(attempts, 1)} attempt(s): "
        f"{_one_line(str(cause))}",
        attempts=attempts,
    )


def _timeout_message(err: BaseException, settings: Settings, answers: int) -> str:
    """How long, how many requests were really sent, what had already arrived, and what a local
    server is probably still doing."""
    host = settings.endpoint_host
    sent = next((n for n in map(requests_sent, _causes(err)) if n is not None), None)
    tries = f"{sent} request{'s' if sent != 1 else ''} sent" if sent else "no answer"
    if answers:
        what = (
            f"the first answer arrived and re-ask {answers} timed out: " if answers == 1 else
            f"{answers} answers arrived and re-ask {answers} timed out: "
        )  # fmt: skip
    else:
        what = ""
    line = f"{what}{host} did not answer within {settings.timeout:g} s ({tries})"
    if is_local_host(settings.endpoint_host.rsplit(":", 1)[0]):
        line += (
            "; a local server may still be busy with the abandoned request: let it finish or "
            "restart it, then raise --timeout (KHABAR_TIMEOUT)"
        )
    else:
        line += "; raise --timeout or check the server"
    return line


# The request field each mode depends on; a server refusing it does not support the mode.
_MODE_FEATURE = {Mode.TOOLS: "tools", Mode.JSON_SCHEMA: "response_format"}


def _invalid_request_message(err: openai.APIStatusError, settings: Settings) -> str:
    """One line for a request the server refuses: its reason in a few words, and when it is the
    mode that the server refuses, the modes to use instead."""
    host = settings.endpoint_host
    body = err.body if err.body is not None else err.message
    reason = short_reason(body)
    feature = refused_feature(body)
    mode = settings.mode
    if feature is not None and _MODE_FEATURE.get(mode) == feature:
        others = [m.value for m in (Mode.TOOLS, Mode.JSON_SCHEMA, Mode.MD_JSON) if m is not mode]
        return (
            f"{host} does not support --mode {mode.value} (HTTP {err.status_code}: {reason}); "
            f"use --mode {' or '.join(others)}, or --mode auto (`khabar probe` shows what works)"
        )
    return f"{host} rejected the request (HTTP {err.status_code}, not retried): {reason}"


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _root_reason(err: BaseException) -> str:
    root = _causes(err)[-1]
    return _one_line(str(root)) or type(root).__name__


def _api_message(err: openai.APIStatusError) -> str:
    body = err.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _one_line(str(inner["message"]))
    return _one_line(err.message)


def _first_error(err: ValidationError) -> str:
    errors = err.errors()
    if not errors:
        return _one_line(str(err))
    first = errors[0]
    loc = ".".join(str(part) for part in first.get("loc", ())) or "answer"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return _one_line(f"{loc}: {first.get('msg', '')}") + more


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


__all__ = ["translate_error"]
