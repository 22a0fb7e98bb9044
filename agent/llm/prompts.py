"""Prompt templates: loaded from package data, rendered in a sandbox, versioned by hash.

Templates are Jinja2 files in `prompts/` (shipped inside the wheel as `agent/prompts`). They render
in a `SandboxedEnvironment` with `StrictUndefined`, so a template that names a variable the code
does not pass fails at once, by name, instead of sending a prompt with a hole in it. The prompt
version is a hash of every template and of the schema the model is asked to fill: any change to
either changes the version recorded in each result (and makes old cassettes visibly stale).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from agent.errors import ConfigError

TEMPLATE_NAMES = ("system.j2", "user.j2")


class PromptError(ConfigError):
    """A prompt template is missing, broken, or needs a variable the code did not pass."""


@dataclass(frozen=True)
class Prompt:
    """Rendered chat messages and the version of the templates and schema behind them."""

    messages: list[dict[str, str]]
    version: str


def default_prompts_dir() -> Path:
    """The templates shipped with khabar: package data in a wheel, `prompts/` in a checkout."""
    packaged = Path(str(resources.files("agent"))) / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class PromptSet:
    """The templates of one directory, read once."""

    directory: Path
    sources: dict[str, str]
    _versions: dict[int, tuple[object, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def load(cls, directory: str | Path | None = None) -> PromptSet:
        return _load(Path(directory) if directory else default_prompts_dir())

    def version(self, schema: dict[str, object]) -> str:
        """Hash of the templates and `schema`, remembered per schema object: schemas are built
        once and never changed, and hashing one on every article cost 4 % of a batch's CPU."""
        known = self._versions.get(id(schema))
        if known is not None and known[0] is schema:
            return known[1]
        digest = hashlib.sha256()
        for name in TEMPLATE_NAMES:
            digest.update(name.encode() + b"\0" + self.sources[name].encode() + b"\0")
        digest.update(json.dumps(schema, sort_keys=True, ensure_ascii=False).encode())
        version = digest.hexdigest()[:12]
        if len(self._versions) >= 16:  # a caller passing fresh schema dicts: remember few
            self._versions.clear()
        self._versions[id(schema)] = (schema, version)
        return version

    def render(self, name: str, **variables: object) -> str:
        try:
            return _compiled(self.sources[name]).render(**variables)
        except UndefinedError as exc:
            raise PromptError(f"prompt template {name}: {exc.message}; it was not given") from None
        except TemplateError as exc:
            raise PromptError(f"prompt template {name}: {exc}") from None

    def build(self, article: str, schema: dict[str, object], **extra: object) -> Prompt:
        """Render the system and user messages for one article, the article fenced as data."""
        variables = {"fence": article_fence(article), "article": article} | extra
        variables.setdefault("language_hint", None)
        messages = [
            {"role": "system", "content": self.render("system.j2", **variables)},
            {"role": "user", "content": self.render("user.j2", **variables)},
        ]
        return Prompt(messages=messages, version=self.version(schema))


def article_fence(article: str) -> str:
    """A marker derived from the article that the article itself does not contain.

    Derived (not random) so the same article always yields the same request, which recorded
    fixtures depend on; lengthened in the absurd case that the article contains it.
    """
    digest = hashlib.sha256(article.encode()).hexdigest()
    for size in (12, 24, 64):
        fence = f"<<<ARTICLE-{digest[:size]}>>>"
        if fence not in article:
            return fence
    raise PromptError("cannot fence the article: it contains every candidate marker")


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


@cache
def _compiled(source: str) -> Template:
    """Compile each template source once: compiling costs more than rendering."""
    return _environment().from_string(source)


_NEEDS = f"a prompts folder (KHABAR_PROMPTS_DIR, prompts_dir) holds {' and '.join(TEMPLATE_NAMES)}"


@cache
def _load(directory: Path) -> PromptSet:
    """Read and compile every template up front, so a missing, undecodable or broken one is
    one line naming its file before any article is sent, not a traceback or a hole later."""
    if not directory.is_dir():
        what = "is not a folder" if directory.exists() else "does not exist"
        raise PromptError(f"prompts folder {directory} {what}: {_NEEDS}")
    sources: dict[str, str] = {}
    for name in TEMPLATE_NAMES:
        path = directory / name
        try:
            sources[name] = path.read_text(encoding="utf-8-sig")  # a BOM is no prompt text
        except UnicodeDecodeError as exc:
            raise PromptError(
                f"prompt template {path} is not valid UTF-8 (byte {exc.object[exc.start]:#04x} "
                f"at offset {exc.start}): save it as UTF-8"
            ) from None
        except OSError as exc:
            raise PromptError(
                f"cannot read prompt template {path}: {exc.strerror}; {_NEEDS}"
            ) from None
        try:
            _compiled(sources[name])
        except TemplateSyntaxError as exc:
            raise PromptError(f"prompt template {path} line {exc.lineno}: {exc.message}") from None
    return PromptSet(directory=directory, sources=sources)


__all__ = ["Prompt", "PromptError", "PromptSet", "article_fence", "default_prompts_dir"]
