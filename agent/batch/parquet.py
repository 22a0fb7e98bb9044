"""Batch results as Parquet: a folder of whole part files, resumable like the JSONL output.

Analysts load Parquet straight into pandas, polars or DuckDB (`read_parquet("out.parquet")` reads
the folder). A Parquet file cannot be appended to, so `-o results.parquet` is a folder of part
files, each written whole (a temp file, fsync, then a rename): a process killed at any moment
leaves only whole parts, and loses at most the rows not yet flushed, which a re-run redoes.
Parts are named by the time they were written, so reading them in name order replays the run.

A row is a batch line with its objects as JSON text: `id`, `status`, `problems_left` (an
integer), `result`, `error`, `metadata`, `provenance` (strings; `error`, `result` null when
absent). Rows from a user's own Ray pipeline (`agent.ray.KhabarStage`) carry the input's other
columns instead of `metadata`; `record_from_row` folds those into `metadata`, so `khabar report`
and resume read both.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.batch.io import OutputIndex
from agent.errors import ConfigError, InputError, KhabarError, OutputError, first_line

if TYPE_CHECKING:
    import pyarrow as pa

    from agent.batch.io import ResultWriter

SUFFIX = ".parquet"
JSON_COLUMNS = ("result", "error", "metadata", "provenance")
RECORD_COLUMNS = ("id", "status", "problems_left", *JSON_COLUMNS)
LINE_KEYS = ("id", "status", "problems_left", "result", "error", "metadata", "provenance")
INSTALL_HINT = "pip install 'khabar[ray]'"


def is_parquet(path: str | Path) -> bool:
    """Parquet is chosen by the name: `results.parquet` (a folder of parts, or one file)."""
    return Path(path).suffix.lower() == SUFFIX


def pyarrow() -> Any:
    """The pyarrow module, or a one-line error naming the extra that brings it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError:
        raise ConfigError(f"Parquet needs pyarrow: {INSTALL_HINT}") from None
    return pa


def check_parquet_output(output: Path, source: str) -> None:
    """Refuse, before the lock creates anything, a Parquet output that cannot be a folder of
    parts: an existing file (one Parquet file cannot be appended to, and is left as it is), or
    the Parquet input itself or a folder inside it (its parts would be read back as input)."""
    if os.path.lexists(output) and not output.is_dir():
        raise OutputError(
            f"-o {output} is a file: a Parquet output is a folder of part files, which khabar "
            "creates; choose another name"
        )
    if source == "-" or "://" in source or not is_parquet(source) or not Path(source).exists():
        return
    inside = Path(os.path.realpath(output))
    given = Path(os.path.realpath(source))
    if inside == given or given in inside.parents:
        raise OutputError(
            f"-o {output} is the input {source} or inside it: its parts would be read back as "
            "articles; write it outside the input"
        )


def parquet_input_problem(source: str, exc: BaseException) -> InputError:
    """Why a Parquet input cannot be read, in one line naming the file at fault where it can
    (Ray's reader says only "magic bytes not found", or "no files found", with a traceback)."""
    reason = first_line(exc)
    path = Path(source)
    if "://" in source or not path.exists():
        return InputError(f"cannot read {source} as Parquet: {reason}")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*" + SUFFIX) if p.is_file())
    files = [p for p in files if not p.name.startswith((".", "_"))]  # as Ray's reader skips them
    if not files:
        return InputError(f"{source} holds no Parquet file (*{SUFFIX}): nothing to read")
    pq = pyarrow().parquet
    for file in files:
        if file.stat().st_size == 0:
            return InputError(f"{file} is empty: not a Parquet file")
        try:
            pq.read_schema(file)
        except (OSError, ValueError) as problem:  # pyarrow's ArrowInvalid is a ValueError
            first = str(problem).split(". ")[0]
            return InputError(f"{file} is not a Parquet file ({first})")
    return InputError(f"cannot read {source} as Parquet: {reason}")


def record_schema() -> pa.Schema:
    pa = pyarrow()
    return pa.schema(
        [(name, pa.int64() if name == "problems_left" else pa.string()) for name in RECORD_COLUMNS]
    )


def row_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A batch line (`BatchRecord.to_json()`) as a Parquet row: objects become JSON text."""
    row: dict[str, Any] = {
        "id": str(record["id"]),
        "status": str(record["status"]),
        "problems_left": record.get("problems_left"),
    }
    for name in JSON_COLUMNS:
        value = record.get(name)
        row[name] = None if value is None else json.dumps(value, ensure_ascii=False)
    return row


def record_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A Parquet row back as a batch line; columns other than the record's go to `metadata`."""
    record: dict[str, Any] = {
        "id": str(row["id"]),
        "status": row.get("status"),
        "problems_left": row.get("problems_left"),
    }
    for name in ("result", "error", "provenance"):
        record[name] = _loads(row.get(name))
    packed = _loads(row.get("metadata"))
    metadata: dict[str, Any] = dict(packed) if isinstance(packed, dict) else {}
    for name, value in row.items():
        if name not in RECORD_COLUMNS:
            metadata[name] = value
    record["metadata"] = metadata
    return {k: record[k] for k in LINE_KEYS}


def line_from_row(row: Mapping[str, Any]) -> str:
    """The batch line of a row in the record's shape (`RECORD_COLUMNS`, its JSON columns as
    `json.dumps(..., ensure_ascii=False)` wrote them, `metadata` an object): the JSON text
    spliced in, the same bytes as `json.dumps(record_from_row(row))` without parsing each result
    back only to serialise it again (a long article's result is tens of kilobytes, and the Ray
    driver writes every line of the run)."""
    parts = [
        f'"id": {json.dumps(str(row["id"]), ensure_ascii=False)}',
        f'"status": {json.dumps(row.get("status"), ensure_ascii=False)}',
        f'"problems_left": {json.dumps(row.get("problems_left"))}',
    ]
    for name in LINE_KEYS[3:]:  # result, error, metadata, provenance: JSON text already
        value = row.get(name)
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f'"{name}": {text}')
    return "{" + ", ".join(parts) + "}"


def _loads(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value)
    return value


def _part_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.suffix == SUFFIX and not p.name.startswith("."))


def iter_rows(path: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of a Parquet file or folder, part by part (one part in memory at a time)."""
    pa = pyarrow()
    for part in _part_files(path):
        try:
            handle = pa.parquet.ParquetFile(part)
            names = handle.schema_arrow.names
            wanted = None if columns is None else [c for c in columns if c in names]
            for group in range(handle.num_row_groups):
                yield from handle.read_row_group(group, columns=wanted).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot read {part}: {exc}") from None


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """The batch lines held by a Parquet output (khabar's, or a Ray pipeline's)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    for row in iter_rows(path):
        yield record_from_row(row)


def scan_parquet_output(path: Path) -> OutputIndex:
    """Index an existing Parquet output for resume; an id is done once any of its rows is ok.

    Reads only whole parts: a temp file left by a crash mid-part was never committed.
    """
    index = OutputIndex()
    if not path.exists():
        return index
    for number, row in enumerate(iter_rows(path, ["id", "status"]), start=1):
        if row.get("id") is None:
            index.unreadable.append((number, None))
            continue
        key = str(row["id"])
        index.ok[key] = index.ok.get(key, False) or row.get("status") == "ok"
    return index


def scan_results(path: Path) -> OutputIndex:
    """What an output already holds, by its name: a Parquet folder or a JSONL file."""
    from agent.batch.io import scan_output

    return scan_parquet_output(path) if is_parquet(path) else scan_output(path)


def open_results(path: Path) -> ParquetWriter | ResultWriter:
    """The writer for an output, by its name: Parquet parts or appended JSONL lines."""
    from agent.batch.io import ResultWriter

    return ParquetWriter(path) if is_parquet(path) else ResultWriter(path)


class ParquetWriter:
    """Buffers rows and writes them as whole part files: every `rows_per_part` rows, when
    `flush_interval` seconds have passed since the last part, and on close."""

    def __init__(
        self, path: Path, *, rows_per_part: int = 1000, flush_interval: float = 10.0
    ) -> None:
        self.path = path
        self.rows_per_part = rows_per_part
        self.flush_interval = flush_interval
        self.lines = 0
        self.parts = 0
        self._rows: list[dict[str, Any]] = []
        self._flushed = time.monotonic()
        self._pa = pyarrow()
        if path.is_file():
            raise OutputError(f"{path} is a file: a Parquet output is a folder of parts")
        try:
            path.mkdir(parents=True, exist_ok=True)
            for stale in path.glob(".part-*.tmp"):  # a part a crash left unfinished
                stale.unlink(missing_ok=True)
        except OSError as exc:
            raise KhabarError(f"cannot create {path}: {exc.strerror}") from None

    def write(self, record: Mapping[str, Any]) -> None:
        """One batch line (as `ResultWriter.write` takes it)."""
        self._rows.append(row_from_record(record))
        if len(self._rows) >= self.rows_per_part or (
            time.monotonic() - self._flushed >= self.flush_interval
        ):
            self.flush()

    def write_table(self, table: pa.Table) -> None:
        """A table of rows already in the record shape (the Ray engine's), as one part."""
        self.flush()
        self._write_part(table)

    def flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=record_schema())
            self._write_part(table)
            self._rows = []
        self._flushed = time.monotonic()

    def _write_part(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        final = self.path / name
        tmp = self.path / f".{name}.tmp"
        try:
            self._pa.parquet.write_table(table, tmp)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise KhabarError(
                f"cannot write {final}: {exc.strerror or exc}; {self.lines} result(s) saved, "
                "re-run the same command to resume"
            ) from None
        self.lines += table.num_rows
        self.parts += 1

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> ParquetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "RECORD_COLUMNS",
    "ParquetWriter",
    "check_parquet_output",
    "is_parquet",
    "iter_records",
    "line_from_row",
    "open_results",
    "parquet_input_problem",
    "record_from_row",
    "row_from_record",
    "scan_parquet_output",
    "scan_results",
]
