"""`khabar eval`: score the extractor against human gold, with an optional A/B comparison.

Exit codes: 0 scored (whatever the scores), 1 the run stopped on an error (the partial scores are
printed first), 2 usage or input error, 130 interrupted (the partial scores are printed).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from agent.cli.interrupts import Interrupts
from agent.cli.options import concurrency_option, load_settings, setting_options
from agent.cli.progress import ProgressView

if TYPE_CHECKING:
    from agent.eval.runner import Evaluation

EXIT_INTERRUPTED = 130


@click.command("eval")
@click.argument("dataset", type=str)
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    help="Where the gold data is: the set's folder, its parent (e.g. ../shared/eval) or the file.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score only N documents.")
@click.option("--sample-seed", type=int, help="With --limit: a random sample drawn with this seed.")
@concurrency_option("Documents")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every figure and the errors per document to this file.",
)
@click.option(
    "--compare",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An earlier --json report: print each figure that changed since.",
)
@click.option(
    "--record",
    type=click.Path(file_okay=False, path_type=Path),
    help="Record each document's exchanges to DIR/<id>/cassette.json.",
)
@click.option(
    "--replay",
    type=click.Path(file_okay=False, path_type=Path),
    help="Answer each document from DIR/<id>/cassette.json (offline).",
)
@click.option("--force", is_flag=True, help="With --record: overwrite existing cassettes.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Live progress on stderr (default when stderr is a terminal; else a line every 5 s).",
)
@setting_options
def eval_command(
    dataset: str,
    data: Path | None,
    limit: int | None,
    sample_seed: int | None,
    concurrency: int,
    json_path: Path | None,
    compare: Path | None,
    record: Path | None,
    replay: Path | None,
    force: bool,
    progress: bool | None,
    config_path: str | None,
    **flags: Any,
) -> None:
    """Extract every document of DATASET and score it against the human annotation.

    DATASET is a named set (newsfane, gum, qasrl; point --data at its folder) or a gold file in
    khabar's JSONL format: {"id", "text", "entities": [{"type", "start", "end"}],
    "positions": [{"speaker": [s, e], "cue": [s, e], "content": [s, e]}]}.
    """
    from agent.eval.datasets import load_dataset
    from agent.eval.report import EvalReport
    from agent.eval.runner import Evaluation
    from agent.eval.table import render_comparison, render_report
    from agent.files import write_atomic

    if record and replay:
        raise click.UsageError("--replay and --record cannot be used together")
    if sample_seed is not None and limit is None:
        raise click.UsageError("--sample-seed draws a sample of --limit N documents: give --limit")
    before = EvalReport.load(compare) if compare else None
    gold = load_dataset(dataset, data)
    settings = load_settings(config_path, flags)
    if not replay:
        settings.require_endpoint()
    evaluation = Evaluation(
        gold,
        settings=settings,
        concurrency=concurrency,
        limit=limit,
        sample_seed=sample_seed,
        record=record,
        replay=replay,
        force=force,
    )
    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False)
    live = errors.is_terminal if progress is None else progress
    view = ProgressView(
        errors, evaluation.stats, None, len(evaluation.documents), live, label="eval"
    )
    failure = asyncio.run(_drive(evaluation, errors, view))
    report = evaluation.report()
    if json_path:
        write_atomic(json_path, report.model_dump_json(indent=2) + "\n")
    console.print(render_report(report))
    if before is not None:
        console.print(render_comparison(before, report))
    if failure is not None:
        raise failure
    if evaluation.interrupted:
        sys.exit(EXIT_INTERRUPTED)


async def _drive(evaluation: Evaluation, console: Console, view: ProgressView) -> Exception | None:
    """Run to the end; Ctrl-C lets the documents in flight settle, a second one stops at once.
    An error that stops the run is returned, to be raised once the partial scores are shown."""
    from agent.errors import KhabarError

    def say() -> None:
        console.print(
            f"[yellow]stopping:[/] waiting for {evaluation.stats.in_flight} document(s) in "
            "flight; Ctrl-C again to stop at once"
        )

    view.start()
    try:
        with Interrupts(evaluation.stop, say):
            await evaluation.run(on_record=lambda _: view.tick())
    except asyncio.CancelledError:
        evaluation.interrupted = True
    except KhabarError as exc:
        return exc
    finally:
        view.stop()
    return None


__all__ = ["eval_command"]
