"""The terminal article view: logical order by default, reshaped and reordered with --bidi."""

from __future__ import annotations

import io

import pytest
from bidi import get_display
from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from agent.views.article_text import article_view, display_order, reshape, visual_order
from tests.report_cases import ENGLISH, SEED, extract_case


@pytest.mark.parametrize(
    ("line", "rtl"),
    [
        ("والتقى الفريق أول عبد المجيد صقر القائد العام", True),
        ("date 2026-01-14 في خطوة تعكس عمق التنسيق", True),
        ("Minister صدام حفتر said 12 things", False),
        ("Greek court has ruled", False),
    ],
)
def test_reordering_agrees_with_the_rust_bidi_implementation(line: str, rtl: bool) -> None:
    ours = "".join(ch for _, ch in visual_order(line, rtl))
    assert ours == get_display(line, base_dir="R" if rtl else "L")
    assert sorted(i for i, _ in visual_order(line, rtl)) == list(range(len(line)))


def test_a_highlight_follows_its_characters() -> None:
    line = Text("زيارة صدام حفتر لمصر")
    line.stylize("bold cyan", 6, 15)
    shown = display_order(line, rtl=True)
    styled = "".join(shown.plain[s.start : s.end] for s in shown.spans if "cyan" in str(s.style))
    assert styled == reshape("صدام حفتر")[::-1]
    assert shown.plain.endswith(reshape("زيارة")[::-1])  # the first word is drawn rightmost


def test_reshaping_keeps_one_character_per_character() -> None:
    word = "مشددًا على حرص لا إله"
    shaped = reshape(word)
    assert len(shaped) == len(word) and shaped != word
    assert all("\ufb50" <= c <= "\ufeff" for c in shaped if c.isalpha())


def render(text: str, visual: bool, width: int = 60) -> str:
    _, result = extract_case(SEED if "ع" in text else ENGLISH)
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(article_view(text, result, visual=visual, width=width))
    return console.export_text()


def test_logical_view_keeps_the_text_as_stored() -> None:
    text, _ = extract_case(SEED)
    out = render(text, visual=False)
    assert "صدام حفتر" in out and "الفريق أول ركن" in out


def test_visual_view_is_right_aligned_and_reshaped() -> None:
    text, _ = extract_case(SEED)
    lines = [line for line in render(text, visual=True).splitlines()[2:] if line.strip()]
    assert lines and all(cell_len(line) <= 60 for line in lines)
    assert sum(line.startswith(" ") for line in lines) >= len(lines) // 2
    assert reshape("حفتر")[::-1] in "".join(lines)


def test_highlights_cover_the_grounded_mentions() -> None:
    text, result = extract_case(ENGLISH)
    view = article_view(text, result)
    assert isinstance(view, Group)
    styled = view.renderables[1]
    assert isinstance(styled, Text) and styled.plain == text
    covered = {(s.start, s.end) for s in styled.spans}
    assert {(s.start, s.end) for s in result.participants[0].name.spans} <= covered
