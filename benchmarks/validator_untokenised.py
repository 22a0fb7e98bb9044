"""The validator on Arabic written as news writes it, not as NewsFANE tokenises it.

    .venv/bin/python -m benchmarks.validator_untokenised

NewsFANE (most of the benchmark's Arabic) splits clitics off: "و قال", "ان ه", "ل الشرق الاوسط".
Real articles glue them: "وقال", "انه", "للشرق الاوسط". This rewrites each tokenised Arabic case,
article and reference answer alike, the way untokenised text is written (a one-letter proclitic
glued to its word, ل + ال as لل, a pronoun suffix glued to its word), and compares the
validator's verdicts on the correct answers and on the seeded wrong speakers with the tokenised
originals. A rule that leans on the tokenisation shows here as a changed verdict.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import validator as vb  # noqa: E402

_LETTER = "[\u0621-\u064a]"
_SUFFIX = re.compile(f"(?<={_LETTER}) (ه|ها|هم|هما|هن|ني|نا|كم|كما)(?!\\S)")
_LAM_AL = re.compile(f"(?<!\\S)ل ال(?={_LETTER})")
_PROCLITIC = re.compile(f"(?<!\\S)([وفبلك]) (?={_LETTER})")
# Fields that are no text of the article
_KEEP = frozenset(
    {"id", "speaker_id", "kind", "role", "language", "stance", "attribution", "about_ids"}
    | {"country_code", "name_en", "gist_en", "topic"}
)


def untokenise(text: str) -> str:
    """ "و قال ان ه ل الشرق الاوسط" → "وقال انه للشرق الاوسط"."""
    text = _SUFFIX.sub(r"\1", text)
    text = _LAM_AL.sub("لل", text)
    return _PROCLITIC.sub(r"\1", text)


def _rewrite(value: Any) -> Any:
    if isinstance(value, str):
        return untokenise(value)
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _KEEP else _rewrite(v) for k, v in value.items()}
    return value


def tokenised_cases(split: str = "all") -> list[vb.Case]:
    """The Arabic cases written in NewsFANE's tokenised spelling."""
    return [
        c
        for c in vb.load_cases(split)
        if c.language == "ar" and (" و " in c.article or " ان ه " in c.article)
    ]


def rewritten(case: vb.Case) -> vb.Case:
    return vb.Case(
        case.id,
        case.split,
        case.language,
        untokenise(case.article),
        _rewrite(case.answer),
        case.joint,
        case.analysis,
    )


def compare(cases: list[vb.Case]) -> dict[str, int]:
    """Correct statements flagged and swaps caught, tokenised ("_before") and untokenised."""
    check = vb.load_validator().check
    out = dict.fromkeys(["statements", "swaps", "flagged", "flagged_before", "caught"], 0)
    out["caught_before"] = 0
    for case in cases:
        out["statements"] += len(case.answer["positions"])
        for suffix, c in (("_before", case), ("", rewritten(case))):
            flags = check(c.article, c.answer)
            out["flagged" + suffix] += len(
                {f.path for f in flags if f.kind in ("wrong_speaker", "detached_statement")}
            )
            for seeded in vb.seed_speaker_swaps(c):
                out["swaps"] += suffix == ""
                wrong = f"positions[{seeded.item[1]}].speaker_id"
                found = check(c.article, seeded.answer)
                out["caught" + suffix] += any(
                    f.path == wrong and f.kind == "wrong_speaker" for f in found
                )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=[*vb.SPLITS, "all"], default="all")
    args = ap.parse_args(argv)
    cases = tokenised_cases(args.split)
    r = compare(cases)
    n, s = r["statements"], r["swaps"]
    print(f"{len(cases)} tokenised Arabic cases, {n} statements, {s} seeded wrong speakers")
    if not n or not s:  # GSR splits are untokenised already: nothing to compare
        print(f"nothing to compare in {args.split}: it has no tokenised Arabic statements")
        return 0
    print(f"{'':34}{'tokenised':>12}{'untokenised':>14}")
    print(
        f"{'correct statements flagged / 100':34}"
        f"{100 * r['flagged_before'] / n:>12.1f}{100 * r['flagged'] / n:>14.1f}"
    )
    print(
        f"{'wrong speakers caught':34}"
        f"{100 * r['caught_before'] / s:>11.1f}%{100 * r['caught'] / s:>13.1f}%"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
