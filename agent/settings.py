"""Effective configuration: flags > environment > config file > defaults.

Every knob a user can turn lives in `Settings`, with the environment variable and config-file key
that set it. `Settings.load()` resolves the layers and remembers where each value came from, so
`khabar config` can explain itself. The API key is kept out of `repr` and of `public()`.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.credentials import (
    base_url_problem,
    has_space_or_control,
    host_port,
    redacted_url,
    scrub,
    url_secrets,
    without_credentials,
)
from agent.errors import ConfigError

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_CONFIG_PATH = Path("~/.config/khabar/config.toml")
MAX_CONFIG_BYTES = 1 << 20  # a config file is a few lines; more is the wrong file
MIN_CHUNK_CHARS = 200  # below this a chunk holds no more than a sentence: no context to extract


class Mode(StrEnum):
    """How instructor asks for structured output. TOOLS needs forced tool calls on the server;
    AUTO uses the one `khabar probe` found working (remembered per base URL and model)."""

    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    MD_JSON = "md_json"
    AUTO = "auto"


class Policy(StrEnum):
    """What happens to problems still present after the last re-ask."""

    FLAG = "flag"
    DROP = "drop"
    FAIL = "fail"


class ChunkPolicy(StrEnum):
    """What a long article's failed chunk does: fail the article, or flag it and keep the rest."""

    FAIL = "fail"
    FLAG = "flag"


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a request or the handling of its answer."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = Mode.TOOLS
    temperature: float = 0.0
    max_tokens: int | None = None
    timeout: float = 120.0
    max_reasks: int = 2
    transport_attempts: int = 4
    transport_max_seconds: float = 300.0
    # A read timeout on a loopback/private host: the server is busy, not lost; resending the same
    # work only queues it behind the abandoned request.
    local_timeout_retries: int = 1
    max_chars: int = 2_000_000
    on_ungrounded: Policy = Policy.FLAG
    chunk_chars: int = 8_000
    chunk_concurrency: int = 4
    passes: int = 1
    on_failed_chunk: ChunkPolicy = ChunkPolicy.FAIL
    prompts_dir: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Check every value's type and range now, so a bad one fails before anything is sent
        or written (a batch with a wrong URL would otherwise fill its output with error lines)."""
        for name, check in _CHECKS.items():
            value = getattr(self, name)
            try:
                checked = check(value)
            except _Invalid as exc:
                if name == "api_key":  # never quote a key back, even a malformed one
                    raise ConfigError(f"{self._origin(name)}{name} {exc}") from None
                shown = (
                    redacted_url(value) if name == "base_url" and isinstance(value, str) else value
                )
                raise ConfigError(f"{self._origin(name)}{name} {exc}, got {shown!r}") from None
            if checked is not value:
                object.__setattr__(self, name, checked)

    def _origin(self, name: str) -> str:
        label = _label(self.sources.get(name, ""), name)
        return f"{label}: " if label else ""

    @property
    def max_attempts(self) -> int:
        """Model calls allowed for one article: the first answer plus every re-ask."""
        return self.max_reasks + 1

    @property
    def endpoint_host(self) -> str:
        """Host and port of the endpoint: never its user, password or query."""
        parts = urlsplit(self.base_url or OPENAI_BASE_URL)
        return host_port(parts.hostname, parts.port) or "unknown"

    def secrets(self) -> tuple[str, ...]:
        """Values that must never leave the process: the key, and the base URL's user, password
        and query values (some gateways take the key as `?api-key=`)."""
        found = [self.api_key or ""]
        if self.base_url:
            found += url_secrets(self.base_url)
        return tuple(sorted({s for s in found if len(s) >= 3}, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        """`text` with every secret of these settings replaced (error lines quote servers)."""
        return scrub(text, self.secrets())

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values applied as flags."""
        return self.with_values("argument", **values)

    def with_values(self, source: str, /, **values: Any) -> Settings:
        """A copy with the given non-None values applied, from `source` ("argument" for a
        keyword of the library, "flag" for the command line, or "cassette PATH"): a bad value is
        then blamed on where it came from."""
        given = {k: v for k, v in values.items() if v is not None}
        sources = dict(self.sources) | dict.fromkeys(given, source)
        return replace(self, **_coerce(given, sources), sources=sources)

    def require_endpoint(self, *, model: bool = True) -> None:
        """Fail with the how-to when no endpoint (or, if `model`, no model) could be worked out."""
        if not self.base_url and not self.api_key:
            raise ConfigError(
                "no endpoint configured: set KHABAR_BASE_URL (any OpenAI-compatible server) "
                "or OPENAI_API_KEY, or pass --base-url, or write "
                f"{DEFAULT_CONFIG_PATH}; see `khabar config`"
            )
        if model and not self.model:
            raise ConfigError("no model configured: set KHABAR_MODEL or pass --model")

    def public(self) -> dict[str, Any]:
        """The settings as shown to people: the key is reduced to whether it is set."""
        shown: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            if f.name == "api_key":
                value = "set" if value else "not set"
            elif f.name == "base_url":
                value = without_credentials(value) if value else None
            shown[f.name] = str(value) if isinstance(value, StrEnum) else value
        return shown

    @classmethod
    def load(
        cls,
        *,
        env: Mapping[str, str] | None = None,
        config_path: str | Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Resolve defaults < config file < environment < overrides (flags)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        path, explicit = _config_path(env, config_path)
        if path is not None and (explicit or path.exists()):
            file_values = _read_config(path)
            values |= file_values
            sources |= dict.fromkeys(file_values, f"file {path}")
        env_values = _from_env(env)
        values |= env_values
        sources |= {k: f"env {v[1]}" for k, v in env_values.items()}
        values = {k: (v[0] if isinstance(v, tuple) else v) for k, v in values.items()}
        settings = cls(**_coerce(values, sources), sources=sources)
        return settings.with_overrides(**overrides)


ENV_NAMES: dict[str, tuple[str, ...]] = {
    "base_url": ("KHABAR_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("KHABAR_MODEL",),
    "api_key": ("KHABAR_API_KEY", "OPENAI_API_KEY"),
    "mode": ("KHABAR_MODE",),
    "temperature": ("KHABAR_TEMPERATURE",),
    "max_tokens": ("KHABAR_MAX_TOKENS",),
    "timeout": ("KHABAR_TIMEOUT",),
    "max_reasks": ("KHABAR_MAX_REASKS",),
    "transport_attempts": ("KHABAR_TRANSPORT_ATTEMPTS",),
    "transport_max_seconds": ("KHABAR_TRANSPORT_MAX_SECONDS",),
    "local_timeout_retries": ("KHABAR_LOCAL_TIMEOUT_RETRIES",),
    "max_chars": ("KHABAR_MAX_CHARS",),
    "on_ungrounded": ("KHABAR_ON_UNGROUNDED",),
    "chunk_chars": ("KHABAR_CHUNK_CHARS",),
    "chunk_concurrency": ("KHABAR_CHUNK_CONCURRENCY",),
    "passes": ("KHABAR_PASSES",),
    "on_failed_chunk": ("KHABAR_ON_FAILED_CHUNK",),
    "prompts_dir": ("KHABAR_PROMPTS_DIR",),
}


def _from_env(env: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for name, candidates in ENV_NAMES.items():
        for var in candidates:
            if env.get(var):
                found[name] = (env[var], var)
                break
    return found


def _config_path(env: Mapping[str, str], given: str | Path | None) -> tuple[Path | None, bool]:
    if given is not None:
        return Path(given).expanduser(), True
    if env.get("KHABAR_CONFIG"):
        return Path(env["KHABAR_CONFIG"]).expanduser(), True
    return DEFAULT_CONFIG_PATH.expanduser(), False


def _read_config(path: Path) -> dict[str, Any]:
    try:
        # bounded: `--config /dev/zero` was read until memory ran out
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"config file {path} is over {MAX_CONFIG_BYTES >> 20} MiB: not a khabar config"
            )
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    table = data.get("khabar", data)
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: khabar must be a table ([khabar]), not a value")
    unknown = sorted(set(table) - set(ENV_NAMES))
    if unknown:
        raise ConfigError(f"config file {path}: unknown key(s) {', '.join(unknown)}")
    return dict(table)


class _Invalid(ValueError):
    """A setting's value is of the wrong type or out of range; the message says what it needs."""


def _real(
    value: object, *, minimum: float, open_min: bool, what: str, maximum: float = math.inf
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"must be a number {what}")
    number = float(value)
    if not math.isfinite(number) or number < minimum or (open_min and number == minimum):
        raise _Invalid(f"must be a finite number {what}")
    if number > maximum:
        raise _Invalid(f"must be a number {what}")
    return value if isinstance(value, float) else number


def _whole(value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"must be a whole number ({minimum} or more)")
    if value < minimum:
        raise _Invalid(f"must be {minimum} or more")
    return value


def _text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid("must be a string")
    return value


def _api_key(value: object) -> str | None:
    """Printable ASCII without spaces, as an HTTP header needs it: a pasted newline or a typeset
    '…' would otherwise fail at the first request, inside httpx, with the key in its message."""
    key = _text(value)
    if key is None:
        return None
    if any(not ch.isascii() for ch in key):
        raise _Invalid("contains a non-ASCII character (a typeset quote or '…' pasted into it?)")
    if has_space_or_control(key):
        raise _Invalid("contains a space, newline or control character (pasted with it?)")
    return key


def _choice(kind: type[StrEnum]) -> Any:
    def check(value: object) -> StrEnum:
        if isinstance(value, kind):
            return value
        raise _Invalid(f"must be one of {', '.join(m.value for m in kind)}")

    return check


def _base_url(value: object) -> str | None:
    url = _text(value)
    if url is None:
        return None
    problem = base_url_problem(url)
    if problem:
        raise _Invalid(problem)
    return url


def _positive_seconds(value: object) -> float:
    return _real(value, minimum=0.0, open_min=True, what="of seconds above 0")


def _max_tokens(value: object) -> int | None:
    return None if value is None else _whole(value, minimum=1)


_CHECKS: dict[str, Any] = {
    "base_url": _base_url,
    "model": _text,
    "api_key": _api_key,
    "mode": _choice(Mode),
    "temperature": lambda v: _real(v, minimum=0.0, open_min=False, maximum=2.0, what="from 0 to 2"),
    "max_tokens": _max_tokens,
    "timeout": _positive_seconds,
    "max_reasks": lambda v: _whole(v, minimum=0),
    "transport_attempts": lambda v: _whole(v, minimum=1),
    "transport_max_seconds": _positive_seconds,
    "local_timeout_retries": lambda v: _whole(v, minimum=0),
    "max_chars": lambda v: _whole(v, minimum=1),
    "on_ungrounded": _choice(Policy),
    "chunk_chars": lambda v: _whole(v, minimum=MIN_CHUNK_CHARS),
    "chunk_concurrency": lambda v: _whole(v, minimum=1),
    "passes": lambda v: _whole(v, minimum=1),
    "on_failed_chunk": _choice(ChunkPolicy),
    "prompts_dir": _text,
}

_PARSERS: dict[str, type] = {
    "mode": Mode,
    "on_ungrounded": Policy,
    "on_failed_chunk": ChunkPolicy,
    "temperature": float,
    "timeout": float,
    "transport_max_seconds": float,
    "max_tokens": int,
    "max_reasks": int,
    "transport_attempts": int,
    "local_timeout_retries": int,
    "max_chars": int,
    "chunk_chars": int,
    "chunk_concurrency": int,
    "passes": int,
}


def _label(source: str, name: str) -> str:
    """Where a value came from, as messages name it: the variable, the flag or the file."""
    if source.startswith("env "):
        return source.removeprefix("env ")
    if source.startswith("file "):
        return f"config file {source.removeprefix('file ')}"
    if source == "flag":
        return f"--{name.replace('_', '-')}"
    if source == "argument":  # Settings.load(timeout=-1), extract(..., model=...) in a script
        return f"the {name} argument"
    return source if source.startswith("cassette ") else ""


def _coerce(values: Mapping[str, Any], sources: Mapping[str, str]) -> dict[str, Any]:
    """Parse text (environment variables, flags given as strings) into each setting's type.

    A config file is typed: only its choices (`mode = "tools"`) are text to parse. Its
    `timeout = "30"`, `max_reasks = 1.7` or `= true` is kept as it is, for `Settings` to refuse,
    instead of being read as a number, rounded or read as 1."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = _PARSERS.get(name)
        source = sources.get(name, "")
        choice = kind is not None and issubclass(kind, StrEnum)
        typed = source.startswith("file ") and not choice
        if kind is None or not isinstance(value, str) or typed:
            out[name] = value
            continue
        try:
            out[name] = kind(value.strip().lower() if choice else value.strip())
        except (TypeError, ValueError):
            choices = (  # issubclass again: it narrows `kind` for the type checker
                f" (one of {', '.join(m.value for m in kind)})" if issubclass(kind, StrEnum) else ""
            )
            origin = _label(source, name) or "configuration"
            raise ConfigError(f"{origin}: invalid {name} {value!r}{choices}") from None
    return out


__all__ = [
    "ENV_NAMES",
    "ChunkPolicy",
    "Mode",
    "Policy",
    "Settings",
    "without_credentials",
]
