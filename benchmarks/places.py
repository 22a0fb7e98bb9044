"""Place-linking benchmark: how many real place mentions link, and how often the country agrees.

    .venv/bin/python -m benchmarks.places                        # NewsFANE + GSR, ~10 s
    .venv/bin/python -m benchmarks.places --eval-dir /path/to/shared/eval

- NewsFANE gold (Alotaibi & Lee 2014, CC BY-SA 3.0): every mention of a place class (Nation,
  Population-Center, State-or-Province, ...) linked with `link_article`, one article per
  sentence, the class given as the model's kind would be (Nation → country, Population-Center
  → city). Per class: linked, ambiguous, unlinked; for Nation, whether the link is a country.
  The `Group` class (nationalities, العراقيين) is run through `countries_in`, as affiliations are.
- UniversalPetrarch Arabic GSR (MIT): each source/target actor string whose code names a country
  (`IRQ CVL`, `PAK OPP`; not `None`, `IGO`, `KUR`) through `countries_in`; agreement = the one
  country found is the gold one.
- Time, side by side in one run: loading the data file (best of 5 fresh reads) against one warm
  extraction of the seed article replayed from its cassette (openai, instructor, validation,
  grounding, linking; best of 5), since loading is paid once, inside the first extraction; and
  linking per 1,000 mentions against grounding the same mentions in their sentences.

The data is read at run time from the shared eval folder; nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from agent.cassettes.replay import Cassette, ReplayTransport
from agent.fixtures.reference import reference_settings
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.models import LinkStatus, PlaceFeature
from agent.places.gazetteer import default_path, read_gazetteer
from agent.places.linking import PlaceQuery, countries_in, link_article
from agent.text.grounding import Grounder
from benchmarks._eval_dir import add_eval_dir

REPO = Path(__file__).resolve().parent.parent
PLACE_CLASSES: dict[str, PlaceFeature | None] = {
    "Nation": PlaceFeature.COUNTRY,
    "Population-Center": PlaceFeature.CITY,
    "State-or-Province": PlaceFeature.REGION,
    "County-or-District": PlaceFeature.REGION,
    "GPE-Cluster": PlaceFeature.REGION,
    "Continent": PlaceFeature.REGION,
    "Water-Body": PlaceFeature.REGION,
    "Land-Region-Natural": PlaceFeature.REGION,
}
# CAMEO actor country codes of the GSR (ISO 3166-1 alpha-3, PSE for Palestine) → alpha-2.
# Written out for the codes that occur; the rest (IGO, IMG, INT, KUR, NGO, None) name no country.
CAMEO_TO_ISO2 = {
    "USA": "US", "IRQ": "IQ", "PSE": "PS", "ISR": "IL", "PAK": "PK", "LBN": "LB", "AFG": "AF",
    "TUR": "TR", "EGY": "EG", "SDN": "SD", "SOM": "SO", "IRN": "IR", "GBR": "GB", "CHN": "CN",
    "THA": "TH", "ESP": "ES", "JOR": "JO", "DEU": "DE", "KOR": "KR", "GRC": "GR", "ETH": "ET",
    "FRA": "FR", "RUS": "RU", "MRT": "MR", "KEN": "KE", "SYR": "SY", "GEO": "GE", "TUN": "TN",
    "MAR": "MA", "NPL": "NP", "EST": "EE", "ITA": "IT", "POL": "PL", "TLS": "TL", "BEL": "BE",
    "YEM": "YE", "DZA": "DZ", "MLI": "ML", "LKA": "LK", "PHL": "PH", "BHR": "BH", "SAU": "SA",
    "KGZ": "KG", "CRI": "CR", "SRB": "RS", "DNK": "DK",
}  # fmt: skip


def newsfane(path: Path) -> tuple[dict[str, Counter[str]], int, float, float, list[str]]:
    """Per class: link statuses; plus the number of mentions and the seconds to link them."""
    sentences = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_class: dict[str, Counter[str]] = defaultdict(Counter)
    mentions = 0
    link_secs = ground_secs = 0.0
    unlinked: Counter[str] = Counter()
    for s in sentences:
        places = [e for e in s["entities"] if e["type"] in PLACE_CLASSES]
        if places:
            queries = [PlaceQuery(e["text"], PLACE_CLASSES[e["type"]]) for e in places]
            t = time.perf_counter()
            links = link_article(queries)
            link_secs += time.perf_counter() - t
            t = time.perf_counter()
            grounder = Grounder(s["text"])
            for e in places:
                grounder.align(e["text"])
            ground_secs += time.perf_counter() - t
            mentions += len(places)
            for e, link in zip(places, links, strict=True):
                row = by_class[e["type"]]
                row[link.status.value] += 1
                if link.status is LinkStatus.UNLINKED:
                    unlinked[e["text"]] += 1
                if e["type"] == "Nation" and link.place is not None:
                    row["is a country"] += link.place.feature is PlaceFeature.COUNTRY
        for e in s["entities"]:
            if e["type"] == "Group":
                found = countries_in(e["text"])
                by_class["Group (demonyms)"]["one country" if len(found) == 1 else "none"] += 1
    top = [f"{m} ({n})" for m, n in unlinked.most_common(12)]
    return by_class, mentions, link_secs, ground_secs, top


def gsr(path: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        for event in record["events"]:
            for side in ("source", "target"):
                text, code = event[f"{side}_text"], event[f"{side}_code"]
                gold = CAMEO_TO_ISO2.get((code or "None").split()[0])
                if not text or gold is None:
                    continue
                counts["actors with a gold country"] += 1
                found = countries_in(text)
                if len(found) == 1:
                    counts["one country found"] += 1
                    if found[0] == gold:
                        counts["agrees"] += 1
                    else:
                        wrong.append(f"{text} → {found[0]} (gold {gold})")
                elif found:
                    counts["several found"] += 1
                    counts["gold among them"] += gold in found
    return counts, wrong


def seed_extraction_seconds(runs: int = 5) -> float:
    """Best wall time of a warm replayed extraction of the seed article."""
    case = REPO / "fixtures" / "cases" / "seed_military_visit"
    text = (case / "article.txt").read_text(encoding="utf-8")
    settings = reference_settings()
    best = float("inf")
    for i in range(runs + 1):
        transport = ReplayTransport(Cassette.load(case / "cassette.json"))
        with openai_client(settings, transport=transport) as client:
            extractor = Extractor(settings, client=client)
            t = time.perf_counter()
            extractor.extract(text)
            if i:  # the first run imports the SDK and loads the gazetteer
                best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_eval_dir(
        parser,
        "ar_ner_newsfane_gold/newsfane_gold.jsonl",
        "ar_events_upetrarch_gsr/arabic_gsr.jsonl",
    )
    args = parser.parse_args(argv)

    path = default_path()
    extraction = seed_extraction_seconds()
    loads = []
    for _ in range(5):
        t = time.perf_counter()
        read_gazetteer(path)
        loads.append(time.perf_counter() - t)
    load = min(loads)
    print(
        f"gazetteer: {path.stat().st_size:,} bytes, load {load * 1000:.1f} ms (best of 5); "
        f"a warm seed extraction {extraction * 1000:.1f} ms: loading = {load / extraction:.2f}x"
    )

    classes, mentions, link_s, ground_s, top = newsfane(
        args.eval_dir / "ar_ner_newsfane_gold" / "newsfane_gold.jsonl"
    )
    print("\nNewsFANE gold place mentions (one article per sentence)")
    print("| class | mentions | linked | ambiguous | unlinked | Nation: a country |")
    print("|---|---|---|---|---|---|")
    total = Counter[str]()
    for name, row in sorted(classes.items(), key=lambda kv: -sum(kv[1].values())):
        if name.startswith("Group"):
            continue
        n = row["linked"] + row["ambiguous"] + row["unlinked"]
        total.update({k: row[k] for k in ("linked", "ambiguous", "unlinked")})
        country = f"{row['is a country'] / max(row['linked'], 1):.1%}" if name == "Nation" else ""
        print(
            f"| {name} | {n:,} | {row['linked'] / n:.1%} | {row['ambiguous'] / n:.1%} "
            f"| {row['unlinked'] / n:.1%} | {country} |"
        )
    n = sum(total.values())
    print(
        f"| all | {n:,} | {total['linked'] / n:.1%} | {total['ambiguous'] / n:.1%} "
        f"| {total['unlinked'] / n:.1%} | |"
    )
    group = classes["Group (demonyms)"]
    g_n = group["one country"] + group["none"]
    print(f"Group (nationalities) naming one country by demonym: {group['one country'] / g_n:.1%}")
    print("most frequent unlinked:", ", ".join(top))
    print(
        f"\ntime: {link_s / mentions * 1000 * 1000:.1f} ms per 1,000 links "
        f"(grounding the same mentions: {ground_s / mentions * 1000 * 1000:.1f} ms, "
        f"ratio {link_s / ground_s:.2f})"
    )

    counts, wrong = gsr(args.eval_dir / "ar_events_upetrarch_gsr" / "arabic_gsr.jsonl")
    actors = counts["actors with a gold country"]
    one = counts["one country found"]
    print("\nGSR actor strings with a gold country code")
    print(
        f"{actors} actors; one country found for {one} ({one / actors:.1%}), "
        f"agreeing with the gold country {counts['agrees']} ({counts['agrees'] / max(one, 1):.1%}"
        f" of those); several countries for {counts['several found']}"
        f" (gold among them {counts['gold among them']})"
    )
    for w in wrong[:8]:
        print("  disagrees:", w)


if __name__ == "__main__":
    main()
