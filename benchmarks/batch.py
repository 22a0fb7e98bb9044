"""Batch throughput: khabar against the ideal and against google's langextract, same endpoint.

One local endpoint process (benchmarks/_endpoint.py) answers after a fixed latency; each engine
runs in its own fresh interpreter against it with the same articles and concurrency, so neither
pays for the other's imports or garbage. Throughput is counted from the first article sent to the
last result received (imports and a one-article warm-up excluded, for both engines).

- ideal = concurrency / latency (32 / 0.2 s = 160 articles/s)
- khabar: `extract_many` writing every record through `ResultWriter` (the `khabar batch` path,
  minus the display), shared retry policy; then the same with 5 % of requests answered 429,
  checking that no article is lost.
- langextract: `lx.extract` over the same documents with its OpenAI provider pointed at the same
  base URL, `max_workers` = `batch_length` = concurrency, JSON without fences or schema
  constraints, one chunk per article (`max_char_buffer` above the article length).

    .venv/bin/python benchmarks/batch.py            # 1,000 articles, ~2 min
    .venv/bin/python benchmarks/batch.py --quick    # 300 articles

A shared 2-core machine moves one run's throughput by several points either way, so khabar's run
without 429s is repeated (`--repeat`, default 3) and the median is reported next to every run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def endpoint(latency: float, rate_limited: float) -> Iterator[str]:
    args = [sys.executable, str(ROOT / "benchmarks" / "_endpoint.py"), "--latency", str(latency)]
    args += ["--rate-limited", str(rate_limited)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_child(engine: str, base_url: str, n: int, concurrency: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", engine, "--base-url", base_url]
    args += ["-n", str(n), "--concurrency", str(concurrency)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child_khabar(base_url: str, n: int, concurrency: int) -> dict[str, Any]:
    import asyncio

    from agent.batch.engine import BatchStats, extract_many
    from agent.batch.io import ResultWriter
    from agent.settings import Settings
    from benchmarks._endpoint import article

    text = article()
    settings = Settings(base_url=base_url, model="gpt-4o-mini", transport_attempts=8)

    async def run(count: int, out: Path) -> tuple[int, set[str], BatchStats]:
        stats = BatchStats()
        items = ({"id": f"a{i}", "text": text} for i in range(count))
        ids: set[str] = set()
        ok = 0
        with ResultWriter(out) as writer:
            async for record in extract_many(
                items, settings=settings, concurrency=concurrency, stats=stats
            ):
                writer.write(record.to_json())
                ids.add(record.id)
                ok += record.ok
        return ok, ids, stats

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(1, Path(folder) / "warm.jsonl"))
        started = time.perf_counter()
        cpu = time.process_time()
        ok, ids, stats = asyncio.run(run(n, Path(folder) / "out.jsonl"))
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        lines = (Path(folder) / "out.jsonl").read_bytes().count(b"\n")
    return {
        "ok": ok,
        "unique_ids": len(ids),
        "lines": lines,
        "wall_s": wall,
        "cpu_ms_per_article": 1000 * cpu / n,
        "requests": stats.requests,
    }


def child_langextract(base_url: str, n: int, concurrency: int) -> dict[str, Any]:
    import warnings

    import langextract as lx
    from langextract.providers.openai import OpenAILanguageModel

    from benchmarks._endpoint import article

    warnings.simplefilter("ignore")
    text = article()
    examples = [
        lx.data.ExampleData(
            text="The Foreign Ministry said the talks would resume in Cairo.",
            extractions=[
                lx.data.Extraction("organization", "Foreign Ministry", attributes={"role": "x"})
            ],
        )
    ]

    def run(count: int) -> list[Any]:
        model = OpenAILanguageModel(
            model_id="gpt-4o-mini", api_key="bench", base_url=base_url, max_workers=concurrency
        )
        documents = [lx.data.Document(text=text, document_id=f"a{i}") for i in range(count)]
        result: list[Any] = lx.extract(
            text_or_documents=documents,
            prompt_description="Extract the organisations named in the article.",
            examples=examples,
            model=model,
            fence_output=False,
            use_schema_constraints=False,
            max_workers=concurrency,
            batch_length=concurrency,
            max_char_buffer=len(text) + 1000,
            show_progress=False,
        )
        return result

    run(1)
    started = time.perf_counter()
    cpu = time.process_time()
    documents = run(n)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    ok = sum(1 for doc in documents if doc.extractions)
    return {
        "ok": ok,
        "unique_ids": len({doc.document_id for doc in documents}),
        "lines": len(documents),
        "wall_s": wall,
        "cpu_ms_per_article": 1000 * cpu / n,
        "requests": None,
    }


def endpoint_floor(base_url: str, n: int, concurrency: int) -> float:
    """Requests per second a do-nothing aiohttp client gets from the endpoint: the real ceiling."""
    import asyncio

    import aiohttp

    body = {"model": "bench", "messages": [{"role": "user", "content": "x"}], "tools": [
        {"type": "function", "function": {"name": "ExtractionDraft", "parameters": {}}}
    ], "tool_choice": {"type": "function", "function": {"name": "ExtractionDraft"}}}  # fmt: skip

    async def blast() -> float:
        gate = asyncio.Semaphore(concurrency)
        async with aiohttp.ClientSession() as session:

            async def one() -> None:
                async with gate, session.post(f"{base_url}/chat/completions", json=body) as r:
                    await r.read()

            started = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(n)))
            return n / (time.perf_counter() - started)

    return asyncio.run(blast())


def main() -> None:
    parser = argparse.ArgumentParser(description="khabar batch throughput vs ideal and langextract")
    parser.add_argument("-n", type=int, default=1000, help="articles per run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--quick", action="store_true", help="300 articles")
    parser.add_argument(
        "--repeat", type=int, default=3, help="khabar runs without 429s (the median is reported)"
    )
    parser.add_argument("--child", choices=["khabar", "langextract"])
    parser.add_argument("--base-url")
    args = parser.parse_args()
    if args.child:
        if args.child == "langextract":
            figures = child_langextract(args.base_url, args.n, args.concurrency)
        else:
            figures = child_khabar(args.base_url, args.n, args.concurrency)
        print(json.dumps(figures))
        return

    n = 300 if args.quick else args.n
    ideal = args.concurrency / args.latency
    runs = [("khabar", 0.0)] * args.repeat + [("langextract", 0.0), ("khabar", 0.05)]
    runs += [("langextract", 0.05)]
    if importlib.util.find_spec("langextract") is None:
        print("langextract is not installed (pip install -e '.[bench]'): khabar only")
        runs = [run for run in runs if run[0] == "khabar"]
    print(
        f"{n:,} articles, latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}, "
        f"ideal {ideal:.0f} articles/s, {sys.platform}, python {sys.version.split()[0]}"
    )
    header = ("engine", "429s", "art/s", "of ideal", "ok", "lost", "cpu ms/art")
    print("{:<13} {:>5} {:>7} {:>8} {:>6} {:>5} {:>10}".format(*header))
    with endpoint(args.latency, 0.0) as base_url:
        floor = endpoint_floor(base_url, n, args.concurrency)
    print(
        f"{'bare aiohttp':<13} {0:>5.0%} {floor:>7.1f} {floor / ideal:>8.0%}   (the endpoint's "
        "own ceiling: a client that does nothing but send and read)"
    )
    rates: dict[tuple[str, float], list[float]] = {}
    for engine, limited in runs:
        with endpoint(args.latency, limited) as base_url:
            figures = run_child(engine, base_url, n, args.concurrency)
        rate = n / figures["wall_s"]
        rates.setdefault((engine, limited), []).append(rate)
        lost = n - figures["unique_ids"]
        print(
            f"{engine:<13} {limited:>5.0%} {rate:>7.1f} {rate / ideal:>8.0%} {figures['ok']:>6} "
            f"{lost:>5} {figures['cpu_ms_per_article']:>10.1f}",
            flush=True,
        )
    repeated = rates[("khabar", 0.0)]
    if len(repeated) > 1:
        middle = statistics.median(repeated)
        print(
            f"khabar at 0% 429s, median of {len(repeated)} runs: {middle:.1f} articles/s, "
            f"{middle / ideal:.0%} of ideal (runs {min(repeated) / ideal:.0%} to "
            f"{max(repeated) / ideal:.0%})"
        )
    for limited in (0.0, 0.05):
        if ("langextract", limited) not in rates:
            continue
        khabar = statistics.median(rates[("khabar", limited)])
        ratio = khabar / statistics.median(rates[("langextract", limited)])
        print(f"khabar / langextract throughput at {limited:.0%} 429s: {ratio:.2f}x")


if __name__ == "__main__":
    main()
