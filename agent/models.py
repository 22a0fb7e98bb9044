"""The result contract: what `extract()` returns and `--json` prints.

Two kinds of string live here. *Grounded* fields were copied from the article by the model;
the validator located them and recorded every occurrence as character offsets into the original
text (`text[start:end]`), with how the match was made. *Derived* fields (English renderings,
gists, codes) are the model's own words: marked `x-derived` in the JSON Schema, never grounded.
Place links (`place`, `affiliation_place`) are derived too, but from the shipped gazetteer, not
from the model: marked `x-derived-from: gazetteer` as well.

The shape the model fills in is `agent.extraction.draft.ExtractionDraft`; this module is what
users keep.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DERIVED: dict[str, Any] = {"x-derived": True}
# Filled from the shipped gazetteer (CLDR, GeoNames) after grounding, never by the model.
FROM_GAZETTEER: dict[str, Any] = {"x-derived": True, "x-derived-from": "gazetteer"}


class AlignmentStatus(StrEnum):
    """How a grounded string was found in the article, best first."""

    EXACT = "exact"
    NORMALIZED = "normalized"
    CLITIC = "clitic"
    FUZZY = "fuzzy"
    UNALIGNED = "unaligned"


class ParticipantKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    STATE = "state"
    GROUP = "group"


class TitleKind(StrEnum):
    RANK = "rank"
    OFFICE = "office"
    HONORIFIC = "honorific"


class StoryRole(StrEnum):
    HOST = "host"
    VISITOR = "visitor"
    SPEAKER = "speaker"
    ATTENDEE = "attendee"
    SUBJECT = "subject"
    MENTIONED = "mentioned"


class LocationKind(StrEnum):
    COUNTRY = "country"
    CITY = "city"
    REGION = "region"
    FACILITY = "facility"
    BORDER = "border"
    SEA = "sea"
    OTHER = "other"


class LocationRole(StrEnum):
    VENUE = "venue"
    ORIGIN = "origin"
    DESTINATION = "destination"
    MENTIONED = "mentioned"


class PlaceFeature(StrEnum):
    """What a gazetteer entry is."""

    COUNTRY = "country"
    CAPITAL = "capital"
    CITY = "city"
    REGION = "region"


class LinkStatus(StrEnum):
    """Whether a name was tied to one gazetteer entry."""

    LINKED = "linked"
    AMBIGUOUS = "ambiguous"
    UNLINKED = "unlinked"


class Attribution(StrEnum):
    DIRECT = "direct"
    REPORTED = "reported"


class Stance(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    MIXED = "mixed"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """One occurrence in the article: `text[start:end]`, Python string indices."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    alignment: AlignmentStatus | None = Field(
        default=None,
        description="How this occurrence matched (set in results; the best one is the field's).",
    )


class Grounded(_Frozen):
    """A string the model copied from the article, and where the validator found it."""

    text: str = Field(description="The string as the model wrote it.")
    spans: list[Span] = Field(
        default_factory=list, description="Every occurrence in the article, in order."
    )
    alignment: AlignmentStatus = Field(
        description="How the best occurrence matched; each span says how it matched itself."
    )
    score: float = Field(ge=0.0, le=1.0, description="Match quality: 1.0 exact, 0.0 unaligned.")

    @property
    def grounded(self) -> bool:
        return self.alignment is not AlignmentStatus.UNALIGNED


class Title(_Frozen):
    text: Grounded
    kind: TitleKind
    organization: Grounded | None = None


class PlaceRef(_Frozen):
    """One gazetteer entry: a GeoNames place, or a CLDR country (no geonames_id, no coordinates)."""

    geonames_id: int | None = None
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    name_en: str
    name_ar: str
    feature: PlaceFeature
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = Field(default=None, description="GeoNames' figure, for cities.")


class PlaceLink(_Frozen):
    """A name tied to the gazetteer: one place, several candidates, or nothing found.

    `resolved_by` says how one place was chosen when the name has several: `model_code` (the
    model's own country code), `kind` (country or city, as the model classed it), `context` (the
    other places and states of the article), `prominence` (a country, or a place ten times the
    size of any other, over small namesakes); absent when the name has one meaning.
    """

    status: LinkStatus
    place: PlaceRef | None = None
    resolved_by: str | None = None
    candidates: list[PlaceRef] = Field(
        default_factory=list, description="When ambiguous: every place the name may be."
    )


class Participant(_Frozen):
    id: str
    name: Grounded
    name_en: str | None = Field(default=None, json_schema_extra=DERIVED)
    kind: ParticipantKind
    titles: list[Title] = Field(default_factory=list)
    affiliation: Grounded | None = None
    role: StoryRole
    mentions: list[Grounded] = Field(
        default_factory=list, description="Other references to the participant in the article."
    )
    place: PlaceLink | None = Field(
        default=None,
        json_schema_extra=FROM_GAZETTEER,
        description="For a state: the country its name links to.",
    )
    affiliation_place: PlaceLink | None = Field(
        default=None,
        json_schema_extra=FROM_GAZETTEER,
        description="The country a demonym or name in the affiliation names (الليبي → LY).",
    )


class Location(_Frozen):
    id: str
    name: Grounded
    name_en: str | None = Field(default=None, json_schema_extra=DERIVED)
    kind: LocationKind
    role: LocationRole
    country_code: str | None = Field(default=None, json_schema_extra=DERIVED)
    place: PlaceLink | None = Field(
        default=None,
        json_schema_extra=FROM_GAZETTEER,
        description="The gazetteer entry the name links to; checked against country_code.",
    )


class CheckStatus(StrEnum):
    CONFIRMED = "confirmed"  # the text names the claimed speaker for this cue
    WRONG = "wrong"  # the text names someone else
    UNRESOLVED = "unresolved"  # the text decides nothing (e.g. a description no one matches)
    DETACHED = "detached"  # no occurrence of the cue introduces the content


class SpeakerCheck(_Frozen):
    """What the validator read from the text for one position: which cue occurrence governs its
    content and whom the text makes its speaker. The report draws this link."""

    status: CheckStatus
    cue: Span | None = Field(default=None, description="The cue occurrence that governs it.")
    content: Span | None = Field(default=None, description="The content occurrence it governs.")
    speaker_ids: list[str] = Field(
        default_factory=list, description="The participants the text makes the speaker."
    )
    basis: str = Field(
        default="none",
        description="named, collective, continued (a dropped subject or pronoun), described, "
        "unknown, unnamed or none.",
    )
    evidence: str = Field(default="", description="The words that name the speaker.")


class StatedPosition(_Frozen):
    speaker_id: str
    cue: Grounded
    content: Grounded
    attribution: Attribution
    gist_en: str = Field(json_schema_extra=DERIVED)
    topic: str = Field(json_schema_extra=DERIVED)
    stance: Stance = Field(json_schema_extra=DERIVED)
    about_ids: list[str] = Field(default_factory=list)
    check: SpeakerCheck | None = Field(default=None, json_schema_extra=DERIVED)


class Usage(_Frozen):
    """Tokens summed over every attempt (first answer and every re-ask)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )

    def describe(self) -> str:
        """As views and error lines write it: `tokens 3,819 (2,620 in, 1,199 out)`."""
        total = self.total_tokens or self.prompt_tokens + self.completion_tokens
        return f"tokens {total:,} ({self.prompt_tokens:,} in, {self.completion_tokens:,} out)"


def _is_none(value: object) -> bool:
    return value is None


class ChunkStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"


class ChunkRecord(_Frozen):
    """One chunk of a long article: where it lies and what extracting it took."""

    index: int = Field(ge=1, description="1, 2, … in article order.")
    start: int = Field(ge=0, description="Where the chunk starts in the article.")
    end: int = Field(ge=0)
    status: ChunkStatus
    passes: int = Field(ge=0, description="Passes that gave an answer.")
    attempts: int = Field(ge=0, description="Model calls made for this chunk, every pass.")
    usage: Usage
    error: str | None = Field(default=None, description="Why the chunk failed (policy flag).")
    note: str | None = Field(default=None, description="E.g. that the chunk was cut in a word.")


class Provenance(_Frozen):
    """What produced this result, so a diff between two runs can be explained."""

    khabar_version: str
    model: str = Field(description="The model that answered, as the endpoint named it.")
    endpoint: str = Field(description="Host of the endpoint (no credentials, no path).")
    mode: str = Field(description="instructor mode: tools, json_schema, md_json.")
    auto_choice: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="What khabar chose itself (--mode auto, a model left out), and from what.",
    )
    prompt_version: str = Field(description="Hash of the prompt templates and the draft schema.")
    attempts: int = Field(ge=1, description="Model calls made: 1 + validation re-asks.")
    usage: Usage
    started_at: str = Field(description="UTC, ISO 8601.")
    duration_s: float = Field(ge=0.0, description="Wall time of the whole extraction.")
    # Left out when None: an article read in one request serializes exactly as before.
    chunks: list[ChunkRecord] | None = Field(
        default=None,
        exclude_if=_is_none,
        description="Set only when the article was split: every chunk, failed ones included "
        "(attempts and usage above are summed over them).",
    )
    passes: int | None = Field(
        default=None, ge=1, exclude_if=_is_none, description="--passes, when chunked."
    )
    reask_failed: str | None = Field(
        default=None,
        exclude_if=_is_none,
        description="Set when a re-ask failed (timed out, cut, unusable) and the result is the "
        "best earlier answer, with the policy applied to it: why the last re-ask failed.",
    )


class IssueKind(StrEnum):
    UNGROUNDED = "ungrounded"
    BROKEN_REFERENCE = "broken_reference"
    DUPLICATE = "duplicate"
    DETACHED_TITLE = "detached_title"
    DETACHED_STATEMENT = "detached_statement"
    WRONG_SPEAKER = "wrong_speaker"
    WRONG_COUNTRY = "wrong_country"


class GroundingIssue(_Frozen):
    """One problem still present after the last attempt, and what the policy did with it."""

    path: str = Field(description="Where in the result, e.g. participants[p2].titles[0].")
    kind: IssueKind
    message: str
    action: str = Field(description="flagged (kept, marked) or dropped.")


class GroundingReport(_Frozen):
    policy: str = Field(description="--on-ungrounded policy applied: flag, drop or fail.")
    counts: dict[AlignmentStatus, int] = Field(
        description="Grounded fields in the final result by alignment status."
    )
    issues: list[GroundingIssue] = Field(default_factory=list)
    reasked: list[str] = Field(
        default_factory=list,
        description="Problems sent back to the model in re-asks, in order (earlier attempts).",
    )


class ArticleExtraction(_Frozen):
    """Everything khabar extracted from one article, grounded in its text."""

    language: str = Field(json_schema_extra=DERIVED, description="ISO 639-1 of the article.")
    participants: list[Participant]
    locations: list[Location]
    positions: list[StatedPosition]
    provenance: Provenance
    grounding: GroundingReport

    def participant(self, pid: str) -> Participant | None:
        return next((p for p in self.participants if p.id == pid), None)


__all__ = [
    "DERIVED",
    "FROM_GAZETTEER",
    "AlignmentStatus",
    "ArticleExtraction",
    "Attribution",
    "CheckStatus",
    "ChunkRecord",
    "ChunkStatus",
    "Grounded",
    "GroundingIssue",
    "GroundingReport",
    "IssueKind",
    "LinkStatus",
    "Location",
    "LocationKind",
    "LocationRole",
    "Participant",
    "ParticipantKind",
    "PlaceFeature",
    "PlaceLink",
    "PlaceRef",
    "Provenance",
    "Span",
    "SpeakerCheck",
    "Stance",
    "StatedPosition",
    "StoryRole",
    "Title",
    "TitleKind",
    "Usage",
]
