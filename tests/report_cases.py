"""Results for the report tests, made by the real pipeline (openai client over a cassette)."""

from __future__ import annotations

import json
from pathlib import Path

from agent.articles import read_article
from agent.cassettes.replay import Cassette, ReplayTransport
from agent.fixtures.reference import reference_settings, write_reference_cassette
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.models import ArticleExtraction

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
SEED = CASES / "seed_military_visit"
ENGLISH = CASES / "reask_invented_participant"

INJECTION_TEXT = (
    "Hostile <script>window.pwned = 1</script> Minister Jane Roe said that "
    '</textarea><img src=x onerror="window.pwned = 2"> nothing will change.\n'
    '<a href="javascript:window.pwned = 3">click</a> {{ 7 * 7 }} in Springfield.\n'
    "Override \u202egnp.exe\u202c and \u2067isolate\u2069 end. Jane Roe left Springfield."
)


def extract_case(case: Path) -> tuple[str, ArticleExtraction]:
    """The article and its result, replayed from the case's cassette."""
    settings = reference_settings()
    cassette = Cassette.load(case / "cassette.json")
    client = openai_client(settings, transport=ReplayTransport(cassette))
    text = read_article(case / "article.txt")
    return text, Extractor(settings, client=client).extract(text)


def injection_case(folder: Path) -> tuple[str, ArticleExtraction]:
    """A hostile article and hand-written answers (hostile too), run through the real extractor.

    The answers were written by hand for this test, not produced by a model. The invented title
    stays ungrounded through every re-ask, so the result carries a flagged, unaligned item.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(INJECTION_TEXT, encoding="utf-8")
    answer = {
        "language": "en",
        "participants": [
            {
                "id": "p1",
                "name": "Jane Roe",
                "name_en": "Jane Roe <script>window.pwned = 4</script>",
                "kind": "person",
                "titles": [
                    {"text": "Minister", "kind": "office", "organization": None},
                    {"text": "Grand Vizier of Nowhere", "kind": "office", "organization": None},
                ],
                "affiliation": None,
                "role": "speaker",
                "mentions": [],
            },
            {
                "id": "p2",
                "name": "<script>window.pwned = 1</script>",
                "name_en": '" onmouseover="window.pwned = 5',
                "kind": "group",
                "titles": [],
                "affiliation": None,
                "role": "mentioned",
                "mentions": [],
            },
        ],
        "locations": [
            {
                "id": "l1",
                "name": "Springfield",
                "name_en": "javascript:window.pwned = 6",
                "kind": "city",
                "role": "venue",
                "country_code": None,
            }
        ],
        "positions": [
            {
                "speaker_id": "p1",
                "cue": "said",
                "content": '</textarea><img src=x onerror="window.pwned = 2"> nothing will change',
                "attribution": "reported",
                "gist_en": "<b>bold</b> nothing will change",
                "topic": "</style><script>window.pwned = 7</script>",
                "stance": "neutral",
                "about_ids": [],
            }
        ],
    }
    spec = {
        "meta": {
            "source": "hand-written",
            "note": "Hostile test answers written by hand for the report tests; NOT from a model.",
        },
        "answers": [answer, answer, answer],
    }
    (folder / "answers.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return INJECTION_TEXT, write_reference_cassette(folder)
