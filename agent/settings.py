"""Effective configuration: flags > environment > config file > defaults.

Every knob a user can turn lives in `Settings`, with the environment variable and config-file key
that set it. `Settings.load()` resolves the layers and remembers where each value came from, so
`khabar config` can explain itself. The API key is kept out of `repr` and of `public()`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.errors import ConfigError

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_CONFIG_PATH = Path("~/.config/khabar/config.toml")
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
        for name in ("timeout", "transport_max_seconds"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("max_reasks", "local_timeout_retries"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be 0 or more, got {getattr(self, name)}")
        for name in ("transport_attempts", "max_chars", "chunk_concurrency", "passes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be 1 or more, got {getattr(self, name)}")
        if self.chunk_chars < MIN_CHUNK_CHARS:
            raise ConfigError(
                f"chunk_chars must be {MIN_CHUNK_CHARS} or more, got {self.chunk_chars}"
            )

    @property
    def max_attempts(self) -> int:
        """Model calls allowed for one article: the first answer plus every re-ask."""
        return self.max_reasks + 1

    @property
    def endpoint_host(self) -> str:
        return urlsplit(self.base_url or OPENAI_BASE_URL).netloc or "unknown"

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values applied as flags."""
        given = {k: v for k, v in values.items() if v is not None}
        sources = dict(self.sources) | dict.fromkeys(given, "argument")
        return replace(self, **_coerce(given, "argument"), sources=sources)

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
        settings = cls(**_coerce(values, "configuration"), sources=sources)
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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    table = data.get("khabar", data)
    unknown = sorted(set(table) - set(ENV_NAMES))
    if unknown:
        raise ConfigError(f"config file {path}: unknown key(s) {', '.join(unknown)}")
    return dict(table)


_TYPES: dict[str, type] = {
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


def _coerce(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = _TYPES.get(name)
        if kind is None or isinstance(value, kind):
            out[name] = value
            continue
        try:
            out[name] = kind(
                value.lower()
                if isinstance(value, str) and kind in (Mode, Policy, ChunkPolicy)
                else value
            )
        except (TypeError, ValueError):
            choices = (
                f" (one of {', '.join(m.value for m in kind)})"
                if kind in (Mode, Policy, ChunkPolicy)
                else ""
            )
            raise ConfigError(f"{origin}: invalid {name} {value!r}{choices}") from None
    return out


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return parts._replace(netloc=host, query="").geturl()


__all__ = ["ENV_NAMES", "ChunkPolicy", "Mode", "Policy", "Settings", "without_credentials"]
