"""The article in the terminal with every grounded mention highlighted (`extract --show-text`).

Two ways to put Arabic on a terminal, because terminals disagree:

* **logical** (default): the characters go out in the order they are stored, exactly as in the
  file. Terminals that implement the Unicode bidi algorithm (GNOME Terminal/VTE, Konsole, mintty,
  macOS Terminal) then show Arabic right-to-left and joined, and copying, piping to a file or
  `grep` all keep working. This is the only choice that never corrupts the text itself.
* **visual** (`--bidi`): for terminals that draw cells strictly left to right (xterm, Windows
  Terminal, tmux, most CI logs), each wrapped line is reshaped into Arabic presentation forms
  (arabic-reshaper) and reordered for display (the bidi algorithm of python-bidi), with each
  highlight following its characters. Copying that output gives reversed text, so it is opt-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.text import Text

from agent.errors import InputError
from agent.models import ArticleExtraction
from agent.views.html_report import Mark, collect_marks, text_direction
from agent.views.plain import printable_article

KIND_STYLE: dict[str, str] = {
    "content": "on grey23",
    "cue": "bold magenta on grey23",
    "organization": "dark_orange",
    "title": "bold medium_purple1",
    "location": "bold green",
    "participant": "bold cyan",
}
FUZZY_STYLE = "underline"


def highlighted(text: str, marks: Sequence[Mark]) -> Text:
    """`text` with the style of each mark; inner (shorter) marks are applied last, so they win.

    Control characters in the article are shown as escapes (`agent.views.plain`), each mark
    moved with the characters it covers."""
    shown, moved = printable_article(text)
    out = Text(shown, no_wrap=False)
    for m in sorted(marks, key=lambda m: m.start - m.end):
        style = KIND_STYLE[m.kind]
        if m.item.alignment in ("fuzzy",):
            style += " " + FUZZY_STYLE
        out.stylize(style, moved[min(m.start, len(text))], moved[min(m.end, len(text))])
    return out


def legend() -> Text:
    out = Text("highlights: ", style="dim")
    for kind, style in reversed(KIND_STYLE.items()):
        label = f"statement {kind}" if kind in ("cue", "content") else kind
        out.append(label, style=style).append("  ")
    out.append("fuzzy", style=FUZZY_STYLE)
    return out


def article_view(
    text: str, result: ArticleExtraction, *, visual: bool = False, width: int = 80
) -> RenderableType:
    """The highlighted article: logical order, or reshaped and reordered lines when `visual`."""
    marks, _ = collect_marks(result, "t", len(text))
    styled = highlighted(text, marks)
    if not visual:
        return Group(legend(), styled)
    return Group(legend(), *visual_lines(styled, width))


def visual_lines(styled: Text, width: int) -> list[Text]:
    """Wrap each paragraph to `width` cells, then reshape and reorder every line for display."""
    lines: list[Text] = []
    console = Console(width=width, highlight=False, color_system=None)
    for paragraph in styled.split("\n", allow_blank=True):
        if not paragraph.plain:
            lines.append(Text())
            continue
        rtl = text_direction(paragraph.plain) == "rtl"
        for line in paragraph.wrap(console, width, no_wrap=False):
            line.rstrip()
            shown = display_order(line, rtl)
            if rtl:
                shown.pad_left(max(0, width - shown.cell_len))
            lines.append(shown)
    return lines


def display_order(line: Text, rtl: bool) -> Text:
    """One line as it must be drawn left to right, each character keeping its style."""
    plain = reshape(line.plain)
    order = visual_order(plain, rtl)
    styles: list[Style | str] = [line.style] * len(plain)
    for span in line.spans:
        for i in range(span.start, min(span.end, len(plain))):
            styles[i] = Style.combine([_style(styles[i]), _style(span.style)])
    out = Text()
    for i, ch in order:
        out.append(ch, style=styles[i])
    return out


def _style(style: Style | str) -> Style:
    return style if isinstance(style, Style) else Style.parse(style) if style else Style()


def reshape(line: str) -> str:
    """Arabic letters in their joined presentation forms, one output character per input one."""
    shaped: str = _reshaper().reshape(line)
    return shaped if len(shaped) == len(line) else line


def visual_order(line: str, rtl: bool) -> list[tuple[int, str]]:
    """`line` in display order (left to right) by the Unicode bidi algorithm, as (index, char).

    Characters are mirrored where the algorithm says so (a `(` inside Arabic is drawn `)`).

    python-bidi's public `get_display` returns only the reordered string; its reference
    implementation works on per-character records, so tagging each record with its index
    gives the permutation (and with it, where each highlight goes). Controls are dropped.
    """
    try:
        from bidi import algorithm
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError("--bidi needs python-bidi: pip install 'khabar[bidi]'") from None
    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(line, storage)
    for index, record in enumerate(storage["chars"]):
        record["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    return [(int(record["index"]), str(record["ch"])) for record in storage["chars"]]


@cache
def _reshaper() -> Any:
    try:
        import arabic_reshaper
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError("--bidi needs arabic-reshaper: pip install 'khabar[bidi]'") from None
    return arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,
            "shift_harakat_position": False,
            "support_ligatures": False,
            "delete_tatweel": False,
        }
    )


__all__ = ["KIND_STYLE", "article_view", "display_order", "highlighted", "visual_order"]
