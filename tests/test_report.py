"""The HTML report without a browser: structure, escaping, loading results, the CLI commands."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.cli.main import main
from agent.errors import InputError
from agent.models import AlignmentStatus, Grounded
from agent.views.html_report import (
    Mark,
    ReportArticle,
    Token,
    load_report_articles,
    render_report,
    text_direction,
    tokenize,
    visible_text,
)
from tests.report_cases import ENGLISH, SEED, extract_case, injection_case


def replay_tokens(tokens: list[Token]) -> tuple[str, dict[str, str]]:
    """The text the tokens spell, and the text inside each mark (fragments joined)."""
    text, stack = "", []
    inside: dict[str, str] = {}
    for tok in tokens:
        if tok.op == "open":
            assert tok.mark is not None
            stack.append(tok.mark.key)
            inside.setdefault(tok.mark.key, "")
        elif tok.op == "close":
            stack.pop()
        else:
            text += tok.text
            for key in stack:
                inside[key] += tok.text
    assert stack == []
    return text, inside


def _mark(key: str, start: int, end: int) -> Mark:
    item = Grounded(text="x", alignment=AlignmentStatus.EXACT, score=1.0)
    return Mark(key, "participant", "e", start, end, item)


@given(
    st.text(min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), max_size=8),
)
def test_tokens_spell_the_text_and_every_mark_covers_its_span(
    text: str, pairs: list[tuple[int, int]]
) -> None:
    marks = [
        _mark(f"m{i}", min(a, b), max(a, b))
        for i, (a, b) in enumerate(pairs)
        if min(a, b) < max(a, b) <= len(text)
    ]
    spelled, inside = replay_tokens(tokenize(text, marks))
    assert spelled == text
    for m in marks:
        assert inside[m.key] == text[m.start : m.end]


def test_crossing_marks_are_split_not_dropped() -> None:
    tokens = tokenize("abcdef", [_mark("a", 0, 4), _mark("b", 2, 6)])
    ops = [(t.op, t.mark.key if t.mark else t.text) for t in tokens]
    assert ops == [
        ("open", "a"), ("text", "ab"), ("open", "b"), ("text", "cd"),
        ("close", ""), ("close", ""), ("open", "b"), ("text", "ef"), ("close", ""),
    ]  # fmt: skip


def test_bidi_controls_are_kept_isolated_and_shown() -> None:
    shown = str(visible_text("a\u202eb<i>"))
    assert shown == 'a<span class="ctl" data-cp="U+202E">\u202e</span>b&lt;i&gt;'


@pytest.mark.parametrize(
    ("text", "direction"),
    [("مرحبا بالعالم", "rtl"), ("hello world", "ltr"), ("hello مرحبا", "auto"), ("2026", "auto")],
)
def test_direction_follows_the_letters(text: str, direction: str) -> None:
    assert text_direction(text) == direction


def test_the_page_is_self_contained_and_locked_down() -> None:
    text, result = extract_case(SEED)
    page = render_report([ReportArticle("seed", text, result)])
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert page.count("<script") == 1 and "<link" not in page
    # every participant and location, and each position again under its speaker
    entries = len(result.participants) + len(result.locations) + len(result.positions)
    assert page.count('class="entity"') == entries


def test_hostile_model_output_is_escaped(tmp_path: Path) -> None:
    text, result = injection_case(tmp_path / "case")
    page = render_report([ReportArticle("<b>label</b>", text, result)])
    assert "<script>window" not in page and "<img" not in page and "<b>label" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert "✗ not in article" in page


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_single_result_with_its_article(tmp_path: Path) -> None:
    text, result = extract_case(ENGLISH)
    saved = _write(tmp_path / "r.json", result.model_dump_json())
    [article] = load_report_articles(saved, ENGLISH / "article.txt")
    assert article.text == text and article.result == result


def test_the_wrong_article_is_refused(tmp_path: Path) -> None:
    _, result = extract_case(ENGLISH)
    saved = _write(tmp_path / "r.json", result.model_dump_json())
    with pytest.raises(InputError, match="does not match this article"):
        load_report_articles(saved, SEED / "article.txt")


def test_a_span_that_starts_after_it_ends_is_refused(tmp_path: Path) -> None:
    _, result = extract_case(ENGLISH)
    data = result.model_dump(mode="json")
    span = data["participants"][0]["name"]["spans"][0]
    span["start"] = span["end"] + 99_999  # sliced to "": was taken as fitting the text
    saved = _write(tmp_path / "r.json", json.dumps(data))
    with pytest.raises(InputError, match="does not match this article"):
        load_report_articles(saved, ENGLISH / "article.txt")


def test_a_missing_results_file_is_named_like_a_missing_article(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.json: no such file$"):
        load_report_articles(tmp_path / "nowhere.json")


def test_jsonl_lines_carry_text_errors_and_paths(tmp_path: Path) -> None:
    seed_text, seed = extract_case(SEED)
    _, english = extract_case(ENGLISH)
    lines = [
        {"id": "seed", "result": seed.model_dump(mode="json"), "text": seed_text},
        {"id": "broken", "error": {"type": "EndpointError", "message": "endpoint refused"}},
        {
            "id": "en",
            "result": english.model_dump(mode="json"),
            "path": str(ENGLISH / "article.txt"),
        },
    ]
    saved = _write(
        tmp_path / "b.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)
    )
    articles = load_report_articles(saved)
    assert [a.label for a in articles] == ["seed", "broken", "en"]
    assert articles[1].error == "endpoint refused" and articles[1].result is None
    assert articles[2].text is not None
    page = render_report(articles)
    assert page.count('class="article-section"') == 3 and 'href="#art-2"' in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "error": "x"}\n{oops\n', "b.jsonl:2: not JSON"),
        ('{"id": "x", "result": {"language": 1}}', "not a khabar result"),
    ],
)
def test_bad_results_are_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_report_articles(_write(tmp_path / "b.jsonl", content))


def run_cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as stop:
        main(args)
    return int(stop.value.code or 0)


def test_report_command_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, result = extract_case(SEED)
    saved = _write(tmp_path / "r.json", result.model_dump_json())
    out = tmp_path / "report.html"
    assert (
        run_cli(["report", str(saved), "--article", str(SEED / "article.txt"), "-o", str(out)]) == 0
    )
    assert 'dir="rtl"' in out.read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().out


def test_report_command_refuses_bad_input_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    bad = _write(tmp_path / "r.json", "{not json")
    assert run_cli(["report", str(bad), "-o", str(out)]) == 2
    assert not out.exists()


def test_extract_html_and_show_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seed.html"
    args = ["extract", str(SEED / "article.txt"), "--replay", str(SEED / "cassette.json")]
    assert run_cli([*args, "--html", str(out), "--show-text"]) == 0
    assert "صدام حفتر" in capsys.readouterr().out
    assert "<mark" in out.read_text(encoding="utf-8")
    assert run_cli([*args, "--json", "--show-text"]) == 2
