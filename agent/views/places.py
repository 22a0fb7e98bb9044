"""How a place link reads to people: a country cell, and the locations grouped by country.

Analysts map and count by country, so every view says, for each location, which country the
gazetteer put it in, whether the model's own code agrees, and which names stay open
(ambiguous, with their candidates) or were not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.models import ArticleExtraction, LinkStatus, Location, PlaceLink
from agent.places.gazetteer import load_gazetteer

NO_COUNTRY = "no single country"  # a region across borders, a sea
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not in the gazetteer"


def link_code(link: PlaceLink | None) -> str | None:
    """The one country code a link settles on, if any."""
    if link is None or link.place is None:
        return None
    return link.place.country_code


def country_label(code: str) -> str:
    """ "EG · Egypt": the code and the gazetteer's English name of the country."""
    country = load_gazetteer().country(code)
    return f"{code} · {country.name_en}" if country else code


def link_summary(link: PlaceLink | None) -> str:
    """One phrase for a link: "EG · Cairo, capital", "ambiguous: LY | LB", "not found"."""
    if link is None:
        return ""
    if link.status is LinkStatus.AMBIGUOUS:
        return f"{AMBIGUOUS}: " + " | ".join(
            f"{c.country_code or '?'} {c.name_en}" for c in link.candidates
        )
    if link.place is None:
        return "not found"
    code = link.place.country_code or "—"
    return f"{code} · {link.place.name_en}, {link.place.feature}"


def model_disagrees(loc: Location) -> bool:
    """True if the model's country code is not the one the gazetteer gives the place."""
    code = link_code(loc.place)
    if loc.country_code is None or loc.place is None:
        return False
    if loc.place.status is LinkStatus.AMBIGUOUS:
        return loc.country_code not in {c.country_code for c in loc.place.candidates}
    return code is not None and code != loc.country_code


@dataclass
class PlaceGroup:
    """The locations of one country (or of no single country, or still open)."""

    label: str
    code: str | None
    locations: list[Location] = field(default_factory=list)


def group_by_country(result: ArticleExtraction) -> list[PlaceGroup]:
    """Locations grouped by the gazetteer's country, in order of first mention; open last."""
    groups: dict[str, PlaceGroup] = {}
    tail: dict[str, PlaceGroup] = {}
    for loc in result.locations:
        link = loc.place
        code = link_code(link)
        if code is not None:
            groups.setdefault(code, PlaceGroup(country_label(code), code)).locations.append(loc)
            continue
        if link is not None and link.status is LinkStatus.LINKED:
            label = NO_COUNTRY
        elif link is not None and link.status is LinkStatus.AMBIGUOUS:
            label = AMBIGUOUS
        else:
            label = NOT_FOUND
        tail.setdefault(label, PlaceGroup(label, None)).locations.append(loc)
    order = (NO_COUNTRY, AMBIGUOUS, NOT_FOUND)
    return [*groups.values(), *(tail[label] for label in order if label in tail)]


def countries(result: ArticleExtraction) -> list[str]:
    """Every country code the article's locations, states and affiliations link to, once each."""
    links = [loc.place for loc in result.locations]
    links += [p.place for p in result.participants] + [
        p.affiliation_place for p in result.participants
    ]
    return list(dict.fromkeys(code for code in map(link_code, links) if code))


__all__ = [
    "PlaceGroup",
    "countries",
    "country_label",
    "group_by_country",
    "link_code",
    "link_summary",
    "model_disagrees",
]
