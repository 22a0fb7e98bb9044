"""A self-contained HTML review page: the article with every grounded mention highlighted.

Analysts check an extraction by reading the article, not the JSON. The page shows the text with
each span coloured by kind (participant, title, organization, location, statement cue, statement
content), a side panel of participants, locations and who-said-what, and marks what was matched
only approximately or not at all.

Safe by construction: the template autoescapes everything, article text and model output only
ever land in text nodes or quoted attributes, element ids are ours (never the model's), explicit
bidi controls in the text are shown and isolated so they cannot reorder the page, and a
Content-Security-Policy allows only our own inline script and style (by hash) and no network.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from pydantic import ValidationError

from agent.errors import InputError
from agent.models import AlignmentStatus, ArticleExtraction, Grounded, Span
from agent.views import places

Direction = Literal["rtl", "ltr", "auto"]
MarkKind = Literal["participant", "title", "organization", "location", "cue", "content"]
MARK_KINDS: tuple[MarkKind, ...] = (
    "participant",
    "title",
    "organization",
    "location",
    "cue",
    "content",
)
# Explicit embeddings, overrides and isolates: the characters that can reorder what follows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class ReportArticle:
    """One article to show: its text (when known), its result, or why there is none."""

    label: str
    text: str | None
    result: ArticleExtraction | None
    error: str | None = None


@dataclass(frozen=True)
class Mark:
    """One highlighted occurrence: `text[start:end]` of a grounded field of `entity`."""

    key: str
    kind: MarkKind
    entity: str
    start: int
    end: int
    item: Grounded


@dataclass(frozen=True)
class Token:
    """The article as a flat stream for the template: open a mark, some text, close it."""

    op: Literal["open", "text", "close"]
    text: str = ""
    mark: Mark | None = None


@dataclass
class ArticleView:
    """Everything the template needs for one article, with our own element ids."""

    index: int
    article: ReportArticle
    direction: Direction
    marks: list[Mark] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entity_of: dict[str, str] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"art-{self.index}"

    def first_mark(self, entity: str, kind: str | None = None) -> str | None:
        """The element id a panel entry jumps to: the entity's first mark (of `kind`)."""
        for m in self.marks:
            if m.entity == entity and (kind is None or m.kind == kind):
                return m.key
        return None

    def count(self, entity: str) -> int:
        return sum(1 for m in self.marks if m.entity == entity)


def text_direction(text: str) -> Direction:
    """`rtl` when strong right-to-left letters dominate, `ltr` when they are rare, else `auto`."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    if rtl + ltr == 0:
        return "auto"
    share = rtl / (rtl + ltr)
    return "rtl" if share >= 0.7 else "ltr" if share <= 0.3 else "auto"


def collect_marks(
    result: ArticleExtraction, prefix: str, length: int
) -> tuple[list[Mark], dict[str, str]]:
    """Every span of every grounded field, and the element id given to each participant etc."""
    entity_of: dict[str, str] = {}
    found: list[tuple[MarkKind, str, Grounded]] = []
    for i, p in enumerate(result.participants):
        entity = entity_of.setdefault(f"participant:{p.id}", f"{prefix}-p{i}")
        found.append(("participant", entity, p.name))
        found.extend(("participant", entity, m) for m in p.mentions)
        for t in p.titles:
            found.append(("title", entity, t.text))
            if t.organization:
                found.append(("organization", entity, t.organization))
        if p.affiliation:
            found.append(("organization", entity, p.affiliation))
    for i, loc in enumerate(result.locations):
        entity = entity_of.setdefault(f"location:{loc.id}", f"{prefix}-l{i}")
        found.append(("location", entity, loc.name))
    for i, pos in enumerate(result.positions):
        entity = f"{prefix}-s{i}"
        entity_of[f"position:{i}"] = entity
        found.append(("cue", entity, _governing(pos.cue, pos.check.cue if pos.check else None)))
        found.append(
            ("content", entity, _governing(pos.content, pos.check.content if pos.check else None))
        )
    marks: list[Mark] = []
    for kind, entity, item in found:
        for span in item.spans:
            if 0 <= span.start < span.end <= length:
                key = f"{prefix}-m{len(marks)}"
                marks.append(Mark(key, kind, entity, span.start, span.end, item))
    return marks, entity_of


def _governing(item: Grounded, span: Span | None) -> Grounded:
    """Only the occurrence the attribution check read ("قال" occurs for every speaker): the link
    drawn from cue to content is the one the check used."""
    if span is None:
        return item
    kept = [s for s in item.spans if (s.start, s.end) == (span.start, span.end)]
    return item.model_copy(update={"spans": kept}) if kept else item


def tokenize(text: str, marks: Sequence[Mark]) -> list[Token]:
    """Nest the marks over the text; a mark crossing another's end is split into fragments."""
    opens: dict[int, list[Mark]] = {}
    for m in marks:
        opens.setdefault(m.start, []).append(m)
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    tokens: list[Token] = []
    stack: list[Mark] = []
    for here, following in zip(bounds, [*bounds[1:], len(text)], strict=True):
        ending = [m for m in stack if m.end == here]
        if ending:
            depth = min(stack.index(m) for m in ending)
            reopen = [m for m in stack[depth:] if m.end != here]
            tokens.extend(Token("close") for _ in stack[depth:])
            del stack[depth:]
            for m in reopen:
                tokens.append(Token("open", mark=m))
                stack.append(m)
        for m in sorted(opens.get(here, []), key=lambda m: -m.end):
            tokens.append(Token("open", mark=m))
            stack.append(m)
        if following > here:
            tokens.append(Token("text", text[here:following]))
    tokens.extend(Token("close") for _ in stack)
    return tokens


def visible_text(value: str) -> Markup:
    """Escaped text in which each bidi control is isolated (inert) and shown by its code point."""
    if not BIDI_CONTROLS.intersection(value):
        return escape(value)
    parts: list[Markup] = []
    for ch in value:
        if ch in BIDI_CONTROLS:
            parts.append(
                Markup('<span class="ctl" data-cp="U+{0:04X}">{1}</span>').format(ord(ch), ch)
            )
        else:
            parts.append(escape(ch))
    return Markup("").join(parts)


def build_view(index: int, article: ReportArticle) -> ArticleView:
    text = article.text or ""
    view = ArticleView(index, article, text_direction(text) if text else "auto")
    if article.result is not None:
        prefix = f"a{index}"
        length = len(text) if article.text is not None else 0
        view.marks, view.entity_of = collect_marks(article.result, prefix, length)
        # Entity ids also exist without text, so the panel still works.
    if article.text is not None:
        view.tokens = tokenize(article.text, view.marks)
    return view


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def _asset(name: str) -> str:
    return files("agent.views").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("agent.views", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["visible"] = visible_text
    return env


def render_report(articles: Iterable[ReportArticle], title: str = "khabar report") -> str:
    """The whole page as one HTML string: no external resource, nothing fetched."""
    views = [build_view(i, a) for i, a in enumerate(articles)]
    script, style = _asset("report.js"), _asset("report.css")
    csp = (
        "default-src 'none'; "
        f"script-src {_hash(script)}; style-src {_hash(style)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            views=views,
            script=Markup(script),
            style=Markup(style),
            csp=csp,
            statuses=AlignmentStatus,
            places=places,
        )
    )


def check_text(text: str, result: ArticleExtraction, source: str) -> None:
    """An `InputError` unless every span fits the text and exact matches slice to their string."""
    from agent.extraction.result import iter_grounded

    for item in iter_grounded(result):
        # `alignment` is the best occurrence's; other occurrences may be clitic or normalised.
        found = [text[s.start : s.end] for s in item.spans if s.start <= s.end <= len(text)]
        exact_missing = item.alignment is AlignmentStatus.EXACT and item.text not in found
        if len(found) < len(item.spans) or exact_missing:
            raise InputError(
                f"{source}: the result does not match this article text "
                f"({item.text!r} is not where the result says); is it the right article?"
            )


def _record(data: object, source: str, text: str | None) -> ReportArticle:
    """One article from a result, or from a batch line `{id, result | error, text?, path?}`."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object, got {type(data).__name__}")
    label = str(data.get("id") or data.get("path") or source)
    if "result" in data or "error" in data:
        text = data.get("text") if isinstance(data.get("text"), str) else text
        metadata = data.get("metadata")
        where = data.get("path")
        if where is None and isinstance(metadata, dict):
            where = metadata.get("path")  # batch over a folder keeps the path
        if text is None and isinstance(where, str) and Path(where).is_file():
            from agent.articles import read_article

            text = read_article(where)
        error = data.get("error")
        if isinstance(error, dict):
            error = error.get("message") or json.dumps(error, ensure_ascii=False)
        payload = data.get("result")
    else:
        error, payload = None, data
    result = None
    if payload is not None:
        try:
            result = ArticleExtraction.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InputError(f"{source}: not a khabar result ({where}: {first['msg']})") from None
        if text is not None:
            check_text(text, result, source)
    return ReportArticle(label, text, result, None if error is None else str(error))


def load_report_articles(
    path: Path, article: Path | None = None, *, skipped: list[str] | None = None
) -> list[ReportArticle]:
    """Articles from one result JSON (text from `article`) or a JSONL of batch lines.

    A JSONL line that is not JSON (a batch output damaged mid-file, whose id a resume has
    extracted again) is left out and named in `skipped` when given; without it, it fails."""
    from agent.articles import read_article

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not valid UTF-8 (byte offset {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = read_article(article) if article is not None else None
    try:
        document = json.loads(raw)
    except json.JSONDecodeError:
        document = None
    if document is not None:
        return [_record(document, str(path), text)]
    if article is not None:
        raise InputError("--article goes with a single result JSON, not with JSONL")
    articles: list[ReportArticle] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            if skipped is None:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
            skipped.append(f"{path}:{number}: not JSON ({exc.msg})")
            continue
        articles.append(_record(data, f"{path}:{number}", None))
    if not articles:
        raise InputError(f"{path} holds no result")
    return articles


def with_texts(
    articles: Iterable[ReportArticle], texts: Mapping[str, str], source: str
) -> list[ReportArticle]:
    """Articles with no text given theirs from `texts` (by label, the batch id), each checked
    against its result: an input that is not what was extracted is refused, not drawn wrong."""
    out = []
    for a in articles:
        text = texts.get(a.label) if a.text is None else None
        if text is not None and a.result is not None:
            check_text(text, a.result, f"{source} (id {a.label})")
        out.append(a if text is None else dataclasses.replace(a, text=text))
    return out


def report_articles_from_records(
    records: Iterable[Mapping[str, Any]], source: str
) -> list[ReportArticle]:
    """Articles from batch lines already read (e.g. the rows of a Parquet output)."""
    articles = [_record(dict(r), f"{source} row {n}", None) for n, r in enumerate(records, 1)]
    if not articles:
        raise InputError(f"{source} holds no result")
    return articles


def write_report(
    path: Path, articles: Iterable[ReportArticle], title: str = "khabar report"
) -> None:
    """Render first, then replace `path` atomically: never a half-written page."""
    from agent.files import write_atomic

    write_atomic(path, render_report(articles, title))


__all__ = [
    "BIDI_CONTROLS",
    "MARK_KINDS",
    "ArticleView",
    "Mark",
    "ReportArticle",
    "Token",
    "build_view",
    "check_text",
    "collect_marks",
    "load_report_articles",
    "render_report",
    "report_articles_from_records",
    "text_direction",
    "tokenize",
    "visible_text",
    "with_texts",
    "write_report",
]
