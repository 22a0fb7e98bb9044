"""Long articles end to end, over the real openai + instructor path: chunks, merge, faults.

The four-chunk case `en_chunked_gum_digest` joins seven GUM Wikinews articles (30,321
characters); its per-chunk answers are hand-written (see its answers.json). Faults run against
the fake endpoint (a real HTTP server) or against hand-written answers built in a temp folder.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from agent.batch.engine import extract_many
from agent.cassettes.replay import Cassette, ReplayTransport, replay_settings
from agent.errors import EndpointFailed, EndpointUnreachable, ValidationFailed
from agent.fixtures.fake_endpoint import FakeEndpoint
from agent.fixtures.reference import reference_settings, write_reference_cassette
from agent.llm.client import async_openai_client, openai_client
from agent.llm.pipeline import Extractor, aextract
from agent.models import ArticleExtraction, ChunkStatus
from agent.settings import Settings
from agent.text.chunking import split_article
from tests.conftest import CASES, assert_spans_slice_article

CASE = CASES / "en_chunked_gum_digest"
TEXT = (CASE / "article.txt").read_text(encoding="utf-8")
EMPTY = {"language": "en", "participants": [], "locations": [], "positions": []}


def replayed(**overrides: Any) -> tuple[Cassette, Settings]:
    cassette = Cassette.load(CASE / "cassette.json")
    return cassette, replay_settings(cassette, reference_settings(**overrides))


def extract_case(**overrides: Any) -> ArticleExtraction:
    cassette, settings = replayed(**overrides)
    client = openai_client(settings, transport=ReplayTransport(cassette))
    return Extractor(settings, client=client).extract(TEXT)


def by_name(result: ArticleExtraction, name: str) -> Any:
    found = [p for p in result.participants if p.name.text == name]
    assert len(found) == 1, [p.name.text for p in result.participants]
    return found[0]


def test_the_case_really_is_four_overlapping_chunks() -> None:
    chunks = split_article(TEXT, 8000)
    assert len(TEXT) > 30_000 and len(chunks) == 4
    assert all(b.start < a.end for a, b in itertools.pairwise(chunks))


def test_a_participant_in_several_chunks_is_one_with_every_span() -> None:
    result = extract_case()
    church = by_name(result, "Church of Scientology")  # listed by chunks 2 and 3
    starts = [s.start for s in church.name.spans]
    assert len(starts) == TEXT.casefold().count("church of scientology")  # "church of" too
    assert min(starts) < 15_338 < 15_460 < max(starts)  # both sides of the chunk seam
    hong_kong = [loc for loc in result.locations if loc.name.text == "Hong Kong"]
    assert len(hong_kong) == 1 and len(hong_kong[0].name.spans) == TEXT.count("Hong Kong")


def test_a_short_form_merges_into_the_full_name() -> None:
    result = extract_case()
    names = [p.name.text for p in result.participants]
    assert "Montalvo" not in names and "Rathbun" not in names  # chunk 3's names for them
    montalvo = by_name(result, "Daniel Montalvo")
    assert [m.text for m in montalvo.mentions] == ["Montalvo"]
    assert len(montalvo.mentions[0].spans) == TEXT.count("Montalvo")
    assert max(s.start for s in montalvo.mentions[0].spans) > 16_000  # chunk 3 only
    assert "Rathbun" in [m.text for m in by_name(result, "Mark Rathbun").mentions]


def test_two_people_sharing_a_surname_stay_two() -> None:
    result = extract_case()
    stan, starry = by_name(result, "Stan Lee"), by_name(result, "Starry Lee")
    assert stan.id != starry.id
    ahmed, father = by_name(result, "Ahmed Mohamed"), by_name(result, "Mohamed El-Hassan Mohamed")
    assert ahmed.id != father.id


def test_a_statement_in_the_shared_sentence_survives_once() -> None:
    result = extract_case()
    cooper = by_name(result, "Yvette Cooper")
    hers = [p for p in result.positions if p.speaker_id == cooper.id]
    assert len(hers) == 1  # chunks 3 and 4 both found it
    assert [t.text.text for t in cooper.titles] == ["Shadow Home Secretary"]


def test_ids_are_renumbered_in_order_of_first_mention_and_references_follow() -> None:
    result = extract_case()
    ids = [p.id for p in result.participants]
    assert ids == [f"p{i}" for i in range(1, len(ids) + 1)]
    firsts = [
        min(s.start for g in (p.name, *p.mentions) for s in g.spans) for p in result.participants
    ]
    assert firsts == sorted(firsts)
    father = by_name(result, "Mohamed El-Hassan Mohamed")
    (said,) = [p for p in result.positions if p.speaker_id == father.id]
    new_york = next(loc for loc in result.locations if loc.name.text == "New York")
    assert said.about_ids == [by_name(result, "Ahmed Mohamed").id, new_york.id]


def test_every_span_slices_the_whole_article_and_provenance_sums_the_chunks() -> None:
    result = extract_case()
    assert assert_spans_slice_article(result, TEXT) > 30
    assert result.grounding.issues == []
    chunks = result.provenance.chunks
    assert chunks is not None and [c.index for c in chunks] == [1, 2, 3, 4]
    assert all(c.status is ChunkStatus.OK and c.attempts == 1 for c in chunks)
    assert result.provenance.attempts == 4
    assert result.provenance.usage.prompt_tokens == sum(c.usage.prompt_tokens for c in chunks)


def test_aextract_and_extract_many_give_the_same_merged_result() -> None:
    sync = extract_case()
    cassette, settings = replayed()

    async def both() -> tuple[ArticleExtraction, ArticleExtraction]:
        client = async_openai_client(settings, transport=ReplayTransport(cassette))
        one = await aextract(TEXT, client=client, settings=settings)
        batch = extract_many(
            [{"id": "long", "text": TEXT}],
            settings=settings,
            transport=ReplayTransport(Cassette.load(CASE / "cassette.json")),
        )
        records = [record async for record in batch]
        assert len(records) == 1 and records[0].result is not None, records
        return one, records[0].result

    for other in asyncio.run(both()):
        assert other.model_dump(exclude={"provenance"}) == sync.model_dump(exclude={"provenance"})


def test_an_article_that_fits_one_chunk_keeps_todays_provenance() -> None:
    cassette = Cassette.load(CASES / "seed_military_visit" / "cassette.json")
    settings = replay_settings(cassette, reference_settings())
    text = (CASES / "seed_military_visit" / "article.txt").read_text(encoding="utf-8")
    client = openai_client(settings, transport=ReplayTransport(cassette))
    result = Extractor(settings, client=client).extract(text)
    assert result.provenance.chunks is None
    assert "chunks" not in result.model_dump()["provenance"]


# -- faults ---------------------------------------------------------------------------------------


def case_with(tmp_path: Path, chunk: int, answers: list[dict[str, Any]]) -> Path:
    """The long case with chunk `chunk` (1-based) answered by `answers` instead."""
    folder = tmp_path / "case"
    folder.mkdir(parents=True)
    shutil.copy(CASE / "article.txt", folder / "article.txt")
    spec = json.loads((CASE / "answers.json").read_text(encoding="utf-8"))
    spec["chunks"][chunk - 1] = answers
    (folder / "answers.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return folder


NEVER_VALID = {"language": "english", "participants": "none"}  # fails the schema every time


def test_a_chunk_that_never_validates_fails_the_article_by_name(tmp_path: Path) -> None:
    folder = case_with(tmp_path, 3, [NEVER_VALID] * 3)
    with pytest.raises(ValidationFailed) as caught:
        write_reference_cassette(folder)
    assert str(caught.value).startswith("chunk 3 of 4: the model's answer did not validate")
    assert caught.value.attempts == 3


def test_a_chunk_that_never_validates_is_flagged_and_the_rest_kept(tmp_path: Path) -> None:
    folder = case_with(tmp_path, 3, [NEVER_VALID] * 3)
    settings = reference_settings(transport_attempts=1, on_failed_chunk="flag")
    result = write_reference_cassette(folder, settings)
    chunks = result.provenance.chunks
    assert chunks is not None and [c.status for c in chunks] == ["ok", "ok", "failed", "ok"]
    assert chunks[2].attempts == 3 and chunks[2].error is not None
    assert "did not validate after 3 attempt(s)" in chunks[2].error
    assert result.provenance.attempts == 6  # 1 + 1 + 3 + 1
    names = [p.name.text for p in result.participants]
    assert "Valeska Paris" not in names  # only chunk 3 had her
    assert "Daniel Montalvo" in names and "Ahmed Mohamed" in names
    assert assert_spans_slice_article(result, TEXT) > 10


def fake_settings(fake: FakeEndpoint, **overrides: Any) -> Settings:
    base = Settings(base_url=fake.base_url, model="fake", api_key="k", max_reasks=0)
    return base.with_overrides(**overrides)


def test_a_chunk_that_times_out_is_named_or_flagged() -> None:
    with FakeEndpoint(answers=[EMPTY], faults=[None, "slow"], slow_seconds=3.0) as fake:
        settings = fake_settings(fake, timeout=0.5, transport_attempts=1, chunk_concurrency=1)
        with pytest.raises(EndpointUnreachable) as caught, Extractor(settings) as extractor:
            extractor.extract(TEXT)
        assert str(caught.value).startswith("chunk 2 of 4: 127.0.0.1")
        assert "did not answer within 0.5 s" in str(caught.value)
    with FakeEndpoint(answers=[EMPTY], faults=[None, "slow"], slow_seconds=3.0) as fake:
        settings = fake_settings(
            fake, timeout=0.5, transport_attempts=1, chunk_concurrency=1, on_failed_chunk="flag"
        )
        with Extractor(settings) as extractor:
            result = extractor.extract(TEXT)
    chunks = result.provenance.chunks
    assert chunks is not None and [c.status for c in chunks] == ["ok", "failed", "ok", "ok"]
    assert chunks[1].error is not None and "did not answer" in chunks[1].error


def test_every_chunk_failing_fails_even_under_flag() -> None:
    with FakeEndpoint(answers=[EMPTY], faults=["server_error"] * 40) as fake:
        settings = fake_settings(fake, transport_attempts=1, on_failed_chunk="flag")
        with (
            pytest.raises(
                EndpointFailed, match=r"^chunk 1 of 4: 127\.0\.0\.1:\d+ answered HTTP 500"
            ),
            Extractor(settings) as extractor,
        ):
            extractor.extract(TEXT)


def test_a_300000_character_paragraph_goes_through_in_chunks_cut_at_spaces() -> None:
    text = " ".join(f"word{i % 89}" for i in range(50_000))[:300_000].strip()
    with FakeEndpoint(answers=[EMPTY]) as fake:
        settings = fake_settings(fake, chunk_concurrency=8)
        with Extractor(settings) as extractor:
            result = extractor.extract(text)
        assert fake.requests == len(split_article(text, 8000))
    chunks = result.provenance.chunks
    assert chunks is not None and len(chunks) >= 300_000 // 8000
    assert all(c.status is ChunkStatus.OK and c.note is None for c in chunks)
    assert all(c.end == len(text) or text[c.end] == " " for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)


async def aextract_closed(text: str, settings: Settings) -> ArticleExtraction:
    extractor = Extractor(settings)
    try:
        return await extractor.aextract(text)
    finally:
        await extractor.aclose()


def test_one_giant_word_is_cut_hard_and_provenance_says_so() -> None:
    text = "ن" * 20_000
    with FakeEndpoint(answers=[EMPTY]) as fake:
        result = asyncio.run(aextract_closed(text, fake_settings(fake)))
    chunks = result.provenance.chunks
    assert chunks is not None and len(chunks) == 3
    assert [c.note for c in chunks[:2]] == ["cut inside a word: no space in 8,000 characters"] * 2
    assert chunks[2].note is None
    assert [(c.start, c.end) for c in chunks] == [(0, 8000), (8000, 16000), (16000, 20000)]


def test_a_second_pass_is_told_what_was_found_and_its_repeats_merge(tmp_path: Path) -> None:
    source = CASES / "en_direct_quotes_crane"
    answer = json.loads((source / "answers.json").read_text(encoding="utf-8"))["answers"][0]
    folder = tmp_path / "passes"
    folder.mkdir()
    shutil.copy(source / "article.txt", folder / "article.txt")
    spec = {"meta": {"note": "test: two passes over one chunk"}, "chunks": [[answer, answer]]}
    (folder / "answers.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    result = write_reference_cassette(folder, reference_settings(transport_attempts=1, passes=2))
    exchanges = Cassette.load(folder / "cassette.json").exchanges
    assert len(exchanges) == 2
    first, second = (e["request"]["body"]["messages"] for e in exchanges)
    assert second[:2] == first  # the same request, and one more message:
    assert second[2]["role"] == "user" and "already found" in second[2]["content"]
    assert answer["participants"][0]["name"] in second[2]["content"]
    assert len(result.participants) == len(answer["participants"])  # the repeats merged
    assert len(result.positions) == len(answer["positions"])
    assert result.provenance.passes == 2 and result.provenance.attempts == 2


# -- the command line -----------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from agent.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_khabar_extract_merges_a_long_article_from_its_cassette(
    capsys: pytest.CaptureFixture[str],
) -> None:
    article, cassette = str(CASE / "article.txt"), str(CASE / "cassette.json")
    code, out, err = run_cli(
        capsys, "extract", article, "--replay", cassette, "--json", "--chunk-concurrency", "2"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [c["status"] for c in data["provenance"]["chunks"]] == ["ok"] * 4
    assert "Daniel Montalvo" in [p["name"]["text"] for p in data["participants"]]


def test_khabar_refuses_a_chunk_size_too_small_to_hold_context(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = str(CASE / "article.txt")
    code, _, err = run_cli(capsys, "extract", article, "--chunk-chars", "50")
    assert code == 2 and "--chunk-chars" in err and "50" in err
    monkeypatch.setenv("KHABAR_CHUNK_CHARS", "50")
    code, _, err = run_cli(capsys, "extract", article)
    assert code == 2
    assert err.strip() == "error: KHABAR_CHUNK_CHARS: chunk_chars must be 200 or more, got 50"


LEE: dict[str, Any] = {"id": "p3", "name": "Lee", "name_en": "Lee", "kind": "person", "titles": [],
       "affiliation": None, "role": "attendee", "mentions": []}  # fmt: skip


def test_a_surname_alone_merges_only_when_one_person_bears_it(tmp_path: Path) -> None:
    spec = json.loads((CASE / "answers.json").read_text(encoding="utf-8"))
    first = spec["chunks"][0][0]
    first["participants"][0]["mentions"] = []  # Stan Lee, no longer with "Lee" as a mention
    with_lee = {**first, "participants": [*first["participants"], LEE]}
    result = write_reference_cassette(case_with(tmp_path / "both", 1, [with_lee]))
    names = [p.name.text for p in result.participants]
    assert "Lee" in names  # "Lee" could be Stan Lee or Starry Lee: kept apart
    alone = {**spec["chunks"][1][0]}
    alone["participants"] = [p for p in alone["participants"] if p["name"] != "Starry Lee"]
    folder = case_with(tmp_path / "one", 1, [with_lee])
    spec_one = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    spec_one["chunks"][1] = [alone]
    (folder / "answers.json").write_text(json.dumps(spec_one, ensure_ascii=False), "utf-8")
    result = write_reference_cassette(folder)
    names = [p.name.text for p in result.participants]
    assert "Lee" not in names and "Starry Lee" not in names
    assert [m.text for m in by_name(result, "Stan Lee").mentions] == ["Lee"]


SEED = CASES / "seed_military_visit"


def _person(pid: str, name: str, role: str, **more: Any) -> dict[str, Any]:
    return {"id": pid, "name": name, "kind": "person", "role": role, "titles": [],
            "mentions": [], **more}  # fmt: skip


def arabic_case(tmp_path: Path, last_chunk: list[dict[str, Any]], father: bool) -> Path:
    """The seed article cut at 700 characters (four chunks), one hand-written answer each."""
    saddam = _person(
        "p1", "صدام حفتر", "visitor", titles=[{"text": "الفريق أول ركن", "kind": "rank"}]
    )
    third = [_person("p1", "صدّام حفتر", "speaker")]  # with a shadda: the same folded name
    if father:
        third.append(_person("p2", "خليفة حفتر", "mentioned"))
    answers = [
        {"participants": [saddam, _person("p2", "عبد المجيد صقر", "host")], "locations": [
            {"id": "l1", "name": "مصر", "kind": "country", "role": "destination"}]},
        {"participants": [_person("p1", "أحمد خليفة", "host")], "locations": []},
        {"participants": third, "locations": [
            {"id": "l1", "name": "القاهرة", "kind": "city", "role": "mentioned"}],
         "positions": [{"speaker_id": "p1", "cue": "أعرب", "attribution": "reported",
                        "content": "عن تقديره الكبير للدور المصري الداعم للشعب الليبي",
                        "gist_en": "Haftar praised Egypt's role.", "topic": "Egypt-Libya ties",
                        "stance": "positive", "about_ids": ["l1"]}]},
        {"participants": last_chunk, "locations": []},
    ]  # fmt: skip
    folder = tmp_path / ("with_father" if father else "without_father")
    folder.mkdir()
    shutil.copy(SEED / "article.txt", folder / "article.txt")
    spec = {
        "meta": {"note": "test: the seed article in four chunks", "chunk_chars": 700},
        "chunks": [[{"language": "ar", "positions": [], **a}] for a in answers],
    }
    (folder / "answers.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return folder


def test_arabic_names_merge_by_folded_form_and_an_unambiguous_short_form(tmp_path: Path) -> None:
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    assert len(split_article(text, 700)) == 4
    short = [_person("p1", "حفتر", "subject")]
    result = write_reference_cassette(arabic_case(tmp_path, short, father=False))
    assert [p.name.text for p in result.participants] == [
        "صدام حفتر",
        "عبد المجيد صقر",
        "أحمد خليفة",
    ]
    saddam = result.participants[0]
    assert [m.text for m in saddam.mentions] == ["حفتر"]  # صدّام حفتر is his name, folded
    assert len(saddam.name.spans) == text.count("صدام حفتر")
    (stated,) = result.positions
    assert stated.speaker_id == saddam.id
    assert stated.about_ids == [
        next(loc.id for loc in result.locations if loc.name.text == "القاهرة")
    ]
    assert assert_spans_slice_article(result, text) > 5


def test_an_arabic_surname_two_people_share_merges_with_neither(tmp_path: Path) -> None:
    short = [_person("p1", "حفتر", "subject")]
    result = write_reference_cassette(arabic_case(tmp_path, short, father=True))
    names = [p.name.text for p in result.participants]
    assert names.count("صدام حفتر") == 1 and "خليفة حفتر" in names and "حفتر" in names
