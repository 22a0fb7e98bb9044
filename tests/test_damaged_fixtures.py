"""`khabar fixtures check / accept / record` over a suite where one case's files are damaged.

Each damaged case is one failed row with its reason; the other cases are still checked or
recorded, and the run exits 1. Before, a golden.json that was not JSON ended the whole run with
one error line (no table), one of the wrong shape was a traceback from the diff, a damaged
answers.json was a traceback from `record`, and a damaged cassette stopped `record` from
replacing it. The cases are copies in tmp_path; the real fixtures/ folder is never touched.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.errors import InputError
from agent.testing import assert_matches_golden, replay
from tests.conftest import REASK, SEED
from tests.test_fixtures_cli import run


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "fixtures"
    for case in (SEED, REASK):
        shutil.copytree(case, root / "cases" / case.name)
    return root


def _edit_json(edit: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return damage


def _write(content: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(content)

    return damage


def _row(out: str, case: str) -> str:
    """The table row of `case` (not its "recording …" line), its cells' wrapped lines joined."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {case} "))
    rows = [lines[start].strip("│").split("│")]
    for line in lines[start + 1 :]:
        cells = line.strip("│").split("│")
        if not line.startswith("│") or cells[0].strip():
            break
        rows.append(cells)
    columns = zip(*rows, strict=True)
    return " │ ".join(" ".join(part.strip() for part in column).strip() for column in columns)


GOLDEN_DAMAGE = [
    ("not JSON", _write(b"{bad"), "cannot read golden file {path}: Expecting property name"),
    ("a list", _write(b"[1, 2]"), "golden file {path} is a list, not a result object"),
    ("not UTF-8", _write(b"\xff\xfe{}"), "golden file {path} is not valid UTF-8 (byte 0xff"),
    (
        "participants a number",
        _write(b'{"participants": 5}'),
        "golden file {path} is not a khabar result (language: Field required",
    ),
    (
        "a participant without its name",
        _edit_json(lambda d: d["participants"][0].pop("name")),
        "is not a khabar result (participants.0.name: Field required; the diff stopped at "
        "KeyError 'name')",
    ),
]


@pytest.mark.parametrize(
    ("damage", "expected"), [g[1:] for g in GOLDEN_DAMAGE], ids=[g[0] for g in GOLDEN_DAMAGE]
)
def test_check_gives_a_damaged_golden_its_own_failed_row(
    damage: Callable[[Path], None],
    expected: str,
    suite: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    golden = suite / "cases" / SEED.name / "golden.json"
    damage(golden)
    code, out, err = run(["fixtures", "check", str(suite)], capsys)
    assert code == 1 and err == "", err
    assert "Traceback" not in out
    row = _row(out, SEED.name)
    assert "failed" in row and expected.format(path=golden) in row, row
    assert row.endswith("restore it, or write it again with `khabar fixtures accept`"), row
    assert _row(out, REASK.name) == f"{REASK.name} │ ok │ "  # the other case was still checked
    summary = " ".join(out.split())
    assert "1 of 2 case(s) failed (each row says why)." in summary
    assert "differ" not in summary and "fixtures record" not in summary  # no advice that misleads


def test_accept_writes_a_damaged_golden_again(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = suite / "cases" / SEED.name / "golden.json"
    golden.write_bytes(b"<<<<<<< HEAD\n{}")  # a merge left half-done
    code, out, _ = run(["fixtures", "accept", "--yes", str(suite)], capsys)
    assert code == 0, out
    assert f"wrote {golden}" in out
    assert golden.read_bytes() == (SEED / "golden.json").read_bytes()
    assert run(["fixtures", "check", str(suite)], capsys)[0] == 0


def test_the_test_helpers_name_a_damaged_golden(tmp_path: Path) -> None:
    case = tmp_path / SEED.name
    shutil.copytree(SEED, case)
    (case / "golden.json").write_text('{"participants": [{"id": "p1"}]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"golden\.json is not a khabar result \(language"):
        assert_matches_golden(replay(case), case / "golden.json")


ANSWERS_DAMAGE = [
    ("not JSON", b"{bad", "cannot read {path}: Expecting property name"),
    ("a list", b"[1]", "{path} is not a set of hand-written answers: it is not a JSON object"),
    ("no answers", b'{"meta": {}}', 'answers: it has neither "answers" nor "chunks"'),
    ("no answer", b'{"meta": {}, "answers": []}', '"answers" is not a list holding at least one'),
    ("an answer a number", b'{"answers": [5]}', 'answer 1 of "answers" is not an object'),
    ("meta a list", b'{"meta": [], "answers": [{}]}', '"meta" is not an object'),
    ("chunks empty", b'{"chunks": [[]]}', "chunk 1 is not a list holding at least one answer"),
]


@pytest.mark.parametrize(
    ("content", "expected"), [a[1:] for a in ANSWERS_DAMAGE], ids=[a[0] for a in ANSWERS_DAMAGE]
)
def test_record_fails_the_case_with_damaged_answers_and_records_the_rest(
    content: bytes, expected: str, suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = suite / "cases" / SEED.name
    answers, cassette = case / "answers.json", case / "cassette.json"
    answers.write_bytes(content)
    before = cassette.read_bytes()
    code, out, err = run(["fixtures", "record", "--yes", str(suite)], capsys)
    assert code == 1 and err == "", err
    assert "Traceback" not in out
    row = _row(out, SEED.name)
    assert "failed" in row and expected.format(path=answers) in row, row
    assert str(answers) in row  # the case's own file, not the scratch copy
    assert "unchanged" in _row(out, REASK.name)  # the other case was still recorded
    assert "1 of 2 case(s) could not be recorded and keep their cassette" in out
    assert cassette.read_bytes() == before


def test_record_fails_a_live_case_without_endpoint_and_still_regenerates_the_others(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (suite / "cases" / SEED.name / "answers.json").unlink()  # as if recorded from a model
    code, out, _ = run(["fixtures", "record", "--yes", str(suite)], capsys)
    assert code == 1
    row = _row(out, SEED.name)
    assert "failed" in row and "no endpoint configured" in row, row
    assert "unchanged" in _row(out, REASK.name)


def test_record_replaces_a_damaged_cassette(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = suite / "cases" / SEED.name / "cassette.json"
    cassette.write_text('{"format": 1, "exchanges": [{"request": {}}]}', encoding="utf-8")
    code, out, _ = run(["fixtures", "record", "--yes", str(suite)], capsys)
    assert code == 0, out
    row = _row(out, SEED.name)
    assert "changed" in row and "the cassette in place cannot be replayed" in row, row
    assert f"wrote {cassette}" in out
    assert run(["fixtures", "check", str(suite)], capsys)[0] == 0


def test_record_still_records_a_case_whose_golden_is_damaged(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = suite / "cases" / SEED.name / "golden.json"
    golden.write_bytes(b"[]")
    code, out, _ = run(["fixtures", "record", "--yes", str(suite)], capsys)
    assert code == 0, out
    row = _row(out, SEED.name)
    assert "unchanged" in row and f"not compared with golden.json: golden file {golden}" in row


def test_record_says_when_the_answers_run_out(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An answers.json whose last answer does not pass the checks: the re-ask finds no answer.
    The case fails, saying so; before, its cassette was replaced by one ending in the stand-in
    server's "HTTP 500: no more reference answers", with the failed re-ask in the result."""
    case = suite / "cases" / REASK.name
    _edit_json(lambda d: d.__setitem__("answers", d["answers"][:1]))(case / "answers.json")
    before = (case / "cassette.json").read_bytes()
    code, out, _ = run(["fixtures", "record", "--yes", str(suite)], capsys)
    assert code == 1
    row = _row(out, REASK.name)
    assert "failed" in row, row
    assert (
        "answers.json holds 1 answer(s) and the code asked for one more: the last answer does "
        "not pass the checks (participants[p1].titles[0] 'Supreme Court judge' does not occur"
    ) in row, row
    assert (case / "cassette.json").read_bytes() == before
    assert "unchanged" in _row(out, SEED.name)
