"""`khabar batch`: many articles to one JSONL file (or Parquet folder), resumable, with progress.

`--engine ray` runs the same batch on a pool of Ray actors (agent.ray), locally or on a cluster.

Exit codes: 0 every article extracted, 1 some article failed (its line says why) or the run
stopped on an error, 2 usage or input error, 130 interrupted (re-run the same command to resume).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource
from rich.console import Console

from agent.cli.interrupts import Interrupts
from agent.cli.options import (
    concurrency_option,
    debug_requested,
    load_settings,
    output_option,
    setting_options,
)
from agent.cli.progress import ProgressView, note
from agent.views.plain import console as plain_console
from agent.views.plain import plain

if TYPE_CHECKING:
    from agent.batch.engine import BatchRun, BatchStats
    from agent.batch.io import OutputIndex, ResultWriter
    from agent.batch.parquet import ParquetWriter

EXIT_INTERRUPTED = 130
SHOWN_UNREADABLE = 5


@click.command("batch")
@click.argument("source", metavar="INPUT", type=str)
@output_option(
    "JSONL results, appended (a name ending .parquet: a folder of Parquet parts); "
    "re-running the same command resumes.",
    required=True,
    dir_okay=True,
)
@concurrency_option("Articles")
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True), help="Requests per minute.")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), help="Tokens per minute.")
@click.option("--retry-failed", is_flag=True, help="Extract again the ids whose last line failed.")
@click.option("--price", help="Dollars per million tokens IN,OUT (default: known model prices).")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Live display (default when stderr is a terminal; else a line every 5 s).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: one process; ray: a pool of Ray actors (pip install 'khabar[ray]').",
)
@click.option(
    "--ray-address",
    metavar="ADDR",
    help="Ray cluster to join (e.g. ray://head:10001, auto); default: start a local Ray.",
)
@click.option(
    "--actors",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Ray actors (each runs --concurrency articles at once; --rpm/--tpm are shared).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Articles per Ray batch (default: 4 x --concurrency, at least 64).",
)
@setting_options
def batch(
    source: str,
    output: Path,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    retry_failed: bool,
    price: str | None,
    progress: bool | None,
    engine: str,
    ray_address: str | None,
    actors: int,
    batch_size: int | None,
    config_path: str | None,
    **flags: Any,
) -> None:
    """Extract every article of INPUT into one JSON line each.

    INPUT is a folder of .txt/.md files, a JSONL file (id, text, any other keys kept as
    metadata), - for JSONL on stdin, or (with --engine ray) a Parquet file or folder with id
    and text columns. An output named *.parquet is a folder of Parquet parts. Re-running the
    same command resumes: ids already in the output are skipped (--retry-failed retries those
    that failed). Ctrl-C stops once the articles in flight settle; a second Ctrl-C stops at
    once (with --engine ray the first stops; finished blocks are saved).
    """
    from agent.batch.engine import BatchStats, extract_many
    from agent.batch.io import count_input, iter_input, reads_as_article
    from agent.batch.lock import OutputLock
    from agent.batch.parquet import is_parquet, open_results, scan_results
    from agent.batch.pricing import parse_price, price_for
    from agent.files import check_outputs
    from agent.llm.prompts import PromptSet

    _check_usage(engine, output)
    settings = load_settings(config_path, flags)
    settings.require_endpoint(model=False)  # a left-out model may be the only one listed
    PromptSet.load(settings.prompts_dir)  # a bad prompts folder fails before the output exists
    unit_price = parse_price(price) if price is not None else price_for(settings.model)
    if engine == "ray":
        from agent.ray.run import import_ray

        import_ray()  # one line naming the extra, before anything is read
    elif is_parquet(source):
        from agent.errors import InputError

        raise InputError(f"{source}: Parquet input needs --engine ray")
    if is_parquet(output):  # a folder of parts: not a file for check_outputs
        from agent.batch.parquet import check_parquet_output, pyarrow

        pyarrow()
        check_parquet_output(output, source)
    else:
        check_outputs({"-o": output}, [source], read_from_folder=reads_as_article)
    if engine == "ray" or is_parquet(source):
        items = None  # read by Ray or its driver; a missing INPUT still fails first
        if source != "-" and "://" not in source and not Path(source).exists():
            from agent.errors import InputError

            raise InputError(f"{source}: no such file or folder")
    else:
        items = iter_input(source, settings.max_chars)  # a bad INPUT fails first
    console = plain_console(stderr=True)
    # a Parquet output is a folder: its lock is a hidden file inside (readers skip dot files)
    lock = output / ".khabar-batch.lock" if is_parquet(output) else output
    fresh = not os.path.lexists(output)
    with OutputLock(lock), _removed_if_left_empty(output, lock, fresh):
        index = scan_results(output)
        skip = index.skip_ids(retry_failed)
        total = None if items is None and is_parquet(source) else count_input(source)
        live = console.is_terminal if progress is None else progress
        _say_resume(console, output, index, retry_failed)
        stats = BatchStats()
        if engine == "ray":
            interrupted = _run_on_ray(
                source,
                output,
                settings,
                skip=frozenset(skip),
                stats=stats,
                view=ProgressView(console, stats, unit_price, total, live),
                actors=actors,
                concurrency=concurrency,
                batch_size=batch_size,
                rpm=rpm,
                tpm=tpm,
                address=ray_address,
            )
            _finish(ProgressView(console, stats, unit_price, total, False), output, interrupted)
            return
        assert items is not None
        run = extract_many(
            items,
            settings=settings,
            concurrency=concurrency,
            requests_per_minute=rpm,
            tokens_per_minute=tpm,
            skip=skip,
            stats=stats,
        )
        with open_results(output) as writer:
            view = ProgressView(console, stats, unit_price, total, live)
            interrupted = asyncio.run(_drive(run, writer, view, console))
    _finish(view, output, interrupted)


RAY_ONLY = (
    ("actors", "--actors"),
    ("ray_address", "--ray-address"),
    ("batch_size", "--batch-size"),
)


def _check_usage(engine: str, output: Path) -> None:
    """Refuse options that would do nothing, and an output batch cannot resume from."""
    if engine != "ray":
        context = click.get_current_context()
        for name, flag in RAY_ONLY:  # silently ignored, the user would think they took effect
            if context.get_parameter_source(name) not in (None, ParameterSource.DEFAULT):
                raise click.UsageError(
                    f"{flag} goes with --engine ray (the local engine is one "
                    "process; -j sets how many articles it runs at once)"
                )
    if str(output) == "-":
        raise click.UsageError(
            "-o - is not supported: batch appends to its output and reads it back to resume "
            "(and locks it against a second run); give a file, and `tail -f` it to follow the run"
        )


@contextlib.contextmanager
def _removed_if_left_empty(output: Path, lock: Path, fresh: bool) -> Iterator[None]:
    """A run that fails before writing a result leaves no output behind when there was none:
    the lock created an empty file (or a Parquet folder holding only the lock file)."""
    try:
        yield
    except BaseException:
        if fresh:
            with contextlib.suppress(OSError):
                if lock != output:
                    if [p.name for p in output.iterdir()] == [lock.name]:
                        lock.unlink()
                        output.rmdir()
                elif output.stat().st_size == 0:
                    output.unlink()
        raise


def _finish(view: ProgressView, output: Path, interrupted: bool) -> None:
    view.summary(output, interrupted)
    if interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if view.stats.failed:
        sys.exit(1)


def _run_on_ray(
    source: str,
    output: Path,
    settings: Any,
    *,
    skip: frozenset[str],
    stats: BatchStats,
    view: ProgressView,
    actors: int,
    concurrency: int,
    batch_size: int | None,
    rpm: float | None,
    tpm: float | None,
    address: str | None,
) -> bool:
    """The Ray engine; Ctrl-C stops at once (finished blocks are saved). True if interrupted."""
    from agent.ray.run import run_ray_batch

    view.start()
    try:
        run_ray_batch(
            source,
            output,
            settings,
            skip=skip,
            stats=stats,
            actors=actors,
            concurrency=concurrency,
            batch_size=batch_size,
            requests_per_minute=rpm,
            tokens_per_minute=tpm,
            address=address,
            on_block=view.tick,
            quiet=not debug_requested(),
        )
    except KeyboardInterrupt:
        return True
    finally:
        view.stop()
    return False


async def _drive(
    run: BatchRun, writer: ResultWriter | ParquetWriter, view: ProgressView, console: Console
) -> bool:
    """Write records as they settle; first Ctrl-C lets in-flight articles finish, second stops.

    SIGTERM (a service manager, `kill`, a CI timeout) is a first Ctrl-C: the answers already
    paid for are saved before the run ends."""

    def say() -> None:
        console.print(
            note(
                "stopping:",
                "yellow",
                f"waiting for {run.stats.in_flight} article(s) in flight; "
                "Ctrl-C again to stop at once",
            )
        )

    view.start()
    try:
        with Interrupts(run.stop, say):
            async for record in run:
                writer.write(record.to_json())
                view.tick()
    except asyncio.CancelledError:
        return True
    finally:
        view.stop()
    return run.stopping


def _say_resume(console: Console, output: Path, index: OutputIndex, retry_failed: bool) -> None:
    if index.repaired_bytes:
        console.print(
            note(
                "repaired:",
                "yellow",
                f"cut a partial last line ({index.repaired_bytes} bytes) from {output}",
            )
        )
    for number, key in index.unreadable[:SHOWN_UNREADABLE]:
        fate = f"id {key} will be extracted again" if key else "its id cannot be read"
        console.print(
            note("unreadable:", "yellow", f"{output} line {number} is not a whole result; {fate}")
        )
    if index.unreadable_lines > SHOWN_UNREADABLE:
        more = index.unreadable_lines - SHOWN_UNREADABLE
        console.print(note("unreadable:", "yellow", f"{more} more line(s) like these"))
    if index.ok:
        again = "retrying" if retry_failed else "skipping (--retry-failed to retry)"
        console.print(
            plain(f"resuming {output}: {index.done} done, skipped; {index.failed} failed, {again}")
        )


__all__ = ["batch"]
