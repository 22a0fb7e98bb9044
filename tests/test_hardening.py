"""Trying to break khabar as a careless or hostile user would (issue 12, issue 18 item 1).

Each test runs the real command (in process through `main`, or as a subprocess where the
process itself is the point: closed stdin, a full stdout) and checks the one line it must print,
its exit code, and that nothing was lost, overwritten or leaked. docs/reliability.md is the table.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from agent.cassettes.replay import Cassette
from agent.fixtures.fake_endpoint import FakeEndpoint, Fault
from agent.fixtures.reference import reference_settings, write_reference_cassette
from tests.conftest import REASK, ROOT, SEED
from tests.test_cli import one_line_error, run

ARTICLE = REASK / "article.txt"
CASSETTE = REASK / "cassette.json"
SEED_ANSWER: dict[str, Any] = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))[
    "answers"
][-1]


def khabar(*args: str, shell_tail: str = "", env: dict[str, str] | None = None) -> Any:
    """`python -m agent ARGS` in a shell, so a test can close stdin or redirect stdout."""
    quoted = " ".join(f"'{a}'" for a in args)
    command = f"exec '{sys.executable}' -m agent {quoted} {shell_tail}"
    full_env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"], **(env or {})}
    return subprocess.run(
        ["sh", "-c", command], cwd=ROOT, capture_output=True, text=True, env=full_env, timeout=60
    )


# --- issue 18.1: messages are plain text, never rich markup ----------------------------------


@pytest.mark.parametrize("name", ["[/x].txt", "notes[draft].txt", "[bold]loud[/bold].txt"])
def test_bracketed_file_names_are_printed_as_they_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, _, err = run(capsys, "extract", str(tmp_path / name))
    assert code == 2
    assert one_line_error(err) == f"{tmp_path / name}: no such file"


def test_the_ungrounded_fail_line_keeps_its_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["extract", str(ARTICLE), "--replay", str(CASSETTE), "--max-reasks", "0"]
    code, _, err = run(capsys, *args, "--on-ungrounded", "fail")
    assert code == 1
    assert "participants[p" in one_line_error(err)  # was printed as `participants.name`


# --- 12.3: terminal escape injection -------------------------------------------------------------


def _hostile_case(tmp_path: Path) -> Path:
    """The seed article with escape sequences added, answered with escapes in derived fields."""
    case = tmp_path / "hostile"
    case.mkdir()
    article = (SEED / "article.txt").read_text(encoding="utf-8")
    (case / "article.txt").write_text(
        article + "\n\x1b[2J\x1b]0;OWNED\x1b\\ \x9b31m hidden\n", encoding="utf-8"
    )
    answer = json.loads(json.dumps(SEED_ANSWER))
    answer["participants"][0]["name_en"] = "\x1b[31mSaddam\u202e Haftar"
    answer["positions"][0]["gist_en"] = "[bold]not bold[/bold] [/x] \x1b]0;TITLE\x07"
    spec = {"meta": {"source": "hand-written", "note": "hostile test case"}, "answers": [answer]}
    (case / "answers.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    write_reference_cassette(case, reference_settings(transport_attempts=1))
    return case


def test_control_characters_from_article_and_model_are_shown_not_emitted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    case = _hostile_case(tmp_path)
    args = ["extract", str(case / "article.txt"), "--replay", str(case / "cassette.json")]
    code, out, err = run(capsys, *args, "--show-text")
    assert code == 0, err
    for raw in ("\x1b", "\x9b", "\x07", "\u202e"):
        assert raw not in out  # stdout is not a terminal: rich adds no escapes of its own
    for shown in ("\\x1b[2J", "\\x1b]0;OWNED", "\\x9b31m", "\\x1b[31mSaddam\\u202e Haftar"):
        assert shown in out
    assert "[bold]not bold[/bold] [/x]" in out  # markup in model output is text


def test_json_on_stdout_escapes_what_json_leaves_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = _hostile_case(tmp_path)
    args = ["extract", str(case / "article.txt"), "--replay", str(case / "cassette.json")]
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    assert "\u202e" not in out and "\x9b" not in out and "\x1b" not in out
    result = json.loads(out)  # the same JSON value: the escapes stand for the characters
    assert result["participants"][0]["name_en"] == "\x1b[31mSaddam\u202e Haftar"


def test_highlights_follow_the_article_past_an_escaped_control() -> None:
    from agent.models import Grounded
    from agent.views.article_text import highlighted
    from agent.views.html_report import Mark

    text = "\x1b[2JCairo \x9b and Tripoli"
    item = Grounded(text="Tripoli", alignment="exact", score=1.0)
    start = text.index("Tripoli")
    styled = highlighted(text, [Mark("k", "location", "l1", start, start + 7, item)])
    assert styled.plain == "\\x1b[2JCairo \\x9b and Tripoli"
    (span,) = styled.spans
    assert styled.plain[span.start : span.end] == "Tripoli"


def test_windows_line_ends_stay_plain_but_a_lone_carriage_return_is_shown() -> None:
    from agent.views.plain import printable_article

    shown, moved = printable_article("one\r\ntwo\rhidden")
    assert shown == "one\ntwo\\x0dhidden"
    assert shown[moved[5] : moved[8]] == "two" and shown[moved[9] :] == "hidden"


# --- 12.2: credentials in the base URL ---------------------------------------------------------


def _secret_url(fake: FakeEndpoint) -> str:
    return fake.base_url.replace("http://", "http://user:SECRETPW@") + "?api-key=QSECRET"


def test_base_url_credentials_never_reach_result_footer_or_cassette(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    out_file, cassette = tmp_path / "r.json", tmp_path / "c.json"
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        base = ["extract", str(SEED / "article.txt"), "--base-url", _secret_url(fake)]
        base += ["--model", "m", "--max-reasks", "0"]
        code, view, err = run(capsys, *base, "-o", str(out_file), "--record", str(cassette))
        assert code == 0, err
    written = out_file.read_text(encoding="utf-8") + cassette.read_text(encoding="utf-8")
    for secret in ("SECRETPW", "QSECRET", "user:"):
        assert secret not in written and secret not in view and secret not in err
    assert json.loads(out_file.read_text())["provenance"]["endpoint"] == f"127.0.0.1:{fake.port}"
    assert f"endpoint 127.0.0.1:{fake.port}" in view


def test_sdk_and_http_logs_carry_no_credentials(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        args = ["extract", str(SEED / "article.txt"), "--base-url", _secret_url(fake)]
        code, _, err = run(capsys, *args, "--model", "m", "--max-reasks", "0", "--json")
    assert code == 0, err
    assert "HTTP Request: POST" in caplog.text  # httpx logged the request, without secrets
    assert "SECRETPW" not in caplog.text and "QSECRET" not in caplog.text
    assert "user:" not in caplog.text


def test_an_unreachable_base_url_is_named_without_its_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_ATTEMPTS", "1")
    url = "http://user:SECRETPW@127.0.0.1:9/v1?api-key=QSECRET"
    code, _, err = run(capsys, "extract", str(ARTICLE), "--base-url", url, "--model", "m")
    assert code == 1
    message = one_line_error(err)
    assert message.startswith("cannot reach http://127.0.0.1:9/v1: ")
    assert "SECRETPW" not in err and "QSECRET" not in err and "user" not in err


def echoing_cassette(tmp_path: Path, message: object) -> Path:
    """The seed cassette cut to one exchange whose answer is a 400 with this error message."""
    cassette = Cassette.load(CASSETTE)
    cassette.exchanges = cassette.exchanges[:1]
    cassette.exchanges[0]["response"] = {
        "status": 400,
        "headers": {},
        "body": {"error": {"message": message}},
    }
    cassette.path = tmp_path / "echo.json"
    cassette.save()
    return cassette.path


def test_a_server_echoing_the_key_is_scrubbed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = echoing_cassette(tmp_path, "bad request from key sk-live-TOPSECRET-123")
    os.environ["KHABAR_API_KEY"] = "sk-live-TOPSECRET-123"  # isolated_env removes it after
    try:
        code, _, err = run(capsys, "extract", str(ARTICLE), "--replay", str(path))
    finally:
        del os.environ["KHABAR_API_KEY"]
    assert code == 1
    assert "TOPSECRET" not in err and "bad request from key ***" in one_line_error(err)


@pytest.mark.parametrize("key", ['sk-live\\TOPSECRET"9', "sk-live'TOPSECRET\\x"])
def test_a_key_echoed_escaped_is_scrubbed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str
) -> None:
    # a body whose message is not text is shown as JSON: the key's backslash and quote come
    # back escaped (sk-live\\TOPSECRET\"9), which the plain replacement did not find
    path = echoing_cassette(tmp_path, ["bad request from key", key])
    monkeypatch.setenv("KHABAR_API_KEY", key)
    code, _, err = run(capsys, "extract", str(ARTICLE), "--replay", str(path))
    assert code == 1
    assert "TOPSECRET" not in err and '["bad request from key", "***"]' in one_line_error(err)


def test_instructor_logs_of_an_error_body_echoing_the_key_are_scrubbed(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from agent.errors import EndpointFailed
    from agent.llm.pipeline import Extractor
    from agent.settings import Settings

    cassette = Cassette.load(CASSETTE)
    cassette.exchanges = cassette.exchanges[:1]
    cassette.exchanges[0]["response"] = {
        "status": 400,
        "headers": {},
        "body": {"error": {"message": "bad request from key sk-live-LOGSECRET-9"}},
    }
    caplog.set_level(logging.DEBUG)
    with FakeEndpoint(cassette=cassette, match_body=False) as fake:
        settings = Settings(
            base_url=fake.base_url, model="m", api_key="sk-live-LOGSECRET-9", max_reasks=0
        )
        with Extractor(settings) as extractor, pytest.raises(EndpointFailed) as failed:
            extractor.extract(ARTICLE.read_text(encoding="utf-8"))
    assert "bad request from key ***" in str(failed.value)
    assert "Error code: 400" in caplog.text  # instructor logged the body, scrubbed
    assert "LOGSECRET" not in caplog.text


# --- 12.5 and 12.9: outputs that would destroy an input, read-only outputs, symlinks -------------


@pytest.mark.parametrize("option", ["-o", "--html"])
def test_extract_refuses_to_write_over_its_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    article = tmp_path / "a.txt"
    shutil.copyfile(ARTICLE, article)
    code, _, err = run(
        capsys, "extract", str(article), "--replay", str(CASSETTE), option, str(article)
    )
    assert code == 2
    assert "is the input" in one_line_error(err)
    assert article.read_bytes() == ARTICLE.read_bytes()


def test_a_symlink_to_the_article_is_the_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    shutil.copyfile(ARTICLE, article)
    (tmp_path / "link.json").symlink_to(article)
    args = ["extract", str(article), "--replay", str(CASSETTE), "-o", str(tmp_path / "link.json")]
    code, _, err = run(capsys, *args)
    assert code == 2 and "is the input" in one_line_error(err)
    assert article.read_bytes() == ARTICLE.read_bytes()


def test_report_refuses_to_write_over_its_results(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    results = tmp_path / "r.json"
    run(capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "-o", str(results))
    before = results.read_bytes()
    code, _, err = run(
        capsys, "report", str(results), "--article", str(ARTICLE), "-o", str(results)
    )
    assert code == 2 and "is the input" in one_line_error(err)
    assert results.read_bytes() == before


def test_a_read_only_output_is_refused_before_any_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "r.json"
    target.write_text("keep me\n")
    target.chmod(0o444)
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        args = ["extract", str(SEED / "article.txt"), "--base-url", fake.base_url, "--model", "m"]
        code, _, err = run(capsys, *args, "-o", str(target))
        assert fake.requests == 0
    assert code == 2 and "is read-only" in one_line_error(err)
    assert target.read_text() == "keep me\n" and stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_symlinked_output_stays_a_link_and_its_target_keeps_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "store" / "result.json"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    code, _, err = run(capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["language"] == "en"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --- 12.6: one line instead of a traceback -------------------------------------------------------


def test_extract_from_a_closed_stdin_is_one_line() -> None:
    done = khabar("extract", "-", "--replay", str(CASSETTE), shell_tail="<&-")
    assert done.returncode == 2, done.stderr
    assert one_line_error(done.stderr).startswith("standard input is closed")


def test_batch_from_a_closed_stdin_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    args = ["batch", "-", "-o", str(out), "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
    done = khabar(*args, shell_tail="<&-")
    assert done.returncode == 2, done.stderr
    assert one_line_error(done.stderr).startswith("standard input is closed")


@pytest.mark.parametrize("command", ["extract", "batch"])
def test_a_closed_stdout_is_refused_before_any_request(tmp_path: Path, command: str) -> None:
    # `khabar extract a.txt >&-` paid for the answer, printed it nowhere and exited 0
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        args = [command, str(SEED / "article.txt"), "--base-url", fake.base_url, "--model", "m"]
        if command == "batch":
            args += ["-o", str(tmp_path / "out.jsonl")]
        done = khabar(*args, shell_tail=">&-")
        assert fake.requests == 0
    assert done.returncode == 2, done.stderr
    assert one_line_error(done.stderr).startswith("standard output is closed")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_endless_input_is_refused_at_the_limit_not_read_into_memory() -> None:
    # /dev/zero (or `yes |`) was read whole: a MemoryError traceback, or a machine out of memory
    done = khabar("extract", "/dev/zero", "--replay", str(CASSETTE), "--max-chars", "1000")
    assert done.returncode == 2, done.stderr
    assert "/dev/zero is over the limit of 1,000 characters" in one_line_error(done.stderr)
    done = khabar(
        "extract", "-", "--replay", str(CASSETTE), "--max-chars", "1000", shell_tail="</dev/zero"
    )
    assert done.returncode == 2, done.stderr
    assert "standard input is over the limit of 1,000" in one_line_error(done.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_json_onto_a_full_stdout_is_one_line() -> None:
    done = khabar(
        "extract", str(ARTICLE), "--replay", str(CASSETTE), "--json", shell_tail=">/dev/full"
    )
    assert done.returncode == 2
    assert one_line_error(done.stderr) == "cannot write standard output: No space left on device"


def test_an_output_folder_that_cannot_exist_fails_before_any_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        args = ["extract", str(SEED / "article.txt"), "--base-url", fake.base_url, "--model", "m"]
        code, _, err = run(capsys, *args, "--html", str(blocker / "sub" / "r.html"))
        assert fake.requests == 0
    assert code == 2 and one_line_error(err).endswith("r.html: Not a directory")


def test_a_full_disk_after_the_answer_keeps_the_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the disk fills up while -o is written
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    target = tmp_path / "r.json"
    code, out, err = run(
        capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "-o", str(target)
    )
    assert code == 2
    message = one_line_error(err)
    assert message.startswith(f"cannot write {target}: No space left on device")
    saved = Path(message.split("the result was saved to ")[1])
    assert json.loads(saved.read_text(encoding="utf-8"))["language"] == "en"
    assert "Participants" in out  # the view was still shown
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["tmp"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("base_url = 12345", "base_url must be a string, got 12345"),
        ('base_url = "ftp://host/v1"', "base_url needs http:// or https://"),
        ("model = 12345", "model must be a string, got 12345"),
        ("api_key = 987654321", "api_key must be a string"),
        ("max_reasks = true", "max_reasks must be a whole number (0 or more), got True"),
        ("max_reasks = 1.7", "max_reasks must be a whole number (0 or more), got 1.7"),
        ("temperature = -3", "temperature must be a finite number from 0 to 2, got -3"),
        ("temperature = 5", "temperature must be a number from 0 to 2, got 5"),
        ("timeout = true", "timeout must be a number of seconds above 0, got True"),
        ('timeout = "30"', "timeout must be a number of seconds above 0, got '30'"),
        ('max_reasks = "1"', "max_reasks must be a whole number (0 or more), got '1'"),
        ('mode = "xml"', "invalid mode 'xml' (one of tools, json_schema, md_json, auto)"),
        ("khabar = 1", "khabar must be a table ([khabar]), not a value"),
        ("max_tokens = 0", "max_tokens must be 1 or more, got 0"),
        ("timeout = nan", "timeout must be a finite number of seconds above 0, got nan"),
    ],
)
def test_bad_config_values_fail_up_front(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: str, message: str
) -> None:
    path = tmp_path / "khabar.toml"
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        lines = [f'base_url = "{fake.base_url}"', 'model = "m"']
        lines = [line for line in lines if line.split()[0] != config.split()[0]] + [config]
        path.write_text("\n".join(lines) + "\n")
        args = ["extract", str(ARTICLE), "--config", str(path), "-o", str(tmp_path / "r.json")]
        code, _, err = run(capsys, *args)
        assert fake.requests == 0
    assert code == 2
    assert one_line_error(err).startswith(f"config file {path}: {message}")
    assert "987654321" not in err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--base-url", "http://[::1"], {}, "--base-url: base_url is not a valid URL (Invalid"),
        ([], {"KHABAR_TIMEOUT": "soon"}, "KHABAR_TIMEOUT: invalid timeout 'soon'"),
        (
            [],
            {"KHABAR_BASE_URL": "http://127.0.0.1:9/v1 "},  # was sent as POST /v1 /chat/…
            "KHABAR_BASE_URL: base_url contains a space, newline or control character, "
            "got 'http://127.0.0.1:9/v1 '",
        ),
        (
            ["--base-url", "http://u:SECRET\tpw@127.0.0.1:9/v1?key=Q\nSECRET"],
            {},
            "--base-url: base_url contains a space, newline or control character, "
            "got 'http://127.0.0.1:9/v1'",
        ),
        ([], {"KHABAR_TEMPERATURE": "2.5"}, "KHABAR_TEMPERATURE: temperature must be a number"),
        ([], {"KHABAR_BASE_URL": "foo"}, "KHABAR_BASE_URL: base_url needs http:// or https://"),
        ([], {"KHABAR_TIMEOUT": "nan"}, "KHABAR_TIMEOUT: timeout must be a finite number"),
        ([], {"KHABAR_MAX_TOKENS": "0"}, "KHABAR_MAX_TOKENS: max_tokens must be 1 or more"),
    ],
)
def test_bad_settings_from_flags_and_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(capsys, "extract", str(ARTICLE), "--model", "m", *args)
    assert code == 2
    assert one_line_error(err).startswith(message)
    assert "SECRET" not in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_config_file_is_refused_not_read_into_memory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "config", "--config", "/dev/zero")
    assert code == 2
    assert one_line_error(err) == "config file /dev/zero is over 1 MiB: not a khabar config"


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"mode": "xml"}, "invalid mode 'xml' (one of tools, json_schema, md_json, auto)"),
        ({"settings": {"temperature": 7}}, "temperature must be a number from 0 to 2, got 7"),
    ],
)
def test_a_bad_setting_in_a_cassette_is_blamed_on_the_cassette(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, meta: dict[str, Any], message: str
) -> None:
    # it was "--mode: invalid mode 'xml'", naming a flag nobody typed
    cassette = Cassette.load(CASSETTE)
    cassette.meta |= meta
    cassette.path = tmp_path / "edited.json"
    cassette.save()
    code, out, err = run(capsys, "extract", str(ARTICLE), "--replay", str(cassette.path))
    assert code == 1 and out == ""  # a damaged cassette, as ReplayError says of others
    assert one_line_error(err) == (
        f"cassette {cassette.path} is damaged: its recorded settings are invalid ({message}); "
        "restore it or record it again"
    )


@pytest.mark.parametrize(
    "key", ["sk-live-KEYSECRET\n", "sk-live-KEY SECRET", "sk-live-KEYSECRET\x01", "sk-live-KEY…"]
)
@pytest.mark.parametrize("where", ["env", "flag", "file"])
def test_a_mangled_api_key_is_refused_by_its_source_without_quoting_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    key: str,
    where: str,
) -> None:
    # a pasted newline or a typeset '…' failed at the first request, inside httpx, as
    # "cannot reach …: Illegal header value b'Bearer sk-…\n'" (the key in the message) or as
    # "the model's answer could not be used: 'ascii' codec can't encode …"
    path = tmp_path / "khabar.toml"
    with FakeEndpoint(answers=[SEED_ANSWER]) as fake:
        args = ["extract", str(ARTICLE), "--base-url", fake.base_url, "--model", "m"]
        if where == "env":
            monkeypatch.setenv("KHABAR_API_KEY", key)
        elif where == "flag":
            args += ["--api-key", key]
        else:
            path.write_text(f"api_key = {json.dumps(key, ensure_ascii=False)}\n", encoding="utf-8")
            args += ["--config", str(path)]
        code, _, err = run(capsys, *args)
        assert fake.requests == 0
    assert code == 2
    source = {"env": "KHABAR_API_KEY", "flag": "--api-key", "file": f"config file {path}"}[where]
    message = one_line_error(err)
    assert message.startswith(f"{source}: api_key contains a ")
    assert "live" not in message and "SECRET" not in message


# --- 12.12: messages that said the wrong thing ---------------------------------------------------


def test_a_retry_after_past_the_budget_says_so_after_one_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_MAX_SECONDS", "5")
    with FakeEndpoint(
        answers=[SEED_ANSWER], faults=[Fault.RATE_LIMIT] * 4, retry_after=600
    ) as fake:
        args = ["extract", str(ARTICLE), "--base-url", fake.base_url, "--model", "m"]
        code, _, err = run(capsys, *args)
        assert fake.requests == 1
    assert code == 1
    message = one_line_error(err)
    assert "asks to wait 600 s (Retry-After), past the 5 s retry budget" in message
    assert "after retries" not in message


# --- 12.1 and 12.7: the fixture suite names what is really wrong ---------------------------------


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures"
    for case in (SEED, REASK, CASES_CRANE):
        shutil.copytree(case, root / "cases" / case.name)
    return root


CASES_CRANE = SEED.parent / "en_direct_quotes_crane"


@pytest.mark.parametrize("lost", ["cassette.json", "article.txt"])
def test_a_case_that_lost_a_file_fails_and_names_it(
    capsys: pytest.CaptureFixture[str], suite: Path, lost: str
) -> None:
    (suite / "cases" / SEED.name / lost).unlink()
    code, out, _ = run(capsys, "fixtures", "check", str(suite))
    assert code == 1
    row = next(line for line in out.splitlines() if SEED.name in line)
    assert "failed" in row and f"{lost} missing" in row


def test_an_edited_answer_names_the_participant_not_a_re_record(
    capsys: pytest.CaptureFixture[str], suite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    path = suite / "cases" / SEED.name / "cassette.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    call = data["exchanges"][-1]["response"]["body"]["choices"][0]["message"]["tool_calls"][0]
    answer = json.loads(call["function"]["arguments"])
    answer["participants"].append(answer["participants"][0] | {"id": "p9", "name": "Mallory"})
    call["function"]["arguments"] = json.dumps(answer, ensure_ascii=False)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "fixtures", "check", str(suite))
    assert code == 1
    flat = " ".join(out.split())
    assert "the recorded answer no longer gives golden.json" in flat
    row = next(line for line in out.splitlines() if "participant Mallory" in line)
    assert "added" in row
    assert "re-record it with --record" not in flat and "no answer left" not in flat


def test_swapped_cassettes_name_the_article(
    capsys: pytest.CaptureFixture[str], suite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    a, b = suite / "cases" / REASK.name / "cassette.json", suite / "cases" / CASES_CRANE.name
    swap = a.read_bytes()
    shutil.copyfile(b / "cassette.json", a)
    (b / "cassette.json").write_bytes(swap)
    code, out, _ = run(capsys, "fixtures", "check", str(suite))
    assert code == 1
    rows = [line for line in out.splitlines() if REASK.name in line or CASES_CRANE.name in line]
    for row in rows:
        assert "article.txt differs from the article the cassette was recorded for" in row
        assert "prompt changed" not in row
