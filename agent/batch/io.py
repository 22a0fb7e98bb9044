"""Batch input and output: articles streamed in, one whole JSONL line per result out.

Input is read lazily, one article at a time, so a batch of a million articles holds only the
articles in flight: a folder of `.txt`/`.md` files (walked in sorted order per directory), a
JSONL file, or JSONL on stdin (`-`). A line or file that cannot be used becomes an item carrying
its `InputError` message, so it turns into an error line instead of stopping the batch.

Output is crash-safe without a temp-file-and-rename (which would rewrite the whole file per line):
every line is encoded first and written with one `os.write` on an `O_APPEND` descriptor. A
process killed (even with -9) between two writes leaves only whole lines; the kernel keeps what was
written. Only a power loss or OS crash can lose lines still in the page cache, or, on some file
systems, leave a torn last line: `fsync` runs at most once per `fsync_interval` seconds and on
close (one fsync per line would cap throughput at the disk's sync rate, and a lost line is simply
redone on resume), and `scan_output` truncates a trailing partial line before resuming. A short
write (disk full) is undone with `ftruncate` back to the last whole line, then reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from agent.articles import read_article, stdin_bytes
from agent.errors import InputError, KhabarError, OutputError
from agent.settings import Settings

ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
METADATA_BYTES = 1 << 20  # a JSONL line's id and metadata, beyond its text
COUNT_PIECE = 1 << 20  # bytes read at once where a line is counted or skipped, not kept
ID_PEEK = 4096  # bytes of a too-long line searched for its id
# The id of an input line, read from its start when the line is too long to parse.
_LEADING_INPUT_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?[0-9]+)\s*[,}]')


@dataclass(frozen=True)
class BatchItem:
    """One article of a batch; `problem` is set when the input itself cannot be used."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None


def item_from_mapping(data: object, where: str) -> BatchItem:
    """A JSONL record (`id`, `text`, anything else kept as metadata) as a `BatchItem`."""
    if not isinstance(data, Mapping):
        return BatchItem(where, "", problem=f"{where}: expected a JSON object with id and text")
    raw_id = data.get("id")
    metadata = {k: v for k, v in data.items() if k not in ("id", "text")}
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
        return BatchItem(where, "", metadata, f"{where}: missing id (a string or an integer)")
    text = data.get("text")
    if not isinstance(text, str):
        return BatchItem(str(raw_id), "", metadata, f"{where}: missing text (a string)")
    if not _valid_unicode(data):
        item_id = str(raw_id) if _valid_unicode(raw_id) else where
        problem = (
            f"{where}: not valid Unicode (an escape from \\ud800 to \\udfff without its pair, "
            "a lone surrogate, which no UTF-8 text can hold); fix that escape in the input"
        )
        return BatchItem(item_id, "", {}, problem)
    return BatchItem(str(raw_id), text, metadata)


def count_input(source: str) -> int | None:
    """How many articles `source` holds, counted cheaply; None for stdin or a pipe (unknown:
    counting would eat the input) and for what cannot be read."""
    if source == "-":
        return None
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in _article_files(path))
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return _count_lines(handle)
    except OSError:
        return None


def _count_lines(handle: BinaryIO) -> int:
    """Lines with anything but whitespace, read in pieces: a line of gigabytes is not held."""
    count, content = 0, False
    while piece := handle.readline(COUNT_PIECE):
        content = content or bool(piece.strip())
        if piece.endswith(b"\n"):
            count, content = count + content, False
    return count + content


def line_limit(max_chars: int) -> int:
    """The longest JSONL line read for an article of at most `max_chars` characters: 12 bytes
    each (an escaped character outside the BMP, `\\ud83d\\ude00`), and room for id and metadata."""
    return 12 * max_chars + METADATA_BYTES


def iter_input(source: str, max_chars: int = Settings.max_chars) -> Iterator[BatchItem]:
    """The articles of a folder, a JSONL file or stdin (`-`), one at a time.

    The source is checked now (a clear `InputError`), the articles are read as they are pulled.
    Reads are bounded by `max_chars` (`--max-chars`), as `khabar extract`'s are: a file or a
    line longer than an article of that many characters can take becomes that article's error,
    without being read whole.
    """
    if source == "-":
        return _iter_jsonl(stdin_bytes(), "stdin", max_chars)
    path = Path(source)
    if path.is_dir():
        return (_item_from_file(file, path, max_chars) for file in _article_files(path))
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix in ARTICLE_SUFFIXES:
        raise InputError(f"{path} is one article: pass its folder, or use `khabar extract`")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return _closing_jsonl(handle, path.name, max_chars)


def article_texts(source: str, ids: set[str]) -> dict[str, str]:
    """The text of each of `ids` found in a batch's input (folder, JSONL or Parquet), read once
    and kept only for those ids: the report joins it to result lines that carry no text."""
    from agent.batch.parquet import is_parquet, iter_rows

    pairs: Iterator[tuple[object, object]]
    if source != "-" and is_parquet(source):
        pairs = (
            (row.get("id"), row.get("text")) for row in iter_rows(Path(source), ["id", "text"])
        )
    else:
        pairs = ((item.id, item.text) for item in iter_input(source) if item.problem is None)
    found: dict[str, str] = {}
    for key, text in pairs:
        if key is not None and str(key) in ids and isinstance(text, str):
            found.setdefault(str(key), text)
    return found


def _closing_jsonl(handle: BinaryIO, name: str, max_chars: int) -> Iterator[BatchItem]:
    with handle:
        yield from _iter_jsonl(handle, name, max_chars)


def _article_files(root: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            if reads_as_article(Path(name)):
                yield Path(directory) / name


def _item_from_file(file: Path, root: Path, max_chars: int) -> BatchItem:
    item_id = file.relative_to(root).as_posix()
    metadata = {"path": str(file)}
    if _is_pipe(file):  # opening it would wait for a writer: the batch would hang on it
        problem = f"{file} is a named pipe or socket, not a file: a folder's articles are files"
        return BatchItem(item_id, "", metadata, problem)
    try:
        return BatchItem(item_id, read_article(file, max_chars), metadata)
    except InputError as exc:
        return BatchItem(item_id, "", metadata, str(exc))


def _is_pipe(file: Path) -> bool:
    try:
        mode = file.stat().st_mode
    except OSError:  # gone, or a dangling link: read_article names it
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _iter_jsonl(handle: BinaryIO, name: str, max_chars: int) -> Iterator[BatchItem]:
    limit = line_limit(max_chars)
    for number, (raw, whole) in enumerate(_bounded_lines(handle, limit), start=1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        if not whole:
            match = _LEADING_INPUT_ID.match(raw)
            item_id = _json_id(match.group(1)) if match else None
            yield BatchItem(
                item_id or where,
                "",
                problem=(
                    f"{where}: line too long (over {limit:,} bytes, more than an article of at "
                    f"most {max_chars:,} characters takes); raise it with --max-chars or "
                    "KHABAR_MAX_CHARS"
                ),
            )
            continue
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            yield BatchItem(where, "", problem=f"{where}: not valid UTF-8")
            continue
        except ValueError as exc:
            yield BatchItem(where, "", problem=f"{where}: not JSON ({exc.args[0]})")
            continue
        yield item_from_mapping(data, where)


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Each line, or for one over `limit` bytes its first `ID_PEEK` bytes and False: the rest
    is read past in pieces and dropped, so memory stays bounded whatever the input holds."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, True
            continue
        head = line[:ID_PEEK]
        del line
        while (piece := handle.readline(COUNT_PIECE)) and not piece.endswith(b"\n"):
            pass
        yield head, False


def _json_id(text: bytes) -> str | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return str(value) if _valid_unicode(value) and value != "" else None


def _valid_unicode(data: object) -> bool:
    """Whether every string in a parsed line can be written as UTF-8 (JSON escapes may spell
    half a surrogate pair, which Python decodes into a string no encoder accepts)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class OutputIndex:
    """What an existing output already holds: the last status of every id (last line wins).

    Holds one entry per id (about 100 bytes each: 10 MB for 100,000 ids), the only part of a
    batch whose memory grows with the number of articles. A line that is not a whole result
    (a disk error, an edit) is listed in `unreadable` with its number and, when its id can
    still be read, that id is not done: it is extracted again, whatever `--retry-failed` says.
    """

    ok: dict[str, bool] = field(default_factory=dict)
    repaired_bytes: int = 0
    unreadable: list[tuple[int, str | None]] = field(default_factory=list)
    redo: set[str] = field(default_factory=set)

    @property
    def unreadable_lines(self) -> int:
        return len(self.unreadable)

    @property
    def done(self) -> int:
        return sum(self.ok.values())

    @property
    def failed(self) -> int:
        return len(self.ok) - self.done

    def skip_ids(self, retry_failed: bool) -> set[str]:
        return {k for k, ok in self.ok.items() if (ok or not retry_failed) and k not in self.redo}


MAX_OUTPUT_LINE_BYTES = 256 << 20  # far above any one result line, far below memory


def scan_output(path: Path) -> OutputIndex:
    """Index an existing output and cut off a trailing partial line (left by a crash)."""
    index = OutputIndex()
    if not path.exists():
        return index
    if path.is_dir():
        raise InputError(f"{path} is a folder: -o needs a file")
    whole = 0
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # /dev/stdout, a pipe
                raise OutputError(f"{path} is not a regular file: -o needs a file")
            number = 0
            while line := handle.readline(MAX_OUTPUT_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_OUTPUT_LINE_BYTES:  # a file with no line breaks: read no
                    raise OutputError(  # further than one result could be
                        f"{path} has a line over {MAX_OUTPUT_LINE_BYTES >> 20} MiB: it holds no "
                        "khabar result; choose another -o"
                    )
                if not line.endswith(b"\n"):
                    break
                whole += len(line)
                _index_line(index, line, number)
            size = os.fstat(handle.fileno()).st_size
            if size and not index.ok and _holds_text(handle):
                raise OutputError(
                    f"{path} holds no khabar result: it is another file, and resuming would "
                    "append to it and cut its last line; choose another -o"
                )
        if size > whole:
            os.truncate(path, whole)
            index.repaired_bytes = size - whole
    except OSError as exc:
        raise KhabarError(f"cannot read {path}: {exc.strerror}") from None
    return index


def _holds_text(handle: BinaryIO) -> bool:
    """Whether the file has anything but blank lines (read again from the start)."""
    handle.seek(0)
    return any(line.strip() for line in handle)


# The id leads every line khabar writes, so it can often be read from a line cut or garbled later.
_LEADING_ID = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*"|-?[0-9]+)[,}]')


def _index_line(index: OutputIndex, line: bytes, number: int) -> None:
    if not line.strip():
        return
    try:
        record = json.loads(line)
        key, status = str(record["id"]), record["status"]
        if status not in ("ok", "error"):
            raise ValueError(status)
    except (ValueError, KeyError, TypeError):
        salvaged = _salvaged_id(line)
        index.unreadable.append((number, salvaged))
        if salvaged is not None:
            index.ok[salvaged] = False
            index.redo.add(salvaged)
        return
    index.ok[key] = status == "ok"
    index.redo.discard(key)


def _salvaged_id(line: bytes) -> str | None:
    match = _LEADING_ID.match(line)
    if match is None:
        return None
    try:
        return str(json.loads(match.group(1)))
    except ValueError:
        return None


def reads_as_article(path: Path) -> bool:
    """Whether a folder walk takes `path` as an article (so an output there would be re-read)."""
    return path.suffix in ARTICLE_SUFFIXES and not path.name.startswith(".")


class ResultWriter:
    """Appends whole JSONL lines: one `os.write` each, undone if the disk took only part."""

    def __init__(self, path: Path, *, fsync_interval: float = 1.0) -> None:
        self.path = path
        self.fsync_interval = fsync_interval
        self.lines = 0
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise KhabarError(f"cannot open {path} for writing: {exc.strerror}") from None
        self._size = os.fstat(self._fd).st_size
        self._synced = time.monotonic()

    def write(self, record: Mapping[str, Any]) -> None:
        self.write_text(json.dumps(record, ensure_ascii=False))

    def write_text(self, line: str) -> None:
        """One line already serialised (one JSON object, no newline)."""
        data = (line + "\n").encode("utf-8")
        try:
            written = os.write(self._fd, data)
        except OSError as exc:
            self._undo()
            raise self._failure(exc.strerror or str(exc)) from None
        if written != len(data):
            self._undo()
            raise self._failure("short write (is the disk full?)")
        self._size += written
        self.lines += 1
        if time.monotonic() - self._synced >= self.fsync_interval:
            self.sync()

    def sync(self) -> None:
        os.fsync(self._fd)
        self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)
            self._fd = -1

    def _undo(self) -> None:
        with contextlib.suppress(OSError):  # if this fails too, scan_output repairs it later
            os.ftruncate(self._fd, self._size)

    def _failure(self, reason: str) -> KhabarError:
        return KhabarError(
            f"cannot write {self.path}: {reason}; {self.lines} result(s) saved, "
            "re-run the same command to resume"
        )

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "BatchItem",
    "OutputIndex",
    "ResultWriter",
    "article_texts",
    "count_input",
    "item_from_mapping",
    "iter_input",
    "line_limit",
    "reads_as_article",
    "scan_output",
]
