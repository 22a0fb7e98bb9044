"""The shape the model fills in: plain strings, each described for the model.

These descriptions reach the model through the JSON Schema that instructor sends, so they are
written as instructions. The model never writes offsets or alignment: the validator computes them
(`agent.extraction.validate`) and the result (`agent.models.ArticleExtraction`) carries them.

The after-validator on `ExtractionDraft` is the re-ask seam: with a `ValidationRun` in progress
(`CURRENT_RUN`, set by `agent.llm.pipeline`, or `context={"khabar_run": run}`) it checks the
answer against the article and raises a precise message while re-asks remain; on the last
attempt it records what is left for the `--on-ungrounded` policy.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from agent.models import (
    Attribution,
    LocationKind,
    LocationRole,
    ParticipantKind,
    Stance,
    StoryRole,
    TitleKind,
)


class Reviewer(Protocol):
    """What the draft's validator calls: `agent.extraction.validate.ValidationRun`."""

    def review(self, draft: ExtractionDraft) -> None: ...


# The run of the extraction in progress. It reaches the draft's validator this way rather than
# through instructor's `context=`, because instructor renders the messages as Jinja templates
# whenever a context is given: an article containing "{{ 7*7 }}" would reach the model as "49".
# It lives here, where the validator reads it, so the draft never imports the checks.
CURRENT_RUN: ContextVar[Reviewer | None] = ContextVar("khabar_run", default=None)

VERBATIM = "Copied character for character from the article, in its own language and spelling."


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftTitle(_Draft):
    """A rank, office or honorific the article gives the participant."""

    text: str = Field(description=f"The title as written next to the name. {VERBATIM}")
    kind: TitleKind = Field(
        description="rank (military or police rank), office (a post: minister, chief of staff, "
        "spokesman) or honorific."
    )
    organization: str | None = Field(
        default=None,
        description="The organisation the title belongs to, when the article states it. "
        + VERBATIM,
    )


class DraftParticipant(_Draft):
    """A person, organisation, state or group that takes part in or is named in the story."""

    id: str = Field(pattern=r"^p[0-9]+$", description="p1, p2, … in order of first mention.")
    name: str = Field(description=f"The fullest name the article gives. {VERBATIM}")
    name_en: str | None = Field(default=None, description="The name in English (your rendering).")
    kind: ParticipantKind
    titles: list[DraftTitle] = Field(default_factory=list)
    affiliation: str | None = Field(
        default=None,
        description=f"The organisation or state the participant belongs to, as named. {VERBATIM}",
    )
    role: StoryRole = Field(
        description="host, visitor, speaker, attendee, subject (the story is about it) or "
        "mentioned."
    )
    mentions: list[str] = Field(
        default_factory=list,
        description="Other ways the article refers to this participant (e.g. 'الضيف الليبي', "
        f"'the minister'). {VERBATIM}",
    )


class DraftLocation(_Draft):
    """A country, city, region, facility, border or sea named in the article."""

    id: str = Field(pattern=r"^l[0-9]+$", description="l1, l2, … in order of first mention.")
    name: str = Field(description=f"The place name as written. {VERBATIM}")
    name_en: str | None = Field(default=None, description="The place name in English.")
    kind: LocationKind
    role: LocationRole = Field(
        description="venue (where the event happened), origin, destination or mentioned."
    )
    country_code: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country the place is in, when known.",
    )


class DraftPosition(_Draft):
    """A position a participant stated: affirmed, stressed, expressed, denied, said …"""

    speaker_id: str = Field(description="Id of the participant who stated it (p1, p2, …).")
    cue: str = Field(
        description="The verb or phrase that attributes it, e.g. 'أكد', 'أعرب عن', 'said'. "
        + VERBATIM
    )
    content: str = Field(
        description="What was stated: the quoted words or the reported clause, copied as one "
        f"contiguous passage. {VERBATIM}"
    )
    attribution: Attribution = Field(
        description="direct (quoted words) or reported (paraphrased by the writer)."
    )
    gist_en: str = Field(description="One English sentence: who stated what about whom.")
    topic: str = Field(description="A few English words naming the topic.")
    stance: Stance = Field(description="The speaker's stance towards what the statement is about.")
    about_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the participants and locations the statement is about.",
    )


class ExtractionDraft(_Draft):
    """Participants, locations and stated positions of one news article."""

    language: str = Field(
        pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the article's language."
    )
    # Required, even when empty: a model (or a grammar built from this schema) must say so, rather
    # than stop after `language`, as small models constrained by the schema otherwise do.
    participants: list[DraftParticipant] = Field(
        description="Every person, organisation, state or group in the article."
    )
    locations: list[DraftLocation] = Field(description="Every place named in the article.")
    positions: list[DraftPosition] = Field(
        description="Only positions attributed to a participant; never the writer's own analysis.",
    )

    @model_validator(mode="after")
    def _check_against_article(self, info: ValidationInfo) -> ExtractionDraft:
        run = _run_from(info.context)
        if run is not None:
            run.review(self)
        return self


def _run_from(context: Any) -> Reviewer | None:
    """The extraction run: given as validation context, or the one in progress."""
    if isinstance(context, dict) and "khabar_run" in context:
        run: Reviewer | None = context["khabar_run"]
        return run
    return CURRENT_RUN.get()


__all__ = [
    "CURRENT_RUN",
    "DraftLocation",
    "DraftParticipant",
    "DraftPosition",
    "DraftTitle",
    "ExtractionDraft",
]
