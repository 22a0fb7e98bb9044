"""`khabar batch` refusing what it cannot do well, in one line, before anything is written."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_batch import ARTICLE, LocalEndpoint
from tests.test_batch_cli import read_lines, write_jsonl
from tests.test_cli import one_line_error, run


def batch(
    capsys: pytest.CaptureFixture[str], endpoint: LocalEndpoint, *args: str
) -> tuple[int, str]:
    flags = ["--base-url", endpoint.base_url, "--model", "m", "--no-progress"]
    code, _, err = run(capsys, "batch", *args, *flags)
    return code, err


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--actors", "4"], "--actors"),
        (["--actors", "2"], "--actors"),  # the default value, typed: still a mistake
        (["--ray-address", "auto"], "--ray-address"),
        (["--batch-size", "10", "--engine", "local"], "--batch-size"),
    ],
)
def test_a_ray_option_without_the_ray_engine_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], named: str
) -> None:
    feed, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(feed, ["a"])
    with LocalEndpoint() as endpoint:
        code, err = batch(capsys, endpoint, str(feed), "-o", str(out), *flags)
        assert endpoint.requests == 0
    assert code == 2 and one_line_error(err).startswith(f"{named} goes with --engine ray")
    assert not out.exists()


def test_standard_output_as_dash_is_refused_not_written_to_a_file_named_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "in.jsonl"
    write_jsonl(feed, ["a"])
    monkeypatch.chdir(tmp_path)
    with LocalEndpoint() as endpoint:
        code, err = batch(capsys, endpoint, str(feed), "-o", "-")
        assert endpoint.requests == 0
    assert code == 2 and "-o - is not supported" in one_line_error(err)
    assert not (tmp_path / "-").exists()


def test_a_parquet_output_that_is_a_file_is_refused_and_left_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed, text, table = tmp_path / "in.jsonl", tmp_path / "notes.parquet", tmp_path / "t.parquet"
    write_jsonl(feed, ["a"])
    text.write_bytes(b"my notes")
    pq.write_table(pa.table({"id": ["x"], "status": ["ok"]}), table)  # one Parquet file
    before = table.read_bytes()
    with LocalEndpoint() as endpoint:
        for out in (text, table):
            code, err = batch(capsys, endpoint, str(feed), "-o", str(out))
            assert code == 2
            assert one_line_error(err) == (
                f"-o {out} is a file: a Parquet output is a folder of part files, which khabar "
                "creates; choose another name"
            )
        assert endpoint.requests == 0
    assert text.read_bytes() == b"my notes" and table.read_bytes() == before


def test_a_parquet_output_inside_the_parquet_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.parquet"
    source.mkdir()
    pq.write_table(pa.table({"id": ["a"], "text": ["x"]}), source / "part-0.parquet")
    with LocalEndpoint() as endpoint:
        for out in (source, source / "results.parquet"):
            code, err = batch(capsys, endpoint, str(source), "-o", str(out), "--engine", "ray")
            assert code == 2 and "read back as articles" in one_line_error(err)
    assert [p.name for p in source.iterdir()] == ["part-0.parquet"]


class KeyRefused(BaseHTTPRequestHandler):
    """Answers every request 401: the run stops on its first article, before any result."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        data = json.dumps({"error": {"message": "invalid api key"}}).encode()
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def refusing_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), KeyRefused)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_a_run_that_fails_before_any_result_leaves_no_new_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], refusing_url: str
) -> None:
    feed, out, parts = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "out.parquet"
    write_jsonl(feed, ["a"])
    flags = ["--base-url", refusing_url, "--model", "m", "--no-progress"]
    for target in (out, parts):
        code, _, err = run(capsys, "batch", str(feed), "-o", str(target), *flags)
        assert code == 1 and "401" in one_line_error(err)
        assert not target.exists()
    out.write_text("", encoding="utf-8")  # an output the user made is kept, empty or not
    code, _, err = run(capsys, "batch", str(feed), "-o", str(out), *flags)
    assert code == 1 and out.exists()


def folder_of_one_article(tmp_path: Path) -> Path:
    """An input folder holding a.txt, a good article, for a bad file to sit beside."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_an_article_file_too_long_is_its_own_error_not_read_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_of_one_article(tmp_path)
    (folder / "endless.txt").symlink_to("/dev/zero")  # read whole, it would fill the memory
    with (folder / "sparse.md").open("wb") as sparse:
        sparse.truncate(1 << 30)  # 1 GB of holes: no disk used, but 1 GB to read
    out = tmp_path / "out.jsonl"
    with LocalEndpoint() as endpoint:
        code, err = batch(capsys, endpoint, str(folder), "-o", str(out), "--max-chars", "1000")
        assert endpoint.requests == 1
    assert code == 1, err
    lines = {line["id"]: line for line in read_lines(out)}
    assert lines["a.txt"]["status"] == "ok"
    for name in ("endless.txt", "sparse.md"):
        error = lines[name]["error"]
        assert error["kind"] == "input"
        assert error["message"] == (
            f"{folder / name} is over the limit of 1,000 characters (more than 4,003 bytes "
            "read); raise it with --max-chars or KHABAR_MAX_CHARS"
        )


def test_a_named_pipe_in_a_folder_is_its_own_error_not_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_of_one_article(tmp_path)
    pipe = folder / "b.txt"
    os.mkfifo(pipe)  # opening it for reading waits for a writer: the batch hung there

    def unblock() -> None:  # should the fix regress: give the reader its EOF, not hang CI
        time.sleep(20)
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()
    out = tmp_path / "out.jsonl"
    with LocalEndpoint() as endpoint:
        code, err = batch(capsys, endpoint, str(folder), "-o", str(out))
        assert endpoint.requests == 1
    assert code == 1, err
    lines = {line["id"]: line for line in read_lines(out)}
    assert lines["a.txt"]["status"] == "ok"
    assert lines["b.txt"]["error"]["kind"] == "input"
    assert lines["b.txt"]["error"]["message"] == (
        f"{pipe} is a named pipe or socket, not a file: a folder's articles are files"
    )


def test_a_jsonl_line_too_long_is_its_own_error_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    limit = 12 * 1000 + (1 << 20)  # 12 bytes a character (an escaped emoji), 1 MB of metadata
    long_text = "x" * (limit + 10)
    feed.write_text(
        json.dumps({"id": "a", "text": ARTICLE})
        + "\n"
        + json.dumps({"id": "huge", "text": long_text, "feed": "wire"})
        + "\n"
        + json.dumps({"text": long_text})  # no id to read: named by its line, last, no newline
        + "\n"
        + json.dumps({"id": "b", "text": ARTICLE}),
        encoding="utf-8",
    )
    with LocalEndpoint() as endpoint:
        code, err = batch(capsys, endpoint, str(feed), "-o", str(out), "--max-chars", "1000")
        assert endpoint.requests == 2
    assert code == 1, err
    lines = {line["id"]: line for line in read_lines(out)}
    assert lines["a"]["status"] == lines["b"]["status"] == "ok"
    too_long = (
        f"line too long (over {limit:,} bytes, more than an article of at most 1,000 "
        "characters takes); raise it with --max-chars or KHABAR_MAX_CHARS"
    )
    assert lines["huge"]["error"] == {
        "kind": "input",
        "message": f"in.jsonl:2: {too_long}",
        "attempts": 0,
    }
    assert lines["in.jsonl:3"]["error"]["message"] == f"in.jsonl:3: {too_long}"
