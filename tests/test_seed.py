"""Acceptance on the seed article: officers, ranks, offices, places, who said what, and nothing
attributed from the writer's closing analysis. The cassette is a hand-written reference answer."""

import json

import jsonschema
import pytest

from agent.cli.main import main
from agent.models import AlignmentStatus, ArticleExtraction
from tests.conftest import ROOT, SEED, assert_spans_slice_article, replay_extractor

TEXT = (SEED / "article.txt").read_text(encoding="utf-8")
ANALYSIS_STARTS = TEXT.index("تأتي الزيارة في سياق")


@pytest.fixture(scope="module")
def result() -> ArticleExtraction:
    return replay_extractor(SEED / "cassette.json").extract(TEXT)


def _person(result: ArticleExtraction, name: str) -> tuple[str, list[tuple[str, str]]]:
    (p,) = [p for p in result.participants if p.name.text == name]
    return p.id, [(t.text.text, t.kind) for t in p.titles]


def test_four_named_officers_with_ranks_and_offices(result: ArticleExtraction) -> None:
    _, saddam = _person(result, "صدام حفتر")
    assert ("الفريق أول ركن", "rank") in saddam
    assert ("نائب القائد العام للجيش الوطني الليبي", "office") in saddam
    _, saqr = _person(result, "عبد المجيد صقر")
    assert ("الفريق أول", "rank") in saqr
    assert ("وزير الدفاع والإنتاج الحربي", "office") in saqr
    _, khalifa = _person(result, "أحمد خليفة")
    assert ("الفريق", "rank") in khalifa
    assert ("رئيس أركان حرب القوات المسلحة المصرية", "office") in khalifa
    _, marshal = _person(result, "خليفة حفتر")
    assert marshal == [("المشير", "rank")]


def test_places_from_the_ministry_to_the_eastern_mediterranean(result: ArticleExtraction) -> None:
    places = {loc.name.text: loc.kind for loc in result.locations}
    assert places["مصر"] == "country" and places["ليبيا"] == "country"
    assert places["مقر الأمانة العامة لوزارة الدفاع"] == "facility"
    assert places["القاهرة"] == "city"
    assert "شرق المتوسط" in places
    assert all(loc.name.grounded for loc in result.locations)


def test_positions_have_the_right_speakers(result: ArticleExtraction) -> None:
    khalifa, _ = _person(result, "أحمد خليفة")
    saddam, _ = _person(result, "صدام حفتر")
    by_cue = {p.cue.text: p.speaker_id for p in result.positions}
    assert by_cue["أكد"] == khalifa
    assert by_cue["مشددًا على"] == khalifa
    assert by_cue["أعرب"] == saddam
    assert by_cue["مشيدًا"] == saddam


def test_closing_analysis_is_attributed_to_no_one(result: ArticleExtraction) -> None:
    for position in result.positions:
        for field in (position.cue, position.content):
            assert field.spans, field.text
            assert all(span.end <= ANALYSIS_STARTS for span in field.spans), field.text


def test_every_span_slices_the_article(result: ArticleExtraction) -> None:
    assert assert_spans_slice_article(result, TEXT) >= 40
    assert result.grounding.issues == []
    assert result.grounding.counts[AlignmentStatus.UNALIGNED] == 0
    libyan_army = next(p for p in result.participants if p.id == "p7")
    assert libyan_army.name.alignment == "clitic"  # only ever written للجيش الوطني الليبي
    for span in libyan_army.name.spans:
        assert TEXT[span.start : span.end].endswith("جيش الوطني الليبي")


def test_cli_json_output_validates_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["extract", str(SEED / "article.txt"), "--replay", str(SEED / "cassette.json"), "--json"]
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0
    payload = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "schemas" / "article_extraction.schema.json").read_text())
    jsonschema.validate(payload, schema)
    assert payload["provenance"]["attempts"] == 1
    assert payload["provenance"]["model"] == "reference-answer"
