"""khabar's exception tree: one root, a few branches, each with the CLI exit code it maps to.

Every failure a user can cause or meet is one of these, with a message that fits on one line
and says what to do next. Anything else escaping the library is a bug.

Each class carries data, not only text: `exit_code` (the CLI's), `kind` (the word batch records
and summaries use), on endpoint errors the `host` and HTTP `status_code` where known, and on a
failed extraction the `usage` its attempts spent (tokens are paid for whether or not it worked).

    KhabarError                  exit 1
    ├── InputError               exit 2   missing file, empty, undecodable, too long
    ├── ConfigError              exit 2   no endpoint, bad config file or value
    ├── OutputError              exit 2   an output that cannot or must not be written
    ├── EndpointError            exit 1   the endpoint could not give an answer
    │   ├── AuthenticationError           key refused (401/403)
    │   ├── EndpointUnreachable           connection refused, DNS, timeouts after retries
    │   └── EndpointFailed                429/5xx after retries, other API errors
    ├── ExtractionError          exit 1   an answer came, but not a usable one
    │   ├── ValidationFailed              never validated after the last re-ask
    │   ├── IncompleteAnswer              the answer was cut off (token limit, or stops mid-JSON)
    │   └── UngroundedError               --on-ungrounded fail and something is ungrounded
    ├── ReplayError              exit 1   a cassette has no answer for the request, or is damaged
    └── GazetteerError           exit 1   the shipped place data is missing or unreadable
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

if TYPE_CHECKING:
    from agent.models import Usage


class KhabarError(Exception):
    """Root of every error khabar raises on purpose."""

    exit_code: ClassVar[int] = 1
    kind: ClassVar[str] = "error"
    usage: Usage | None = None  # tokens spent by the failed extraction, summed over its attempts

    def spent(self, usage: Usage) -> Self:
        """Record what the failed extraction cost (once); `str()` then ends with it."""
        if self.usage is None:
            self.usage = usage
        return self

    @property
    def reason(self) -> str:
        """The message without the cost."""
        return super().__str__()

    def __str__(self) -> str:
        usage = self.usage
        if usage is None or not (usage.prompt_tokens or usage.completion_tokens):
            return self.reason
        return f"{self.reason}; spent {usage.describe()}"


class InputError(KhabarError):
    """The article cannot be used: missing, empty, undecodable or too long."""

    exit_code = 2
    kind = "input"


class ConfigError(KhabarError):
    """The configuration is missing or invalid (no endpoint, bad mode, unreadable config file)."""

    exit_code = 2
    kind = "config"


class OutputError(KhabarError):
    """An output cannot be written (read-only, no such folder, disk full), or must not be: it
    is one of the inputs, or lies where the input is read from, or another run is writing it."""

    exit_code = 2
    kind = "output"


class EndpointError(KhabarError):
    """The LLM endpoint could not give an answer."""

    kind = "endpoint"

    def __init__(
        self, message: str, *, host: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.host = host
        self.status_code = status_code


class AuthenticationError(EndpointError):
    """The endpoint refused the API key."""

    kind = "authentication"


class EndpointUnreachable(EndpointError):
    """No connection could be made, or every attempt timed out."""

    kind = "unreachable"


class EndpointFailed(EndpointError):
    """The endpoint kept answering with an error (rate limit, server error) past the retries."""


class ExtractionError(KhabarError):
    """The model answered, but no usable extraction came out of it."""

    kind = "extraction"

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


class ValidationFailed(ExtractionError):
    """The model's answer never matched the schema, even after the last re-ask."""

    kind = "validation"


class IncompleteAnswer(ExtractionError):
    """The answer was cut off: the server stopped at its token limit (`finish_reason` "length")
    or the JSON stops mid-way. Asking again the same way would be cut the same way, so it is not
    re-asked; the figures say how far it got and which limit to raise."""

    kind = "incomplete"

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 0,
        finish_reason: str | None = None,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        max_tokens: int | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts)
        self.finish_reason = finish_reason
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.max_tokens = max_tokens


class UngroundedError(ExtractionError):
    """Policy `fail`: some extracted strings do not occur in the article."""

    kind = "ungrounded"


class ReplayError(KhabarError):
    """A cassette holds no answer for the request the code sent (or the cassette is unreadable)."""

    kind = "replay"


class GazetteerError(KhabarError):
    """The gazetteer shipped inside the package is missing or damaged: a broken install."""

    kind = "gazetteer"


def first_line(exc: BaseException) -> str:
    """A third-party exception's message cut to its first line (Ray and pyarrow follow it with
    tracebacks or a wrapped error's repr), or its class name when it says nothing: the reason a
    one-line error quotes. (Not in `__all__`: that is the error tree `agent` exports.)"""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = [
    "AuthenticationError",
    "ConfigError",
    "EndpointError",
    "EndpointFailed",
    "EndpointUnreachable",
    "ExtractionError",
    "GazetteerError",
    "IncompleteAnswer",
    "InputError",
    "KhabarError",
    "OutputError",
    "ReplayError",
    "UngroundedError",
    "ValidationFailed",
]
