"""`khabar batch` against a careless or hostile user (issue 12), through the real command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from agent.fixtures.fake_endpoint import FakeEndpoint
from tests.conftest import REASK, ROOT
from tests.test_batch import LocalEndpoint
from tests.test_batch_cli import read_lines, write_jsonl

INVENTING_ANSWER: dict[str, Any] = json.loads((REASK / "answers.json").read_text("utf-8"))[
    "answers"
][0]  # invents a participant and a title: ungrounded strings


def start(base_url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "agent", "batch", *args, "--no-progress"]
    command += ["--base-url", base_url, "--model", "m", "--max-reasks", "0"]
    full_env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"], "COLUMNS": "200"}
    return subprocess.Popen(
        command, cwd=ROOT, stderr=subprocess.PIPE, text=True, env=full_env | (env or {})
    )


def batch(base_url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = start(base_url, *args, env=env)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0].removeprefix("error: ")


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_second_run_on_the_same_output_is_refused_naming_the_first(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(6)])
    with LocalEndpoint(latency=2.5) as endpoint:  # the first run outlasts the second's start-up
        first = start(endpoint.base_url, str(source), "-o", str(out), "-j", "2")
        wait_for(lambda: endpoint.requests >= 1)
        code, stderr = batch(endpoint.base_url, str(source), "-o", str(out), "-j", "8")
        assert code == 2
        assert error_line(stderr) == (
            f"{out} is being written by another khabar batch (PID {first.pid}): wait for it "
            "to finish, or write to another file"
        )
        _, first_err = first.communicate(timeout=60)
        assert first.returncode == 0, first_err
        assert endpoint.requests == 6  # the second run sent nothing
    ids = [line["id"] for line in read_lines(out)]
    assert sorted(ids) == [f"n{i}" for i in range(6)]  # no duplicates


def test_the_lock_goes_with_the_process_even_on_kill(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(4)])
    with LocalEndpoint(latency=2.0) as endpoint:
        first = start(endpoint.base_url, str(source), "-o", str(out), "-j", "1")
        wait_for(lambda: endpoint.requests >= 1)
        first.kill()
        first.communicate(timeout=30)
        endpoint.latency = 0.0
        code, stderr = batch(endpoint.base_url, str(source), "-o", str(out))
    assert code == 0, stderr
    assert sorted(line["id"] for line in read_lines(out)) == [f"n{i}" for i in range(4)]


def test_the_output_may_not_be_the_input_or_inside_the_input_folder(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, ["a", "b"])
    before = feed.read_bytes()
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "one.txt").write_text("text", encoding="utf-8")
    with LocalEndpoint() as endpoint:
        code, stderr = batch(endpoint.base_url, str(feed), "-o", str(feed))
        assert code == 2 and "is the input" in error_line(stderr)
        code, stderr = batch(endpoint.base_url, str(folder), "-o", str(folder / "out.txt"))
        assert code == 2
        assert "inside the input folder" in error_line(stderr)
        assert "read back as an article" in error_line(stderr)
        code, stderr = batch(endpoint.base_url, str(folder), "-o", str(folder / "out.jsonl"))
        assert code == 0, stderr  # a .jsonl is not read as an article: allowed
        assert endpoint.requests == 1
    assert feed.read_bytes() == before
    assert not (folder / "out.txt").exists()


def test_an_output_that_is_another_file_is_refused_and_left_whole(tmp_path: Path) -> None:
    feed, notes = tmp_path / "feed.jsonl", tmp_path / "notes.txt"
    write_jsonl(feed, ["a"])
    notes.write_bytes(b"my notes\nline two, no newline at the end")
    with LocalEndpoint() as endpoint:
        code, stderr = batch(endpoint.base_url, str(feed), "-o", str(notes))
        assert endpoint.requests == 0
    assert code == 2 and "holds no khabar result" in error_line(stderr)
    assert notes.read_bytes() == b"my notes\nline two, no newline at the end"  # not "repaired"


def test_an_output_of_blank_lines_is_resumed_as_empty(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    write_jsonl(feed, ["a"])
    out.write_bytes(b"\n\n")
    with LocalEndpoint() as endpoint:
        code, stderr = batch(endpoint.base_url, str(feed), "-o", str(out))
    assert code == 0, stderr
    lines = [json.loads(line) for line in out.read_bytes().splitlines() if line.strip()]
    assert [line["id"] for line in lines] == ["a"]


def test_stdout_as_the_output_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, ["a"])
    with LocalEndpoint() as endpoint:
        command = [sys.executable, "-m", "agent", "batch", str(feed), "-o", "/dev/stdout"]
        command += ["--base-url", endpoint.base_url, "--model", "m", "--no-progress"]
        env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"]}
        done = subprocess.run(  # stdout a pipe: reading it back to resume waited forever
            command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=30
        )
        assert endpoint.requests == 0
    assert done.returncode == 2 and done.stdout == ""
    stderr = done.stderr
    assert "/dev/stdout is not a regular file" in error_line(stderr)


def test_a_base_url_without_scheme_is_a_config_error_before_anything_is_written(
    tmp_path: Path,
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(16)])
    command = [sys.executable, "-m", "agent", "batch", str(source), "-o", str(out), "--model", "m"]
    env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"], "KHABAR_BASE_URL": "foo"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert error_line(done.stderr).startswith("KHABAR_BASE_URL: base_url needs http:// or https://")
    assert not out.exists()


def test_a_corrupt_middle_line_is_reported_and_its_id_redone(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["n0", "n1", "n2"])
    with LocalEndpoint() as endpoint:
        assert batch(endpoint.base_url, str(source), "-o", str(out), "-j", "1")[0] == 0
        lines = out.read_bytes().splitlines(keepends=True)
        damaged = json.loads(lines[1])["id"]
        lines[1] = lines[1][:60] + b"\n"  # a whole line in the middle, but not a whole record
        out.write_bytes(b"".join(lines))
        code, stderr = batch(endpoint.base_url, str(source), "-o", str(out))
        assert code == 0, stderr
        assert f"{out} line 2 is not a whole result; id {damaged} will be extracted again" in (
            " ".join(stderr.split())
        )
        assert endpoint.requests == 4  # only the damaged one again
    last = {line["id"]: line for line in map(json.loads, out.read_bytes().splitlines()[2:])}
    assert last[damaged]["status"] == "ok"
    report = subprocess.run(
        [sys.executable, "-m", "agent", "report", str(out), "-o", str(tmp_path / "r.html")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert report.returncode == 0, report.stderr
    assert f"skipped {out}:2: not JSON" in report.stderr


def test_a_lone_surrogate_names_its_line(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        '{"id": "fine", "text": "x"}\n{"id": "bad", "text": "broken \\ud800 here"}\n',
        encoding="utf-8",
    )
    with FakeEndpoint(answers=[INVENTING_ANSWER]) as fake:
        code, stderr = batch(fake.base_url, str(source), "-o", str(out))
        assert fake.requests == 1
    assert code == 1, stderr
    bad = next(line for line in read_lines(out) if line["id"] == "bad")
    assert bad["error"]["kind"] == "input"
    assert bad["error"]["message"].startswith("in.jsonl:2: not valid Unicode")
    assert "broken" not in bad["error"]["message"]  # not the text quoted back


def test_ungrounded_results_are_counted_in_the_summary_and_on_each_line(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a", "b"])
    with FakeEndpoint(answers=[INVENTING_ANSWER]) as fake:
        code, stderr = batch(fake.base_url, str(source), "-o", str(out))
    assert code == 0, stderr  # policy flag: kept, marked
    lines = read_lines(out)
    assert all(line["status"] == "ok" and line["problems_left"] >= 1 for line in lines)
    problems = sum(line["problems_left"] for line in lines)
    flat = " ".join(stderr.split())
    assert f"with problems flagged │ 2 ({problems} problem(s) left)" in flat
    assert f"2 result(s) flagged: {problems} problem(s) the policy kept" in flat


def test_sigterm_saves_the_answered_articles_like_a_first_ctrl_c(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [f"n{i}" for i in range(12)])
    with LocalEndpoint(latency=0.3) as endpoint:
        process = start(endpoint.base_url, str(source), "-o", str(out), "-j", "2")
        wait_for(lambda: out.exists() and out.read_bytes().count(b"\n") >= 2)
        os.kill(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr
        assert "re-run the same command to resume" in stderr
        assert len(read_lines(out)) == endpoint.requests < 12  # every answer sent was saved


def test_batch_lines_carry_no_base_url_credentials(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a", "b"])
    with FakeEndpoint(answers=[INVENTING_ANSWER]) as fake:
        url = fake.base_url.replace("http://", "http://user:SECRETPW@") + "?api-key=QSECRET"
        code, stderr = batch(url, str(source), "-o", str(out))
    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    assert all(
        line["provenance"]["endpoint"] == f"127.0.0.1:{fake.port}" for line in read_lines(out)
    )
    for secret in ("SECRETPW", "QSECRET", "user:"):
        assert secret not in text and secret not in stderr
