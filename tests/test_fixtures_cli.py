"""`khabar fixtures check / record / accept` through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.cli.main import main
from agent.fixtures.fake_endpoint import FakeEndpoint
from tests.conftest import REASK, ROOT, SEED

CHUNKED = ROOT / "fixtures" / "cases" / "en_chunked_gum_digest"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures"
    for case in (SEED, REASK):
        shutil.copytree(case, root / "cases" / case.name)
    return root


def test_check_passes_on_the_shipped_suite(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["fixtures", "check", str(ROOT / "fixtures")], capsys)
    assert code == 0, out
    assert "case(s) match their golden results" in out


def test_check_fails_on_an_edited_golden_with_the_diff(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = suite / "cases" / SEED.name / "golden.json"
    data = json.loads(golden.read_text(encoding="utf-8"))
    data["participants"][1]["role"] = "visitor"
    golden.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["fixtures", "check", str(suite)], capsys)
    assert code == 1
    assert "1 of 2 case(s) differ" in out
    row = next(line for line in out.splitlines() if "عبد المجيد صقر" in line)
    assert "changed" in row and "role" in row and "visitor" in row and "host" in row


def test_accept_refuses_without_terminal_then_writes_with_yes(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = suite / "cases" / SEED.name / "golden.json"
    golden.unlink()
    code, _, err = run(["fixtures", "accept", str(suite)], capsys)
    assert code == 1 and not golden.exists()
    assert err.strip() == (
        "error: refusing to overwrite 1 golden file(s) without confirmation (no terminal): "
        "rerun with --yes"
    )
    code, out, _ = run(["fixtures", "accept", "--yes", str(suite)], capsys)
    assert code == 0 and golden.exists() and "wrote" in out
    assert golden.read_bytes() == (SEED / "golden.json").read_bytes()
    assert run(["fixtures", "check", str(suite)], capsys)[0] == 0


def test_record_regenerates_hand_written_cases_after_a_prompt_change(
    suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    with (prompts / "user.j2").open("a", encoding="utf-8") as handle:
        handle.write("\nAnswer carefully.")
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    case = suite / "cases" / REASK.name
    before = (case / "cassette.json").read_bytes()
    code, out, _ = run(["fixtures", "check", str(case)], capsys)
    assert code == 1 and "stale cassette: prompt version" in out

    code, out, err = run(["fixtures", "record", str(case)], capsys)
    assert code == 1 and "refusing to overwrite 1 cassette(s)" in err
    assert "user message 1 differs (prompt changed)" in out
    assert (case / "cassette.json").read_bytes() == before

    code, out, _ = run(["fixtures", "record", "--yes", str(case)], capsys)
    assert code == 0 and "from answers.json" in out
    assert (case / "cassette.json").read_bytes() != before
    code, out, _ = run(["fixtures", "check", str(case)], capsys)
    assert code == 1 and "prompt_version" in out  # golden still names the old version
    assert run(["fixtures", "accept", "--yes", str(case)], capsys)[0] == 0
    assert run(["fixtures", "check", str(case)], capsys)[0] == 0


def test_a_prompt_change_is_named_as_such_for_a_long_article_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # each recorded request of a long article carries one chunk, not the whole article: that
    # was taken for "recorded for another article" and named the wrong cause
    case = tmp_path / "cases" / CHUNKED.name
    shutil.copytree(CHUNKED, case)
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    with (prompts / "system.j2").open("a", encoding="utf-8") as handle:
        handle.write("\nAnswer carefully.")
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run(["fixtures", "check", str(case)], capsys)
    flat = " ".join(out.split())
    assert code == 1 and "stale cassette: prompt version" in flat
    assert "system message 0 differs (prompt changed)" in flat
    assert "differs from the article the cassette was recorded for" not in flat


def test_an_edited_long_article_is_named_as_the_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "cases" / CHUNKED.name
    shutil.copytree(CHUNKED, case)
    article = case / "article.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text("Breaking. " + text, encoding="utf-8")  # every chunk starts elsewhere
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run(["fixtures", "check", str(case)], capsys)
    flat = " ".join(out.split())
    assert code == 1 and "prompt changed" not in flat
    assert "stale cassette: the article differs: recorded 'Pop culture" in flat
    assert "given 'Breaking. Pop culture" in flat


def test_record_a_recorded_case_against_the_endpoint(
    suite: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = suite / "cases" / SEED.name
    (case / "answers.json").unlink()  # as if this cassette had come from a model
    answer = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
    answer["participants"][1]["role"] = "attendee"
    with FakeEndpoint(answers=[answer]) as fake:
        monkeypatch.setenv("KHABAR_BASE_URL", fake.base_url)
        monkeypatch.setenv("KHABAR_API_KEY", "sk-secret-never-written")
        code, out, _ = run(["fixtures", "record", "--yes", "--model", "m1", str(case)], capsys)
    assert code == 0 and "against the endpoint" in out
    cassette = (case / "cassette.json").read_text(encoding="utf-8")
    assert "sk-secret-never-written" not in cassette
    meta = json.loads(cassette)["meta"]
    assert meta["source"] == "recorded" and meta["model"] == "m1"
    assert "role" in out and "attendee" in out  # the new answer's diff against golden
    monkeypatch.delenv("KHABAR_BASE_URL")
    code, out, _ = run(["fixtures", "check", str(case)], capsys)
    assert code == 1 and "attendee" in out


def test_check_of_a_folder_without_cases_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["fixtures", "check", str(tmp_path)], capsys)
    assert code == 2
    assert err.strip().startswith("error: no fixture cases under")


def test_every_fixture_case_says_where_its_article_comes_from_and_under_which_licence() -> None:
    cases = sorted(d for d in (ROOT / "fixtures" / "cases").iterdir() if d.is_dir())
    assert len(cases) >= 13
    for case in cases:
        source = case / "SOURCE.md"
        assert source.is_file(), f"{case.name} has no SOURCE.md"
        text = source.read_text(encoding="utf-8")
        assert "licence" in text.lower(), f"{case.name}: SOURCE.md names no licence"
