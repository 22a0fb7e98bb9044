"""The terminal view of an eval report, and of the difference between two."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from agent.eval.report import EvalReport, Figures, figure_deltas


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _row(figures: Figures) -> list[str]:
    return [
        str(figures.correct),
        str(figures.incorrect),
        str(figures.missed),
        str(figures.spurious),
        _pct(figures.precision),
        _pct(figures.recall),
        _pct(figures.f1),
    ]


def render_report(report: EvalReport) -> RenderableType:
    """Entities per type (strict and partial), statements, grounding and failures."""
    parts: list[RenderableType] = []
    done = f"{report.scored} of {report.documents}" if report.interrupted else f"{report.scored}"
    parts.append(
        Text.assemble(
            ("khabar eval ", "bold"),
            (report.dataset, "bold"),
            f" · {done} documents · {report.failed} failed · model {report.model or '?'}"
            f" · prompt {report.prompt_version or '?'}",
        )
    )
    if report.entities is not None:
        table = Table(title="Entities", title_justify="left", title_style="bold")
        for column in ("type", "match", "gold", "pred", "correct", "incorrect", "missed"):
            table.add_column(column, justify="left" if column in ("type", "match") else "right")
        for column in ("spurious", "P", "R", "F1"):
            table.add_column(column, justify="right")
        schemes = {**report.entities.by_type, "overall": report.entities.overall}
        for name, scheme in schemes.items():
            for label, figures in (("strict", scheme.strict), ("partial", scheme.partial)):
                first = label == "strict"
                table.add_row(
                    name if first else "",
                    label,
                    str(figures.possible) if first else "",
                    str(figures.actual) if first else "",
                    *_row(figures),
                    end_section=not first,
                    style="bold" if name == "overall" else None,
                )
        parts.append(table)
    if report.positions is not None:
        f = report.positions.figures
        table = Table(title="Statements", title_justify="left", title_style="bold")
        for column in ("gold", "pred", "correct", "missed", "spurious", "cue found", "P", "R"):
            table.add_column(column, justify="right")
        table.add_column("F1", justify="right")
        table.add_row(
            str(f.possible),
            str(f.actual),
            str(f.correct),
            str(f.missed),
            str(f.spurious),
            str(report.positions.cue_found),
            _pct(f.precision),
            _pct(f.recall),
            _pct(f.f1),
        )
        parts.append(table)
    g = report.grounding
    counts = ", ".join(f"{n} {status}" for status, n in g.counts.items() if n) or "nothing"
    parts.append(
        Text.assemble(
            ("grounding ", "dim"),
            counts,
            ("  flagged ", "dim"),
            str(g.flagged),
            ("  dropped ", "dim"),
            str(g.dropped),
            ("  re-asked ", "dim"),
            str(g.reasked),
            ("  attempts ", "dim"),
            str(g.attempts),
            ("  tokens ", "dim"),
            f"{g.prompt_tokens + g.completion_tokens:,}",
        )
    )
    failures = [e for e in report.errors if e.error]
    if failures:
        lines = Text()
        for e in failures:
            lines.append("failed ", style="bold red").append(f"{e.id}: {e.error}\n", style="red")
        lines.rstrip()
        parts.append(lines)
    if report.interrupted:
        parts.append(
            Text(
                f"partial scores: the run stopped after {report.scored} of {report.documents} "
                "documents; the rest are not counted",
                style="yellow",
            )
        )
    return Group(*parts)


def render_comparison(before: EvalReport, after: EvalReport) -> RenderableType:
    """Each figure that changed, before and after (scores in percentage points)."""
    table = Table(
        title=f"Change since {before.model or '?'} · prompt {before.prompt_version or '?'}",
        title_justify="left",
        title_style="bold",
    )
    table.add_column("figure")
    for column in ("before", "after", "Δ"):
        table.add_column(column, justify="right")
    deltas = figure_deltas(before, after)
    for name, old, new, delta in deltas:
        if delta == 0:
            continue
        if name.rsplit(".", 1)[-1] in ("precision", "recall", "f1"):
            cells = (_pct(old), _pct(new), f"{100 * delta:+.1f}")
        else:
            cells = (f"{old:g}", f"{new:g}", f"{delta:+g}")
        table.add_row(name, *cells, style="green" if _better(name, delta) else "red")
    same = sum(1 for *_, delta in deltas if delta == 0)
    parts: list[RenderableType] = [table, Text(f"{same} other figure(s) unchanged", style="dim")]
    if (before.dataset, before.scored) != (after.dataset, after.scored):
        parts.append(
            Text(
                f"note: not the same documents ({before.dataset}, {before.scored} scored before; "
                f"{after.dataset}, {after.scored} now): counts differ for that reason too",
                style="yellow",
            )
        )
    return Group(*parts)


def _better(name: str, delta: float) -> bool:
    worse_when_up = ("missed", "spurious", "failed", "flagged", "dropped", "reasked")
    return (delta < 0) if name.rsplit(".", 1)[-1] in worse_when_up else (delta > 0)


__all__ = ["render_comparison", "render_report"]
