"""extract_many and the batch file formats: real openai + instructor over a scripted transport."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from agent.batch.engine import YOUNG_THRESHOLD, BatchRecord, BatchStats, extract_many
from agent.batch.io import ResultWriter, iter_input, scan_output
from agent.batch.pricing import PRICES, parse_price, price_for
from agent.errors import AuthenticationError, ConfigError, OutputError
from agent.fixtures.reference import completion, reference_settings
from agent.settings import Mode, Settings
from tests.conftest import REASK, assert_spans_slice_article

ARTICLE = (REASK / "article.txt").read_text(encoding="utf-8")
CLEAN_ANSWER: dict[str, Any] = json.loads((REASK / "answers.json").read_text(encoding="utf-8"))[
    "answers"
][1]


def answer_for(body: bytes, n: int) -> dict[str, Any]:
    """The hand-written clean answer, as a tool-call completion for this request."""
    return completion(CLEAN_ANSWER, json.loads(body), Mode.TOOLS, n)


class Script:
    """An async HTTP handler: optional status per request, fixed latency, arrival log."""

    def __init__(self, latency: float = 0.0, statuses: dict[int, int] | None = None) -> None:
        self.latency = latency
        self.statuses = statuses or {}
        self.arrivals: list[tuple[float, int]] = []
        self.open = 0
        self.most_open = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        n = len(self.arrivals)
        status = self.statuses.get(n, 200)
        self.arrivals.append((time.monotonic(), status))
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.open -= 1
        if status == 200:
            return httpx.Response(200, json=answer_for(request.content, n))
        headers = {"retry-after": "0.3"} if status == 429 else {}
        return httpx.Response(status, json={"error": {"message": "scripted"}}, headers=headers)


def settings() -> Settings:
    return reference_settings(base_url="http://batch.invalid/v1", transport_attempts=3)


def collect(
    items: Any, script: Script, concurrency: int = 4, **kwargs: Any
) -> tuple[list[BatchRecord], BatchStats]:
    stats = BatchStats()
    handler: Callable[[httpx.Request], Coroutine[None, None, httpx.Response]] = script

    async def run() -> list[BatchRecord]:
        batch = extract_many(
            items,
            settings=settings(),
            transport=httpx.MockTransport(handler),
            concurrency=concurrency,
            stats=stats,
            **kwargs,
        )
        return [record async for record in batch]

    return asyncio.run(run()), stats


def test_articles_run_concurrently_and_keep_their_metadata() -> None:
    items = [{"id": f"a{i}", "text": ARTICLE, "source": "wikinews", "n": i} for i in range(8)]
    script = Script(latency=0.05)
    records, stats = collect(items, script, concurrency=4)
    assert sorted(r.id for r in records) == sorted(f"a{i}" for i in range(8))
    assert all(r.ok for r in records)
    assert script.most_open == 4
    by_id = {r.id: r for r in records}
    assert by_id["a3"].metadata == {"source": "wikinews", "n": 3}
    line = by_id["a3"].to_json()
    assert line["status"] == "ok" and line["error"] is None
    assert line["provenance"]["attempts"] == 1
    assert line["result"]["provenance"] == line["provenance"]
    assert by_id["a3"].result is not None
    assert assert_spans_slice_article(by_id["a3"].result, ARTICLE) > 0
    assert stats.done == 8 and stats.requests == 8 and stats.prompt_tokens > 0


class FreezeWatch(Script):
    """Notes how many objects the garbage collector has frozen when each request arrives."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.frozen: list[int] = []
        self.thresholds: list[tuple[int, int, int]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.frozen.append(gc.get_freeze_count())
        self.thresholds.append(gc.get_threshold())
        return await super().__call__(request)


def test_the_collector_is_tuned_only_while_runs_last() -> None:
    short, long = FreezeWatch(latency=0.01), FreezeWatch(latency=0.05)

    async def both() -> None:
        async def run(script: FreezeWatch, count: int) -> None:
            batch = extract_many(
                [ARTICLE] * count, settings=settings(), transport=httpx.MockTransport(script)
            )
            async for _ in batch:
                pass

        await asyncio.gather(run(short, 1), run(long, 12))

    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    asyncio.run(both())
    assert gc.get_freeze_count() == 0  # given back when the last run ended
    # young collections rarer while any run lasts (every article allocates thousands of
    # containers), the user's own thresholds back after the last
    assert gc.get_threshold() == before
    assert {t[0] for t in short.thresholds + long.thresholds} == {max(before[0], YOUNG_THRESHOLD)}
    # the modules, client and schemas: frozen from the first request to the last, including
    # the requests the longer run sent after the shorter one had finished
    assert len(long.frozen) == 12 and min(short.frozen + long.frozen) > 10_000


def test_unusable_articles_become_input_error_records() -> None:
    items = ["   ", {"id": 7}, {"text": ARTICLE}, ARTICLE]
    records, stats = collect(items, Script())
    by_id = {r.id: r for r in records}
    assert by_id["0"].error == {
        "kind": "input",
        "message": "the article is empty (nothing but whitespace)",
        "attempts": 0,
    }
    assert by_id["7"].error is not None and "missing text" in by_id["7"].error["message"]
    assert by_id["item 2"].error is not None and "missing id" in by_id["item 2"].error["message"]
    assert by_id["3"].ok
    assert stats.failures_by_kind == {"input": 3}
    assert by_id["0"].to_json()["provenance"]["model"] == "reference-answer"


def test_skipped_and_duplicate_ids_are_not_sent() -> None:
    items = [{"id": i, "text": ARTICLE} for i in ("a", "b", "c", "b")]
    script = Script()
    records, stats = collect(items, script, skip={"a"})
    assert sorted(r.id for r in records) == ["b", "c"]
    assert len(script.arrivals) == 2
    assert (stats.skipped, stats.duplicates) == (1, 1)


def test_a_429_pauses_every_worker_not_only_its_own() -> None:
    script = Script(latency=0.05, statuses={0: 429})
    records, _ = collect([ARTICLE] * 8, script, concurrency=4)
    assert len(records) == 8 and all(r.ok for r in records)
    limited_at = script.arrivals[0][0]
    later = [t for t, _ in script.arrivals[4:]]  # sent after the first four settled
    assert len(later) == 5  # four more articles and the retry of the limited one
    assert min(later) - limited_at >= 0.25  # Retry-After 0.3 held back the other workers too


def test_requests_per_minute_are_spread_out() -> None:
    script = Script()
    records, _ = collect([ARTICLE] * 30, script, concurrency=8, requests_per_minute=1200)
    assert len(records) == 30
    # 1200/min = 20/s with a one-second burst of 20: the last 10 wait about half a second.
    assert script.arrivals[-1][0] - script.arrivals[0][0] >= 0.4


def test_a_refused_key_stops_the_run() -> None:
    script = Script(statuses={n: 401 for n in range(100)})
    with pytest.raises(AuthenticationError):
        collect([ARTICLE] * 20, script, concurrency=2)
    assert len(script.arrivals) <= 4


def test_input_left_unread_is_closed_when_a_run_stops_early() -> None:
    closed = threading.Event()

    def lines() -> Any:
        try:
            for i in range(1000):
                yield {"id": str(i), "text": ARTICLE}
        finally:
            closed.set()  # what `with open(...)` in a reading generator relies on

    source = lines()  # still referenced here: only an explicit close() ends it

    async def run() -> int:
        batch = extract_many(source, settings=settings(), transport=httpx.MockTransport(Script()))
        seen = 0
        async for _ in batch:
            seen += 1
            batch.stop()
        return seen

    assert asyncio.run(run()) < 1000
    assert closed.wait(timeout=5)


def test_stop_lets_articles_in_flight_settle_and_takes_no_more() -> None:
    script = Script(latency=0.05)
    stats = BatchStats()

    async def run() -> list[BatchRecord]:
        batch = extract_many(
            (ARTICLE for _ in range(1000)),
            settings=settings(),
            transport=httpx.MockTransport(script),
            concurrency=2,
            stats=stats,
        )
        records = []
        async for record in batch:
            records.append(record)
            if len(records) == 3:
                batch.stop()
        return records

    records = asyncio.run(run())
    # at most what was in flight or already settled when it stopped: 2 workers, their results
    assert 3 <= len(records) <= 3 + 2 * 2 and all(r.ok for r in records)
    assert len(script.arrivals) == len(records) and stats.in_flight == 0  # nothing sent unsaved


def test_folder_and_jsonl_inputs_stream_items(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "a.md").write_text("first", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_bytes(b"\xff broken")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    items = list(iter_input(str(tmp_path)))
    assert [i.id for i in items] == ["a.md", "b.txt", "sub/c.txt"]
    assert items[0].text == "first" and items[0].metadata == {"path": str(tmp_path / "a.md")}
    assert items[2].problem is not None and "not valid UTF-8" in items[2].problem

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": "x", "text": "نص", "lang": "ar"}\n\n[1]\n', encoding="utf-8")
    first, second = iter_input(str(jsonl))
    assert (first.id, first.text, first.metadata) == ("x", "نص", {"lang": "ar"})
    assert second.id == "in.jsonl:3" and second.problem is not None


def test_scan_output_cuts_a_partial_last_line_and_last_line_wins(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [
        {"id": "a", "status": "error"},
        {"id": "b", "status": "ok"},
        {"id": "a", "status": "ok"},
        {"id": "c", "status": "error"},
    ]
    whole = "".join(json.dumps(line) + "\n" for line in lines)
    out.write_text(whole + '{"id": "d", "sta', encoding="utf-8")
    index = scan_output(out)
    assert out.read_text(encoding="utf-8") == whole
    assert index.repaired_bytes == len('{"id": "d", "sta')
    assert index.ok == {"a": True, "b": True, "c": False}
    assert index.skip_ids(retry_failed=False) == {"a", "b", "c"}
    assert index.skip_ids(retry_failed=True) == {"a", "b"}


def test_scan_output_reads_no_further_than_one_line_could_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An -o file with no line breaks (an image, a dump) is refused after one line's worth."""
    import agent.batch.io as batch_io

    monkeypatch.setattr(batch_io, "MAX_OUTPUT_LINE_BYTES", 1 << 20)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a", "status": "ok"}\n' + b"x" * (3 << 20))
    with pytest.raises(OutputError, match="has a line over 1 MiB: it holds no khabar result"):
        scan_output(out)
    assert out.stat().st_size == 28 + (3 << 20)  # nothing cut


def test_writer_leaves_only_whole_lines_when_the_disk_fills(tmp_path: Path) -> None:
    """A file size limit (RLIMIT_FSIZE) stands in for a full disk: short write, then EFBIG."""
    out = tmp_path / "out.jsonl"
    script = f"""
import resource, signal, sys
sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
from pathlib import Path
from agent.batch.io import ResultWriter
from agent.errors import KhabarError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
with ResultWriter(Path({str(out)!r})) as writer:
    try:
        for n in range(100):
            writer.write({{"id": str(n), "status": "ok", "pad": "و" * 40}})
    except KhabarError as exc:
        print(exc)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "re-run the same command to resume" in done.stdout
    data = out.read_bytes()
    assert 0 < len(data) <= 1000 and data.endswith(b"\n")
    assert all(json.loads(line)["status"] == "ok" for line in data.splitlines())


def test_writer_appends_one_line_per_record(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with ResultWriter(out) as writer:
        writer.write({"id": "1", "text": "القاهرة"})
    with ResultWriter(out) as writer:
        writer.write({"id": "2"})
    assert out.read_text(encoding="utf-8").splitlines() == [
        '{"id": "1", "text": "القاهرة"}',
        '{"id": "2"}',
    ]


class LocalEndpoint:
    """A real HTTP server on 127.0.0.1 that answers every chat completion with the clean answer.

    `fail` makes it answer HTTP 500 instead; `latency` delays each answer.
    """

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.fail = False
        self.requests = 0
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                with endpoint._lock:
                    endpoint.requests += 1
                    n = endpoint.requests
                time.sleep(endpoint.latency)
                if endpoint.fail:
                    status, payload = 500, {"error": {"message": "scripted failure"}}
                else:
                    status, payload = 200, answer_for(body, n)
                data = json.dumps(payload).encode()
                with contextlib.suppress(ConnectionError):  # the client was killed (Ctrl-C tests)
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> LocalEndpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_tokens_per_minute_hold_requests_back() -> None:
    script = Script()
    # Each request is about 2,600 tokens; 10,400 a second leaves 6 requests ~0.5 s short.
    # Unlimited, the six arrive within a few milliseconds of each other.
    records, stats = collect([ARTICLE] * 6, script, concurrency=6, tokens_per_minute=624_000)
    assert len(records) == 6 and stats.prompt_tokens + stats.completion_tokens > 12_000
    assert script.arrivals[-1][0] - script.arrivals[0][0] >= 0.3


def test_prices_match_dated_models_and_parse_overrides() -> None:
    assert price_for("gpt-4o-mini-2024-07-18") == PRICES["gpt-4o-mini"]
    assert price_for("openai/gpt-4.1-nano") == PRICES["gpt-4.1-nano"]
    assert price_for("llama3.1:8b") is None
    assert parse_price("0.15,0.60").cost(1_000_000, 500_000) == pytest.approx(0.45)
    for bad in ("0.15", "a,b", "-1,2"):
        with pytest.raises(ConfigError):
            parse_price(bad)
