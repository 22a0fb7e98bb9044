"""The shipped gazetteer: countries, capitals, cities, regions and demonyms, keyed for lookup.

The data file (`agent/places/data/gazetteer.tsv.gz`, built by `scripts/build_gazetteer.py` from
CLDR and GeoNames) is read once, on the first lookup, so `import agent` stays free of it. Every
name is stored under its *key*: the form `agent.text.normalize.fold` gives it, with the article
ال dropped from every word ("the" in English), so القاهرة, القاهره, قاهرة and "Cairo" /
"cairo" meet. A mention is looked up under its own key first and only then with a proclitic
(و ف ب ك ل لل) split off its first word, the way grounding does: لبنان stays لبنان, and
بالقاهرة, لمصر, والقاهرة find their place.

Keys are computed when the file is built and checked against the normaliser by the tests, so a
change in folding that would strand the stored keys is caught.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from agent.errors import GazetteerError
from agent.models import PlaceFeature
from agent.text.grounding import PROCLITICS
from agent.text.normalize import fold

DATA_FILE = "gazetteer.tsv.gz"
FORMAT = "khabar-gazetteer 1"  # first line of the file; bump when the columns change
# Section markers: rows (feature, geonames_id, country_code, name_en, name_ar, latitude,
# longitude, population), then key → row numbers, then demonym key → country codes.
ROWS = "#rows"
PLACE_KEYS = "#place-keys"
DEMONYM_KEYS = "#demonym-keys"
MIN_STEM = 3  # a proclitic or ال is split off only if this many letters remain (لبنان ≠ ل+بنان)
_ARTICLE = "ال"
_EGYPTIAN_G, _G = "ج", "غ"
_PROCLITICS_LONGEST_FIRST = sorted(PROCLITICS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. Countries from CLDR have no geonames_id and no coordinates."""

    feature: PlaceFeature
    geonames_id: int | None
    country_code: str | None
    name_en: str
    name_ar: str
    latitude: float | None
    longitude: float | None
    population: int


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """The stored form of a name: folded, ال dropped from each word ("the" from the first).

    Each word, because multi-word names and adjectives repeat it (كوريا الجنوبية, الكورية
    الجنوبية) and the model may keep or drop it on any of them.
    """
    words = fold(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(
        w[len(_ARTICLE) :]
        if w.startswith(_ARTICLE) and len(w) - len(_ARTICLE) >= MIN_STEM - 1
        else w
        for w in words
    )


def query_keys(mention: str) -> list[str]:
    """The keys to try for a mention (see `_query_keys`), memoised: every answer asks again."""
    return list(_query_keys(mention))


@lru_cache(maxsize=16384)
def _query_keys(mention: str) -> tuple[str, ...]:
    """The keys to try for a mention, best first: as written, then with a proclitic split off.

    لل before a word is ل + ال (للقاهرة → القاهرة); an English possessive 's is dropped. A
    foreign g written ج (Egyptian usage: انجلترا, بيونج يانج) is tried as غ after the spelling
    as written.
    """
    folded = fold(mention)
    if folded.endswith(" s") and mention.rstrip()[-2:-1] in ("'", "’"):
        folded = folded[:-2]
    forms = [folded]
    if _EGYPTIAN_G in folded:  # انجلترا, هونج كونج: ج for the g that others write غ
        forms.append(folded.replace(_EGYPTIAN_G, _G))
    keys: list[str] = []
    for form in forms:
        keys.append(place_key(form))
        first, _, rest = form.partition(" ")
        tail = f" {rest}" if rest else ""
        for clitic in _PROCLITICS_LONGEST_FIRST:
            if first.startswith(clitic) and len(first) - len(clitic) >= MIN_STEM:
                stem = first[len(clitic) :]
                if clitic.endswith("ل") and stem.startswith("ل"):
                    stem = "ا" + stem  # للقاهرة: ل + القاهرة, the alef of ال is not written
                keys.append(place_key(stem + tail))
    return tuple(dict.fromkeys(k for k in keys if k))


class Gazetteer:
    """Places and demonyms by key.

    Loading must stay cheap (it happens inside the first extraction), so the file holds its
    index ready-made (key → row numbers) and a row is parsed into a `Place` only when a lookup
    returns it.
    """

    def __init__(self, rows: list[str], places: dict[str, str], demonyms: dict[str, str]) -> None:
        self._rows = rows
        self._index = places
        self._demonyms = demonyms
        self._parsed: dict[int, Place] = {}
        self._countries: dict[str, Place] | None = None
        self._capital_keys: dict[str, frozenset[str]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def _place(self, number: int) -> Place:
        place = self._parsed.get(number)
        if place is None:
            place = self._parsed[number] = parse_row(self._rows[number])
        return place

    def lookup(self, mention: str) -> tuple[Place, ...]:
        """Every place the mention may name, under the first key that finds any."""
        for key in query_keys(mention):
            found = self._index.get(key)
            if found:
                return tuple(self._place(int(n)) for n in found.split(","))
        return ()

    def as_written(self, mention: str) -> bool:
        """Whether the mention names a place as it is written, not only once a proclitic is
        split off (بوادي, a Lebanese village, is no ب + الوادي, El Oued)."""
        keys = query_keys(mention)
        return bool(keys) and keys[0] in self._index

    def demonym(self, mention: str) -> frozenset[str]:
        """Country codes a demonym or adjective names (الليبية → LY), under the first key found."""
        for key in query_keys(mention):
            found = self._demonyms.get(key)
            if found:
                return frozenset(found.split(","))
        return frozenset()

    def country(self, code: str) -> Place | None:
        """The country entry of an ISO 3166-1 alpha-2 code."""
        if self._countries is None:
            self._countries = {}
            for n, row in enumerate(self._rows):
                if row.startswith(PlaceFeature.COUNTRY.value + "\t"):
                    place = self._place(n)
                    if place.country_code:
                        self._countries[place.country_code] = place
        return self._countries.get(code)

    def capital_keys(self, code: str) -> frozenset[str]:
        """Every key a capital of this country is stored under (بكين, بيكين, beijing)."""
        if self._capital_keys is None:
            found: dict[str, set[str]] = {}
            prefix = PlaceFeature.CAPITAL.value + "\t"
            for key, numbers in self._index.items():
                for n in numbers.split(","):
                    row = self._rows[int(n)]
                    if row.startswith(prefix):
                        found.setdefault(row.split("\t")[2], set()).add(key)
            self._capital_keys = {c: frozenset(keys) for c, keys in found.items()}
        return self._capital_keys.get(code, frozenset())

    def places(self) -> list[Place]:
        """Every entry (for tests and benchmarks; lookups never need this)."""
        return [self._place(n) for n in range(len(self._rows))]


def parse_row(row: str) -> Place:
    """One row of the data file: feature, geonames_id, country, names, coordinates, population."""
    feature, gid, code, name_en, name_ar, lat, lon, population = row.split("\t")
    return Place(
        feature=PlaceFeature(feature),
        geonames_id=int(gid) if gid else None,
        country_code=code or None,
        name_en=name_en,
        name_ar=name_ar,
        latitude=float(lat) if lat else None,
        longitude=float(lon) if lon else None,
        population=int(population) if population else 0,
    )


def _parse(text: str, source: str) -> Gazetteer:
    """The file: the format line, then three sections, each opened by its marker line."""
    header, _, body = text.partition("\n")
    if header != FORMAT:
        raise GazetteerError(
            f"the gazetteer {source} is not a {FORMAT!r} file (first line {header[:40]!r}): "
            "reinstall khabar, or rebuild it with scripts/build_gazetteer.py"
        )
    rows_part, _, rest = body.partition(PLACE_KEYS + "\n")
    keys_part, _, demonyms_part = rest.partition(DEMONYM_KEYS + "\n")
    if not rows_part.startswith(ROWS + "\n") or not demonyms_part:
        raise ValueError("a section is missing")
    rows = rows_part[len(ROWS) + 1 :].splitlines()
    return Gazetteer(rows, _pairs(keys_part), _pairs(demonyms_part))


def _pairs(section: str) -> dict[str, str]:
    """`key<TAB>value` lines as a dict, split in two C-level passes (no loop per line)."""
    cells = section.rstrip("\n").replace("\n", "\t").split("\t")
    if len(cells) % 2:
        raise ValueError("a key line has no value")
    return dict(zip(cells[::2], cells[1::2], strict=True))


def default_path() -> Path:
    """Where the installed package keeps its data file."""
    return Path(str(resources.files("agent.places") / "data" / DATA_FILE))


def read_gazetteer(path: Path) -> Gazetteer:
    """Read a data file; a missing or damaged one is one clear `GazetteerError`."""
    try:
        with gzip.open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        return _parse(text, str(path))
    except FileNotFoundError:
        raise GazetteerError(
            f"the place gazetteer {path} is missing: khabar's install is incomplete; "
            "reinstall it (pip install --force-reinstall khabar)"
        ) from None
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise GazetteerError(
            f"the place gazetteer {path} cannot be read ({exc}): reinstall khabar"
        ) from None


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read on first use and kept for the life of the process."""
    return read_gazetteer(default_path())


__all__ = [
    "DATA_FILE",
    "DEMONYM_KEYS",
    "FORMAT",
    "PLACE_KEYS",
    "ROWS",
    "Gazetteer",
    "Place",
    "default_path",
    "load_gazetteer",
    "parse_row",
    "place_key",
    "query_keys",
    "read_gazetteer",
]
