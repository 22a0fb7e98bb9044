"""`khabar batch` end to end against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from agent.cli.main import cli, main
from agent.errors import EndpointError
from tests.conftest import ROOT
from tests.test_batch import ARTICLE, LocalEndpoint
from tests.test_cli import one_line_error, run


def run_batch(endpoint: LocalEndpoint, *args: str, stdin: str | None = None) -> Result:
    flags = ["--base-url", endpoint.base_url, "--model", "gpt-4o-mini", "--max-reasks", "0"]
    env = {"KHABAR_TRANSPORT_ATTEMPTS": "1"}  # a scripted 500 fails at once
    return CliRunner().invoke(cli, ["batch", *args, *flags], input=stdin, env=env)


def read_lines(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    assert not data or data.endswith(b"\n")
    return [json.loads(line) for line in data.splitlines()]


def write_jsonl(path: Path, ids: list[str], text: str = ARTICLE) -> None:
    rows = [json.dumps({"id": i, "text": text, "feed": "wire"}, ensure_ascii=False) for i in ids]
    path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")


def test_folder_input_writes_one_line_per_article(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("one.txt", "two.md"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with LocalEndpoint() as endpoint:
        result = run_batch(endpoint, str(folder), "-o", str(out), "-j", "2")
    assert result.exit_code == 1, result.output  # the empty article failed
    lines = {line["id"]: line for line in read_lines(out)}
    assert set(lines) == {"one.txt", "two.md", "empty.txt"}
    assert lines["one.txt"]["status"] == "ok"
    assert lines["one.txt"]["metadata"] == {"path": str(folder / "one.txt")}
    assert lines["empty.txt"]["error"]["kind"] == "input"
    assert "extracted" in result.output and "re-run with --retry-failed" in result.output


def test_batch_output_over_a_folder_makes_a_report(tmp_path: Path) -> None:
    from agent.views.html_report import load_report_articles

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with LocalEndpoint() as endpoint:
        assert run_batch(endpoint, str(folder), "-o", str(out)).exit_code == 0
    (article,) = load_report_articles(out)
    assert article.text == ARTICLE and article.result is not None and article.error is None
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(out), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8").count("data-start=") >= 3  # highlighted mentions


def test_batch_output_over_a_jsonl_feed_makes_a_report_with_the_feed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, ["a-1", "a-2"])
    out = tmp_path / "out.jsonl"
    with LocalEndpoint() as endpoint:
        assert run_batch(endpoint, str(feed), "-o", str(out)).exit_code == 0
    report = tmp_path / "report.html"
    bare = CliRunner().invoke(cli, ["report", str(out), "-o", str(report)])
    assert bare.exit_code == 0 and "data-start=" not in report.read_text(encoding="utf-8")
    assert "2 without article text: pass the batch's input with --articles" in bare.output
    joined = CliRunner().invoke(
        cli, ["report", str(out), "--articles", str(feed), "-o", str(report)]
    )
    assert joined.exit_code == 0, joined.output
    assert "without article text" not in joined.output
    page = report.read_text(encoding="utf-8")
    assert page.count('class="article-section"') == 2 and page.count("data-start=") >= 6

    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet_feed = tmp_path / "feed.parquet"  # the Ray engine's input: a Parquet file
    pq.write_table(pa.table({"id": ["a-2"], "text": [ARTICLE]}), parquet_feed)
    half = CliRunner().invoke(
        cli, ["report", str(out), "--articles", str(parquet_feed), "-o", str(report)]
    )
    assert half.exit_code == 0, half.output
    assert f"1 without article text: their ids are not in {parquet_feed}" in half.output

    wrong = tmp_path / "wrong.jsonl"
    write_jsonl(wrong, ["a-1"], text="Another article altogether, about nobody in particular.")
    before = report.read_bytes()
    with pytest.raises(SystemExit) as refused:  # the entry point: one red line, exit 2
        main(["report", str(out), "--articles", str(wrong), "-o", str(report)])
    assert refused.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "error:" in err and "(id a-1): the result does not match this article text" in err
    assert report.read_bytes() == before  # the page already written is left whole


def test_an_input_with_no_article_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    feed = tmp_path / "blank.jsonl"
    feed.write_text("\n\n", encoding="utf-8")
    with LocalEndpoint() as endpoint:
        for source in (empty, feed):
            result = run_batch(endpoint, str(source), "-o", str(tmp_path / "out.jsonl"))
            assert result.exit_code == 0, result.output
            assert "nothing to do: the input held no article" in result.output
        write_jsonl(feed, ["a"])
        result = run_batch(endpoint, str(feed), "-o", str(tmp_path / "out.jsonl"))
        assert "nothing to do" not in result.output


def test_stdin_jsonl_carries_metadata_through(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    rows = [{"id": "ar-1", "text": ARTICLE, "feed": "وكالة", "tags": ["x"]}]
    with LocalEndpoint() as endpoint:
        result = run_batch(endpoint, "-", "-o", str(out), stdin=json.dumps(rows[0]) + "\n")
    assert result.exit_code == 0, result.output
    (line,) = read_lines(out)
    assert line["id"] == "ar-1" and line["metadata"] == {"feed": "وكالة", "tags": ["x"]}
    assert "وكالة" in out.read_text(encoding="utf-8")  # ensure_ascii=False
    assert line["provenance"]["model"] == "gpt-4o-mini"


def test_rerun_resumes_and_retry_failed_retries(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a", "b"])
    with LocalEndpoint() as endpoint:
        assert run_batch(endpoint, str(source), "-o", str(out)).exit_code == 0
        write_jsonl(source, ["a", "b", "c", "d"])
        endpoint.fail = True
        failed = run_batch(endpoint, str(source), "-o", str(out))
        assert endpoint.requests == 4  # only c and d were sent
        assert failed.exit_code == 1 and "resuming" in failed.output
        assert [line["status"] for line in read_lines(out)] == ["ok", "ok", "error", "error"]

        endpoint.fail = False
        again = run_batch(endpoint, str(source), "-o", str(out))
        assert again.exit_code == 0 and endpoint.requests == 4  # failed ids are not retried

        retried = run_batch(endpoint, str(source), "-o", str(out), "--retry-failed")
        assert retried.exit_code == 0, retried.output
        assert endpoint.requests == 6
    lines = read_lines(out)
    assert [(line["id"], line["status"]) for line in lines[4:]] in (
        [("c", "ok"), ("d", "ok")],
        [("d", "ok"), ("c", "ok")],
    )
    assert lines[2]["error"]["kind"] == "endpoint"


def test_a_partial_last_line_is_cut_before_resuming(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a", "b"])
    with LocalEndpoint() as endpoint:
        assert run_batch(endpoint, str(source), "-o", str(out)).exit_code == 0
        whole = out.read_bytes()
        first = whole.split(b"\n")[0] + b"\n"
        out.write_bytes(first + whole[len(first) : len(first) + 50])  # killed mid-line
        result = run_batch(endpoint, str(source), "-o", str(out))
    assert result.exit_code == 0
    assert "repaired" in result.output
    assert sorted(line["id"] for line in read_lines(out)) == ["a", "b"]


def test_unknown_input_is_one_clear_error(tmp_path: Path) -> None:
    with LocalEndpoint() as endpoint:
        result = run_batch(endpoint, str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o"))
    assert result.exit_code != 0
    assert "no such file or folder" in str(result.exception)
    assert not (tmp_path / "o").exists()


def _start_batch(endpoint: LocalEndpoint, source: Path, out: Path) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "agent", "batch", str(source), "-o", str(out), "-j", "2"]
    args += ["--base-url", endpoint.base_url, "--model", "m", "--no-progress"]
    return subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)


def _wait_for_lines(out: Path, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{out} never reached {count} lines")


def test_ctrl_c_lets_in_flight_articles_settle_then_resume_finishes(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(12)])
    with LocalEndpoint(latency=0.3) as endpoint:
        process = _start_batch(endpoint, source, out)
        _wait_for_lines(out, 2)
        os.kill(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr
        assert "re-run the same command to resume" in stderr
        saved = read_lines(out)
        assert len(saved) == endpoint.requests < 12  # every article sent was settled and saved

        finish = _start_batch(endpoint, source, out)
        _, stderr = finish.communicate(timeout=60)
        assert finish.returncode == 0, stderr
        assert endpoint.requests == 12  # nothing sent twice
    assert sorted(line["id"] for line in read_lines(out)) == sorted(f"n{i}" for i in range(12))


def test_second_ctrl_c_stops_at_once(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(12)])
    # far above how long a stop takes even on a loaded machine (6 s once flaked under load: a
    # stop that took 3 s); the endpoint's threads are daemons, so a quick stop ends the test
    latency = 20.0
    with LocalEndpoint(latency=latency) as endpoint:
        process = _start_batch(endpoint, source, out)
        deadline = time.monotonic() + 30
        while endpoint.requests < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert endpoint.requests >= 2, "the batch never reached the endpoint"
        os.kill(process.pid, signal.SIGINT)
        time.sleep(0.2)
        stopped_at = time.monotonic()
        os.kill(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert time.monotonic() - stopped_at < latency / 2  # did not wait out the answers
    assert process.returncode == 130, stderr
    assert "re-run the same command to resume" in stderr
    assert read_lines(out) == []


def test_a_bad_price_is_a_config_error(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, ["a"])
    with LocalEndpoint() as endpoint:
        result = run_batch(endpoint, str(source), "-o", str(tmp_path / "o"), "--price", "cheap")
    assert "invalid price 'cheap'" in str(result.exception)
    assert endpoint.requests == 0 and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("price", "why"),
    [
        ("nan,1", "prices must be finite numbers"),
        ("1,inf", "prices must be finite numbers"),
        ("1e999,1", "prices must be finite numbers"),
        ("-0.5,1", "prices cannot be negative"),
        ("1,-inf", "prices must be finite numbers"),
        ("", "give dollars per million tokens as IN,OUT, e.g. 0.15,0.60"),  # was: no price
    ],
)
def test_a_price_that_is_no_price_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, price: str, why: str
) -> None:
    # float() reads "nan" and "inf": the run went ahead and showed a cost of $nan or $inf
    source = tmp_path / "in.jsonl"
    write_jsonl(source, ["a"])
    with LocalEndpoint() as endpoint:
        args = ["batch", str(source), "-o", str(tmp_path / "o"), "--price", price]
        code, _, err = run(capsys, *args, "--base-url", endpoint.base_url, "--model", "m")
        assert endpoint.requests == 0
    assert code == 2 and one_line_error(err) == f"invalid price {price!r}: {why}"
    assert not (tmp_path / "o").exists()


def test_an_endpoint_that_keeps_failing_ends_the_run(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(40)])
    with LocalEndpoint() as endpoint:
        endpoint.fail = True
        result = run_batch(endpoint, str(source), "-o", str(out), "-j", "2")
        assert isinstance(result.exception, EndpointError)
        assert "10 articles in a row failed" in str(result.exception)
        assert "--retry-failed" in str(result.exception)
        assert endpoint.requests < 20  # not all forty
        lines = read_lines(out)
        assert len(lines) >= 10 and {line["error"]["kind"] for line in lines} == {"endpoint"}
