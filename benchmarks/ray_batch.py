"""Ray engine throughput: `khabar batch` (one process) against Ray actors, same endpoint.

One endpoint process (benchmarks/_endpoint.py) answers after a short latency (50 ms), so one
khabar process at concurrency 64 is CPU-bound (64 / 0.05 s = 1,280 articles/s of endpoint
capacity, far above what one event loop extracts). Each engine runs in its own fresh interpreter:

- process: `extract_many` writing every record through `ResultWriter` (`khabar batch` without
  the display), concurrency 64.
- ray-N: `agent.ray.run.run_ray_batch` (`khabar batch --engine ray --actors N`) on a local Ray
  started as the CLI starts it, each actor at concurrency 64, batches of 256 (two at a time per
  actor), results written by the driver.

- processes: two plain one-process runs side by side, each on half the articles, against the
  same endpoint: what two workers reach on this machine with no Ray at all (the ideal Ray is
  compared with: two cores busy at once cost each process more CPU per article than one busy core,
  and the two-actor ratio can be read against it).

Each round runs one process, the two actors, the two plain processes, one process again and one
actor: the two-actor and two-process throughputs are compared with the mean of the process runs
just before and after them, since this machine's speed drifts by up to a third over minutes with
nothing else running.

Each engine gets a fresh endpoint (`_endpoint.py --lean`: the same answers, serialised once, so
the endpoint takes as little of the shared cores as it can; its CPU is printed); throughput is
counted from the first request the endpoint received to the last result written (imports, Ray's
start, the actors' start and Ray Data's teardown excluded, for every engine). The CPU of every
process (endpoint, driver, each actor, raylet, GCS, Ray's daemons and helper actors) and of the
rest of the machine is sampled from /proc by this process, outside the trees it measures, over
the same interval (`_proc_cpu.py`), and printed in cores and ms per article settled.

    .venv/bin/python benchmarks/ray_batch.py                     # 3,000 articles per engine
    .venv/bin/python benchmarks/ray_batch.py --quick --repeat 3  # 1,000 articles, three rounds
    .venv/bin/python benchmarks/ray_batch.py --quick --detail    # each process, timelines
    .venv/bin/python benchmarks/ray_batch.py --sink              # the driver's CPU per line only

Two actors on the 2-core machine need both cores whole: the endpoint, the driver and Ray's own
processes take their share, and so does anything else running; the printed `other processes`
says how much a round lost to the rest of the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._proc_cpu import ProcSampler  # noqa: E402


@contextmanager
def endpoint(latency: float, lean: bool = True) -> Iterator[tuple[str, int]]:
    """The endpoint's base URL and pid."""
    args = [sys.executable, str(ROOT / "benchmarks" / "_endpoint.py"), "--latency", str(latency)]
    args += ["--lean"] if lean else []
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip(), process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def endpoint_stats(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats") as answer:
        stats: dict[str, Any] = json.load(answer)
    return stats


def group_of(*drivers: int) -> Callable[[int, str, str], str]:
    """Names a process by what it is: the endpoint, the engine's driver (or each of the plain
    processes), an actor, Ray's own."""

    def label(pid: int, root: str, command: str) -> str:
        if root == "endpoint":
            return "endpoint"
        if pid in drivers:
            return "driver"
        if "MapWorker" in command:
            return "actors"
        for daemon in ("raylet", "gcs_server"):
            if daemon in command.split(" ", 1)[0]:
                return daemon.removesuffix("_server")
        if command.startswith("ray::IDLE"):
            return "idle workers"
        if command.startswith("ray::") and "Agent" not in command:
            return "other ray workers"  # Ray Data's stats actor, read tasks
        return "ray daemons"  # dashboard head and agents, autoscaler monitor, log monitor

    return label


def each_actor(*drivers: int) -> Callable[[int, str, str], str]:
    """`group_of`, with each actor on its own (by pid)."""
    group = group_of(*drivers)

    def label(pid: int, root: str, command: str) -> str:
        name = group(pid, root, command)
        return f"actor {pid}" if name == "actors" else name

    return label


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

    with tempfile.TemporaryDirectory() as tmp:
        stats = asyncio.run(run(Path(tmp) / "out.jsonl"))
    return {"end": time.time(), "settled": stats.settled, "done": stats.done}


class _Same:
    def __call__(self, batch: Any) -> Any:
        return batch


def warm_up(ray: Any) -> None:
    """Start the helper actors Ray Data starts once per cluster (stats, autoscaling, actor
    locations): part of Ray's start, which is excluded for every engine, not of the run (they
    took 0.4 of a core for the measured run's first half second)."""
    dataset = ray.data.range(4).map_batches(
        _Same, compute=ray.data.ActorPoolStrategy(size=1), num_cpus=0.5
    )
    dataset.take_all()


def child_ray(base_url: str, n: int, concurrency: int, actors: int) -> dict[str, Any]:
    import ray

    from agent.batch.transport import BatchStats
    from agent.ray.run import run_ray_batch, start_ray

    start_ray(None, actors)  # as `khabar batch --engine ray --actors N` starts it
    warm_up(ray)
    stats = BatchStats()
    written = [0.0]  # when the last block was written (Ray Data's teardown comes after)

    def on_block() -> None:
        written[0] = time.time()

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
            on_block=on_block,
        )
        returned = time.time()
    time.sleep(0.3)  # the parent's sampler sees every process alive at the end
    ray.shutdown()
    result = {"end": written[0], "settled": stats.settled, "done": stats.done}
    return result | {"teardown_s": returned - written[0]}


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


def sink_cost(rows: int = 256, repeats: int = 7) -> dict[str, float]:
    """The driver's CPU per JSONL line for one block of the seed article's golden result (a
    real article's size, larger than this benchmark's answers): the round trip it used to make
    (parse each row's JSON text, serialise the line) against `OutputSink`'s spliced line,
    side by side, best of `repeats`."""
    import tempfile

    import pyarrow as pa

    from agent.batch.parquet import record_from_row, record_schema
    from agent.ray.sink import OutputSink, _as_record_row, _record_table

    golden = json.loads((ROOT / "fixtures/cases/seed_military_visit/golden.json").read_text())
    result = json.dumps(golden.get("result", golden), ensure_ascii=False)
    provenance = json.dumps({"model": "m", "endpoint": "localhost", "duration_s": 1.2})
    table = pa.table(
        {
            "id": [f"a{i}" for i in range(rows)],
            "status": ["ok"] * rows,
            "problems_left": pa.array([0] * rows, type=pa.int64()),
            "result": [result] * rows,
            "error": pa.array([None] * rows, type=pa.string()),
            "provenance": [provenance] * rows,
            "metadata": ['{"source": "wire"}'] * rows,
        }
    )
    best = {name: float("inf") for name in ("round trip", "spliced", "parquet trip", "parquet")}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(repeats):
            started = time.process_time()
            with open(Path(folder) / f"old{repeat}.jsonl", "w", encoding="utf-8") as old:
                for row in table.to_pylist():
                    old.write(json.dumps(record_from_row(row), ensure_ascii=False) + "\n")
            best["round trip"] = min(best["round trip"], time.process_time() - started)
            started = time.process_time()
            with OutputSink(Path(folder) / f"new{repeat}.jsonl") as sink:
                sink.write_block(table)
            best["spliced"] = min(best["spliced"], time.process_time() - started)
            started = time.process_time()  # Parquet: each row's part rebuilt, or the columns
            trip = [_as_record_row(row) for row in table.to_pylist()]
            pa.Table.from_pylist(trip, schema=record_schema())
            best["parquet trip"] = min(best["parquet trip"], time.process_time() - started)
            started = time.process_time()
            _record_table(table)
            best["parquet"] = min(best["parquet"], time.process_time() - started)
    return {name: 1000 * seconds / rows for name, seconds in best.items()} | {
        "result_chars": float(len(result))
    }


def run_engine(
    engine: str,
    latency: float,
    n: int,
    concurrency: int,
    actors: int,
    *,
    lean: bool = True,
    detail: bool = False,
) -> dict[str, Any]:
    """One engine in a fresh interpreter against a fresh endpoint; throughput and CPU are taken
    from the endpoint's first request to the last result written."""
    # "processes": `actors` plain one-process runs side by side, each on its share of the n
    # articles, against the one endpoint: two cores' worth of khabar with no Ray at all
    plain = engine == "processes"
    shares = [n // actors + (i < n % actors) for i in range(actors)] if plain else [n]
    child_engine = "process" if plain else engine
    with endpoint(latency, lean) as (base_url, endpoint_pid):
        children = []
        for share in shares:
            args = [sys.executable, __file__, "--child", child_engine, "--base-url", base_url]
            args += ["-n", str(share), "--concurrency", str(concurrency), "--actors", str(actors)]
            children.append(
                subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            )
        roots = {endpoint_pid: "endpoint", **{child.pid: "engine" for child in children}}
        sampler = ProcSampler(roots)
        sampler.start()
        results = []
        for child in children:
            out, err = child.communicate()
            if child.returncode != 0:
                sampler.stop()
                for sibling in children:  # a plain process left running would hold the cores
                    sibling.kill()
                raise SystemExit(f"{engine} run failed:\n{err[-3000:]}")
            results.append(json.loads(out.strip().splitlines()[-1]))
        sampler.stop()
        first_at = float(endpoint_stats(base_url)["first_at"])
    result: dict[str, Any] = {
        "end": max(r["end"] for r in results),  # the last process to finish ends the run
        "settled": sum(r["settled"] for r in results),
        "done": sum(r["done"] for r in results),
    }
    drivers = [child.pid for child in children]
    wall, groups = sampler.split(first_at, result["end"], group_of(*drivers))
    settled = result["settled"]
    result["per_second"] = settled / (result["end"] - first_at)
    machine = groups.pop("machine")
    groups["other processes"] = max(0.0, machine - sum(groups.values()))  # not this benchmark's
    result["cores"] = {name: seconds / wall for name, seconds in groups.items()}
    result["ms_per_article"] = {name: 1000 * s / settled for name, s in groups.items()}
    if detail:  # every process on its own line
        _, each = sampler.split(first_at, result["end"], lambda pid, _, cmd: f"{pid} {cmd[:70]}")
        for name, seconds in sorted(each.items(), key=lambda item: -item[1]):
            if seconds > 0:
                print(f"  {engine} x{actors}: {seconds / wall:5.2f} cores  {name}")
        step, at = 0.5, first_at  # and the cores each group used, half a second at a time
        while at < result["end"]:
            span, part = sampler.split(at, min(at + step, result["end"]), each_actor(*drivers))
            part["other processes"] = part.pop("machine") - sum(part.values())
            cells = " ".join(f"{g}={c / span:.2f}" for g, c in sorted(part.items()) if c > 0.005)
            print(f"  {engine} x{actors} +{at - first_at:4.1f}s: {cells}")
            at += step
    return result


def run_child(engine: str) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", engine]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


ORDER = (
    "endpoint",
    "driver",
    "actors",
    "raylet",
    "gcs",
    "ray daemons",
    "other ray workers",
    "idle workers",
    "sampler",
    "other processes",
)
ENGINE_SIDE = frozenset(ORDER) - {"endpoint", "sampler", "other processes"}


def print_split(runs: dict[str, dict[str, Any]]) -> None:
    """CPU per process group: cores used over the measured interval, and ms per article."""
    names = list(runs)
    print("\nCPU per process, cores used (ms per article):")
    width = max(26, *(len(name) + 2 for name in names))  # a column per run, names apart
    print(f"{'':<20}" + "".join(f"{name:>{width}}" for name in names))
    for group in ORDER:
        if not any(group in run["cores"] for run in runs.values()):
            continue
        cells = []
        for run in runs.values():
            cores = run["cores"].get(group, 0.0)
            ms = run["ms_per_article"].get(group, 0.0)
            cells.append(f"{cores:>14.2f} ({ms:>5.2f} ms)")
        print(f"{group:<20}" + "".join(f"{cell:>{width}}" for cell in cells))
    totals = []
    for run in runs.values():
        cores = sum(c for g, c in run["cores"].items() if g in ENGINE_SIDE)
        ms = sum(m for g, m in run["ms_per_article"].items() if g in ENGINE_SIDE)
        totals.append(f"{cores:>14.2f} ({ms:>5.2f} ms)")
    print(f"{'engine, all':<20}" + "".join(f"{cell:>{width}}" for cell in totals))
    ours = [
        f"{sum(c for g, c in run['cores'].items() if g != 'other processes'):>14.2f}{'':>11}"
        for run in runs.values()
    ]
    print(f"{'this benchmark':<20}" + "".join(f"{cell:>{width}}" for cell in ours))


def capacity(run: dict[str, Any], workers: int) -> float:
    """Articles/s the CPU per article allows on an otherwise idle machine: each worker process
    (the one process, or each actor) at most one core, and everything this benchmark runs
    (endpoint, sampler, Ray's processes) within the machine's cores."""
    ms = run["ms_per_article"]
    worker = ms["actors"] if "actors" in ms else ms["driver"]
    everything = sum(m for g, m in ms.items() if g != "other processes")
    return min(workers * 1000 / worker, (os.cpu_count() or 1) * 1000 / everything)


ONE_PROCESS = "khabar batch (1 process)"
TWO_PROCESSES = "2 plain processes (no Ray)"
ROUND = (  # the two actors bracketed by one process before and after: the machine's speed drifts
    ("khabar batch (1 process, before)", "process", 1),  # over minutes, so the ratio takes the
    ("ray, 2 actors", "ray", 2),  # mean of the runs either side of the one it is compared with
    (TWO_PROCESSES, "processes", 2),  # the ideal: two plain processes, each on half, no Ray
    ("khabar batch (1 process, after)", "process", 1),
    ("ray, 1 actor", "ray", 1),
)


def run_round(args: argparse.Namespace, n: int) -> dict[str, dict[str, Any]]:
    """The engines one after another, each on a fresh endpoint; prints their figures. The
    `ONE_PROCESS` entry is the mean of the two process runs around the two actors'."""
    runs: dict[str, dict[str, Any]] = {}
    for name, engine, actors in ROUND:
        runs[name] = run_engine(
            engine,
            args.latency,
            n,
            args.concurrency,
            actors,
            lean=not args.aiohttp_endpoint,
            detail=args.detail,
        )
    before, after = (runs[name] for name, engine, _ in ROUND if engine == "process")
    runs[ONE_PROCESS] = _mean_run(before, after)
    base = runs[ONE_PROCESS]["per_second"]
    print(
        f"{'engine':<33} {'articles/s':>11} {'vs 1 process':>13} {'engine CPU ms/article':>22}"
        f" {'other processes':>16}"
    )
    for name, result in runs.items():
        lost = n - result["settled"]
        assert lost == 0 and result["settled"] == result["done"], (name, result)
        engine_ms = sum(m for g, m in result["ms_per_article"].items() if g in ENGINE_SIDE)
        print(
            f"{name:<33} {result['per_second']:>11.1f} {result['per_second'] / base:>12.2f}x "
            f"{engine_ms:>22.2f} {result['cores']['other processes']:>10.2f} cores"
        )
    print_split(runs)
    return runs


def _mean_run(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two runs of one engine as one: mean throughput, mean CPU per article and cores."""

    def mean(x: dict[str, float], y: dict[str, float]) -> dict[str, float]:
        return {k: (x.get(k, 0.0) + y.get(k, 0.0)) / 2 for k in {*x, *y}}

    return {
        **a,
        "per_second": (a["per_second"] + b["per_second"]) / 2,
        "cores": mean(a["cores"], b["cores"]),
        "ms_per_article": mean(a["ms_per_article"], b["ms_per_article"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="articles per engine")
    parser.add_argument("--quick", action="store_true", help="1,000 articles per engine")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--actors", type=int, default=1, help="(child runs)")
    parser.add_argument("--child", choices=["process", "ray", "limiter"])
    parser.add_argument("--base-url")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three engines")
    parser.add_argument("--detail", action="store_true", help="print every process's CPU")
    parser.add_argument("--sink", action="store_true", help="only the driver's cost per line")
    parser.add_argument(
        "--aiohttp-endpoint", action="store_true", help="the aiohttp endpoint, not the lean one"
    )
    args = parser.parse_args()
    if args.child == "process":
        print(json.dumps(child_process(args.base_url, args.n, args.concurrency)))
        return
    if args.child == "ray":
        print(json.dumps(child_ray(args.base_url, args.n, args.concurrency, args.actors)))
        return
    if args.sink:
        print_sink_cost()
        return
    if args.child == "limiter":
        print(json.dumps(limiter_cost()))
        return
    n = 1000 if args.quick else args.n
    print(
        f"{n} articles per engine, endpoint latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency} per process/actor, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    ratios: list[float] = []
    ideals: list[float] = []
    for repeat in range(args.repeat):
        if args.repeat > 1:
            print(f"\nround {repeat + 1} of {args.repeat} (load average {os.getloadavg()[0]:.2f})")
        runs = run_round(args, n)
        ratio = runs["ray, 2 actors"]["per_second"] / runs[ONE_PROCESS]["per_second"]
        ratios.append(ratio)
        print(f"\n2 actors / 1 process: {ratio:.2f}x (goal >= 1.7x)")
        ideal = runs[TWO_PROCESSES]["per_second"] / runs[ONE_PROCESS]["per_second"]
        ideals.append(ideal)
        print(
            f"2 plain processes / 1 process: {ideal:.2f}x (what two workers reach on this "
            f"machine with no Ray); 2 actors / 2 plain processes: {ratio / ideal:.2f}"
        )
        bound = capacity(runs["ray, 2 actors"], 2) / capacity(runs[ONE_PROCESS], 1)
        print(
            f"the same from CPU per article, had this benchmark the {os.cpu_count()} cores to "
            f"itself (derived, not measured): {bound:.2f}x"
        )
    if args.repeat > 1:
        listed = ", ".join(f"{r:.2f}x" for r in ratios)
        print(
            f"\n2 actors / 1 process over {args.repeat} rounds: {listed}; median "
            f"{statistics.median(ratios):.2f}x"
        )
        listed = ", ".join(f"{r:.2f}x" for r in ideals)
        print(
            f"2 plain processes / 1 process: {listed}; median {statistics.median(ideals):.2f}x; "
            "2 actors / 2 plain processes: "
            + ", ".join(f"{r / i:.2f}" for r, i in zip(ratios, ideals, strict=True))
        )
    cost = run_child("limiter")
    per_article = runs["ray, 1 actor"]["ms_per_article"].get("actors", 0.0)  # the last round
    print(
        f"a shared limiter actor would cost {cost['ms_per_call']:.2f} ms and "
        f"{cost['caller_cpu_ms_per_call']:.2f} ms of the actor's CPU per request "
        f"({100 * cost['caller_cpu_ms_per_call'] / per_article:.0f} % of an article's CPU); "
        "the even split costs nothing per request"
    )
    print_sink_cost()


def print_sink_cost() -> None:
    sink = sink_cost()
    print(
        f"the driver writing a line of a {sink['result_chars']:,.0f}-character result: "
        f"{sink['spliced']:.3f} ms CPU spliced, {sink['round trip']:.3f} ms parsed and "
        f"serialised again ({sink['round trip'] / sink['spliced']:.1f}x); the writing alone "
        f"takes a driver core at {1000 / sink['spliced']:,.0f} such lines/s"
    )
    print(
        f"Parquet output, shaping a row for the part (the part's own write not counted): "
        f"{sink['parquet']:.3f} ms as columns, {sink['parquet trip']:.3f} ms rebuilt row by "
        f"row ({sink['parquet trip'] / sink['parquet']:.0f}x)"
    )


if __name__ == "__main__":
    main()
