"""`khabar batch --engine ray`: the same batch, extracted by a pool of Ray actors.

The driver reads what the output already holds and filters those ids out before anything is
scheduled; the actors (`KhabarStage`) extract; the driver writes every block as it arrives, in
the output's format (JSONL lines through `ResultWriter`, or one whole Parquet part per block),
so a killed run loses at most the blocks in flight and a re-run completes it. Ray retries the
task of an actor that died, and the driver writes an id at most once per run, so the output
holds every id exactly once.

Input: a Parquet file or folder is read by Ray's own workers (`read_parquet`: lazily, in
parallel, also from object storage on a cluster); a JSONL file or a folder of articles is read by
the driver with the same reader as the single-process engine (same ids, same input errors) and
handed to Ray as one in-memory dataset, which suits inputs that fit in the driver's memory.

Limits: `--rpm`/`--tpm` are the run's budget; each of the N actors gets 1/N of it. The actors
work at the same pace on same-sized batches, so an even split spends nearly all the budget and
never more, with no per-request call to a shared limiter actor (which would cost a Ray call on
every HTTP request); see the README's measurements.
"""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.batch.io import iter_input
from agent.batch.parquet import (
    is_parquet,
    parquet_input_problem,
)
from agent.batch.transport import BatchStats
from agent.errors import ConfigError, InputError, KhabarError
from agent.ray.cluster import join_cluster
from agent.ray.sink import OutputSink
from agent.ray.stage import PROBLEM_COLUMN, KhabarStage
from agent.settings import Settings

if TYPE_CHECKING:
    import httpx2 as httpx
    import pyarrow as pa

INSTALL_HINT = "--engine ray needs Ray: pip install 'khabar[ray]'"

# Batches an actor works on at once, and is given at once. With one, the actor's event loop
# drains to zero at the end of every batch (the last articles wait for the endpoint while nothing
# new starts) and the next batch's rows come in only after; with two, the next batch's articles
# are queued for the actor's workers (`ActorRun`) while this one ends, so the loop stays full
# between batches. None waits beyond those two (Ray's default queues two more per actor): at the
# end of a run an actor with blocks still queued works alone while the others have none.
BATCHES_PER_ACTOR = 2
ACTOR_START_SECONDS = 600  # a cluster may add nodes for the actors; past this, one clear error


def import_ray() -> Any:
    """The ray module with Ray Data, or a one-line error naming the extra."""
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return ray


def start_ray(address: str | None, actors: int, *, quiet: bool = False) -> None:
    """Join the cluster at `address` (or at RAY_ADDRESS, as `ray job submit` sets it), or start
    a local Ray with a CPU per actor and one more for reading and writing (Ray counts CPUs as
    slots: an actor holds one for its lifetime). The local one is always new: Ray's own default
    would join whatever cluster `/tmp/ray/ray_current_cluster` names, even one long stopped.
    `quiet` (the CLI without --debug): Ray's own console logs and warnings are not printed, so
    a failure is khabar's one line; Ray still writes its session logs."""
    ray = import_ray()
    if ray.is_initialized():
        return
    if quiet:
        _quiet_ray_core()
    level = logging.ERROR if quiet else logging.INFO
    from_env = os.environ.get("RAY_ADDRESS", "").strip()
    if address or from_env:
        named = "--ray-address " if address else "RAY_ADDRESS="
        join_cluster(ray, address or from_env, named, logging_level=level)
    else:
        cpus = max(os.cpu_count() or 1, actors + 1)
        ray.init(
            address="local",
            num_cpus=cpus,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=level,
        )
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    if quiet:
        _quiet_ray_data()


def _quiet_ray_core() -> None:
    """Before `ray.init`: the C++ core worker's log lines (an actor's "constructor arguments in
    the object store", an error-level line every run) and Ray's Python warnings ("minimum
    number of concurrent actors") stay off the terminal; Ray then prints the one line "Set ray
    log level from environment variable". A level the user set is kept."""
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    warnings.filterwarnings("ignore", module=r"ray(\.|$)")


def _quiet_ray_data() -> None:
    """Ray Data logs each run's plan and, on a failure, the traceback, to the console and to the
    session's ray-data.log: keep the file, mute the console (Ray configures it on import)."""
    for handler in logging.getLogger("ray.data").handlers:
        if type(handler).__name__ != "SessionFileHandler":
            handler.setLevel(logging.CRITICAL + 1)


def _prepare(batch: pa.Table, done: frozenset[str]) -> pa.Table:
    """Parquet input in the stage's shape: ids as text, other columns packed as `metadata`
    (JSON text, as a batch line's), and ids already in the output dropped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = batch.column_names
    rows = batch.num_rows
    ids = (
        pc.cast(batch.column("id"), pa.string())
        if "id" in names
        else pa.nulls(rows, type=pa.string())
    )
    text = batch.column("text") if "text" in names else pa.nulls(rows, type=pa.string())
    others = [n for n in names if n not in ("id", "text")]
    packed = [
        json.dumps(row, ensure_ascii=False, default=str) for row in batch.select(others).to_pylist()
    ]
    table = pa.table({"id": ids, "text": text, "metadata": pa.array(packed, type=pa.string())})
    if done:
        keep = pc.invert(pc.is_in(ids, value_set=pa.array(sorted(done), type=pa.string())))
        table = table.filter(pc.fill_null(keep, True))
    return table


def _rows_from_items(
    source: str, skip: frozenset[str], stats: BatchStats, max_chars: int
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in iter_input(source, max_chars):
        if item.id in skip:
            stats.skipped += 1
            continue
        if item.id in seen:
            stats.duplicates += 1
            continue
        seen.add(item.id)
        rows.append(
            {
                "id": item.id,
                "text": item.text,
                "metadata": json.dumps(item.metadata, ensure_ascii=False),
                PROBLEM_COLUMN: item.problem,
            }
        )
    return rows


def build_dataset(
    source: str,
    settings: Settings,
    *,
    skip: frozenset[str],
    stats: BatchStats,
    actors: int,
    concurrency: int,
    batch_size: int,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
    outage_seconds: float = 120.0,
    stage: type[KhabarStage] = KhabarStage,
    stage_options: Mapping[str, Any] | None = None,
) -> Any:
    """The lazy Ray dataset of result rows for `source`, ids in `skip` filtered out first."""
    ray = import_ray()
    # An actor's KhabarError reaches the driver as itself (inside Ray's RayTaskError), not as
    # Ray Data's generic "UDF failed", so the CLI can print its one line and exit with its code.
    context = ray.data.DataContext.get_current()
    context.raise_original_map_exception = True
    # Every actor up before the first block is handed out: else the first actor to start takes
    # its blocks while the others are still importing, and a short run is done mostly by one
    # actor (Ray's default dispatches to whichever actor is ready). A wait the user set is kept.
    if context.wait_for_min_actors_s <= 0:
        context.wait_for_min_actors_s = ACTOR_START_SECONDS
    if is_parquet(source) and source != "-":
        if not Path(source).exists() and "://" not in source:
            raise InputError(f"{source}: no such file or folder")
        dataset = _read_parquet(ray, source, actors).map_batches(
            _prepare, fn_kwargs={"done": skip}, batch_format="pyarrow"
        )
    else:
        rows = _rows_from_items(source, skip, stats, settings.max_chars)
        if not rows:
            return None
        dataset = ray.data.from_items(rows)
    share = max(1, actors)
    return dataset.map_batches(
        stage,
        fn_constructor_kwargs={
            "settings": settings,
            "concurrency": concurrency,
            "requests_per_minute": requests_per_minute / share if requests_per_minute else None,
            "tokens_per_minute": tokens_per_minute / share if tokens_per_minute else None,
            "transport": transport,
            "outage_seconds": outage_seconds,
            **(stage_options or {}),
        },
        compute=ray.data.ActorPoolStrategy(
            size=actors,
            max_concurrent_calls_per_actor=BATCHES_PER_ACTOR,
            max_tasks_in_flight_per_actor=BATCHES_PER_ACTOR,
        ),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=actor_cpus(ray, actors),
    )


def _read_parquet(ray: Any, source: str, actors: int) -> Any:
    """Ray's lazy Parquet dataset, or one `InputError`: Ray reads every file's schema here, so
    a file that is not Parquet, a folder with none, or a missing column fails before any work."""
    try:
        # blocks for every actor even from one file (Ray splits a file's rows into blocks)
        dataset = ray.data.read_parquet(source, override_num_blocks=8 * actors)
    except Exception as exc:  # pyarrow's ArrowInvalid, Ray's ValueError("no files found")
        raise parquet_input_problem(source, exc) from None
    schema = dataset.schema(fetch_if_missing=False)
    names = list(schema.names) if schema is not None else ["id", "text"]
    missing = [name for name in ("id", "text") if name not in names]
    if missing:
        raise InputError(
            f"{source} has no {' or '.join(missing)} column (its columns: "
            f"{', '.join(names) or 'none'}); batch needs id and text"
        )
    return dataset


def actor_cpus(ray: Any, actors: int) -> float:
    """One CPU per actor, unless that would leave none for Ray's read and write tasks (two
    actors on a 2-CPU Ray): then the actors share all CPUs but one. Ray's CPUs are slots for
    scheduling, not a cap on what a process uses."""
    total = float(ray.cluster_resources().get("CPU", actors + 1))
    if total >= actors + 1:
        return 1.0
    return max(0.1, (total - 1) / actors)


def iter_result_blocks(dataset: Any) -> Iterator[pa.Table]:
    """The result blocks as they finish; a khabar error in an actor is raised here as itself."""
    try:
        yield from dataset.iter_batches(batch_size=None, batch_format="pyarrow")
    except KhabarError as exc:  # Ray's wrapper is a KhabarError too, with Ray's message
        raise (_khabar_cause(exc) or exc) from None
    except Exception as exc:
        if type(exc).__name__ == "GetTimeoutError" and "starting actors" in str(exc):
            waited = import_ray().data.DataContext.get_current().wait_for_min_actors_s
            raise ConfigError(
                f"Ray did not start every actor in {waited} s: the cluster may not have a "
                "CPU for each of --actors; try fewer"
            ) from None
        cause = _khabar_cause(exc) or _read_failure(exc)
        if cause is None:
            raise
        raise cause from None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then every one behind it (cause, context, and a `RayTaskError`'s
    `cause`), each once."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend([current.__cause__, current.__context__, getattr(current, "cause", None)])


def _read_failure(exc: BaseException) -> InputError | None:
    """A Parquet file whose footer reads but whose data does not (a corrupt page): Ray's read
    task fails mid-run, a `RayTaskError` around pyarrow's error and three tracebacks."""
    task_error = import_ray().exceptions.RayTaskError
    for current in _chain(exc):
        if isinstance(current, task_error) and "ray::Read" in str(current):
            text = str(getattr(current, "cause", None) or "").strip()
            reason = text.splitlines()[0] if text else "its read task failed"
            fragment = re.search(r"Failed to read fragment (\S+)", text)
            where = fragment.group(1) if fragment else "the input"
            return InputError(f"cannot read {where}: {reason}")
    return None


def _khabar_cause(exc: BaseException) -> KhabarError | None:
    """Ray wraps an actor's exception in a `RayTaskError` that keeps it as `cause`: find
    khabar's own error, as khabar's class, with its own message. The wrapper subclasses that
    class too, but its message is Ray's: a task header and the actor's traceback."""
    task_error = import_ray().exceptions.RayTaskError
    for current in _chain(exc):
        if isinstance(current, task_error):
            continue
        if isinstance(current, KhabarError) and type(current).__module__.startswith("agent."):
            message = str(current)  # Ray Data appends its retry advice on lines of its own
            if current.args and "\n" in message:
                current.args = (message.splitlines()[0], *current.args[1:])
            return current
    return None


def count_rows(table: pa.Table, stats: BatchStats) -> None:
    """Fold one block of result rows into the run's counters (tokens from each provenance)."""
    for status, error, provenance in zip(
        table.column("status").to_pylist(),
        table.column("error").to_pylist(),
        table.column("provenance").to_pylist(),
        strict=True,
    ):
        if status == "ok":
            stats.done += 1
            usage = (json.loads(provenance) if provenance else {}).get("usage") or {}
            stats.prompt_tokens += int(usage.get("prompt_tokens") or 0)
            stats.completion_tokens += int(usage.get("completion_tokens") or 0)
            stats.requests += 1
        else:
            stats.failed += 1
            kind = (json.loads(error) if error else {}).get("kind", "error")
            stats.failures_by_kind[kind] = stats.failures_by_kind.get(kind, 0) + 1


def run_ray_batch(
    source: str,
    output: Path,
    settings: Settings,
    *,
    skip: frozenset[str],
    stats: BatchStats,
    actors: int = 2,
    concurrency: int = 16,
    batch_size: int | None = None,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    address: str | None = None,
    transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
    outage_seconds: float = 120.0,
    stage: type[KhabarStage] = KhabarStage,
    stage_options: Mapping[str, Any] | None = None,
    on_block: Callable[[], None] | None = None,
    quiet: bool = False,
) -> None:
    """Extract `source` into `output` on Ray; counts go to `stats`, `on_block` after each block.

    `stage` may be a subclass of `KhabarStage` (`stage_options`: its own constructor keywords);
    `transport` builds each actor's HTTP transport; `quiet`: see `start_ray`.
    """
    start_ray(address, actors, quiet=quiet)
    dataset = build_dataset(
        source,
        settings,
        skip=skip,
        stats=stats,
        actors=actors,
        concurrency=concurrency,
        batch_size=batch_size or max(64, 4 * concurrency),
        requests_per_minute=requests_per_minute,
        tokens_per_minute=tokens_per_minute,
        transport=transport,
        outage_seconds=outage_seconds,
        stage=stage,
        stage_options=stage_options,
    )
    if dataset is None:
        return
    with OutputSink(output) as sink:
        for block in iter_result_blocks(dataset):
            written = sink.write_block(block)
            count_rows(written, stats)
            if on_block is not None:
                on_block()
        stats.duplicates += sink.duplicates


__all__ = [
    "INSTALL_HINT",
    "OutputSink",
    "build_dataset",
    "import_ray",
    "run_ray_batch",
    "start_ray",
]
