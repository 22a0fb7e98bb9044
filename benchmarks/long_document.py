"""One 100,000-character document: khabar's chunked extraction against the ideal and langextract.

Both engines talk to the same fake endpoint (`agent.fixtures.fake_endpoint`, a real HTTP server
in this process) that answers every request after a fixed latency (1 s by default) with an empty
extraction, in the shape each engine asks for (khabar: a tool call; langextract: JSON content).
The answers are empty on purpose: this measures how the document is cut and scheduled, not what a
model finds.

- khabar: `Extractor.extract` (worker threads, the `khabar extract` path) and `aextract` (tasks, the
  `extract_many`/`khabar batch` path) at the default chunk size and --chunk-concurrency. Ideal wall
  time: ceil(chunks / chunk-concurrency) x latency.
- langextract (`pip install -e '.[bench]'`): `lx.extract` on the same text with its OpenAI provider
  pointed at the same endpoint, at its defaults (max_char_buffer 1000, batch_length 10,
  max_workers 10), then with max_char_buffer set to khabar's chunk size.

Calls are counted by the endpoint; prompt size is the characters of the request bodies the
endpoint received, a tokenizer-free stand-in for prompt tokens (both engines are measured the same
way, so the ratio holds).

    .venv/bin/python -m benchmarks.long_document            # ~30 s
    .venv/bin/python -m benchmarks.long_document --latency 0.5 --chars 50000
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import math
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from aiohttp import web

from agent.fixtures.fake_endpoint import FakeEndpoint
from agent.llm.pipeline import Extractor
from agent.settings import Settings
from agent.text.chunking import split_article

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
# Valid for both engines: khabar's draft ignores "extractions", langextract the other keys.
ANSWER = {"language": "en", "participants": [], "locations": [], "positions": [], "extractions": []}


class CountingEndpoint(FakeEndpoint):
    """The fake endpoint, also counting calls and request characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls = 0
        self.request_chars = 0
        self._count_lock = threading.Lock()

    def _answer(self, request: web.Request, raw: bytes) -> tuple[int, dict[str, Any]]:
        with self._count_lock:
            self.calls += 1
            self.request_chars += len(raw.decode("utf-8"))
        return super()._answer(request, raw)

    def reset(self) -> None:
        with self._count_lock:
            self.calls = 0
            self.request_chars = 0


def document(chars: int) -> str:
    """Real news text: the English fixture articles (GUM Wikinews, CC BY 2.5, see each case's
    SOURCE.md), joined and repeated up to `chars`, cut at a paragraph end."""
    texts = [
        (case / "article.txt").read_text(encoding="utf-8").strip()
        for case in sorted(CASES.glob("en_*"))
        if not case.name.startswith("en_prompt_injection")
    ]
    out: list[str] = []
    size = 0
    while size < chars:
        for text in texts:
            out.append(text)
            size += len(text) + 2
            if size >= chars:
                break
    joined = "\n\n".join(out)
    return joined[: joined.rfind("\n\n", 0, chars) if len(joined) > chars else chars].rstrip()


def run_khabar(
    fake: CountingEndpoint, text: str, asynchronous: bool, **overrides: Any
) -> dict[str, Any]:
    settings = Settings(base_url=fake.base_url, model="bench", api_key="bench").with_overrides(
        **overrides
    )
    fake.reset()
    started = time.perf_counter()
    if asynchronous:

        async def go() -> Any:
            extractor = Extractor(settings)
            try:
                return await extractor.aextract(text)
            finally:
                await extractor.aclose()

        result = asyncio.run(go())
    else:
        with Extractor(settings) as extractor:
            result = extractor.extract(text)
    wall = time.perf_counter() - started
    chunks = result.provenance.chunks or []
    return {
        "wall_s": wall,
        "chunks": len(chunks),
        "calls": fake.calls,
        "request_chars": fake.request_chars,
        "concurrency": settings.chunk_concurrency,
        "chunk_chars": settings.chunk_chars,
    }


# The task as khabar's prompt states it, in langextract's terms: the same fields, one example.
SAME_TASK = (
    "Extract, copying each string exactly as written in the article: participants (people, "
    "organisations, states, groups) with kind, role in the story (host, visitor, speaker, "
    "attendee, subject, mentioned), title and affiliation; locations with kind, role (venue, "
    "origin, destination, mentioned) and ISO country code; and stated positions: what a "
    "participant affirmed, stressed, denied or said, with the speaker, the attributing cue, "
    "direct or reported attribution, the stance and a few words of topic. Never extract the "
    "writer's own commentary. Do not translate; leave out anything the article does not state."
)


def _examples(same_task: bool) -> list[Any]:
    import langextract as lx

    if not same_task:  # the toy of benchmarks/batch.py: one organisation
        return [
            lx.data.ExampleData(
                text="The Foreign Ministry said the talks would resume in Cairo.",
                extractions=[
                    lx.data.Extraction("organization", "Foreign Ministry", attributes={"role": "x"})
                ],
            )
        ]
    text = (
        "Egypt's Chief of Staff Ahmed Khalifa received Libyan commander Saddam Haftar in Cairo "
        "on Monday. Khalifa said the talks would continue next month."
    )
    return [
        lx.data.ExampleData(
            text=text,
            extractions=[
                lx.data.Extraction(
                    "participant",
                    "Ahmed Khalifa",
                    attributes={
                        "kind": "person",
                        "role": "host",
                        "title": "Chief of Staff",
                        "affiliation": "Egypt",
                        "mentions": "Khalifa",
                    },
                ),
                lx.data.Extraction(
                    "participant",
                    "Saddam Haftar",
                    attributes={"kind": "person", "role": "visitor", "title": "commander"},
                ),
                lx.data.Extraction(
                    "location",
                    "Cairo",
                    attributes={"kind": "city", "role": "venue", "country_code": "EG"},
                ),
                lx.data.Extraction(
                    "stated_position",
                    "the talks would continue next month",
                    attributes={
                        "speaker": "Ahmed Khalifa",
                        "cue": "said",
                        "attribution": "reported",
                        "stance": "positive",
                        "topic": "Egypt-Libya talks",
                    },
                ),
            ],
        )
    ]


def run_langextract(
    fake: CountingEndpoint, text: str, buffer: int | None, same_task: bool
) -> dict[str, Any]:
    import langextract as lx
    from langextract.providers.openai import OpenAILanguageModel

    warnings.simplefilter("ignore")
    examples = _examples(same_task)
    model = OpenAILanguageModel(model_id="bench", api_key="bench", base_url=fake.base_url)
    options: dict[str, Any] = {} if buffer is None else {"max_char_buffer": buffer}
    fake.reset()
    started = time.perf_counter()
    lx.extract(
        text_or_documents=text,
        prompt_description=SAME_TASK if same_task else "Extract the organisations named.",
        examples=examples,
        model=model,
        fence_output=False,
        use_schema_constraints=False,
        show_progress=False,
        **options,
    )
    wall = time.perf_counter() - started
    return {"wall_s": wall, "calls": fake.calls, "request_chars": fake.request_chars}


def main() -> None:
    parser = argparse.ArgumentParser(description="khabar on one long document vs langextract")
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    text = document(args.chars)
    print(
        f"document: {len(text):,} characters (Wikinews via GUM), endpoint latency {args.latency} s"
    )
    fake = CountingEndpoint(answers=[ANSWER], latency=args.latency)
    with fake:
        warm = Settings(base_url=fake.base_url, model="bench", api_key="bench")
        with Extractor(warm) as extractor:  # imports and schema caches, not measured
            extractor.extract(text[:2000])
        khabar_runs: list[tuple[str, dict[str, Any]]] = [
            ("khabar extract", run_khabar(fake, text, False)),
            ("khabar aextract", run_khabar(fake, text, True)),
            (
                "khabar extract --chunk-concurrency 10",
                run_khabar(fake, text, False, chunk_concurrency=10),
            ),
            (
                "khabar extract --chunk-chars 20000",
                run_khabar(fake, text, False, chunk_chars=20_000),
            ),
        ]
        khabar = khabar_runs[0][1]
        assert khabar["chunks"] == len(split_article(text, khabar["chunk_chars"]))
        lx_runs: list[tuple[str, dict[str, Any]]] = []
        if importlib.util.find_spec("langextract") is not None:
            size = khabar["chunk_chars"]
            lx_runs = [
                ("langextract defaults, toy prompt", run_langextract(fake, text, None, False)),
                ("langextract defaults, same task", run_langextract(fake, text, None, True)),
                (f"langextract buffer={size}, same task", run_langextract(fake, text, size, True)),
            ]
        else:
            print("langextract is not installed (pip install -e '.[bench]'): khabar only")
    print(
        f"{'engine':<40} {'chunks':>6} {'wall s':>7} {'ideal s':>7} {'calls':>6} {'req chars':>10}"
    )
    for name, f in khabar_runs + lx_runs:
        chunks = f.get("chunks")
        ideal = f"{math.ceil(chunks / f['concurrency']) * args.latency:7.1f}" if chunks else " " * 7
        print(
            f"{name:<40} {chunks or '':>6} {f['wall_s']:>7.2f} {ideal} {f['calls']:>6} "
            f"{f['request_chars']:>10,}"
        )
    for name, f in khabar_runs:
        ideal_s = math.ceil(f["chunks"] / f["concurrency"]) * args.latency
        print(f"{name}: wall / ideal = {f['wall_s'] / ideal_s:.2f}x")
    for name, f in lx_runs:
        print(
            f"khabar extract / {name}: calls {khabar['calls'] / f['calls']:.2f}x, "
            f"prompt chars {khabar['request_chars'] / f['request_chars']:.2f}x, "
            f"wall {khabar['wall_s'] / f['wall_s']:.2f}x"
        )
    if lx_runs:
        big = khabar_runs[3][1]
        toy = lx_runs[0][1]
        print(
            f"khabar --chunk-chars 20000 / langextract defaults, toy prompt: "
            f"calls {big['calls'] / toy['calls']:.2f}x, "
            f"prompt chars {big['request_chars'] / toy['request_chars']:.2f}x"
        )


if __name__ == "__main__":
    main()
