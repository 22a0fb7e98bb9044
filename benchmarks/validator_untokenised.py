"""The validator on Arabic written as news writes it, not as NewsFANE tokenises it.

    .venv/bin/python -m benchmarks.validator_untokenised

NewsFANE (most of the benchmark's Arabic) splits clitics off: "و قال", "ان ه", "ل الشرق الاوسط".
Real articles glue them: "وقال", "انه", "للشرق الاوسط". This rewrites each tokenised Arabic case,
article and reference answer alike, the way untokenised text is written (a one-letter proclitic
glued to its word, ل + ال as لل, a pronoun suffix glued to its word), and compares the
validator's verdicts on the correct answers and on the seeded wrong speakers with the tokenised
originals. A rule that leans on the tokenisation shows here as a changed verdict.

NewsFANE also spells without hamzas and writes final ى as ي ("اكد", "الي", "امس"). Two more
columns spell the untokenised cases as published news does:
- **hamzas**: each word in the commonest hamzated spelling real text gives it ("أكد", "إلى",
  "أمس", "مسؤول"), seen at least twice among the benchmark's GSR articles (agency copy, spelt as
  published) and the seed article;
- **final ى**: every final ي written ى, as many Egyptian papers do ("فى", "التى", "الذى").
A rule written for one spelling only shows there as a changed verdict.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
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


def respell_fields(value: Any, spell: Callable[[str], str]) -> Any:
    """An answer (or any part of one) with `spell` applied to every field of article text."""
    if isinstance(value, str):
        return spell(value)
    if isinstance(value, list):
        return [respell_fields(v, spell) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _KEEP else respell_fields(v, spell) for k, v in value.items()}
    return value


_WORD = re.compile(f"{_LETTER}+")
_BARE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي"})
_FINAL_YA = re.compile(f"ي(?!{_LETTER})")
MIN_SEEN = 2  # a spelling is used only when real text writes the word so this often


def hamza_spellings() -> dict[str, str]:
    """Bare form ("اكد") → the commonest hamzated spelling of real text ("أكد")."""
    texts = [
        (d / "article.txt").read_text(encoding="utf-8")
        for part in vb.SPLITS
        for d in vb.split_dirs(part)
        if '"upetrarch_gsr"' in (d / "meta.json").read_text(encoding="utf-8")
    ]
    texts.append((vb.FIXTURES_DIR / "seed_military_visit" / "article.txt").read_text("utf-8"))
    seen: dict[str, dict[str, int]] = {}
    for text in texts:
        for word in _WORD.findall(text):
            forms = seen.setdefault(word.translate(_BARE), {})
            forms[word] = forms.get(word, 0) + 1
    out: dict[str, str] = {}
    for bare, forms in seen.items():
        hamzated = [(n, w) for w, n in forms.items() if w != bare and n >= MIN_SEEN]
        if hamzated:
            out[bare] = max(hamzated)[1]
    return out


def with_hamzas(spellings: dict[str, str]) -> Callable[[str], str]:
    """ "وقال ان الوفد وصل امس" → "وقال أن الوفد وصل أمس" (the words real news hamzates)."""
    return lambda text: _WORD.sub(lambda m: spellings.get(m.group(), m.group()), text)


def final_alef_maqsura(text: str) -> str:
    """ "وقال في بيان التي" → "وقال فى بيان التى"."""
    return _FINAL_YA.sub("ى", text)


def tokenised_cases(split: str = "all") -> list[vb.Case]:
    """The Arabic cases written in NewsFANE's tokenised spelling."""
    return [
        c
        for c in vb.load_cases(split)
        if c.language == "ar" and (" و " in c.article or " ان ه " in c.article)
    ]


def respelt(case: vb.Case, spell: Callable[[str], str]) -> vb.Case:
    """The case, article and answer alike, with `spell` applied to its text."""
    answer = respell_fields(case.answer, spell)
    return vb.Case(
        case.id, case.split, case.language, spell(case.article), answer, case.joint, case.analysis
    )


def rewritten(case: vb.Case) -> vb.Case:
    """The case untokenised."""
    return respelt(case, untokenise)


_SUFFIXES = ("_before", "", "_hamzas", "_maqsura")
_HEADERS = ("tokenised", "untokenised", "hamzas", "final ى")


def compare(cases: list[vb.Case]) -> dict[str, int]:
    """Correct statements flagged and swaps caught: tokenised ("_before"), untokenised (""), and
    untokenised with hamzas ("_hamzas") and with final ى ("_maqsura")."""
    check = vb.load_validator().check
    hamzas = with_hamzas(hamza_spellings())
    out = {f"{k}{s}": 0 for k in ("flagged", "caught") for s in _SUFFIXES}
    out |= {"statements": 0, "swaps": 0}
    for case in cases:
        out["statements"] += len(case.answer["positions"])
        plain = rewritten(case)
        versions = (
            ("_before", case),
            ("", plain),
            ("_hamzas", respelt(plain, hamzas)),
            ("_maqsura", respelt(plain, final_alef_maqsura)),
        )
        for suffix, c in versions:
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
    print(f"{'':34}" + "".join(f"{h:>14}" for h in _HEADERS))
    flagged = "".join(f"{100 * r['flagged' + x] / n:>14.1f}" for x in _SUFFIXES)
    print(f"{'correct statements flagged / 100':34}{flagged}")
    caught = "".join(f"{100 * r['caught' + x] / s:>13.1f}%" for x in _SUFFIXES)
    print(f"{'wrong speakers caught':34}{caught}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
