"""khabar on Ray Data: a local Ray (2 CPUs, no dashboard), real actors, real openai + instructor.

The actors are answered from the fixture cassettes (replay) or by the fake endpoint on
127.0.0.1, with faults: a killed actor, an endpoint that is down for a while, malformed rows.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import ray
from aiohttp import web
from click.testing import CliRunner

from agent.batch.engine import BatchRecord, extract_many
from agent.batch.parquet import (
    iter_records,
    iter_rows,
    line_from_row,
    record_from_row,
    row_from_record,
    scan_parquet_output,
)
from agent.batch.transport import BatchStats
from agent.cassettes.replay import Cassette, ReplayTransport
from agent.cli.main import cli
from agent.errors import ConfigError, EndpointUnreachable
from agent.fixtures.fake_endpoint import FakeEndpoint
from agent.fixtures.reference import reference_settings
from agent.ray import KhabarStage
from agent.ray import sink as sink_module
from agent.ray import stage as stage_module
from agent.ray.run import run_ray_batch
from agent.ray.sink import OutputSink
from agent.settings import Settings
from tests.conftest import CASES, ROOT
from tests.test_batch import ARTICLE, CLEAN_ANSWER
from tests.test_batch_errors import KeyRefused
from tests.test_cli import one_line_error, run

HAND_WRITTEN = sorted(
    p.name for p in CASES.iterdir() if not p.name.startswith("recorded_") and p.is_dir()
)
VOLATILE = ("started_at", "duration_s", "endpoint")


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """One local Ray for the module: 2 CPUs, no dashboard, nothing reached over the network."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def merged_cassette() -> Cassette:
    """Every hand-written case's exchanges in one cassette (each answered once per actor)."""
    exchanges: list[dict[str, Any]] = []
    for name in HAND_WRITTEN:
        exchanges += Cassette.load(CASES / name / "cassette.json").exchanges
    first = Cassette.load(CASES / HAND_WRITTEN[0] / "cassette.json")
    return Cassette(path=CASES / "merged.json", meta=first.meta, exchanges=exchanges)


def case_rows() -> list[dict[str, Any]]:
    return [
        {"id": name, "text": (CASES / name / "article.txt").read_text(encoding="utf-8"), "n": i}
        for i, name in enumerate(HAND_WRITTEN)
    ]


def steady(line: dict[str, Any]) -> dict[str, Any]:
    """A batch line without the fields that differ between two runs (times, ports)."""
    line = json.loads(json.dumps(line))
    for provenance in (line.get("provenance"), (line.get("result") or {}).get("provenance")):
        for key in VOLATILE:
            if isinstance(provenance, dict):
                provenance.pop(key, None)
    return line


def single_process(rows: list[dict[str, Any]], settings: Settings, transport: Any) -> list[Any]:
    async def run() -> list[BatchRecord]:
        batch = extract_many(rows, settings=settings, transport=transport, concurrency=4)
        return [record async for record in batch]

    return [record.to_json() for record in asyncio.run(run())]


def write_jsonl(path: Path, rows: list[dict[str, Any]], extra: str = "") -> None:
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_text(lines + extra, encoding="utf-8")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_ray_engine_writes_the_records_extract_many_writes(tmp_path: Path) -> None:
    rows = case_rows()
    settings = reference_settings()
    cassette = merged_cassette()
    expected = single_process(rows, settings, ReplayTransport(cassette))
    assert len(expected) == len(HAND_WRITTEN) >= 8 and all(r["status"] == "ok" for r in expected)
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, rows, extra="{not json\n")
    stats = BatchStats()
    run_ray_batch(
        str(source),
        out,
        settings,
        skip=frozenset(),
        stats=stats,
        actors=2,
        concurrency=2,
        batch_size=3,
        transport=functools.partial(ReplayTransport, cassette),
    )
    lines = read_jsonl(out)
    by_id = {line["id"]: line for line in lines}
    assert len(by_id) == len(lines) == len(HAND_WRITTEN) + 1
    assert [steady(by_id[r["id"]]) for r in expected] == [steady(r) for r in expected]
    bad = by_id[f"in.jsonl:{len(rows) + 1}"]  # the malformed line: an error row, same as today
    assert bad["status"] == "error" and bad["error"]["kind"] == "input"
    assert "not JSON" in bad["error"]["message"]
    assert (stats.done, stats.failed, stats.failures_by_kind) == (len(rows), 1, {"input": 1})
    assert stats.prompt_tokens > 0


def test_the_driver_writes_a_stage_row_as_the_same_line_without_parsing_it_again(
    tmp_path: Path,
) -> None:
    """The spliced line is byte for byte the round trip's, for results, error rows and rows
    with nothing packed; rows the splice cannot vouch for take the round trip."""
    rows = [*case_rows()[:3], {"id": "no-text", "text": "", "n": 9}]
    cassette = merged_cassette()

    async def records() -> list[BatchRecord]:
        batch = extract_many(
            rows, settings=reference_settings(), transport=ReplayTransport(cassette)
        )
        return [record async for record in batch]

    settled = {record.id: record for record in asyncio.run(records())}
    assert {r.status for r in settled.values()} == {"ok", "error"}
    packed: list[str | None] = [
        json.dumps({"n": r["n"], "note": "عربي"}, ensure_ascii=False) for r in rows
    ]
    packed[1] = None  # nothing packed: `record_from_row` makes it {}
    packed[2] = "null"  # not an object: the round trip decides
    source = pa.table(
        {"id": [r["id"] for r in rows], "text": [r["text"] for r in rows], "metadata": packed}
    )
    table = stage_module.output_table(
        source, list(range(len(rows))), [settled[r["id"]] for r in rows]
    )
    wide = table.append_column("desk", pa.array(["politics"] * len(rows)))  # a user's column
    objects = table.take([0, 1, 3])  # every `metadata` an object or null: spliced, as columns
    shaped = sink_module._as_records(objects)
    assert shaped is not None and sink_module._as_records(table) is None  # "null": round trip
    for row in shaped.to_pylist():
        assert line_from_row(row) == json.dumps(record_from_row(row), ensure_ascii=False)
    for block, name in ((objects, "objects"), (table, "plain"), (wide, "wide")):
        with OutputSink(tmp_path / f"{name}.jsonl") as sink:
            sink.write_block(block)
        lines = (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        trip = [record_from_row(r) for r in block.to_pylist()]
        assert lines == [json.dumps(record, ensure_ascii=False) for record in trip]
        with OutputSink(tmp_path / f"{name}.parquet") as sink:  # Parquet: the same rows too
            sink.write_block(block)
        assert list(iter_rows(tmp_path / f"{name}.parquet")) == [
            row_from_record(record) for record in trip
        ]
    lines = (tmp_path / "plain.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["metadata"] for line in lines[:3]] == [
        {"n": 0, "note": "عربي"},
        {},
        {},
    ]


def test_the_stage_in_a_users_own_pipeline_reads_and_writes_parquet(tmp_path: Path) -> None:
    rows = case_rows()
    rows.append({"id": "no-text", "text": None, "n": 98})
    rows.append({"id": None, "text": "   ", "n": 99})
    articles = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows), articles)
    cassette = merged_cassette()
    ds = ray.data.read_parquet(str(articles)).map_batches(
        KhabarStage,
        fn_constructor_kwargs={
            "settings": reference_settings(),
            "concurrency": 4,
            "transport": functools.partial(ReplayTransport, cassette),
        },
        compute=ray.data.ActorPoolStrategy(size=2),
        batch_size=4,
        batch_format="pyarrow",
        num_cpus=0.5,  # two actors on this 2-CPU Ray leave a CPU to list, read and write files
    )
    ds.write_parquet(str(tmp_path / "extractions"))
    table = pq.read_table(tmp_path / "extractions")
    assert set(table.column_names) == {
        *("id", "status", "problems_left", "result", "error", "provenance", "n")
    }
    out = {row["id"]: row for row in table.to_pylist()}
    assert len(out) == table.num_rows == len(rows)
    for row in rows[:-2]:
        got = out[row["id"]]
        assert got["status"] == "ok" and got["error"] is None and got["n"] == row["n"]
        assert json.loads(got["result"])["provenance"]["model"] == "reference-answer"
    assert json.loads(out["no-text"]["error"])["kind"] == "input"
    (no_id,) = [r for r in out.values() if r["n"] == 99]
    assert "missing id" in json.loads(no_id["error"])["message"]
    # khabar's own readers take the pipeline's output as batch lines: report and resume
    records = {r["id"]: r for r in iter_records(tmp_path / "extractions")}
    assert records[rows[0]["id"]]["metadata"] == {"n": 0}
    assert scan_parquet_output(tmp_path / "extractions").done == len(rows) - 2
    report = CliRunner().invoke(
        cli, ["report", str(tmp_path / "extractions"), "-o", str(tmp_path / "r.html")]
    )
    assert report.exit_code == 0, report.output
    assert f"({len(rows)} articles)" in report.output


def run_cli(*args: str, base_url: str, **env: str) -> Any:
    flags = ["--base-url", base_url, "--model", "gpt-4o-mini", "--max-reasks", "0"]
    return CliRunner().invoke(cli, ["batch", *args, *flags], env=env)


def test_parquet_in_parquet_out_and_resume_through_the_cli(tmp_path: Path) -> None:
    articles = tmp_path / "articles.parquet"
    rows = [{"id": i, "text": ARTICLE, "feed": "wire"} for i in range(12)]
    pq.write_table(pa.Table.from_pylist(rows[:8]), articles)
    out = tmp_path / "results.parquet"
    with FakeEndpoint(answers=[CLEAN_ANSWER]) as fake:
        first = run_cli(str(articles), "-o", str(out), "--engine", "ray", base_url=fake.base_url)
        assert first.exit_code == 0, first.output
        pq.write_table(pa.Table.from_pylist(rows), articles)  # four more arrived
        sent = fake.requests
        again = run_cli(str(articles), "-o", str(out), "--engine", "ray", base_url=fake.base_url)
        assert again.exit_code == 0, again.output
        assert fake.requests - sent == 4  # the eight done were filtered out before scheduling
    assert "8 done, skipped" in " ".join(again.output.split())
    records = list(iter_records(out))
    assert sorted(int(r["id"]) for r in records) == list(range(12))
    assert all(r["status"] == "ok" and r["metadata"] == {"feed": "wire"} for r in records)
    assert all(r["result"]["provenance"] == r["provenance"] for r in records)


def test_single_process_batch_writes_parquet_and_resumes(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE, "k": i} for i in range(5)])
    with FakeEndpoint(answers=[CLEAN_ANSWER]) as fake:
        assert run_cli(str(source), "-o", str(out), base_url=fake.base_url).exit_code == 0
        again = run_cli(str(source), "-o", str(out), base_url=fake.base_url)
        assert again.exit_code == 0 and fake.requests == 5
    table = pq.read_table(out)  # pandas, polars and DuckDB read the folder the same way
    assert table.column_names == [
        *("id", "status", "problems_left", "result", "error", "metadata", "provenance")
    ]
    assert sorted(table.column("id").to_pylist()) == [f"a{i}" for i in range(5)]
    lines = {r["id"]: r for r in iter_records(out)}
    assert lines["a3"]["metadata"] == {"k": 3} and lines["a3"]["error"] is None
    assert lines["a3"]["result"]["provenance"]["attempts"] == 1


class DiesOnce(KhabarStage):
    """The first actor call kills its own process once requests are in flight (`kill -9`)."""

    def __init__(self, *args: Any, marker: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marker = Path(marker)

    async def __call__(self, batch: pa.Table) -> pa.Table:
        marker = self.marker
        if not marker.exists():
            marker.touch()
            work = asyncio.ensure_future(super().__call__(batch))
            while self.stats.requests == 0:  # until the endpoint has answered this batch
                await asyncio.sleep(0.01)
            assert not work.done()
            os.kill(os.getpid(), signal.SIGKILL)
        return await super().__call__(batch)


def test_an_actor_killed_mid_batch_is_retried_without_duplicate_ids(tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(16)])
    with FakeEndpoint(answers=[CLEAN_ANSWER], latency=1.0) as fake:
        run_ray_batch(
            str(source),
            out,
            reference_settings(base_url=fake.base_url),
            skip=frozenset(),
            stats=BatchStats(),
            actors=2,
            concurrency=4,
            batch_size=4,
            stage=DiesOnce,
            stage_options={"marker": str(marker)},
        )
        requests = fake.requests
    assert marker.exists()
    ids = [line["id"] for line in read_jsonl(out)]
    assert sorted(ids) == sorted(f"a{i}" for i in range(16))  # each once
    assert all(line["status"] == "ok" for line in read_jsonl(out))
    assert requests > 16  # the killed actor's batch was sent again


class LateEndpoint(threading.Thread):
    """Binds a port now and starts answering on it only after `down` seconds."""

    def __init__(self, down: float) -> None:
        super().__init__(daemon=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.down = down
        self.endpoint = FakeEndpoint(answers=[CLEAN_ANSWER], port=self.port)
        self.up_at = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def run(self) -> None:
        time.sleep(self.down)
        self.endpoint.start()
        self.up_at = time.monotonic()


def test_an_endpoint_down_for_a_while_delays_the_run_without_error_rows(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(6)])
    late = LateEndpoint(down=4.0)
    settings = reference_settings(base_url=late.base_url, transport_attempts=1)
    late.start()
    try:
        run_ray_batch(
            str(source),
            out,
            settings,
            skip=frozenset(),
            stats=BatchStats(),
            actors=2,
            concurrency=2,
            batch_size=3,
            outage_seconds=30,
        )
    finally:
        late.join()
        late.endpoint.stop()
    lines = read_jsonl(out)
    assert sorted(line["id"] for line in lines) == [f"a{i}" for i in range(6)]
    assert all(line["status"] == "ok" for line in lines)


def test_an_endpoint_down_for_longer_than_the_outage_budget_stops_with_one_error(
    tmp_path: Path,
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(4)])
    late = LateEndpoint(down=3600)  # never started
    settings = reference_settings(base_url=late.base_url, transport_attempts=1)
    with pytest.raises(EndpointUnreachable, match="failed every article of a batch") as stopped:
        run_ray_batch(
            str(source),
            out,
            settings,
            skip=frozenset(),
            stats=BatchStats(),
            actors=1,
            concurrency=2,
            batch_size=4,
            outage_seconds=1,
        )
    # khabar's own error, not Ray's wrapper of it (a task header, the actor's traceback, and
    # Ray Data's retry advice appended to the message)
    assert type(stopped.value) is EndpointUnreachable
    assert "\n" not in str(stopped.value) and "ray::" not in str(stopped.value)
    assert not out.exists() or out.read_text() == ""


class Arrivals(FakeEndpoint):
    """The fake endpoint, noting when each request arrived."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrivals: list[float] = []

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.arrivals.append(time.monotonic())
        return await super()._handle(request)


class InFlight(FakeEndpoint):
    """The fake endpoint, noting the most requests it held at once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.now = 0
        self.most = 0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            return await super()._handle(request)
        finally:
            self.now -= 1


def batch_of(ids: list[str]) -> pa.Table:
    return pa.Table.from_pylist([{"id": i, "text": ARTICLE, "metadata": "{}"} for i in ids])


def test_an_actors_batches_share_one_run_of_workers() -> None:
    """Two batches at once on one actor: `concurrency` requests in flight in all, never twice
    that, and the second batch's articles start as the first's slots free up (not after it)."""
    fake = InFlight(answers=[CLEAN_ANSWER], latency=0.3)
    with fake:
        stage = KhabarStage(reference_settings(base_url=fake.base_url), concurrency=4)

        async def two_batches() -> tuple[list[pa.Table], float]:
            started = time.monotonic()
            first = asyncio.ensure_future(stage(batch_of([f"a{i}" for i in range(6)])))
            second = asyncio.ensure_future(stage(batch_of([f"b{i}" for i in range(2)])))
            tables = await asyncio.gather(first, second)
            await stage.aclose()
            return list(tables), time.monotonic() - started

        tables, took = asyncio.run(two_batches())
    assert fake.most == 4 and fake.requests == 8
    # 8 articles, 4 at a time, 0.3 s each: two rounds, not a round and a half per batch
    assert took < 3 * 0.3 + 0.5
    assert [t.column("id").to_pylist() for t in tables] == [
        [f"a{i}" for i in range(6)],
        ["b0", "b1"],
    ]
    assert all(s == "ok" for t in tables for s in t.column("status").to_pylist())


def test_the_same_id_in_two_batches_at_once_gets_a_row_in_each() -> None:
    """The actor's run takes each article under a key of its own: an id in two blocks (two
    Parquet files may share one) is not dropped as a duplicate, nor left waiting."""
    with FakeEndpoint(answers=[CLEAN_ANSWER]) as fake:
        stage = KhabarStage(reference_settings(base_url=fake.base_url), concurrency=2)

        async def both() -> list[pa.Table]:
            tables = await asyncio.gather(stage(batch_of(["x", "y"])), stage(batch_of(["x"])))
            await stage.aclose()
            return list(tables)

        first, second = asyncio.run(asyncio.wait_for(both(), 60))
    assert first.column("id").to_pylist() == ["x", "y"] and second.column("id").to_pylist() == ["x"]
    assert (
        set(first.column("status").to_pylist())
        == set(second.column("status").to_pylist())
        == {"ok"}
    )


def test_an_actor_run_rolls_over_and_settles_every_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run remembers each key it took, so the actor starts a new one every `ROLL_OVER`
    articles; the old one finishes what it holds."""
    monkeypatch.setattr(stage_module, "ROLL_OVER", 3)
    with FakeEndpoint(answers=[CLEAN_ANSWER], latency=0.05) as fake:
        stage = KhabarStage(reference_settings(base_url=fake.base_url), concurrency=2)

        async def many() -> tuple[list[pa.Table], int]:
            runs = set()
            calls = []
            for n in range(4):
                calls.append(asyncio.ensure_future(stage(batch_of([f"{n}-{i}" for i in range(2)]))))
                await asyncio.sleep(0)
                runs.add(id(stage.actor_run()))
            tables = await asyncio.gather(*calls)
            await stage.aclose()
            return list(tables), len(runs)

        tables, runs = asyncio.run(many())
    assert runs >= 2
    assert [t.column("id").to_pylist() for t in tables] == [
        [f"{n}-{i}" for i in range(2)] for n in range(4)
    ]
    assert all(s == "ok" for t in tables for s in t.column("status").to_pylist())


class NamesItsActor(KhabarStage):
    """Adds the actor's pid to each row (it comes back in the record's metadata)."""

    async def __call__(self, batch: pa.Table) -> pa.Table:
        table = await super().__call__(batch)
        return table.append_column("actor", pa.array([os.getpid()] * table.num_rows))


def test_every_actor_gets_a_block_of_a_short_run(tmp_path: Path) -> None:
    """Blocks are handed out once every actor is up: two blocks for two actors go one each,
    not both to whichever actor started first."""
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(8)])
    with FakeEndpoint(answers=[CLEAN_ANSWER], latency=0.5) as fake:
        run_ray_batch(
            str(source),
            out,
            reference_settings(base_url=fake.base_url),
            skip=frozenset(),
            stats=BatchStats(),
            actors=2,
            concurrency=4,
            batch_size=4,
            stage=NamesItsActor,
        )
    lines = read_jsonl(out)
    assert sorted(line["id"] for line in lines) == [f"a{i}" for i in range(8)]
    by_actor: dict[int, int] = {}
    for line in lines:
        by_actor[line["metadata"]["actor"]] = by_actor.get(line["metadata"]["actor"], 0) + 1
    assert sorted(by_actor.values()) == [4, 4]


class SlowToStart(KhabarStage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        time.sleep(3)
        super().__init__(*args, **kwargs)


def test_actors_that_do_not_start_in_time_stop_the_run_with_one_line(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": "a", "text": ARTICLE}])
    context = ray.data.DataContext.get_current()
    context.wait_for_min_actors_s = 1  # the user's own wait is kept
    try:
        with pytest.raises(ConfigError, match=r"did not start every actor in 1 s.*try fewer"):
            run_ray_batch(
                str(source),
                out,
                reference_settings(base_url="http://127.0.0.1:9/v1"),
                skip=frozenset(),
                stats=BatchStats(),
                actors=1,
                stage=SlowToStart,
            )
    finally:
        context.wait_for_min_actors_s = -1
    assert not out.exists() or out.read_text() == ""


def test_requests_per_minute_are_the_whole_runs_budget_across_actors(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(24)])
    fake = Arrivals(answers=[CLEAN_ANSWER])
    with fake:
        run_ray_batch(
            str(source),
            out,
            reference_settings(base_url=fake.base_url),
            skip=frozenset(),
            stats=BatchStats(),
            actors=2,
            concurrency=8,
            batch_size=6,
            requests_per_minute=600,  # 10/s for the run: 5/s and a burst of 5 per actor
        )
        arrivals = sorted(fake.arrivals)
    assert len(arrivals) == 24
    # two actors with the whole budget each would send 20 at once and finish in ~0.2 s
    assert arrivals[-1] - arrivals[0] >= 1.2
    assert max(sum(1 for t in arrivals if s <= t < s + 0.5) for s in arrivals) <= 16


def committed(out: Path) -> int:
    """Rows in whole parts (read only: the run is still writing)."""
    return sum(1 for _ in iter_rows(out, ["id"])) if out.exists() else 0


def test_a_killed_run_resumes_with_every_id_exactly_once(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(40)])
    with FakeEndpoint(answers=[CLEAN_ANSWER], latency=0.3) as fake:
        command = [
            *(sys.executable, "-m", "agent", "batch", str(source), "-o", str(out)),
            *("--engine", "ray", "--actors", "1", "-j", "2", "--batch-size", "2"),
            *("--base-url", fake.base_url, "--model", "gpt-4o-mini", "--no-progress"),
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        while committed(out) < 4 and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.stderr:
            process.stderr.close()
        before = scan_parquet_output(out).done
        assert 4 <= before < 40
        again = run_cli(
            str(source), "-o", str(out), "--engine", "ray", "-j", "8", base_url=fake.base_url
        )
        assert again.exit_code == 0, again.output
    ids = [r["id"] for r in iter_records(out)]
    assert sorted(ids) == sorted(f"a{i}" for i in range(40))
    assert f"{before} done, skipped" in " ".join(again.output.split())


def test_a_stale_cluster_file_does_not_hijack_a_local_run(tmp_path: Path) -> None:
    # `ray start` leaves /tmp/ray/ray_current_cluster behind; Ray's default init joins whatever it
    # names, so a local run failed ("num_cpus must not be provided") or dialled a dead head
    temp = Path(tempfile.mkdtemp(prefix="kr", dir="/tmp"))  # short: Ray's socket paths are
    try:
        (temp / "ray").mkdir()
        (temp / "ray" / "ray_current_cluster").write_text("127.0.0.1:9\n", encoding="utf-8")
        source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(3)])
        with FakeEndpoint(answers=[CLEAN_ANSWER]) as fake:
            command = [
                *(sys.executable, "-m", "agent", "batch", str(source), "-o", str(out)),
                *("--engine", "ray", "--actors", "1", "--no-progress"),
                *("--base-url", fake.base_url, "--model", "gpt-4o-mini"),
            ]
            env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_TMPDIR": str(temp)}
            env.pop("RAY_ADDRESS", None)
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
            )
        assert done.returncode == 0, done.stderr[-2000:]
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert sorted(line["id"] for line in lines) == ["a0", "a1", "a2"]
        assert all(line["status"] == "ok" for line in lines)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_a_failed_ray_run_at_the_terminal_is_khabars_one_line_not_rays_logs(
    tmp_path: Path,
) -> None:
    """A refused key stops the run in its actor. Without --debug the terminal shows khabar's
    line, not Ray's plan and tracebacks, its retry advice or its actor warnings; Ray's own
    notice that it read RAY_BACKEND_LOG_LEVEL is the one line of Ray's left."""
    temp = Path(tempfile.mkdtemp(prefix="kq", dir="/tmp"))  # short: Ray's socket paths
    server = ThreadingHTTPServer(("127.0.0.1", 0), KeyRefused)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        write_jsonl(source, [{"id": f"a{i}", "text": ARTICLE} for i in range(2)])
        command = [
            *(sys.executable, "-m", "agent", "batch", str(source), "-o", str(out)),
            *("--engine", "ray", "--actors", "1", "--no-progress", "--model", "m"),
            *("--base-url", f"http://127.0.0.1:{server.server_address[1]}/v1"),
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_TMPDIR": str(temp)}
        for name in ("RAY_ADDRESS", "RAY_BACKEND_LOG_LEVEL", "KHABAR_DEBUG"):
            env.pop(name, None)
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(temp, ignore_errors=True)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and "401" in errors[0] and "ray::" not in errors[0], lines
    others = [line for line in lines if not line.startswith("error: ")]
    assert all("Set ray log level" in line for line in others), others
    assert not out.exists()


def test_without_ray_installed_the_engine_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    source, out = tmp_path / "in.jsonl", tmp_path / "o.jsonl"
    write_jsonl(source, [{"id": "a", "text": ARTICLE}])
    code, _, err = run(
        capsys,
        *("batch", str(source), "-o", str(out), "--engine", "ray"),
        *("--base-url", "http://127.0.0.1:9/v1", "--model", "m"),
    )
    assert code == 2 and not out.exists()
    assert one_line_error(err) == "--engine ray needs Ray: pip install 'khabar[ray]'"
