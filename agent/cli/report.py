"""`khabar report`: turn saved results into one self-contained HTML review page."""

from __future__ import annotations

from pathlib import Path

import click

from agent.cli.options import output_option


@click.command("report")
@click.argument("results", type=click.Path(path_type=Path))
@output_option("The HTML file to write (atomically).", required=True)
@click.option(
    "--article",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The article text of a single RESULT.json (JSONL lines carry `text` or `path`).",
)
@click.option(
    "--articles",
    "articles_source",
    metavar="INPUT",
    help="The batch's input (folder, JSONL or Parquet): texts, by id, for lines that carry none.",
)
@click.option("--title", default="khabar report", show_default=True, help="Page title.")
def report(
    results: Path, output: Path, article: Path | None, articles_source: str | None, title: str
) -> None:
    """Write an HTML page of RESULTS (result JSON, batch JSONL or Parquet), mentions highlighted.

    Batch lines from a folder of articles find each text by its `path`; lines from a JSONL or
    Parquet feed carry none: pass the feed with --articles."""
    from agent.batch.parquet import is_parquet
    from agent.files import check_outputs
    from agent.views.html_report import load_report_articles, write_report
    from agent.views.plain import printable

    check_outputs({"-o": output}, [results, article])
    skipped: list[str] = []
    if is_parquet(results) or results.is_dir():  # a Ray pipeline writes a folder of parts
        from agent.batch.parquet import iter_records
        from agent.views.html_report import report_articles_from_records

        articles = report_articles_from_records(iter_records(results), str(results))
    else:
        articles = load_report_articles(results, article, skipped=skipped)
    if articles_source is not None:
        from agent.batch.io import article_texts
        from agent.views.html_report import with_texts

        wanted = {a.label for a in articles if a.text is None}
        texts = article_texts(articles_source, wanted) if wanted else {}
        articles = with_texts(articles, texts, articles_source)
    write_report(output, articles, title)
    missing = sum(1 for a in articles if a.text is None)
    plural = "s" if len(articles) != 1 else ""
    click.echo(printable(f"wrote {output} ({len(articles)} article{plural})"))
    for reason in skipped:
        click.echo(printable(f"skipped {reason}"), err=True)
    if missing:
        click.echo(
            f"{missing} without article text: "
            + (
                f"their ids are not in {articles_source}"
                if articles_source is not None
                else "pass the batch's input with --articles (or --article for one result)"
            ),
            err=True,
        )


__all__ = ["report"]
