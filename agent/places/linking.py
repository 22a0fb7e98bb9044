"""Tie the places and states of one article to the gazetteer, and say when a name stays open.

Many names have several meanings: طرابلس is Tripoli in Libya or in Lebanon, عمان is Oman or
Amman, الإسكندرية is in Egypt, Iraq and the United States. A name is resolved, in this order, by

1. having one country among its meanings (الجزائر: Algeria or Algiers, both DZ; the model's
   kind then chooses the country or the city);
2. the model's kind (عمان as a country is Oman, as a city Amman): meanings of another kind drop
   out, which settles the name when one country is left;
3. the model's own `country_code`, when it is one of the meanings left;
4. the article: the countries of its other places, states and affiliations, when exactly one
   meaning lies in one of them (طرابلس beside ليبيا is Tripoli, Libya);
5. prominence: a country, or a place ten times the size of every namesake abroad, over small
   namesakes that are neither countries nor capitals (موسكو is Moscow, not Moscow, Idaho);

and otherwise left `ambiguous` with its candidates, one per country: never a silent guess. The
link records which step decided (`resolved_by`). A border, facility or region that is no entry
links to the country its name holds (`contained_countries`, `resolved_by="contains"`).
Persons are never linked: عمان and حلب are surnames too, so only locations, states and the
demonyms of affiliations are looked up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.models import LinkStatus, PlaceFeature, PlaceLink, PlaceRef
from agent.places.gazetteer import Gazetteer, Place, load_gazetteer, place_key

PROMINENCE_RATIO = 10  # a place this many times the size of a foreign namesake wins by prominence
MAX_CANDIDATES = 6  # an ambiguous link lists at most this many meanings, one per country
AFFILIATION_MAX_WORDS = 4  # longest country name looked for inside an affiliation
CONTRADICTING_CITY_MIN_POPULATION = 100_000  # a smaller town never overrules the model's code
CONTAINED_CITY_MIN_POPULATION = 500_000  # a city inside a facility's name (مطار القاهرة الدولي)
# Country names that are everyday words inside an organisation's name: "مالي" (financial),
# "بنين" (boys' school).
NOT_IN_AFFILIATIONS = frozenset(place_key(w) for w in ("مالي", "بنين"))

_RANK = {PlaceFeature.COUNTRY: 0, PlaceFeature.CAPITAL: 1, PlaceFeature.CITY: 2}
UNLINKED = PlaceLink(status=LinkStatus.UNLINKED)


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """A name to link, with what the model said about it."""

    name: str
    feature: PlaceFeature | None = None  # the model's kind: country, city (capital), region
    country_code: str | None = None  # the model's own code
    # A border, facility or region that is no gazetteer entry may still name its country
    # ("الحدود الغربية لمصر", "شرق ليبيا"): then it links to that country, `resolved_by="contains"`.
    contains: bool = False


def ref(place: Place) -> PlaceRef:
    return PlaceRef(
        geonames_id=place.geonames_id,
        country_code=place.country_code,
        name_en=place.name_en,
        name_ar=place.name_ar,
        feature=place.feature,
        latitude=place.latitude,
        longitude=place.longitude,
        population=place.population or None,
    )


def _fits(place: Place | PlaceRef, feature: PlaceFeature | None) -> bool:
    if feature is None:
        return True
    if feature is PlaceFeature.CITY:
        return place.feature in (PlaceFeature.CITY, PlaceFeature.CAPITAL)
    return place.feature is feature


def _strong(place: PlaceRef, feature: PlaceFeature | None) -> bool:
    """Whether a linked place is firm enough to overrule the model's country code.

    A small town's name is often also a county or a village abroad that the gazetteer lacks
    (Cheshire, England, is not Cheshire, Connecticut), and a place of another kind than the model
    said may be a namesake; neither contradicts the model.
    """
    if not _fits(place, feature):
        return False
    if place.feature is PlaceFeature.CITY:
        return (place.population or 0) >= CONTRADICTING_CITY_MIN_POPULATION
    return True


def _best(places: Sequence[Place], feature: PlaceFeature | None) -> Place:
    """The likeliest of namesakes in one country: the model's kind, then country, capital, size."""
    return min(
        places,
        key=lambda p: (not _fits(p, feature), _RANK.get(p.feature, 3), -p.population),
    )


def _weight(place: Place) -> float:
    return float("inf") if place.feature is PlaceFeature.COUNTRY else float(place.population)


def _dominant(by_country: dict[str | None, list[Place]]) -> list[str | None]:
    """The country (as a one-item list) whose place outweighs every foreign namesake, or []."""
    best = {code: max(places, key=_weight) for code, places in by_country.items()}
    for code, place in best.items():
        others = [p for c, p in best.items() if c != code]
        if all(
            o.feature not in (PlaceFeature.COUNTRY, PlaceFeature.CAPITAL)
            and _weight(place) >= PROMINENCE_RATIO * max(_weight(o), 1.0)
            for o in others
        ):
            return [code]
    return []


def resolve(
    candidates: Sequence[Place],
    query: PlaceQuery,
    context: Iterable[str] = (),
    *,
    prominence: bool = True,
) -> PlaceLink:
    """One name's link, from its gazetteer entries, the model's hints and the article's countries.

    `prominence=False` leaves open what only prominence would settle (the first pass of
    `link_article`, before the article's context is known).
    """
    if not candidates:
        return UNLINKED
    by_country: dict[str | None, list[Place]] = {}
    for place in candidates:
        by_country.setdefault(place.country_code, []).append(place)

    def linked(code: str | None, how: str | None) -> PlaceLink:
        return PlaceLink(
            status=LinkStatus.LINKED,
            place=ref(_best(by_country[code], query.feature)),
            resolved_by=how,
        )

    if len(by_country) == 1:
        (code,) = by_country
        kinds = {p.feature for p in candidates}
        return linked(code, "kind" if len(kinds) > 1 and query.feature else None)
    if query.feature is not None:
        fitting = {c: [p for p in ps if _fits(p, query.feature)] for c, ps in by_country.items()}
        fitting = {c: ps for c, ps in fitting.items() if ps}
        if len(fitting) == 1:
            return linked(next(iter(fitting)), "kind")
        if fitting:
            by_country = fitting  # meanings of another kind are out (عمان the city: not Oman)
    if query.country_code in by_country:
        return linked(query.country_code, "model_code")
    in_article = set(by_country) & set(context)
    if len(in_article) == 1:
        return linked(in_article.pop(), "context")
    dominant = _dominant(by_country) if prominence else []
    if dominant:
        return linked(dominant[0], "prominence")
    ordered = sorted(by_country.values(), key=lambda ps: -max(_weight(p) for p in ps))
    return PlaceLink(
        status=LinkStatus.AMBIGUOUS,
        candidates=[ref(_best(ps, query.feature)) for ps in ordered[:MAX_CANDIDATES]],
    )


def countries_in(
    text: str, gazetteer: Gazetteer | None = None, *, demonyms: bool = True, cities: bool = False
) -> list[str]:
    """Country codes named inside a phrase by demonym or country name, in order, once each.

    "الجيش الوطني الليبي" → LY; "the Libyan National Army" → LY; "اللجنة المصرية الليبية" →
    EG, LY. The longest phrase wins where names overlap (كوريا الجنوبية, not كوريا). With
    `cities`, capitals and cities of `CONTAINED_CITY_MIN_POPULATION` count too (مطار القاهرة
    الدولي → EG); smaller towns are left out, since their names are often everyday words.
    """
    g = gazetteer or load_gazetteer()
    words = text.split()
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(AFFILIATION_MAX_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            codes = set(g.demonym(phrase)) if demonyms else set()
            if not codes and place_key(phrase) not in NOT_IN_AFFILIATIONS:
                codes = {
                    p.country_code
                    for p in g.lookup(phrase)
                    if p.country_code
                    and (
                        p.feature is PlaceFeature.COUNTRY
                        or (
                            cities
                            and p.feature in (PlaceFeature.CAPITAL, PlaceFeature.CITY)
                            and p.population >= CONTAINED_CITY_MIN_POPULATION
                        )
                    )
                }
            if codes:
                found.extend(sorted(codes))
                i += n
                break
        else:
            i += 1
    return list(dict.fromkeys(found))


def contained_countries(name: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """The countries a border, facility or region is in, going by the places its name holds.

    Place names come first, demonyms only when there are none: السفارة الأمريكية في القاهرة is
    in Egypt, not in the United States; "Indonesian coast" is in Indonesia.
    """
    return countries_in(name, gazetteer, demonyms=False, cities=True) or countries_in(
        name, gazetteer
    )


def link_countries(
    codes: Sequence[str], gazetteer: Gazetteer | None = None, *, how: str | None = None
) -> PlaceLink:
    """A link to the one country of `codes`, ambiguous between several, unlinked if none."""
    g = gazetteer or load_gazetteer()
    places = [p for p in (g.country(c) for c in codes) if p is not None]
    if not places:
        return UNLINKED
    if len(places) == 1:
        return PlaceLink(status=LinkStatus.LINKED, place=ref(places[0]), resolved_by=how)
    return PlaceLink(status=LinkStatus.AMBIGUOUS, candidates=[ref(p) for p in places])


def link_article(
    queries: Sequence[PlaceQuery],
    *,
    affiliations: Sequence[str] = (),
    gazetteer: Gazetteer | None = None,
) -> list[PlaceLink]:
    """Link every place and state of one article, each in the light of all the others.

    First every name is resolved on its own; the countries of those linked, and of the
    affiliations' demonyms, are then the article's context for the names still open (a name
    never counts as its own context).
    """
    g = gazetteer or load_gazetteer()
    candidates = [g.lookup(q.name) for q in queries]
    first = [
        resolve(c, q, prominence=False)
        if c or not q.contains
        else link_countries(contained_countries(q.name, g), g, how="contains")
        for c, q in zip(candidates, queries, strict=True)
    ]
    affiliation_codes = {code for a in affiliations for code in countries_in(a, g)}
    links = list(first)
    for i, link in enumerate(first):
        if link.status is not LinkStatus.AMBIGUOUS or not candidates[i]:
            continue
        context = set(affiliation_codes)
        for j, other in enumerate(first):
            if j != i and other.place is not None and other.place.country_code:
                context.add(other.place.country_code)
        links[i] = resolve(candidates[i], queries[i], context)
    return links


def contradiction(
    link: PlaceLink, model_code: str | None, feature: PlaceFeature | None = None
) -> str | None:
    """Why the model's country code cannot be right for this link, or None if it can be.

    `feature` is the model's kind. Only firm links contradict: a country, a capital, a region,
    or a city of `CONTRADICTING_CITY_MIN_POPULATION`, of the kind the model gave.
    """
    if model_code is None or link.resolved_by == "contains":
        return None  # a country read off a facility's or border's name is too weak to re-ask
    if link.status is LinkStatus.LINKED and link.place is not None:
        code = link.place.country_code
        if code and code != model_code and _strong(link.place, feature):
            return f"{link.place.name_en} is in {code}"
    if link.status is LinkStatus.AMBIGUOUS:
        codes = sorted({c.country_code for c in link.candidates if c.country_code})
        firm = all(_strong(c, feature) for c in link.candidates)
        if codes and firm and model_code not in codes:
            return f"a place of that name is in {' or '.join(codes)}"
    return None


__all__ = [
    "UNLINKED",
    "PlaceQuery",
    "contained_countries",
    "contradiction",
    "countries_in",
    "link_article",
    "link_countries",
    "ref",
    "resolve",
]
