"""`khabar eval` end to end: hand-written answers replayed through the real SDK, exact tables.

The answers in tests/data/eval/answers/ were written by hand (their metadata says so, and names
each deliberate mistake); the figures below measure the scorer on them, not a model.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from agent.cli.main import cli, main
from agent.eval.datasets import load_dataset
from agent.eval.report import EvalReport
from agent.eval.runner import Evaluation, evaluate
from agent.fixtures.reference import reference_settings, write_reference_cassette
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "data" / "eval"
ANSWERS = EVAL / "answers"


def run_eval(*args: str) -> Result:
    return CliRunner().invoke(cli, ["eval", *args], env={"COLUMNS": "120"})


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Through the real entry point: the one red line and the exit code a user sees."""
    with pytest.raises(SystemExit) as caught:
        main(["eval", *args])
    return int(caught.value.code or 0), capsys.readouterr().err


NEWSFANE_TABLE = """\
khabar eval newsfane · 10 documents · 0 failed · model reference-answer · prompt {prompt}
Entities
┏━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━┓
┃ type         ┃ match   ┃ gold ┃ pred ┃ correct ┃ incorrect ┃ missed ┃ spurious ┃    P ┃    R ┃   F1 ┃
┡━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━╇━━━━━━╇━━━━━━╇━━━━━━┩
│ person       │ strict  │   13 │   13 │      12 │         0 │      1 │        1 │ 92.3 │ 92.3 │ 92.3 │
│              │ partial │      │      │      12 │         0 │      1 │        1 │ 92.3 │ 92.3 │ 92.3 │
├──────────────┼─────────┼──────┼──────┼─────────┼───────────┼────────┼──────────┼──────┼──────┼──────┤
│ organization │ strict  │    7 │    8 │       5 │         1 │      1 │        2 │ 62.5 │ 71.4 │ 66.7 │
│              │ partial │      │      │       6 │         0 │      1 │        2 │ 75.0 │ 85.7 │ 80.0 │
├──────────────┼─────────┼──────┼──────┼─────────┼───────────┼────────┼──────────┼──────┼──────┼──────┤
│ location     │ strict  │   15 │   14 │      12 │         1 │      2 │        1 │ 85.7 │ 80.0 │ 82.8 │
│              │ partial │      │      │      13 │         0 │      2 │        1 │ 92.9 │ 86.7 │ 89.7 │
├──────────────┼─────────┼──────┼──────┼─────────┼───────────┼────────┼──────────┼──────┼──────┼──────┤
│ overall      │ strict  │   35 │   35 │      29 │         3 │      3 │        3 │ 82.9 │ 82.9 │ 82.9 │
│              │ partial │      │      │      31 │         1 │      3 │        3 │ 88.6 │ 88.6 │ 88.6 │
└──────────────┴─────────┴──────┴──────┴─────────┴───────────┴────────┴──────────┴──────┴──────┴──────┘
grounding 47 exact, 2 clitic  flagged 0  dropped 0  re-asked 0  attempts 10  tokens 23,383
"""  # noqa: E501  (the table as printed, 103 columns)

QASRL_TABLE = """\
khabar eval qasrl · 3 documents · 0 failed · model reference-answer · prompt {prompt}
Statements
┏━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━┳━━━━━━┳━━━━━━┓
┃ gold ┃ pred ┃ correct ┃ missed ┃ spurious ┃ cue found ┃     P ┃    R ┃   F1 ┃
┡━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━╇━━━━━━┩
│    4 │    3 │       3 │      1 │        0 │         3 │ 100.0 │ 75.0 │ 85.7 │
└──────┴──────┴─────────┴────────┴──────────┴───────────┴───────┴──────┴──────┘
grounding 16 exact  flagged 0  dropped 0  re-asked 1  attempts 4  tokens 9,722
"""


def prompt_version() -> str:
    cassette = json.loads((ANSWERS / "newsfane_s00139" / "cassette.json").read_text("utf-8"))
    return str(cassette["meta"]["prompt_version"])


def plain(output: str) -> str:
    return "\n".join(line.rstrip() for line in output.splitlines()) + "\n"


def test_newsfane_table_from_hand_written_answers() -> None:
    result = run_eval("newsfane", "--data", str(EVAL), "--replay", str(ANSWERS))
    assert result.exit_code == 0, result.output
    assert plain(result.output) == NEWSFANE_TABLE.format(prompt=prompt_version())


def test_qasrl_table_from_hand_written_answers() -> None:
    result = run_eval("qasrl", "--data", str(EVAL), "--replay", str(ANSWERS), "-j", "2")
    assert result.exit_code == 0, result.output
    assert plain(result.output) == QASRL_TABLE.format(prompt=prompt_version())


def test_json_lists_every_false_positive_and_miss_with_its_text(tmp_path: Path) -> None:
    out = tmp_path / "nf.json"
    result = run_eval("newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--json", str(out))
    assert result.exit_code == 0, result.output
    report = EvalReport.load(out)
    assert report.entities is not None and report.entities.overall.strict.f1 == 0.828571
    wrong = {(e.id, fp.text, fp.why) for e in report.errors for fp in e.false_positives}
    assert wrong == {
        # The article's own letters at the predicted span: الولايات inside للولايات loses its ا.
        ("newsfane_s00159", "لولايات المتحدة", "boundary"),  # gold للولايات المتحدة
        ("newsfane_s00160", "اسرائيل", "wrong type (gold location)"),
        ("newsfane_s00320", "لجزيرة", "boundary"),  # gold للجزيرة
        ("newsfane_s00320", "الدفاع المدني", "spurious"),
        ("newsfane_s00353", "متحدث", "spurious"),
        ("newsfane_s00353", "السياج", "spurious"),
    }
    missed = {(e.id, m.type, m.text) for e in report.errors for m in e.misses}
    assert ("newsfane_s00159", "location", "لبنان") in missed
    assert ("newsfane_s00326", "organization", "للجزيرة") in missed
    assert ("newsfane_s00355", "person", "سعيد الفرا") in missed
    assert report.grounding.attempts == 10 and report.failed == 0


def test_json_lists_missed_statements_and_the_grounding_report(tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    run_eval("qasrl", "--data", str(EVAL), "--replay", str(ANSWERS), "--json", str(out))
    report = EvalReport.load(out)
    errors = {e.id: e for e in report.errors}
    # Murphy's second statement ("I do n't think …", cue think) is missing from the answer.
    assert list(errors) == ["Wiki1k:wikinews:784189:5:2"]
    (missed,) = errors["Wiki1k:wikinews:784189:5:2"].missed_positions
    assert (missed.cue, missed.content) == ("think", "many people saw this coming")
    assert missed.speaker == "Shadow Defence Secretary Jim Murphy / I"
    # The first answer gave Longworth's words to the BBC; the validator re-asked, the second
    # answer fixed it: one re-ask, four model calls for three documents.
    assert (report.grounding.reasked, report.grounding.attempts) == (1, 4)
    assert report.grounding.counts == {
        "exact": 16,
        "normalized": 0,
        "clitic": 0,
        "fuzzy": 0,
        "unaligned": 0,
    }


COMPARE_TABLE = """\
Change since reference-answer · prompt {prompt}
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━┳━━━━━━━┓
┃ figure                                  ┃ before ┃ after ┃     Δ ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━┩
│ entities.overall.strict.precision       │   82.9 │  85.7 │  +2.9 │
│ entities.overall.strict.recall          │   82.9 │  85.7 │  +2.9 │
│ entities.overall.strict.f1              │   82.9 │  85.7 │  +2.9 │
│ entities.overall.strict.correct         │     29 │    30 │    +1 │
│ entities.overall.strict.incorrect       │      3 │     2 │    -1 │
│ entities.overall.partial.precision      │   88.6 │  91.4 │  +2.9 │
│ entities.overall.partial.recall         │   88.6 │  91.4 │  +2.9 │
│ entities.overall.partial.f1             │   88.6 │  91.4 │  +2.9 │
│ entities.overall.partial.correct        │     31 │    32 │    +1 │
│ entities.overall.partial.incorrect      │      1 │     0 │    -1 │
│ entities.organization.strict.precision  │   62.5 │  71.4 │  +8.9 │
│ entities.organization.strict.f1         │   66.7 │  71.4 │  +4.8 │
│ entities.organization.strict.spurious   │      2 │     1 │    -1 │
│ entities.organization.partial.precision │   75.0 │  85.7 │ +10.7 │
│ entities.organization.partial.f1        │   80.0 │  85.7 │  +5.7 │
│ entities.organization.partial.spurious  │      2 │     1 │    -1 │
│ entities.location.strict.precision      │   85.7 │  86.7 │  +1.0 │
│ entities.location.strict.recall         │   80.0 │  86.7 │  +6.7 │
│ entities.location.strict.f1             │   82.8 │  86.7 │  +3.9 │
│ entities.location.strict.correct        │     12 │    13 │    +1 │
│ entities.location.strict.missed         │      2 │     1 │    -1 │
│ entities.location.partial.precision     │   92.9 │  93.3 │  +0.5 │
│ entities.location.partial.recall        │   86.7 │  93.3 │  +6.7 │
│ entities.location.partial.f1            │   89.7 │  93.3 │  +3.7 │
│ entities.location.partial.correct       │     13 │    14 │    +1 │
│ entities.location.partial.missed        │      2 │     1 │    -1 │
└─────────────────────────────────────────┴────────┴───────┴───────┘
34 other figure(s) unchanged
"""


def test_compare_prints_the_change_of_each_figure(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    run_eval("newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--json", str(before))
    # The A/B case: a changed model now calls Israel a state (a place), not an organisation.
    fixed = tmp_path / "fixed"
    shutil.copytree(ANSWERS, fixed)
    answers_path = fixed / "newsfane_s00160" / "answers.json"
    answers = json.loads(answers_path.read_text("utf-8"))
    israel = answers["answers"][0]["participants"][3]
    assert israel["name"] == "اسرائيل"
    israel["kind"] = "state"
    answers_path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    write_reference_cassette(answers_path.parent)
    result = run_eval(
        "newsfane", "--data", str(EVAL), "--replay", str(fixed), "--compare", str(before)
    )
    assert result.exit_code == 0, result.output
    shown = plain(result.output)
    assert shown[shown.index("Change since") :] == COMPARE_TABLE.format(prompt=prompt_version())


def test_a_document_over_max_chars_is_a_counted_miss_not_a_crash(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_eval(
        "newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--max-chars", "120",
        "--json", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = EvalReport.load(out)
    long_docs = [d for d in load_dataset("newsfane", EVAL).documents if len(d.text) > 120]
    assert report.failed == len(long_docs) == report.failures_by_kind["input"]
    failed = {e.id: e for e in report.errors if e.error}
    assert set(failed) == {d.id for d in long_docs}
    assert all("over the limit of 120" in e.error for e in failed.values() if e.error)
    gold = sum(len(d.entities or ()) for d in long_docs)
    assert sum(len(failed[d.id].misses) for d in long_docs) == gold
    assert "failed newsfane_s00333: input: the article has" in plain(result.output)


def test_bad_arguments_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_main(capsys, "newsfane", "--data", str(tmp_path / "nowhere"))
    assert (code, err) == (2, f"error: {tmp_path / 'nowhere'}: no such file or folder\n")
    code, err = run_main(capsys, "newsfane", "--data", str(EVAL), "--sample-seed", "3")
    assert code == 2 and "give --limit" in err
    code, err = run_main(capsys, "newsfane", "--data", str(EVAL))
    assert code == 2 and err.startswith("error: no endpoint configured")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, err = run_main(
        capsys, "newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--compare", str(bad)
    )
    assert code == 2 and f"error: {bad} is not a khabar eval report" in err
    assert err.count("\n") == 1
    bad.write_text("{x", encoding="utf-8")  # not JSON: the reason was cut off after "first: "
    code, err = run_main(
        capsys, "newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--compare", str(bad)
    )
    assert code == 2 and "1 problem(s), first: Invalid JSON" in err


def test_a_document_without_a_cassette_fails_alone(tmp_path: Path) -> None:
    partial = tmp_path / "cassettes"
    shutil.copytree(ANSWERS, partial)
    shutil.rmtree(partial / "newsfane_s00139")
    report = evaluate("newsfane", data=EVAL, replay=partial)
    assert report.failed == 1 and report.failures_by_kind == {"replay": 1}
    (failed,) = [e for e in report.errors if e.error]
    assert failed.id == "newsfane_s00139" and "no cassette for document" in (failed.error or "")
    assert [m.text for m in failed.misses] == ["ميجور", "هونج كونج"]


def test_record_then_replay_gives_the_same_report(tmp_path: Path) -> None:
    from agent.eval.cassettes import ReplayRouter

    dataset = load_dataset("qasrl", EVAL)
    recorded = tmp_path / "recorded"
    # The "endpoint" here answers from the hand-written cassettes: what is recorded is real HTTP.
    evaluation = Evaluation(
        dataset,
        settings=reference_settings(),
        record=recorded,
        transport=ReplayRouter(ANSWERS, dataset.documents),
    )
    asyncio.run(evaluation.run())
    first = evaluation.report()
    folders = sorted(p.name for p in recorded.iterdir())
    assert folders == sorted(p.name for p in ANSWERS.iterdir() if p.name.startswith("Wiki1k"))
    meta = json.loads((recorded / folders[0] / "cassette.json").read_text("utf-8"))["meta"]
    assert meta["source"] == "recorded" and meta["document_id"].startswith("Wiki1k:")
    assert meta["prompt_version"] == first.prompt_version
    again = evaluate(dataset, replay=recorded)
    assert again.figures() == first.figures()
    again_cli = run_eval("qasrl", "--data", str(EVAL), "--replay", str(recorded))
    assert plain(again_cli.output) == QASRL_TABLE.format(prompt=prompt_version())
    refused = run_eval(
        "qasrl", "--data", str(EVAL), "--record", str(recorded), "--base-url",
        "http://127.0.0.1:9/v1", "--model", "m",
    )  # fmt: skip
    assert "already holds cassettes for 3 document(s)" in str(refused.exception)
    assert "pass --force" in str(refused.exception)


def test_a_stopped_run_scores_what_settled() -> None:
    dataset = load_dataset("newsfane", EVAL)
    evaluation = Evaluation(dataset, replay=ANSWERS, concurrency=1)

    async def stop_after_first() -> None:
        async for record in evaluation.batch:
            evaluation.records[record.id] = record
            evaluation.stop()

    asyncio.run(stop_after_first())
    report = evaluation.report()
    assert report.interrupted and report.documents == 10
    assert 1 <= report.scored < 10
    assert report.entities is not None
    settled = [d for d in dataset.documents if d.id in evaluation.records]
    assert report.entities.overall.strict.possible == sum(len(d.entities or ()) for d in settled)


def test_the_library_entry_point_is_public() -> None:
    import agent.eval

    assert agent.eval.evaluate is evaluate
    report = agent.eval.evaluate("qasrl", data=EVAL, replay=ANSWERS)
    assert isinstance(report, agent.eval.EvalReport)
    assert report.positions is not None and report.positions.figures.f1 == 0.857143
    assert report.entities is None  # QA-SRL annotates no entities: none scored


def test_ctrl_c_prints_the_partial_scores_of_what_settled(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.test_batch import ARTICLE, LocalEndpoint

    gold = tmp_path / "gold.jsonl"
    rows = [{"id": f"n{i}", "text": ARTICLE, "entities": []} for i in range(12)]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    with LocalEndpoint(latency=0.3) as endpoint:
        args = [sys.executable, "-m", "agent", "eval", str(gold), "-j", "2", "--no-progress"]
        args += ["--base-url", endpoint.base_url, "--model", "m", "--max-reasks", "0"]
        process = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "COLUMNS": "120"},
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while endpoint.requests < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=30)
        sent = endpoint.requests
    assert process.returncode == 130, err
    assert "stopping: waiting for" in err
    assert f"partial scores: the run stopped after {sent} of 12 documents" in out
    assert f"khabar eval gold · {sent} of 12 documents · 0 failed · model m" in out


def test_a_sample_is_drawn_by_its_seed_and_kept_in_set_order() -> None:
    from agent.eval.runner import select

    documents = load_dataset("newsfane", EVAL).documents
    one = [d.id for d in select(documents, 4, 1)]
    assert one == [d.id for d in select(documents, 4, 1)]  # the same seed, the same sample
    assert one != [d.id for d in select(documents, 4, 2)]
    assert one == sorted(one) and len(set(one)) == 4
    assert [d.id for d in select(documents, 3, None)] == [d.id for d in documents[:3]]
    report = evaluate("newsfane", data=EVAL, replay=ANSWERS, limit=4, sample_seed=1)
    assert (report.documents, report.scored) == (4, 4)


def test_an_endpoint_that_keeps_failing_stops_the_run_after_printing_its_scores(
    tmp_path: Path,
) -> None:
    from tests.test_batch import ARTICLE, LocalEndpoint

    gold = tmp_path / "gold.jsonl"
    rows = [{"id": f"n{i}", "text": ARTICLE, "entities": []} for i in range(14)]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    with LocalEndpoint() as endpoint:
        endpoint.fail = True
        result = CliRunner().invoke(
            cli,
            ["eval", str(gold), "-j", "1", "--base-url", endpoint.base_url, "--model", "m"],
            env={"COLUMNS": "120", "KHABAR_TRANSPORT_ATTEMPTS": "1"},
        )
    assert "khabar eval gold · 10 of 14 documents · 10 failed · model m" in result.output
    host = endpoint.base_url.split("/")[2]
    assert f"failed n0: endpoint: {host} answered HTTP 500: scripted failure" in result.output
    assert "partial scores: the run stopped after 10 of 14 documents" in result.output
    assert str(result.exception) == (
        f"stopped after 10 articles in a row failed at the endpoint (last: {host} answered "
        "HTTP 500: scripted failure (after retries)); fix it, then run the eval again"
    )


def test_the_library_without_an_endpoint_is_a_config_error() -> None:
    from agent.errors import ConfigError

    with pytest.raises(ConfigError, match="no endpoint configured"):
        evaluate("qasrl", data=EVAL)


def test_a_long_document_extracted_in_chunks_is_recorded_and_replayed_as_one(
    tmp_path: Path,
) -> None:
    import httpx2 as httpx

    from agent.fixtures.reference import completion
    from agent.settings import Mode

    sentence = "Ed Miliband said the plan was ill-thought. "
    text = sentence * 20  # 880 characters: four chunks of at most 300
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "long/1", "text": text, "entities": []}) + "\n", "utf-8")
    empty = {"language": "en", "participants": [], "locations": [], "positions": []}
    sent: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(1)
        return httpx.Response(
            200, json=completion(empty, json.loads(request.content), Mode.TOOLS, 1)
        )

    recorded = tmp_path / "recorded"
    settings = reference_settings(chunk_chars=300)
    dataset = load_dataset(gold)
    first = evaluate(
        dataset, settings=settings, record=recorded, transport=httpx.MockTransport(answer)
    )
    assert first.failed == 0 and len(sent) > 1  # chunked: several requests for one document
    (folder,) = recorded.iterdir()
    cassette = json.loads((folder / "cassette.json").read_text("utf-8"))
    assert len(cassette["exchanges"]) == len(sent)
    assert (folder / "article.txt").read_text("utf-8") == text
    again = evaluate(dataset, settings=settings, replay=recorded)
    assert again.failed == 0 and again.figures() == first.figures()


def test_compare_says_when_the_two_runs_scored_different_documents(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    run_eval("newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--json", str(before))
    result = run_eval(
        "newsfane", "--data", str(EVAL), "--replay", str(ANSWERS), "--limit", "3",
        "--compare", str(before),
    )  # fmt: skip
    assert plain(result.output).endswith(
        "note: not the same documents (newsfane, 10 scored before; newsfane, 3 now): counts "
        "differ for that reason too\n"
    )
