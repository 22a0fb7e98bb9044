"""From a draft to its place links: which of the model's names are which gazetteer entries.

The validator uses the links to check the model's `country_code` (a code the gazetteer
contradicts is re-asked like any other problem), and the result carries them, marked derived
from the gazetteer. Locations and states are looked up by name; a person's name never is
(عمان and حلب are surnames too); affiliations are read for the demonyms and country names they
contain (الجيش الوطني الليبي → LY). Everything else in the article's draft is context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agent.extraction.draft import ExtractionDraft
from agent.models import LocationKind, ParticipantKind, PlaceFeature, PlaceLink
from agent.places.gazetteer import load_gazetteer
from agent.places.linking import (
    PlaceQuery,
    contradiction,
    countries_in,
    link_article,
    link_countries,
)

# The model's kind as a hint to the gazetteer; other kinds may name their country instead.
_FEATURE = {
    LocationKind.COUNTRY: PlaceFeature.COUNTRY,
    LocationKind.CITY: PlaceFeature.CITY,
    LocationKind.REGION: PlaceFeature.REGION,
}
_NAMED_PLACES = (LocationKind.COUNTRY, LocationKind.CITY)


@dataclass(frozen=True)
class DraftLinks:
    """Links by location id, by state participant id, and by participant id for affiliations."""

    locations: dict[str, PlaceLink]
    states: dict[str, PlaceLink]
    affiliations: dict[str, PlaceLink]


def link_draft(draft: ExtractionDraft) -> DraftLinks:
    """Link every location, state and affiliation of one answer, each in the light of the rest."""
    gazetteer = load_gazetteer()
    states = [p for p in draft.participants if p.kind is ParticipantKind.STATE]
    queries = [
        PlaceQuery(
            loc.name,
            _FEATURE.get(loc.kind),
            loc.country_code,
            contains=loc.kind not in _NAMED_PLACES,
        )
        for loc in draft.locations
    ] + [PlaceQuery(p.name, PlaceFeature.COUNTRY, contains=True) for p in states]
    context = [p.affiliation for p in draft.participants if p.affiliation] + [
        p.name for p in draft.participants if p.kind is ParticipantKind.ORGANIZATION
    ]
    links = link_article(queries, affiliations=context, gazetteer=gazetteer)
    n = len(draft.locations)
    return DraftLinks(
        locations={loc.id: link for loc, link in zip(draft.locations, links[:n], strict=True)},
        states={p.id: link for p, link in zip(states, links[n:], strict=True)},
        affiliations={
            p.id: link_countries(countries_in(p.affiliation, gazetteer), gazetteer)
            for p in draft.participants
            if p.affiliation
        },
    )


@dataclass(frozen=True)
class WrongCountry:
    """A location whose model `country_code` the gazetteer contradicts."""

    location_id: str
    name: str
    code: str
    reason: str


def wrong_countries(draft: ExtractionDraft, links: DraftLinks) -> Iterator[WrongCountry]:
    """Only a name the gazetteer has as written contradicts: one found only behind a split-off
    proclitic may be another place that is not in the gazetteer at all."""
    gazetteer = load_gazetteer()
    for loc in draft.locations:
        if not gazetteer.as_written(loc.name):
            continue
        if _namesake_abroad(loc.id, loc.country_code, links):
            continue
        reason = contradiction(links.locations[loc.id], loc.country_code, _FEATURE.get(loc.kind))
        if reason is not None and loc.country_code is not None:
            yield WrongCountry(loc.id, loc.name, loc.country_code, reason)


def _namesake_abroad(location_id: str, code: str | None, links: DraftLinks) -> bool:
    """The gazetteer's place is a city (no capital) in a country the article names nowhere
    else, and the model's code is a country it does name: a village the gazetteer lacks is the
    likelier reading ("دوما" near Nablus in a Palestinian story, not Dūmā in Syria)."""
    place = links.locations[location_id].place
    if code is None or place is None or place.feature is not PlaceFeature.CITY:
        return False
    others = [
        link.place.country_code
        for key, link in (*links.locations.items(), *links.states.items())
        if key != location_id and link.place is not None
    ]
    return code in others and place.country_code not in others


__all__ = ["DraftLinks", "WrongCountry", "link_draft", "wrong_countries"]
