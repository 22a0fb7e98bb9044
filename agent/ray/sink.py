"""The driver's side of `--engine ray`: every result block written once, in the output's format.

The driver writes every line of a cluster's run, so it must not redo the actors' work: a stage's
block is spliced into JSONL lines or reordered into the Parquet record schema as columns, not
parsed and serialised again row by row (`benchmarks/ray_batch.py --sink` measures both). An id
Ray delivers twice (a retried task of an actor that died) is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.batch.io import ResultWriter
from agent.batch.parquet import (
    RECORD_COLUMNS,
    ParquetWriter,
    line_from_row,
    open_results,
    record_from_row,
)

if TYPE_CHECKING:
    import pyarrow as pa


class OutputSink:
    """Writes result blocks to a JSONL file or a Parquet folder, each id at most once."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.writer: ParquetWriter | ResultWriter = open_results(output)
        self.written: set[str] = set()
        self.duplicates = 0

    def write_block(self, table: pa.Table) -> pa.Table:
        """Write the rows of ids not written yet; return them (for counting)."""
        import pyarrow as pa

        ids = [str(i) for i in table.column("id").to_pylist()]
        fresh = []
        for index, key in enumerate(ids):
            if key in self.written:
                self.duplicates += 1
                continue
            self.written.add(key)
            fresh.append(index)
        if len(fresh) != table.num_rows:
            table = table.take(pa.array(fresh, type=pa.int64()))
        if isinstance(self.writer, ParquetWriter):
            self.writer.write_table(_record_table(table))
            return table
        records = _as_records(table)
        if records is None:  # a user's own columns to fold into `metadata`: the round trip
            for row in table.to_pylist():
                self.writer.write(record_from_row(row))
        else:  # the stage's JSON text spliced in as it is, not parsed again
            for row in records.to_pylist():
                self.writer.write_text(line_from_row(row))
        return table

    def close(self) -> None:
        self.writer.close()

    def __enter__(self) -> OutputSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _record_table(table: pa.Table) -> pa.Table:
    """A stage's rows in the record shape: extra input columns folded into `metadata`."""
    import pyarrow as pa

    from agent.batch.parquet import record_schema

    if list(table.column_names) == list(RECORD_COLUMNS):
        return table
    records = _as_records(table)
    if records is not None:
        return records
    rows = [_as_record_row(row) for row in table.to_pylist()]
    return pa.Table.from_pylist(rows, schema=record_schema())


def _as_records(table: pa.Table) -> pa.Table | None:
    """A stage's own block (the record's columns, `metadata` an object's JSON text or null) in
    the record's column order, as columns: nothing parsed and serialised again row by row. None
    where the rows need the round trip of `record_from_row` (other columns to fold in)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from agent.batch.parquet import record_schema

    if set(table.column_names) != set(RECORD_COLUMNS):
        return None
    packed = table.column("metadata")
    if not pa.types.is_string(packed.type):
        return None
    if pc.all(pc.fill_null(pc.starts_with(packed, "{"), True)).as_py() not in (True, None):
        return None
    filled = pc.fill_null(packed, "{}")  # as `record_from_row`: nothing packed is {}
    table = table.set_column(table.schema.get_field_index("metadata"), "metadata", filled)
    return table.select(list(RECORD_COLUMNS)).cast(record_schema())


def _as_record_row(row: Mapping[str, Any]) -> dict[str, Any]:
    from agent.batch.parquet import row_from_record

    return row_from_record(record_from_row(row))


__all__ = ["OutputSink"]
