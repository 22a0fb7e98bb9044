"""Benchmark cases: real gold mentions, rewritten the way LLMs write them, with a fixed seed.

Arabic comes from NewsFANE gold (sentences re-tokenised with clitics split, e.g. `و قال`). Articles
are rebuilt from consecutive sentences so that they look like real text:

- a one-letter proclitic token (و ف ب ك ل) is glued to the next token (`و قال` -> `وقال`); ل before
  ال is written لل (`ل الامم` -> `للامم`). It is not glued when it sits inside an entity's first
  token position or before a one-letter token (`د ب ا` stays). A glued proclitic in front of an
  entity becomes part of the entity's gold span (`بالقاهرة`), exactly like the gold's own glued
  spans (`للامم المتحدة`, 46 times);
- about 8 % of entity strings per article get diacritics in the article, 5 % tatweel (all
  occurrences alike), so the model's plain copy must match a marked source;
- every third sentence ends a paragraph (blank line).

A case's expected span is the gold span minus any proclitic the variant dropped (for لل the
span starts at the second ل: `لامم المتحدة` is where `الامم المتحدة` is written). Distractors are
names of other articles that do not occur in this one (not as a token sequence, not as any
entity's name with its proclitic removed, not with ال added or removed); any alignment of them
is false.

English comes from GUM news (named mentions: a Wikipedia identity or a proper noun, at most
8 words); the article keeps its text except that in ~10 % of multi-word names one space becomes a
line break.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from agent.text.normalize import fold

PROCLITIC_TOKENS = frozenset("وفبكل")
HARAKAT = "\u064e\u064f\u0650\u0652\u0651\u064b"
CONNECTING = set("بتثجحخسشصضطظعغفقكلمنهيئ")
ARTICLE_SENTENCES = 10
PARAGRAPH_SENTENCES = 3


@dataclass
class Case:
    kind: str
    mention: str
    start: int = -1  # expected span; -1 for distractors
    end: int = -1

    @property
    def distractor(self) -> bool:
        return self.start < 0


@dataclass
class Article:
    id: str
    lang: str
    text: str
    cases: list[Case] = field(default_factory=list)


def _is_arabic_word(token: str) -> bool:
    return bool(token) and "\u0621" <= token[0] <= "\u064a"


def _diacritise(word: str, rng: random.Random) -> str:
    out = []
    for ch in word:
        out.append(ch)
        if _is_arabic_word(ch) and ch not in "اىو" and rng.random() < 0.5:
            out.append(rng.choice(HARAKAT))
    result = "".join(out)
    return result if result != word else word + "\u064f"


def _tatweel(word: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(word[:-1]) if ch in CONNECTING]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + "\u0640" * rng.randint(1, 3) + word[i + 1 :]


def _words(text: str, fn: object) -> str:
    assert callable(fn)
    return " ".join(fn(w) for w in text.split(" "))


def _alef_hamza(word: str, rng: random.Random) -> str:
    if word.startswith("ال") and len(word) > 3 and word[2] == "ا":
        return "ال" + rng.choice("أإ") + word[3:]
    if word.startswith("ا") and not word.startswith("ال"):
        return rng.choice("أإ") + word[1:]
    return re.sub("[أإآ]", "ا", word)


def variants(base: str, rng: random.Random) -> dict[str, str]:
    """The LLM-style rewrites of `base` that change it (kind -> mention)."""
    out = {
        "alef_hamza": _words(base, lambda w: _alef_hamza(w, rng)),
        "ta_marbuta": re.sub(r"[ةه](?=\s|$)", lambda m: "ه" if m.group() == "ة" else "ة", base),
        "alef_maqsura": re.sub(r"[ىي](?=\s|$)", lambda m: "ي" if m.group() == "ى" else "ى", base),
        "diacritics_added": _words(
            base, lambda w: _diacritise(w, rng) if _is_arabic_word(w) else w
        ),
        "tatweel_added": _words(base, lambda w: _tatweel(w, rng) if len(w) > 2 else w),
        # the hamza on its other seat before و: شؤون / شئون, مسؤول / مسئول (both in the gold)
        "hamza_seat": re.sub("[ؤئ](?=و)", lambda m: "ئ" if m.group() == "ؤ" else "ؤ", base),
    }
    return {k: v for k, v in out.items() if v != base}


def _split_proclitic(text: str, vocab: Counter[str]) -> tuple[str, str]:
    """Gold entity text with a glued proclitic -> (proclitic, name as an LLM would write it)."""
    m = re.match(r"^([وف]?)(لل|لال|بال|كال)(\S{2,})", text)
    if not m:
        return "", text
    conj, glue, rest = m.groups()
    if glue == "لل":
        # للامم = ل + الامم, but لليبيا = ل + ليبيا: trust whichever is the commoner word.
        with_article, bare = "ال" + rest, "ل" + rest
        name_first = with_article if vocab[with_article] >= vocab[bare] else bare
        return conj + "ل", name_first + text[m.end() :]
    prep = glue[0]
    return conj + prep, text[len(conj) + 1 :]


def load_newsfane(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def build_arabic(sentences: list[dict[str, object]], seed: int) -> list[Article]:
    rng = random.Random(seed)
    vocab: Counter[str] = Counter(
        t for s in sentences for t in str(s["text"]).split(" ") if len(t) > 1
    )
    articles: list[Article] = []
    for a in range(0, len(sentences), ARTICLE_SENTENCES):
        group = sentences[a : a + ARTICLE_SENTENCES]
        articles.append(_build_article(f"ar{a // ARTICLE_SENTENCES:04d}", group, vocab, rng))
    _add_distractors(articles, rng)
    return articles


def _build_article(
    art_id: str, group: list[dict[str, object]], vocab: Counter[str], rng: random.Random
) -> Article:
    names = {str(e["text"]) for s in group for e in s["entities"]}  # type: ignore[attr-defined]
    marked = sorted(n for n in names if not _split_proclitic(n, vocab)[0])
    rng.shuffle(marked)
    diacritised = set(marked[: round(len(marked) * 0.08)])
    tatweeled = set(marked[round(len(marked) * 0.08) : round(len(marked) * 0.13)])
    marks: dict[str, list[str]] = {}
    for name in sorted(diacritised | tatweeled):
        fn = _diacritise if name in diacritised else _tatweel
        marks[name] = [
            fn(w, rng) if _is_arabic_word(w) and len(w) > 2 else w for w in name.split(" ")
        ]

    parts: list[str] = []
    pos = 0
    spans: list[tuple[int, int, str, str, str]] = []  # start, end, proclitic, base, kind
    for n, sentence in enumerate(group):
        tokens = str(sentence["text"]).split(" ")
        starts, offset = [], 0
        for t in tokens:
            starts.append(offset)
            offset += len(t) + 1
        ents = sentence["entities"]  # type: ignore[assignment]
        first_of = {starts.index(e["start"]): e for e in ents}  # type: ignore[union-attr]
        inside = {
            i
            for e in ents
            for i, s in enumerate(starts)
            if e["start"] < s < e["end"]  # type: ignore[union-attr]
        }
        token_text: dict[int, str] = {}
        for e in ents:  # type: ignore[union-attr]
            if e["text"] in marks:
                first = starts.index(e["start"])
                for k, w in enumerate(marks[e["text"]]):
                    token_text[first + k] = w
        built: list[str] = []
        glued: str = ""
        tok_start: dict[int, tuple[int, int]] = {}  # token -> (surface start, name offset)
        cursor = 0
        for i, tok in enumerate(tokens):
            tok = token_text.get(i, tok)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if (
                tok in PROCLITIC_TOKENS
                and i not in inside
                and i not in first_of
                and len(nxt) > 1
                and _is_arabic_word(nxt)
            ):
                glued += tok
                continue
            if glued and glued.endswith("ل") and tok.startswith("ال"):
                surface = glued + tok[1:]
            else:
                surface = glued + tok
            if built:
                cursor += 1
            tok_start[i] = (cursor, len(glued))
            built.append(surface)
            cursor += len(surface)
            glued = ""
        text = " ".join(built)
        end_of = {
            i: tok_start[i][0] + len(built_tok)
            for i, built_tok in zip(sorted(tok_start), built, strict=True)
        }
        for e in ents:  # type: ignore[union-attr]
            first = starts.index(e["start"])
            last = max(i for i, s in enumerate(starts) if s < e["end"])
            s0, glue_len = tok_start[first]
            if glue_len:  # we glued the proclitic token in front of the entity
                proclitic, base = text[s0 : s0 + glue_len], str(e["text"])
            else:  # the gold span itself may start with a glued proclitic (للامم المتحدة)
                proclitic, base = _split_proclitic(str(e["text"]), vocab)
            kind = "verbatim"
            if e["text"] in diacritised:
                kind = "diacritics_removed"
            elif e["text"] in tatweeled:
                kind = "tatweel_removed"
            elif proclitic:
                kind = "proclitic_dropped"
            spans.append((pos + s0 + len(proclitic), pos + end_of[last], proclitic, base, kind))
        parts.append(text)
        pos += len(text)
        sep = "\n\n" if (n + 1) % PARAGRAPH_SENTENCES == 0 else " "
        if n + 1 < len(group):
            parts.append(sep)
            pos += len(sep)
    article = Article(art_id, "ar", "".join(parts))
    for start, end, _proclitic, base, kind in spans:
        article.cases.append(Case(kind, base, start, end))
        if kind in ("verbatim", "proclitic_dropped"):
            for vkind, mention in variants(base, rng).items():
                article.cases.append(Case(vkind, mention, start, end))
    return article


def _add_distractors(articles: list[Article], rng: random.Random, per_article: int = 6) -> None:
    pool = sorted(
        {
            c.mention
            for a in articles
            for c in a.cases
            if c.kind in ("verbatim", "proclitic_dropped")
        }
    )
    for article in articles:
        folded = " " + fold(article.text) + " "
        tokens = set(folded.split())
        names = {fold(c.mention) for c in article.cases}
        names |= {n[2:] for n in names if n.startswith("ال")} | {"ال" + n for n in names}

        def absent(name: str, names: set[str] = names, folded: str = folded) -> bool:
            return _absent(name, names, folded)

        picked: list[Case] = []
        overlap = [
            n
            for n in rng.sample(pool, min(len(pool), 400))
            if " " in n and set(fold(n).split()) & tokens
        ]
        for name in overlap:
            if len([c for c in picked if c.kind == "distractor_overlap"]) >= per_article // 2:
                break
            if absent(name):
                picked.append(Case("distractor_overlap", name))
        for name in rng.sample(pool, min(len(pool), 60)):
            if len(picked) >= per_article:
                break
            if absent(name):
                picked.append(Case("distractor", name))
        article.cases.extend(picked)


_SAFE = ("", "و", "ب", "ل", "وب", "ول", "فب", "فل")
_ANY = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")


def _absent(name: str, names: set[str], folded: str) -> bool:
    """True if the article holds no spelling of `name` that is the same name.

    Same name: the folded token sequence, with a proclitic glued to its first word (ك and ف only
    before ال or in longer names, as the grounder does), with ال/لل, or with spaces removed
    (جد ه / جدة, عبد الله / عبدالله, a NewsFANE tokenisation artefact or a spelling convention).
    """
    f = fold(name)
    if not f or f in names:
        return False
    words = f.split()
    first, rest = words[0], " ".join(words[1:])
    tail = f" {rest} " if rest else " "
    forms = {first}
    prefixes = _ANY if first.startswith("ال") or rest else _SAFE
    for p in prefixes:
        forms.add(p + first)
        if first.startswith("ال") and p.endswith("ل"):
            forms.add(p + first[1:])
    if any(f" {form}{tail}" in folded for form in forms):
        return False
    joined, tokens = f.replace(" ", ""), folded.split()
    for i, token in enumerate(tokens):
        acc, j = token, i + 1
        while joined.startswith(acc) and len(acc) < len(joined) and j < len(tokens):
            acc, j = acc + tokens[j], j + 1
        if acc == joined:
            return False
    return True


def build_english(path: Path, seed: int) -> list[Article]:
    rng = random.Random(seed)
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    articles: list[Article] = []
    for doc in docs:
        text = list(doc["text"])
        named = [
            m
            for m in doc["mentions"]
            if (m["wiki_identity"] or m["contains_propn"]) and len(m["text"].split()) <= 8
        ]
        broken: set[int] = set()
        for m in named:
            inner = [i for i in range(m["start"], m["end"]) if doc["text"][i] == " "]
            if inner and rng.random() < 0.1:
                broken.add(rng.choice(inner))
        for i in broken:
            text[i] = "\n"
        article = Article(doc["id"], "en", "".join(text))
        for m in named:
            gold = article.text[m["start"] : m["end"]]
            base = gold.replace("\n", " ")
            start, end = m["start"], m["end"]
            if "\n" in gold:
                article.cases.append(Case("en_linebreak", base, start, end))
                continue
            article.cases.append(Case("en_verbatim", base, start, end))
            extra = {
                "en_lowercase": base.lower(),
                "en_curly_quotes": base.replace("'", "’").replace('"', "“"),
                "en_hyphen": base.replace(" - ", "-") if " - " in base else base.replace("-", " "),
            }
            for kind, mention in extra.items():
                if mention != base:
                    article.cases.append(Case(kind, mention, start, end))
        articles.append(article)
    pool = sorted({c.mention for a in articles for c in a.cases if c.kind == "en_verbatim"})
    pool = [p for p in pool if len(p.split()) <= 4 and any(ch.isupper() for ch in p)]
    for article in articles:
        folded = " " + fold(article.text) + " "
        tokens = set(folded.split())
        own = {fold(c.mention) for c in article.cases}
        count = {"distractor": 0, "distractor_overlap": 0}
        for name in rng.sample(pool, len(pool)):
            f = fold(name)
            if not f or f in own or f" {f} " in folded:
                continue
            kind = "distractor_overlap" if set(f.split()) & tokens and " " in f else "distractor"
            if count[kind] < 5:
                count[kind] += 1
                article.cases.append(Case(kind, name))
    return articles
