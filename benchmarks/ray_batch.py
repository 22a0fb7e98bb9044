"""Ray engine throughput: `khabar batch` (one process) against Ray actors, same endpoint.

One endpoint process (benchmarks/_endpoint.py) answers after a short latency (50 ms), so one
khabar process at concurrency 64 is CPU-bound (64 / 0.05 s = 1,280 articles/s of endpoint
capacity, far above what one event loop extracts). Each engine runs in its own fresh interpreter:

- process: `extract_many` writing every record through `ResultWriter` (`khabar batch` without
  the display), concurrency 64.
- ray-N: `agent.ray.run.run_ray_batch` (`khabar batch --engine ray --actors N`) on a local Ray
  with N + 1 CPUs, each actor at concurrency 64, batches of 256, results written by the driver.

Each engine gets a fresh endpoint; throughput is counted from the first request the endpoint
received to the last result written (imports, Ray's start and the actors' start excluded, for
every engine). CPU per article is the CPU time of the engine's whole process tree (driver, Ray's
raylet and GCS, the actors; not the endpoint), sampled every 0.1 s, over the same interval,
divided by the articles settled.

    .venv/bin/python benchmarks/ray_batch.py            # 3,000 articles per engine
    .venv/bin/python benchmarks/ray_batch.py --quick    # 1,000 articles

On the 2-core machine the endpoint and Ray's own processes compete with the actors for the two
cores, so the second actor cannot add a whole core; the ratio is the figure to watch.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def endpoint(latency: float) -> Iterator[str]:
    args = [sys.executable, str(ROOT / "benchmarks" / "_endpoint.py"), "--latency", str(latency)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root` and every process below it, from /proc."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    total = 0.0
    for pid, seconds in cpu.items():
        walk = pid
        while walk > 1 and walk != root:
            walk = parents.get(walk, 0)
        if walk == root:
            total += seconds
    return total


class CpuSampler(threading.Thread):
    """Samples (wall clock, CPU seconds of this process tree) every 0.1 s while a run lasts."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.samples.append((time.time(), tree_cpu(os.getpid())))

    def stop(self) -> None:
        self.done.set()
        self.join()
        self.samples.append((time.time(), tree_cpu(os.getpid())))


def measure(base_url: str, sampler: CpuSampler, settled: int, done: int) -> dict[str, Any]:
    """Steady throughput and CPU: from the endpoint's first request to the last result."""
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats") as answer:
        first_at = float(json.load(answer)["first_at"])
    end, cpu_end = sampler.samples[-1]
    start_cpu = next((c for t, c in sampler.samples if t >= first_at), cpu_end)
    return {
        "done": done,
        "failed": settled - done,
        "per_second": settled / (end - first_at),
        "cpu_ms_per_article": 1000 * (cpu_end - start_cpu) / settled,
    }


def articles(n: int) -> list[dict[str, str]]:
    from benchmarks._endpoint import article

    text = article()
    return [{"id": f"a{i}", "text": text} for i in range(n)]


def settings_for(base_url: str) -> Any:
    from agent.settings import Settings

    return Settings(base_url=base_url, model="bench", api_key="bench", max_reasks=0)


def child_process(base_url: str, n: int, concurrency: int) -> dict[str, Any]:
    import asyncio

    from agent.batch.engine import BatchStats, extract_many
    from agent.batch.io import ResultWriter

    async def run(out: Path) -> BatchStats:
        stats = BatchStats()
        batch = extract_many(
            articles(n), settings=settings_for(base_url), concurrency=concurrency, stats=stats
        )
        with ResultWriter(out) as writer:
            async for record in batch:
                writer.write(record.to_json())
        return stats

    sampler = CpuSampler()
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        stats = asyncio.run(run(Path(tmp) / "out.jsonl"))
    sampler.stop()
    return measure(base_url, sampler, stats.settled, stats.done)


def child_ray(base_url: str, n: int, concurrency: int, actors: int) -> dict[str, Any]:
    import ray

    from agent.batch.transport import BatchStats
    from agent.ray.run import run_ray_batch

    ray.init(num_cpus=actors + 1, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    stats = BatchStats()
    sampler = CpuSampler()
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_text("".join(json.dumps(a) + "\n" for a in articles(n)), encoding="utf-8")
        run_ray_batch(
            str(source),
            Path(tmp) / "out.jsonl",
            settings_for(base_url),
            skip=frozenset(),
            stats=stats,
            actors=actors,
            concurrency=concurrency,
            batch_size=256,
        )
    sampler.stop()
    ray.shutdown()
    return measure(base_url, sampler, stats.settled, stats.done)


def limiter_cost(calls: int = 2000) -> dict[str, float]:
    """What one small limiter actor would cost: a caller actor awaits `calls` trivial calls to
    it, as a shared token bucket would need once per HTTP request."""
    import ray

    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)

    @ray.remote
    class Limiter:
        async def take(self, amount: float) -> float:
            return amount

    @ray.remote
    class Caller:
        async def run(self, limiter: Any, calls: int) -> dict[str, float]:
            await limiter.take.remote(1.0)  # connected
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(calls):
                await limiter.take.remote(1.0)
            return {
                "ms_per_call": 1000 * (time.perf_counter() - wall) / calls,
                "caller_cpu_ms_per_call": 1000 * (time.process_time() - cpu) / calls,
            }

    limiter = Limiter.remote()  # type: ignore[attr-defined]
    caller = Caller.remote()  # type: ignore[attr-defined]
    result: dict[str, float] = ray.get(caller.run.remote(limiter, calls))
    ray.shutdown()
    return result


def run_child(engine: str, base_url: str, n: int, concurrency: int, actors: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", engine, "--base-url", base_url]
    args += ["-n", str(n), "--concurrency", str(concurrency), "--actors", str(actors)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="articles per engine")
    parser.add_argument("--quick", action="store_true", help="1,000 articles per engine")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--actors", type=int, default=1, help="(child runs)")
    parser.add_argument("--child", choices=["process", "ray", "limiter"])
    parser.add_argument("--base-url")
    args = parser.parse_args()
    if args.child == "process":
        print(json.dumps(child_process(args.base_url, args.n, args.concurrency)))
        return
    if args.child == "ray":
        print(json.dumps(child_ray(args.base_url, args.n, args.concurrency, args.actors)))
        return
    if args.child == "limiter":
        print(json.dumps(limiter_cost()))
        return
    n = 1000 if args.quick else args.n
    print(
        f"{n} articles per engine, endpoint latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency} per process/actor, {os.cpu_count()} CPUs"
    )
    runs: dict[str, dict[str, Any]] = {}
    for name, engine, actors in (
        ("khabar batch (1 process)", "process", 1),
        ("ray, 1 actor", "ray", 1),
        ("ray, 2 actors", "ray", 2),
    ):
        with endpoint(args.latency) as base_url:  # a fresh endpoint: its first request starts
            runs[name] = run_child(engine, base_url, n, args.concurrency, actors)
    base = runs["khabar batch (1 process)"]["per_second"]
    print(f"{'engine':<26} {'articles/s':>11} {'vs 1 process':>13} {'CPU ms/article':>15}")
    for name, result in runs.items():
        lost = n - result["done"] - result["failed"]
        assert lost == 0 and result["failed"] == 0, (name, result)
        print(
            f"{name:<26} {result['per_second']:>11.1f} {result['per_second'] / base:>12.2f}x "
            f"{result['cpu_ms_per_article']:>15.2f}"
        )
    ratio = runs["ray, 2 actors"]["per_second"] / base
    print(f"2 actors / 1 process: {ratio:.2f}x (goal >= 1.7x)")
    cost = run_child("limiter", "", 0, 0, 0)
    per_article = runs["ray, 1 actor"]["cpu_ms_per_article"]
    print(
        f"a shared limiter actor would cost {cost['ms_per_call']:.2f} ms and "
        f"{cost['caller_cpu_ms_per_call']:.2f} ms of the actor's CPU per request "
        f"({100 * cost['caller_cpu_ms_per_call'] / per_article:.0f} % of an article's CPU); "
        "the even split costs nothing per request"
    )


if __name__ == "__main__":
    main()
