"""Every bad input gets one line and its exit code; the happy path prints a view or JSON."""

import json
import shutil
from pathlib import Path

import pytest

from agent.cassettes.replay import Cassette
from agent.cli.main import main
from agent.errors import ValidationFailed
from agent.fixtures.reference import write_reference_cassette
from tests.conftest import REASK

ARTICLE = REASK / "article.txt"
CASSETTE = REASK / "cassette.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0].removeprefix("error: ")


def test_replay_prints_the_rich_view(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE))
    assert code == 0, err
    for text in ("Participants", "Greek Ministry of Culture", "estimates", "attempts 2"):
        assert text in out


def test_json_goes_to_stdout_alone_and_to_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "result.json"
    code, out, _ = run(
        capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "--json", "-o", str(target)
    )
    assert code == 0
    assert json.loads(out) == json.loads(target.read_text(encoding="utf-8"))


def test_stdin_article(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO(ARTICLE.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "extract", "-", "--replay", str(CASSETTE), "--json")
    assert code == 0
    assert json.loads(out)["language"] == "en"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the article is empty"),
        (b"  \n\t \n", "the article is empty"),
        (b"\xffA", "is not valid UTF-8 (byte 0xff at offset 0)"),
        (b"\xff\xfeA\x00", "is UTF-16, not UTF-8 (it starts with the byte-order mark ff fe)"),
        (b"\xfe\xff\x00A", "iconv -f UTF-16 -t UTF-8"),
        ("x" * 101, "the article has 101 characters, over the limit of 100"),
        ("x" * 404, "is over the limit of 100 characters (more than 403 bytes read)"),
        ("\u200b\u200e\u0640 \ufeff\u0000\n", "has no letter or digit"),  # nothing to pay for
        ("... !!! ــ", "has no letter or digit"),
    ],
)
def test_bad_articles_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | str, expected: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    args = ["extract", str(path), "--replay", str(CASSETTE), "--max-chars", "100"]
    code, out, err = run(capsys, *args)
    assert code == 2
    assert expected in one_line_error(err)
    assert out == ""


def test_missing_file_and_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "extract", str(tmp_path / "nope.txt"))
    assert code == 2 and one_line_error(err).endswith("nope.txt: no such file")
    code, _, err = run(capsys, "extract", str(tmp_path))
    assert code == 2 and "is a directory" in one_line_error(err)


def test_no_endpoint_configured_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "extract", str(ARTICLE))
    assert code == 2
    message = one_line_error(err)
    assert "no endpoint configured" in message and "KHABAR_BASE_URL" in message


def test_endpoint_unreachable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_TRANSPORT_ATTEMPTS", "1")
    code, _, err = run(
        capsys, "extract", str(ARTICLE), "--base-url", "http://127.0.0.1:9/v1", "--model", "m"
    )
    assert code == 1
    message = one_line_error(err)
    assert message.startswith("cannot reach http://127.0.0.1:9/v1: ")
    assert message.endswith("is the server running?")


def _error_cassette(tmp_path: Path, status: int, message: str) -> Path:
    cassette = Cassette.load(CASSETTE)
    cassette.exchanges = cassette.exchanges[:1]
    cassette.exchanges[0]["response"] = {
        "status": status,
        "headers": {},
        "body": {"error": {"message": message, "type": "invalid_request_error"}},
    }
    cassette.path = tmp_path / "error.json"
    cassette.save()
    return cassette.path


def test_authentication_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _error_cassette(tmp_path, 401, "Incorrect API key provided: sk-abc***")
    code, _, err = run(capsys, "extract", str(ARTICLE), "--replay", str(path))
    assert code == 1
    assert one_line_error(err) == (
        "reference.invalid refused the API key (HTTP 401): check KHABAR_API_KEY or OPENAI_API_KEY"
    )


def test_model_that_never_validates_names_attempts_and_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(ARTICLE, case / "article.txt")
    spec = json.loads((REASK / "answers.json").read_text(encoding="utf-8"))
    broken = {k: v for k, v in spec["answers"][1].items() if k != "language"}
    spec["answers"] = [broken] * 3
    (case / "answers.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValidationFailed):
        write_reference_cassette(case)
    code, _, err = run(
        capsys, "extract", str(case / "article.txt"), "--replay", str(case / "cassette.json")
    )
    assert code == 1
    usages = [
        e["response"]["body"]["usage"] for e in Cassette.load(case / "cassette.json").exchanges
    ]
    sent, got = sum(u["prompt_tokens"] for u in usages), sum(u["completion_tokens"] for u in usages)
    assert one_line_error(err) == (
        "the model's answer did not validate after 3 attempt(s): language: Field required; "
        f"spent tokens {sent + got:,} ({sent:,} in, {got:,} out)"  # paid for, though it failed
    )


def test_stale_cassette_names_what_changed(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "--model", "other-model"
    )
    assert code == 1
    message = one_line_error(err)
    assert "is stale" in message and "model 'reference-answer' → 'other-model'" in message


def test_debug_reraises(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from agent.errors import InputError

    with pytest.raises(InputError):
        main(["--debug", "extract", str(tmp_path / "missing.txt")])


def test_debug_after_the_command_reraises_the_real_error(tmp_path: Path) -> None:
    from agent.errors import InputError

    # typed at the end, where users put it, it was refused as an unknown option of `extract`
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        main(["extract", str(tmp_path / "missing.txt"), "--debug"])


@pytest.mark.parametrize("value", ["false", "no", "off", "0", "", "OFF", " False "])
def test_khabar_debug_set_to_a_no_is_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KHABAR_DEBUG", value)  # any value but "0" used to turn debugging on
    code, _, err = run(capsys, "extract", "missing.txt")
    assert code == 2 and one_line_error(err) == "missing.txt: no such file"


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE"])
def test_khabar_debug_set_to_a_yes_reraises(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from agent.errors import InputError

    monkeypatch.setenv("KHABAR_DEBUG", value)
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        main(["extract", "missing.txt"])


def test_khabar_debug_set_to_anything_else_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHABAR_DEBUG", "maybe")
    code, out, err = run(capsys, "extract", "missing.txt")
    assert code == 2 and out == ""
    assert one_line_error(err) == (
        "KHABAR_DEBUG: give 1, true, yes or on (or 0, false, no, off), got 'maybe'"
    )


@pytest.mark.parametrize("how", ["flag", "env"])
def test_usage_errors_stay_one_line_with_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # a usage error is about the command line: its traceback is click's parser, never useful
    if how == "env":
        monkeypatch.setenv("KHABAR_DEBUG", "1")
    debug = ["--debug"] if how == "flag" else []
    code, _, err = run(capsys, *debug, "extract")
    assert code == 2 and "Missing argument 'ARTICLE'" in one_line_error(err)
    code, _, err = run(capsys, *debug, "extract", str(ARTICLE), "--mode", "xml")
    assert code == 2 and "Invalid value for '--mode'" in one_line_error(err)


@pytest.mark.parametrize("command", [[], ["schema"], ["fixtures"]])
def test_a_bare_command_prints_its_help_not_an_error(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # bare `khabar` printed "error: Usage: …" and the whole help after it, as one "error"
    code, help_text, _ = run(capsys, *command, "--help")
    assert code == 0 and help_text.startswith("Usage: khabar")
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""  # click's own convention: the help on stderr, exit 2
    assert err == help_text and "error:" not in err


def test_a_file_named_debug_after_a_double_dash_is_a_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "extract", "--", "--debug")
    assert code == 2 and "--debug" in one_line_error(err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "extract", str(ARTICLE), "--mode", "xml")
    assert code == 2 and "Invalid value for '--mode'" in one_line_error(err)
    code, _, err = run(capsys, "extract")
    assert code == 2 and "Missing argument" in one_line_error(err)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--force"], "--force goes with --record"),
        (["--bidi"], "--bidi goes with --show-text"),
        (["--json", "--bidi"], "--bidi goes with --show-text"),
    ],
)
def test_an_option_that_would_do_nothing_is_refused(
    capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    code, out, err = run(capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), *flags)
    assert code == 2 and message in one_line_error(err) and out == ""


def test_config_shows_sources_and_never_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-very-secret")
    monkeypatch.setenv("KHABAR_MODEL", "gpt-4o-mini")
    code, out, _ = run(capsys, "config", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["api_key"] == "set" and shown["model"] == "gpt-4o-mini"
    code, out, _ = run(capsys, "config")
    assert code == 0 and "env KHABAR_MODEL" in out
    assert "sk-test-very-secret" not in out
