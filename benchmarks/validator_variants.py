"""The validator on correct answers copied differently: the same statement, other spans.

    .venv/bin/python -m benchmarks.validator_variants

Hand-written reference answers copy cues and contents one way; models and other annotators copy
them another. For every correct statement the validator confirms, this re-copies one span at a
time the ways answers do, and counts how many of those still-correct answers are flagged:

- content with its complementizer: "أن العلاقات ممتازة", "that the talks failed";
- cue with the word after it: "قال كوبل", "اكدت الصحيفة", "said on";
- cue with its conjunction: "و قال" where the text writes "و قال";
- content cut to its first twelve words (a long quotation shortened);
- content without the complementizer it was copied with ("العلاقات ممتازة" for "أن العلاقات");
- content cut to its first clause, up to its first comma;
- the whole answer with no mentions listed (an annotator who gives each participant's name
  only): the validator cannot tell that an unlisted "الصحيفة" or "KCNA" is a participant named
  otherwise, so this counts how often it then names a wrong speaker rather than none;
- the whole answer with every other mention of each participant left out (the first, third,
  ... kept): an annotator who lists some of the forms, not all;
- the whole answer with no titles listed: a title written before the name ("رفض رئيس مجلس
  النواب اللبناني نبيه بري") is then words the validator must read past;
- content copied as the whole sentence that holds it, cue and speaker included ("من جانب ه دعا
  الرئيس الفلسطيني للضغط على اسرائيل ..."), where the sentence holds no other statement.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.extraction.draft import ExtractionDraft  # noqa: E402
from agent.extraction.validate import ValidationRun, find_problems  # noqa: E402
from benchmarks import validator as vb  # noqa: E402

KINDS = (
    "content with its complementizer",
    "cue with the word after it",
    "cue with its conjunction",
    "content cut to twelve words",
    "content without its complementizer",
    "content cut to its first clause",
    "no mentions listed",
    "every other mention listed",
    "no titles listed",
    "content copied as its sentence",
)
_COMPLEMENTIZERS = r"أن|ان|إن|بأن|بان|that"
_COMPLEMENTIZER = re.compile(rf"\s*(?:{_COMPLEMENTIZERS})\s*", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*\S+")
_LEADING = re.compile(rf"(?:{_COMPLEMENTIZERS})\s+(?=\S)", re.IGNORECASE)
_FIRST_COMMA = re.compile(r"\s?[،,]\s")


def _variants(
    text: str,
    cue: tuple[int, int],
    content: tuple[int, int],
    alone: tuple[int, int] | None = None,
) -> Iterator[tuple[str, str, str]]:
    """(kind, field, new value) for one confirmed statement's spans; `alone`: the bounds of
    its sentence when that sentence holds no other statement and the cue is in it."""
    (c0, c1), (t0, t1) = cue, content
    between = text[c1:t0]
    if c1 <= t0 and _COMPLEMENTIZER.fullmatch(between):
        yield KINDS[0], "content", text[c1:t1].strip()
    nxt = _NEXT_WORD.match(text, c1)
    if nxt is not None and nxt.end() <= t0:
        yield KINDS[1], "cue", text[c0 : nxt.end()]
    if text[max(0, c0 - 2) : c0] in ("و ", "ف ") and (c0 == 2 or not text[c0 - 3].isalpha()):
        yield KINDS[2], "cue", text[c0 - 2 : c1]  # not the last letter of "الناتو طلبوا"
    words = text[t0:t1].split()
    if len(words) > 14:
        yield KINDS[3], "content", " ".join(words[:12])
    lead = _LEADING.match(text, t0, t1)
    if lead is not None and t1 - lead.end() > 10:
        yield KINDS[4], "content", text[lead.end() : t1]
    comma = _FIRST_COMMA.search(text, t0, t1)
    if comma is not None and comma.start() - t0 > 15:
        yield KINDS[5], "content", text[t0 : comma.start()].rstrip()
    if alone is not None and text[alone[0] : alone[1]].strip() != text[t0:t1].strip():
        yield KINDS[9], "content", text[alone[0] : alone[1]].strip()


def _alone(bounds: list[tuple[int, int]], decisions: list[Any], i: int) -> tuple[int, int] | None:
    """The sentence of statement `i`'s content, if its cue is in it and no other statement is."""
    d = decisions[i]
    start, end = bounds[vb.sentence_index(bounds, d.content.start)]
    end = max(end, bounds[vb.sentence_index(bounds, max(d.content.start, d.content.end - 1))][1])
    others = [
        e
        for j, e in enumerate(decisions)
        if j != i and e.content is not None and start <= e.content.start < end
    ]
    return (start, end) if d.cue.start >= start and not others else None


def _decide(text: str, answer: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    draft = ExtractionDraft.model_validate(answer)
    return run.attributions(draft), list(find_problems(draft, run))


def _flagged(decisions: list[Any], problems: list[Any], i: int) -> bool:
    return decisions[i].status in ("wrong", "detached") or any(
        p.path.startswith(f"positions[{i}]") for p in problems
    )


def _set(field: str, value: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], None]:
    def rewrite(participant: dict[str, Any]) -> None:
        participant[field] = value(participant)

    return rewrite


# The whole-answer rewrites: (kind, which participants it changes, how).
_WHOLE_ANSWER: list[
    tuple[str, Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], None]]
] = [
    (KINDS[6], lambda p: bool(p["mentions"]), _set("mentions", lambda p: [])),
    (KINDS[7], lambda p: len(p["mentions"]) > 1, _set("mentions", lambda p: p["mentions"][::2])),
    (KINDS[8], lambda p: bool(p["titles"]), _set("titles", lambda p: [])),
]


def measure(cases: list[vb.Case]) -> dict[str, list[int]]:
    """Kind → [variants, flagged]."""
    out = {k: [0, 0] for k in KINDS}
    for case in cases:
        decisions, _ = _decide(case.article, case.answer)
        confirmed = [
            i
            for i, d in enumerate(decisions)
            if d.status == "confirmed" and d.cue is not None and d.content is not None
        ]
        bounds = vb.sentences(case.article)
        for i in confirmed:
            d = decisions[i]
            spans = (d.cue.start, d.cue.end), (d.content.start, d.content.end)
            for kind, field, value in _variants(case.article, *spans, _alone(bounds, decisions, i)):
                answer = copy.deepcopy(case.answer)
                answer["positions"][i][field] = value
                out[kind][0] += 1
                out[kind][1] += _flagged(*_decide(case.article, answer), i)
        for kind, applies, rewrite in _WHOLE_ANSWER:
            if confirmed and any(applies(p) for p in case.answer["participants"]):
                answer = copy.deepcopy(case.answer)
                for participant in answer["participants"]:
                    rewrite(participant)
                again, problems = _decide(case.article, answer)
                out[kind][0] += len(confirmed)
                out[kind][1] += sum(_flagged(again, problems, i) for i in confirmed)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=[*vb.SPLITS, "all"], default="all")
    args = ap.parse_args(argv)
    result = measure(vb.load_cases(args.split))
    print(f"{'re-copied span':36}{'variants':>10}{'flagged / 100':>15}")
    for kind, (n, flagged) in result.items():
        print(f"{kind:36}{n:>10}{100 * flagged / n if n else 0:>15.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
