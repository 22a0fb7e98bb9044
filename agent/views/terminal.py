"""The terminal view of a result: who, with which titles, where, who said what, and how sure.

Every grounded string is coloured by how it was found in the article (green exact, cyan
normalised, blue clitic, yellow fuzzy, red not found), so a reader sees at a glance what to trust;
each tier but exact also has its own mark (`*`, `~`, `≈`, `✗`), so the view reads without colour
too, and the footer's grounding counts name the marks.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from agent.models import AlignmentStatus, ArticleExtraction, Grounded, LinkStatus, Location
from agent.views.places import link_code, link_summary, model_disagrees
from agent.views.plain import plain, printable

STATUS_STYLE: dict[AlignmentStatus, str] = {
    AlignmentStatus.EXACT: "green",
    AlignmentStatus.NORMALIZED: "cyan",
    AlignmentStatus.CLITIC: "blue",
    AlignmentStatus.FUZZY: "yellow",
    AlignmentStatus.UNALIGNED: "bold red",
}
STATUS_MARK: dict[AlignmentStatus, str] = {
    AlignmentStatus.EXACT: "",
    AlignmentStatus.NORMALIZED: " *",  # the same letters once spelling variants are folded
    AlignmentStatus.CLITIC: " ~",  # inside a longer word: بالقاهرة for القاهرة
    AlignmentStatus.FUZZY: " ≈",
    AlignmentStatus.UNALIGNED: " ✗",
}


def grounded_text(item: Grounded, limit: int | None = None) -> Text:
    """The string in the colour of its alignment, with a mark when it was not found verbatim."""
    value = item.text if limit is None or len(item.text) <= limit else item.text[: limit - 1] + "…"
    return Text(printable(value) + STATUS_MARK[item.alignment], style=STATUS_STYLE[item.alignment])


def place_cell(loc: Location) -> Text:
    """The gazetteer's country (green), open names (yellow), a model code it contradicts (red)."""
    link = loc.place
    if link is None or link.status is LinkStatus.UNLINKED:
        return plain(f"{loc.country_code} (model)" if loc.country_code else "", style="dim")
    style = "yellow" if link.status is LinkStatus.AMBIGUOUS else "green"
    cell = plain(link_summary(link), style=style)
    if model_disagrees(loc):
        cell.append(printable(f"\nmodel said {loc.country_code} ✗"), style="bold red")
    return cell


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_extraction(result: ArticleExtraction) -> RenderableType:
    """Participants, locations, positions, grounding problems and a provenance footer."""
    people = _table(
        "Participants", "id", "name", "English", "kind · role", "titles", "mentions", "country"
    )
    for p in result.participants:
        titles = Text()
        for i, t in enumerate(p.titles):
            if i:
                titles.append("\n")
            titles.append_text(grounded_text(t.text))
            titles.append(f" [{t.kind}]", style="dim")
            if t.organization:
                titles.append(" · ", style="dim").append_text(grounded_text(t.organization))
        mentions = Text(", ").join(grounded_text(m) for m in p.mentions)
        country = link_code(p.place) or link_code(p.affiliation_place) or ""
        people.add_row(
            plain(p.id),
            grounded_text(p.name),
            plain(p.name_en or ""),
            plain(f"{p.kind} · {p.role}"),
            titles,
            mentions,
            plain(country),
        )

    places = _table("Locations", "id", "name", "English", "kind", "role", "country")
    for loc in result.locations:
        places.add_row(
            plain(loc.id),
            grounded_text(loc.name),
            plain(loc.name_en or ""),
            plain(loc.kind),
            plain(loc.role),
            place_cell(loc),
        )

    said = _table("Stated positions", "speaker", "cue", "content", "kind · stance", "gist")
    for pos in result.positions:
        speaker = result.participant(pos.speaker_id)
        who = (
            grounded_text(speaker.name)
            if speaker
            else plain(f"{pos.speaker_id} ✗", style="bold red")
        )
        said.add_row(
            who,
            grounded_text(pos.cue),
            grounded_text(pos.content, 160),
            plain(f"{pos.attribution} · {pos.stance}"),
            plain(pos.gist_en),
        )

    parts: list[RenderableType] = [people, places, said]
    if result.grounding.issues:
        issues = Text()
        for issue in result.grounding.issues:
            style = "yellow" if issue.action == "flagged" else "red"
            issues.append(f"{issue.action}: ", style=f"bold {style}")
            issues.append(printable(issue.message) + "\n", style=style)
        parts.append(issues)
    parts.append(footer(result))
    return Group(*parts)


def footer(result: ArticleExtraction) -> Text:
    prov = result.provenance
    counts = ", ".join(
        f"{n} {status}{STATUS_MARK[AlignmentStatus(status)]}"
        for status, n in result.grounding.counts.items()
        if n
    )
    line = Text.assemble(
        ("model ", "dim"),
        printable(prov.model),
        ("  endpoint ", "dim"),
        printable(prov.endpoint),
        ("  mode ", "dim"),
        printable(prov.mode),
        ("  prompt ", "dim"),
        printable(prov.prompt_version),
        ("  attempts ", "dim"),
        str(prov.attempts),
        ("  tokens ", "dim"),
        f"{prov.usage.total_tokens:,} ({prov.usage.prompt_tokens:,} in, "
        f"{prov.usage.completion_tokens:,} out)",
        ("  time ", "dim"),
        f"{prov.duration_s:.2f} s",
        ("\ngrounding ", "dim"),
        counts or "nothing to ground",
        ("  policy ", "dim"),
        printable(result.grounding.policy),
        *((("\nchosen ", "dim"), Text(printable(prov.auto_choice))) if prov.auto_choice else ()),
    )
    if prov.reask_failed:
        line.append(f"\n{prov.reask_failed}; kept the best earlier answer", style="yellow")
    return line


__all__ = [
    "STATUS_MARK",
    "STATUS_STYLE",
    "footer",
    "grounded_text",
    "place_cell",
    "render_extraction",
]
