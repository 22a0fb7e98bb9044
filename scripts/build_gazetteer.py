"""Build agent/places/data/gazetteer.tsv.gz from the shared CLDR + GeoNames extract.

    .venv/bin/python scripts/build_gazetteer.py        # reads ../shared/eval/gazetteer_ar_en
    .venv/bin/python scripts/build_gazetteer.py --source DIR --zone-tab PATH/zone.tab

Inputs (see the source folder's SOURCE.md): `countries_cldr.tsv` (CLDR country names ar/en),
`cities_cldr_exemplar.tsv` (CLDR time-zone exemplar cities ar/en), `geonames_cities15000_ar.tsv`
(GeoNames places of 15,000 people or more with Arabic names); IANA's `zone.tab` (public domain)
gives each exemplar city its country and coordinates; `agent/places/curated.py` and
`agent/places/demonyms.py` add aliases, regions, a missing capital and demonyms.

The output is deterministic (sorted rows, gzip without a timestamp), so a rebuild from the same
inputs gives the same bytes. The licence texts are copied beside the data.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent.places.curated import (  # noqa: E402
    CITY_ALIASES,
    COUNTRY_ALIASES,
    CURATED_PLACES,
    NOT_COUNTRIES,
)
from agent.places.demonyms import arabic_forms, english_forms  # noqa: E402
from agent.places.gazetteer import (  # noqa: E402
    DATA_FILE,
    DEMONYM_KEYS,
    FORMAT,
    PLACE_KEYS,
    ROWS,
    place_key,
)
from agent.text.normalize import fold  # noqa: E402

OUT_DIR = REPO / "agent" / "places" / "data"
CLDR_LICENCE = "LICENSE.unicode-cldr.txt"


@dataclass
class Row:
    feature: str
    geonames_id: int | None
    country_code: str | None
    name_en: str
    name_ar: str
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    names: list[str] = field(default_factory=list)

    def lookup_keys(self) -> set[str]:
        return {k for k in (place_key(n) for n in self.names) if k}

    def line(self) -> str:
        cells = [
            self.feature,
            "" if self.geonames_id is None else str(self.geonames_id),
            self.country_code or "",
            self.name_en,
            self.name_ar,
            "" if self.latitude is None else f"{self.latitude:.5f}",
            "" if self.longitude is None else f"{self.longitude:.5f}",
            str(self.population) if self.population else "",
        ]
        assert not any("\t" in c or "\n" in c for c in cells), cells
        return "\t".join(cells)


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _zone_coordinate(text: str, degree_digits: int) -> float:
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:]
    degrees = int(digits[:degree_digits])
    minutes = int(digits[degree_digits : degree_digits + 2])
    seconds = int(digits[degree_digits + 2 :] or 0)
    return sign * (degrees + minutes / 60 + seconds / 3600)


def read_zone_tab(path: Path) -> dict[str, tuple[str, float, float]]:
    """tz id → (country code, latitude, longitude) of its principal city."""
    zones: dict[str, tuple[str, float, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, coords, tz = line.split("\t")[:3]
        split = max(coords.rfind("+"), coords.rfind("-"))
        lat = _zone_coordinate(coords[:split], 2)
        lon = _zone_coordinate(coords[split:], 3)
        zones[tz] = (code, lat, lon)
    return zones


def canonical_arabic(names: list[str]) -> str:
    """The spelling most of a place's Arabic names fold to, written without diacritics."""
    if not names:
        return ""
    counts = Counter(fold(n) for n in names)
    # Ties go to the longer name (طرابلس الشام over the misspelt ترابلس), unless it starts
    # with a doubled letter, which in this extract is noise (ااالخرطوم).
    best = max(counts, key=lambda k: (counts[k], k[:1] != k[1:2], len(k)))
    plain = [n for n in names if fold(n) == best and n == n.strip() and fold(n) == n]
    return plain[0] if plain else min((n for n in names if fold(n) == best), key=len)


def build(source: Path, zone_tab: Path) -> tuple[list[Row], dict[str, list[str]], Counter[str]]:
    stats: Counter[str] = Counter()
    rows: list[Row] = []
    countries: dict[str, Row] = {}
    for r in _tsv(source / "countries_cldr.tsv"):
        code = r["code"]
        if code in NOT_COUNTRIES:
            stats["cldr regions left out (not countries)"] += 1
            continue
        names = [r["name_en"], r["name_ar"], *COUNTRY_ALIASES.get(code, ())]
        for name in (r["name_en"], r["name_ar"]):  # "ميانمار (بورما)", "Congo - Kinshasa"
            for part in name.replace(")", "").replace("(", " - ").split(" - "):
                if part.strip() and part.strip() != name:
                    names.append(part.strip())
        row = Row("country", None, code, r["name_en"], r["name_ar"], names=names)
        countries[code] = row
        rows.append(row)
    stats["countries"] = len(countries)

    cities: dict[tuple[str, str], list[Row]] = {}
    for r in _tsv(source / "geonames_cities15000_ar.tsv"):
        ar = [n for n in r["ar_names"].split("|") if n]
        feature = "capital" if r["feature_code"] == "PPLC" else "city"
        row = Row(
            feature,
            int(r["geonameid"]),
            r["country_code"],
            r["name"],
            canonical_arabic(ar),
            float(r["latitude"]),
            float(r["longitude"]),
            int(r["population"] or 0),
            names=[r["name"], r["asciiname"], *ar, *CITY_ALIASES.get(int(r["geonameid"]), ())],
        )
        if not ar:
            stats["geonames rows without an Arabic name (kept for English)"] += 1
        rows.append(row)
        for name in {r["name"], r["asciiname"], *CITY_ALIASES.get(row.geonames_id or 0, ())}:
            cities.setdefault((r["country_code"], name), []).append(row)
    stats["geonames places"] = sum(1 for r in rows if r.geonames_id is not None)

    zones = read_zone_tab(zone_tab)
    for r in _tsv(source / "cities_cldr_exemplar.tsv"):
        zone = zones.get(r["tz_id"])
        if zone is None:
            stats["exemplar cities without a zone.tab entry (left out)"] += 1
            continue
        code, lat, lon = zone
        matches = cities.get((code, r["city_en"]))
        if matches:
            best = max(matches, key=lambda row: (row.feature == "capital", row.population))
            best.names.append(r["city_ar"])
            best.name_ar = r["city_ar"]  # CLDR's spelling is the standard one
            stats["exemplar cities merged into geonames"] += 1
        else:
            rows.append(
                Row(
                    "city",
                    None,
                    code,
                    r["city_en"],
                    r["city_ar"],
                    lat,
                    lon,
                    names=[r["city_en"], r["city_ar"]],
                )
            )
            stats["exemplar cities added (not in the geonames extract)"] += 1

    for place in CURATED_PLACES:
        arabic = next(n for n in place.names if not n.isascii())
        rows.append(
            Row(
                place.feature,
                place.geonames_id,
                place.country_code,
                place.name_en,
                arabic,
                place.latitude,
                place.longitude,
                names=list(place.names),
            )
        )
    stats["curated places"] = len(CURATED_PLACES)

    demonyms = {
        code: [*arabic_forms(code, row.name_ar), *english_forms(code)]
        for code, row in sorted(countries.items())
    }
    stats["countries with demonyms"] = sum(1 for forms in demonyms.values() if forms)
    return rows, demonyms, stats


def write(rows: list[Row], demonyms: dict[str, list[str]], out: Path) -> None:
    order = {"country": 0, "capital": 1, "city": 2, "region": 3}
    rows = sorted(
        rows, key=lambda r: (order[r.feature], r.country_code or "", r.name_en, r.geonames_id or 0)
    )
    index: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        for key in row.lookup_keys():
            index.setdefault(key, []).append(number)
    by_key: dict[str, set[str]] = {}
    for code, forms in demonyms.items():
        for key in {place_key(f) for f in forms}:
            if key:
                by_key.setdefault(key, set()).add(code)
    lines = [FORMAT, ROWS, *(r.line() for r in rows), PLACE_KEYS]
    lines += [f"{k}\t{','.join(map(str, v))}" for k, v in sorted(index.items())]
    lines.append(DEMONYM_KEYS)
    lines += [f"{k}\t{','.join(sorted(v))}" for k, v in sorted(by_key.items())]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with (
        out.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9, filename="") as handle,
    ):
        handle.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=REPO.parent / "shared" / "eval" / "gazetteer_ar_en"
    )
    parser.add_argument("--zone-tab", type=Path, default=Path("/usr/share/zoneinfo/zone.tab"))
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    rows, demonyms, stats = build(args.source, args.zone_tab)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / DATA_FILE
    write(rows, demonyms, out)
    shutil.copyfile(args.source / CLDR_LICENCE, args.out_dir / CLDR_LICENCE)
    for name, count in stats.items():
        print(f"{count:>7,}  {name}")
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {len(rows):,} places)")


if __name__ == "__main__":
    main()
