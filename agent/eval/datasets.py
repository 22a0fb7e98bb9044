"""Gold sets: khabar's own JSONL format and loaders for the human-annotated sets we score against.

One line per document, character offsets into its own `text` (`text[start:end]` is the span):

    {"id": "d1", "text": "...",
     "entities": [{"type": "person", "start": 0, "end": 11}],
     "positions": [{"speaker": [0, 11], "cue": [54, 58], "content": [59, 124]}]}

`type` is person, organization or location. `speaker` and `content` may also be lists of spans
(`[[0, 11], [14, 51]]`): a prediction matching any of them counts, as QA-SRL gives a name and a
title separately. A document without `entities` (or `positions`) is not scored on them, so a set
that annotates only statements does not count every predicted name as spurious.

Loaders read the data where the user points (`--data DIR` or a file); nothing is shipped:
NewsFANE (Arabic names, coarse classes mapped; `Group`, nationalities, is not scored as people),
GUM (English entity mentions, named ones) and the QA-SRL attribution predicates (cue, speaker,
content). Gold the scorer does not score (NewsFANE Group, vehicles, products; GUM's unnamed
mentions) is kept as `ignored`: a prediction lying inside one counts neither way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import InputError

PERSON = "person"
ORGANIZATION = "organization"
LOCATION = "location"
ENTITY_TYPES = (PERSON, ORGANIZATION, LOCATION)

# NewsFANE's coarse classes (its SOURCE.md): people, organisations, and every kind of place.
NEWSFANE_TYPES = {
    "PER": PERSON,
    "ORG": ORGANIZATION,
    "GPE": LOCATION,
    "LOC": LOCATION,
    "FAC": LOCATION,
}
GUM_TYPES = {"person": PERSON, "organization": ORGANIZATION, "place": LOCATION}
# QA-SRL roles (role_heuristic of attribution_predicates.jsonl) that make a statement.
QASRL_SPEAKER = "speaker"
QASRL_CONTENT = "content"


class DatasetError(InputError):
    """A gold file that cannot be scored: missing, unreadable, or with impossible spans."""

    kind = "dataset"


@dataclass(frozen=True, order=True)
class Span:
    """`text[start:end]`, end exclusive."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class GoldEntity:
    type: str
    span: Span
    text: str


@dataclass(frozen=True)
class GoldPosition:
    """A statement: its cue, and every span that names the speaker or gives the content."""

    cue: Span
    speakers: tuple[Span, ...]
    contents: tuple[Span, ...]


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    entities: tuple[GoldEntity, ...] | None = None
    positions: tuple[GoldPosition, ...] | None = None
    ignored: tuple[Span, ...] = ()
    ignored_cues: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    documents: tuple[Document, ...] = field(repr=False)


# Named sets: the file each loader reads, inside --data DIR or inside DIR/<folder>/.
KNOWN = {
    "newsfane": ("ar_ner_newsfane_gold", "newsfane_gold.jsonl"),
    "gum": ("en_news_gum", "gum_news_docs.jsonl"),
    "qasrl": ("en_attribution_qasrl_gs", "attribution_predicates.jsonl"),
}


def load_dataset(dataset: str | Path, data: str | Path | None = None) -> Dataset:
    """A named set (`newsfane`, `gum`, `qasrl`) found in `data`, or a gold file in khabar format.

    `data` may be the folder holding the set (or its parent, as ../shared/eval), or the file.
    """
    name = str(dataset)
    if name in KNOWN:
        path = _find(name, data)
        loader = {"newsfane": newsfane, "gum": gum, "qasrl": qasrl}[name]
        return Dataset(name, str(path), tuple(_checked(loader(_lines(path)), path)))
    path = Path(name)
    if data is not None:
        path = Path(data) / path
    if not path.is_file():
        known = ", ".join(KNOWN)
        raise DatasetError(f"{path}: no such gold file (or pass a named set: {known})")
    return Dataset(path.stem, str(path), tuple(_checked(khabar_format(_lines(path), path), path)))


def _find(name: str, data: str | Path | None) -> Path:
    folder, filename = KNOWN[name]
    if data is None:
        raise DatasetError(f"{name}: say where its data is with --data DIR (holding {filename})")
    root = Path(data)
    if not root.exists():
        raise DatasetError(f"{root}: no such file or folder")
    for candidate in (root, root / filename, root / folder / filename):
        if candidate.is_file():
            return candidate
    raise DatasetError(f"{name}: no {filename} in {root} or {root / folder}")


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{path}:{number}: not JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise DatasetError(f"{path}:{number}: expected a JSON object")
                yield number, record
        except UnicodeDecodeError:
            raise DatasetError(f"{path} is not valid UTF-8") from None


Located = tuple[int, Document]


def _checked(documents: Iterable[Located], path: Path) -> Iterator[Document]:
    """Every document's spans inside its text, no id twice, no gold overlapping another type."""
    seen: dict[str, int] = {}
    for number, doc in _readable(documents, path):
        where = f"{path}:{number}: document {doc.id!r}"
        if doc.id in seen:
            raise DatasetError(f"{where}: id already used on line {seen[doc.id]}")
        seen[doc.id] = number
        _check_spans(doc, where)
        yield doc


def _readable(documents: Iterable[Located], path: Path) -> Iterator[Located]:
    """The documents of a named set's file, or one line saying it is not that set's format."""
    iterator = iter(documents)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except KeyError as exc:
            raise DatasetError(
                f"{path} does not look like this set's file: a record lacks {exc}"
            ) from None
        except (TypeError, AttributeError):  # "entities": "x" where a list of objects goes
            raise DatasetError(
                f"{path} does not look like this set's file: a record has a field of the "
                "wrong shape (a list or an object where the set's format has one)"
            ) from None


def _check_spans(doc: Document, where: str) -> None:
    size = len(doc.text)

    def inside(span: Span, what: str) -> None:
        if not 0 <= span.start < span.end <= size:
            raise DatasetError(
                f"{where}: {what} [{span.start}, {span.end}) is outside the text "
                f"({size} characters) or empty"
            )

    entities = doc.entities or ()
    for i, entity in enumerate(entities):
        inside(entity.span, f"entity {i} ({entity.type})")
    for i, position in enumerate(doc.positions or ()):
        inside(position.cue, f"position {i} cue")
        for span in position.speakers:
            inside(span, f"position {i} speaker")
        for span in position.contents:
            inside(span, f"position {i} content")
    ordered = sorted(entities, key=lambda e: e.span)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.span.start >= a.span.end:
                break
            if a.type != b.type:
                raise DatasetError(
                    f"{where}: gold {a.type} {a.text!r} [{a.span.start}, {a.span.end}) overlaps "
                    f"gold {b.type} {b.text!r} [{b.span.start}, {b.span.end}): one span, one type"
                )


def _span(value: Any, what: str) -> Span:
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return Span(value[0], value[1])
    raise ValueError(f"{what} must be [start, end], got {json.dumps(value)}")


def _spans(value: Any, what: str) -> tuple[Span, ...]:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return tuple(_span(v, what) for v in value)
    return (_span(value, what),)


def khabar_format(lines: Iterable[tuple[int, dict[str, Any]]], path: Path) -> Iterator[Located]:
    """Documents in khabar's own gold format (see the module docstring)."""
    for number, record in lines:
        try:
            yield number, _khabar_document(record)
        except KeyError as exc:
            raise DatasetError(f"{path}:{number}: missing key {exc}") from None
        except (ValueError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: {exc}") from None


def _khabar_document(record: dict[str, Any]) -> Document:
    doc_id, text = record.get("id"), record.get("text")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or doc_id == "":
        raise ValueError("missing id (a string or an integer)")
    if not isinstance(text, str):
        raise ValueError(f"document {doc_id!r}: missing text (a string)")
    entities = None
    if "entities" in record:
        entities = []
        for raw in record["entities"]:
            kind = raw.get("type")
            if kind not in ENTITY_TYPES:
                raise ValueError(
                    f"document {doc_id!r}: entity type {kind!r} is not one of "
                    + ", ".join(ENTITY_TYPES)
                )
            span = Span(int(raw["start"]), int(raw["end"]))
            entities.append(GoldEntity(kind, span, text[span.start : span.end]))
    positions = None
    if "positions" in record:
        positions = [
            GoldPosition(
                cue=_span(raw["cue"], "cue"),
                speakers=_spans(raw["speaker"], "speaker"),
                contents=_spans(raw["content"], "content"),
            )
            for raw in record["positions"]
        ]
    return Document(
        str(doc_id),
        text,
        None if entities is None else tuple(entities),
        None if positions is None else tuple(positions),
    )


def newsfane(lines: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Located]:
    """NewsFANE gold sentences: PER, ORG and places scored; Group and the rest ignored."""
    for number, record in lines:
        text = record["text"]
        entities, ignored = [], []
        for raw in record["entities"]:
            span = Span(raw["start"], raw["end"])
            kind = NEWSFANE_TYPES.get(raw["coarse"])
            if raw["type"] == "Group" or kind is None:  # nationalities are not people
                ignored.append(span)
            else:
                entities.append(GoldEntity(kind, span, text[span.start : span.end]))
        yield number, Document(record["id"], text, tuple(entities), None, tuple(ignored))


def gum(lines: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Located]:
    """GUM news articles: named person, organisation and place mentions.

    GUM nests mentions ("U.S." inside "U.S. President Donald Trump's"); where two scored mentions
    overlap, the shorter is kept and the longer ignored, so no span has two gold types.
    """
    for number, record in lines:
        text = record["text"]
        named: list[GoldEntity] = []
        ignored: list[Span] = []
        for raw in record["mentions"]:
            kind = GUM_TYPES.get(raw["etype"])
            span = Span(raw["start"], raw["end"])
            if kind is None:
                continue
            if raw.get("wiki_identity") or raw.get("contains_propn"):
                named.append(GoldEntity(kind, span, text[span.start : span.end]))
            else:
                ignored.append(span)
        kept: list[GoldEntity] = []
        for entity in sorted(named, key=lambda e: e.span.end - e.span.start):
            if any(entity.span.overlaps(k.span) for k in kept):
                ignored.append(entity.span)
            else:
                kept.append(entity)
        kept.sort(key=lambda e: e.span)
        yield number, Document(record["id"], text, tuple(kept), None, tuple(ignored))


def qasrl(lines: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Located]:
    """QA-SRL attribution predicates, one document per sentence: each predicate with a speaker
    and a content answer is a statement (cue = the verb). Entities are not annotated here; a
    predicate missing either answer is ignored, and a sentence with none complete is left out."""
    sentences: dict[str, tuple[int, str, list[GoldPosition], list[Span]]] = {}
    for number, record in lines:
        sentence = record.get("sentence_id") or record["id"]
        speakers: list[Span] = []
        contents: list[Span] = []
        for qa in record["qas"]:
            role = qa.get("role_heuristic")
            target = speakers if role == QASRL_SPEAKER else contents
            if role in (QASRL_SPEAKER, QASRL_CONTENT):
                target.extend(Span(a["start"], a["end"]) for a in qa["answers"])
        _, _, positions, partial = sentences.setdefault(sentence, (number, record["text"], [], []))
        cue = Span(record["cue"]["start"], record["cue"]["end"])
        if speakers and contents:
            positions.append(GoldPosition(cue, tuple(speakers), tuple(contents)))
        else:  # a speech verb without a speaker or a content answer: not scored either way
            partial.append(cue)
    for sentence, (line, text, positions, partial) in sentences.items():
        if positions:
            yield line, Document(sentence, text, None, tuple(positions), (), tuple(partial))


__all__ = [
    "ENTITY_TYPES",
    "KNOWN",
    "LOCATION",
    "ORGANIZATION",
    "PERSON",
    "Dataset",
    "DatasetError",
    "Document",
    "GoldEntity",
    "GoldPosition",
    "Span",
    "load_dataset",
]
