"""The validator on correct answers copied differently: the same statement, other spans.

    .venv/bin/python -m benchmarks.validator_variants

Hand-written reference answers copy cues and contents one way; models and other annotators copy
them another. For every correct statement the validator confirms, this re-copies one span at a
time the ways answers do, and counts how many of those still-correct answers are flagged:

- content with its complementizer: "أن العلاقات ممتازة", "that the talks failed";
- cue with the word after it: "قال كوبل", "اكدت الصحيفة", "said on";
- cue with its conjunction: "و قال" where the text writes "و قال";
- content cut to its first twelve words (a long quotation shortened).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterator
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
)
_COMPLEMENTIZER = re.compile(r"\s*(?:أن|ان|إن|بأن|بان|that)\s*", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*\S+")


def _variants(
    text: str, cue: tuple[int, int], content: tuple[int, int]
) -> Iterator[tuple[str, str, str]]:
    """(kind, field, new value) for one confirmed statement's spans."""
    (c0, c1), (t0, t1) = cue, content
    between = text[c1:t0]
    if c1 <= t0 and _COMPLEMENTIZER.fullmatch(between):
        yield KINDS[0], "content", text[c1:t1].strip()
    nxt = _NEXT_WORD.match(text, c1)
    if nxt is not None and nxt.end() <= t0:
        yield KINDS[1], "cue", text[c0 : nxt.end()]
    if text[max(0, c0 - 2) : c0] in ("و ", "ف "):
        yield KINDS[2], "cue", text[c0 - 2 : c1]
    words = text[t0:t1].split()
    if len(words) > 14:
        yield KINDS[3], "content", " ".join(words[:12])


def _decide(text: str, answer: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    run = ValidationRun(article=text, max_attempts=1, attempt=1)
    draft = ExtractionDraft.model_validate(answer)
    return run.attributions(draft), list(find_problems(draft, run))


def measure(cases: list[vb.Case]) -> dict[str, list[int]]:
    """Kind → [variants, flagged]."""
    out = {k: [0, 0] for k in KINDS}
    for case in cases:
        decisions, _ = _decide(case.article, case.answer)
        for i, d in enumerate(decisions):
            if d.status != "confirmed" or d.cue is None or d.content is None:
                continue
            spans = (d.cue.start, d.cue.end), (d.content.start, d.content.end)
            for kind, field, value in _variants(case.article, *spans):
                answer = copy.deepcopy(case.answer)
                answer["positions"][i][field] = value
                again, problems = _decide(case.article, answer)
                flagged = again[i].status in ("wrong", "detached") or any(
                    p.path.startswith(f"positions[{i}]") for p in problems
                )
                out[kind][0] += 1
                out[kind][1] += flagged
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=[*vb.SPLITS, "all"], default="all")
    args = ap.parse_args(argv)
    result = measure(vb.load_cases(args.split))
    print(f"{'re-copied span':34}{'variants':>10}{'flagged / 100':>15}")
    for kind, (n, flagged) in result.items():
        print(f"{kind:34}{n:>10}{100 * flagged / n if n else 0:>15.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
