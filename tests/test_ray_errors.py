"""`khabar batch --engine ray` on an input Ray cannot read: one line, exit 2, no output.

One local Ray for the module (2 CPUs, no dashboard); every case fails before an actor starts.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_cli import run
from tests.test_ray import local_ray  # noqa: F401  (one local Ray for the module)


def khabar_line(err: str) -> str:
    """khabar's one error line, last; above it may be Ray's own log records (its logger warns
    "Skipping zero-size file", and logs a failed read task with its tracebacks)."""
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), err
    assert sum(line.startswith("error: ") for line in lines) == 1, err
    return lines[-1].removeprefix("error: ")


def parquet_inputs(root: Path) -> list[tuple[Path, str]]:
    """Each bad input with the line it must give."""
    junk = root / "junk.parquet"
    junk.write_bytes(b"id,text\n1,not parquet at all\n" * 40)
    empty_file = root / "empty-file.parquet"
    empty_file.touch()
    empty_folder = root / "empty-folder.parquet"
    empty_folder.mkdir()
    no_text = root / "no-text.parquet"
    pq.write_table(pa.table({"id": [1, 2], "body": ["a", "b"]}), no_text)
    mixed = root / "mixed.parquet"
    mixed.mkdir()
    pq.write_table(pa.table({"id": [1], "text": ["an article"]}), mixed / "part-0.parquet")
    (mixed / "part-1.parquet").write_bytes(b"PAR1 and then nothing of the kind")
    return [
        (junk, f"{junk} is not a Parquet file (Parquet magic bytes not found in footer)"),
        (empty_file, f"{empty_file} is empty: not a Parquet file"),
        (empty_folder, f"{empty_folder} holds no Parquet file (*.parquet): nothing to read"),
        (
            no_text,
            f"{no_text} has no text column (its columns: id, body); batch needs id and text",
        ),
        (mixed / "part-1.parquet", "is not a Parquet file"),
    ]


def test_a_parquet_input_ray_cannot_read_is_one_line_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for source, message in parquet_inputs(tmp_path):
        given = source.parent if source.parent.suffix == ".parquet" else source
        for out in (tmp_path / "out.jsonl", tmp_path / "out.parquet"):
            code, _, err = run(
                capsys,
                *("batch", str(given), "-o", str(out), "--engine", "ray", "--no-progress"),
                *("--base-url", "http://127.0.0.1:9/v1", "--model", "m"),
            )
            assert code == 2
            assert message in khabar_line(err)
            assert not out.exists()


def test_a_parquet_file_with_a_corrupt_page_stops_the_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its footer reads (so the schema check passes), its data does not: Ray's read task fails
    mid-run, and the run ends with pyarrow's reason and the file, not Ray's tracebacks."""
    source, out = tmp_path / "corrupt.parquet", tmp_path / "out.jsonl"
    texts = [f"{'word ' * 50}{i}" for i in range(500)]
    table = pa.table({"id": [f"a{i}" for i in range(500)], "text": texts})
    pq.write_table(table, source, compression="snappy", use_dictionary=False)
    data = bytearray(source.read_bytes())
    for at in range(len(data) // 4, len(data) // 2, 7):  # inside the column chunks
        data[at] ^= 0x5A
    source.write_bytes(bytes(data))
    assert pq.read_schema(source).names == ["id", "text"]
    code, _, err = run(
        capsys,
        *("batch", str(source), "-o", str(out), "--engine", "ray", "--no-progress"),
        *("--base-url", "http://127.0.0.1:9/v1", "--model", "m"),
    )
    assert code == 2
    assert khabar_line(err) == f"cannot read {source}: Corrupt snappy compressed data."
    assert not out.exists()
