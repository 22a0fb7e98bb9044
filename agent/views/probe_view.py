"""The terminal view of a probe: what the server answered to each tiny request, and the mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the view renders a report; it never loads the client that made it
    from agent.llm.probe import ProbeReport

STATUS_STYLE = {
    "works": "green",
    "ignored": "yellow",
    "refused": "red",
    "failed": "red",
    "timeout": "red",
}
WHAT = {
    "tools": "forced tool calls (--mode tools)",
    "json_schema": "response_format json_schema (--mode json_schema)",
    "json_object": "response_format json_object",
    "md_json": "markdown JSON (--mode md_json)",
}


def render_probe(report: ProbeReport) -> RenderableType:
    """A table of the checks, then the models listed and the recommendation. Every string from
    the server is put in as plain text, never as markup."""
    table = Table(
        title=f"khabar probe · {report.base_url}", title_justify="left", title_style="bold"
    )
    for column in ("feature", "result", "HTTP", "s", "detail"):
        table.add_column(column, overflow="fold")
    table.add_row("reachable", Text("yes", style="green"), "", "", Text(report.models_detail))
    for check in report.checks:
        table.add_row(
            WHAT.get(check.name, check.name),
            Text(check.status, style=STATUS_STYLE.get(check.status, "")),
            "" if check.http_status is None else str(check.http_status),
            f"{check.seconds:.2f}",
            Text(check.detail),
        )
    models = ", ".join(report.models) if report.models else "none listed"
    source = " (the only one listed)" if report.model_source == "only one listed" else ""
    lines = Text.assemble(
        ("models ", "dim"),
        Text(models),
        ("\nprobed ", "dim"),
        Text(report.model + source),
        ("  in ", "dim"),
        f"{report.seconds:.2f} s",
        ("  answered ", "dim"),
        f"at {report.probed_at}" + (" (remembered)" if report.cached else ""),
        ("\nrecommended ", "dim"),
        (
            (f"--mode {report.recommended}", "bold green")
            if report.recommended
            else ("no khabar mode works with this server", "bold red")
        ),
    )
    return Group(table, lines)


__all__ = ["render_probe"]
