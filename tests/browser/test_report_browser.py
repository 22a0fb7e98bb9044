"""The HTML report in a real headless Chromium: spans, direction, clicks, and hostile input.

Skips only when chromium is genuinely absent outside CI; with CI=true a missing browser fails
(.ci/run installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.extraction.result import iter_grounded
from agent.models import ArticleExtraction
from agent.views.html_report import ReportArticle, write_report
from tests.browser.harness import MISSING_HINT, browser_paths, start_browser
from tests.report_cases import ENGLISH, SEED, extract_case, injection_case

# Offsets of the character at `index` of the article text (text nodes are split by marks).
CHAR_RECT = """
const [selector, index] = arguments;
const root = document.querySelector(selector);
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
let seen = 0;
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (index < seen + node.length) {
    const range = document.createRange();
    range.setStart(node, index - seen);
    range.setEnd(node, index - seen + 1);
    const r = range.getBoundingClientRect();
    return [r.left, r.top];
  }
  seen += node.length;
}
return null;
"""
# A participant's name in the panel (its card also holds its positions, each clickable itself).
NAME_OF_FIRST = ".panel .entity[data-entity='a0-p0'] > bdi.g"
MARKS = """
return Array.from(document.querySelectorAll('mark[data-mark]')).map(m => [
  m.dataset.mark, m.dataset.kind, m.dataset.entity, Number(m.dataset.start),
  Number(m.dataset.end), m.textContent, m.classList.contains('on')]);
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        import selenium  # noqa: F401
    except ImportError:
        selenium_missing = True
    else:
        selenium_missing = False
    if browser_paths() is None or selenium_missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the browser tests: {MISSING_HINT}")
        pytest.skip(f"no headless browser here: {MISSING_HINT}")
    os.environ.setdefault("SE_OFFLINE", "true")
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def open_report(
    driver: Any, folder: Path, label: str, text: str, result: ArticleExtraction
) -> None:
    page = folder / f"{label}.html"
    write_report(page, [ReportArticle(label, text, result)])
    driver.get(page.as_uri())


def marks_by_occurrence(driver: Any) -> dict[str, tuple[str, str, int, int, str, bool]]:
    """One entry per highlighted occurrence; fragments of a split mark are joined in order."""
    joined: dict[str, tuple[str, str, int, int, str, bool]] = {}
    for key, kind, entity, start, end, content, on in driver.execute_script(MARKS):
        if key in joined:
            content = joined[key][4] + content
        joined[key] = (kind, entity, start, end, content, on)
    return joined


@pytest.mark.parametrize("case", [SEED, ENGLISH], ids=["seed-ar", "english"])
def test_every_highlight_is_exactly_a_grounded_mention(
    browser: Any, tmp_path: Path, case: Path
) -> None:
    text, result = extract_case(case)
    open_report(browser, tmp_path, case.name, text, result)

    shown = marks_by_occurrence(browser)
    assert browser.execute_script("return document.querySelector('.article').textContent") == text
    expected = sorted((s.start, s.end) for g in iter_grounded(result) for s in g.spans)
    assert sorted((start, end) for _, _, start, end, _, _ in shown.values()) == expected
    for kind, _, start, end, content, _ in shown.values():
        assert content == text[start:end], (kind, start, end)
    names = {(s.start, s.end) for p in result.participants for s in p.name.spans}
    assert names <= {(st, en) for k, _, st, en, _, _ in shown.values() if k == "participant"}
    browser.save_screenshot(str(tmp_path / f"{case.name}.png"))
    assert (tmp_path / f"{case.name}.png").stat().st_size > 10_000


def test_arabic_article_renders_right_to_left(browser: Any, tmp_path: Path) -> None:
    text, result = extract_case(SEED)
    open_report(browser, tmp_path, "seed", text, result)
    assert (
        browser.execute_script(
            "return getComputedStyle(document.querySelector('.article')).direction"
        )
        == "rtl"
    )
    first = text.index("في خطوة")
    first_word = browser.execute_script(CHAR_RECT, ".article", first)
    next_word = browser.execute_script(CHAR_RECT, ".article", first + len("في "))
    assert first_word[1] == pytest.approx(next_word[1], abs=2)  # same line
    assert first_word[0] > next_word[0]  # reading right to left


def test_english_article_renders_left_to_right(browser: Any, tmp_path: Path) -> None:
    text, result = extract_case(ENGLISH)
    open_report(browser, tmp_path, "english", text, result)
    assert (
        browser.execute_script(
            "return getComputedStyle(document.querySelector('.article')).direction"
        )
        == "ltr"
    )
    a = browser.execute_script(CHAR_RECT, ".article", 0)
    b = browser.execute_script(CHAR_RECT, ".article", 6)
    assert a[0] < b[0]


@pytest.mark.parametrize("case", [SEED, ENGLISH], ids=["seed-ar", "english"])
def test_clicking_a_participant_highlights_all_its_mentions(
    browser: Any, tmp_path: Path, case: Path
) -> None:
    text, result = extract_case(case)
    open_report(browser, tmp_path, case.name, text, result)
    first = result.participants[0]
    browser.find_element("css selector", NAME_OF_FIRST).click()

    shown = marks_by_occurrence(browser)
    lit = {(start, end) for _, entity, start, end, _, on in shown.values() if on}
    mine = {(start, end) for _, entity, start, end, _, _ in shown.values() if entity == "a0-p0"}
    mentions = {(s.start, s.end) for g in (first.name, *first.mentions) for s in g.spans}
    assert mentions and mentions <= lit
    assert lit == mine
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('mark.on')).backgroundColor"
    )
    assert colour == "rgb(255, 211, 61)"

    browser.find_element("css selector", NAME_OF_FIRST).click()
    assert not any(on for *_, on in marks_by_occurrence(browser).values())


def test_a_position_jumps_to_its_content(browser: Any, tmp_path: Path) -> None:
    text, result = extract_case(SEED)
    open_report(browser, tmp_path, "seed", text, result)
    last = len(result.positions) - 1
    browser.find_element("css selector", f".panel .position[data-entity='a0-s{last}']").click()
    target = browser.execute_script(
        "const m = document.querySelector(arguments[0]); const r = m.getBoundingClientRect();"
        "return [m.classList.contains('flash'), r.top, r.bottom, innerHeight];",
        f"mark[data-entity='a0-s{last}'][data-kind='content']",
    )
    flashed, top, bottom, height = target
    assert flashed and top >= 0 and bottom <= height + 1


def test_each_participant_lists_its_own_positions_and_they_jump(
    browser: Any, tmp_path: Path
) -> None:
    text, result = extract_case(SEED)
    open_report(browser, tmp_path, "seed", text, result)
    listed_by = {
        i: browser.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.dataset.entity)",
            f".panel .entity[data-entity='a0-p{i}'] .stated [data-entity]",
        )
        for i in range(len(result.participants))
    }
    expected = {
        i: [f"a0-s{k}" for k, pos in enumerate(result.positions) if pos.speaker_id == p.id]
        for i, p in enumerate(result.participants)
    }
    assert listed_by == expected and expected[0] == ["a0-s2", "a0-s3"]  # صدام حفتر's two

    browser.find_element(
        "css selector", ".panel .entity[data-entity='a0-p0'] .stated [data-entity='a0-s3']"
    ).click()
    shown = marks_by_occurrence(browser)
    lit = {entity for _, entity, _, _, _, on in shown.values() if on}
    assert lit == {"a0-s3"}  # the statement's cue and content, not the speaker's name
    flashed = browser.execute_script(
        "return document.querySelector(arguments[0]).classList.contains('flash')",
        "mark[data-entity='a0-s3'][data-kind='content']",
    )
    assert flashed


def test_hostile_article_runs_no_script_and_cannot_reorder_the_page(
    browser: Any, tmp_path: Path
) -> None:
    text, result = injection_case(tmp_path / "case")
    open_report(browser, tmp_path, "hostile", text, result)

    assert browser.execute_script("return typeof window.pwned") == "undefined"
    for element in browser.find_elements("css selector", ".entity, mark"):
        element.click()
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.execute_script("return document.scripts.length") == 1
    for selector in ("img", "textarea", "a[href^='javascript']", ".gist b", "section script"):
        assert browser.find_elements("css selector", selector) == [], selector
    assert browser.execute_script("return document.querySelector('.article').textContent") == text
    panel = browser.find_element("css selector", ".panel").text
    assert "<script>window.pwned = 1</script>" in panel
    assert "✗ not in article" in panel  # the invented title is visibly marked

    # U+202E inside the text must not reverse what follows it: "gnp" stays g, n, p left to right.
    g = text.index("gnp.exe")
    xs = [browser.execute_script(CHAR_RECT, ".article", g + i)[0] for i in range(3)]
    assert xs == sorted(xs)
    later = text.index("end.")
    assert (
        browser.execute_script(CHAR_RECT, ".article", later)[0]
        < browser.execute_script(CHAR_RECT, ".article", later + 1)[0]
    )
    browser.save_screenshot(str(tmp_path / "hostile.png"))
