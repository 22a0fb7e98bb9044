"""What a problem points at: the one item of an answer the `drop` policy removes.

The checks build a target where they find a problem, and the result builder asks the same
values whether an item survives, so the two sides can never spell an item differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TargetKind = Literal[
    "participant",
    "duplicate",
    "title",
    "organization",
    "affiliation",
    "mention",
    "location",
    "country_code",
    "position",
    "about",
]


@dataclass(frozen=True)
class Target:
    """An item of the answer: `owner` is a participant or location id, or a position's index."""

    kind: TargetKind
    owner: str
    index: int | None = None
    ref: str | None = None

    @classmethod
    def participant(cls, pid: str) -> Target:
        return cls("participant", pid)

    @classmethod
    def duplicate(cls, pid: str) -> Target:
        return cls("duplicate", pid)

    @classmethod
    def title(cls, pid: str, i: int) -> Target:
        return cls("title", pid, i)

    @classmethod
    def organization(cls, pid: str, i: int) -> Target:
        """The organisation of participant `pid`'s title `i`."""
        return cls("organization", pid, i)

    @classmethod
    def affiliation(cls, pid: str) -> Target:
        return cls("affiliation", pid)

    @classmethod
    def mention(cls, pid: str, i: int) -> Target:
        return cls("mention", pid, i)

    @classmethod
    def location(cls, lid: str) -> Target:
        return cls("location", lid)

    @classmethod
    def country_code(cls, lid: str) -> Target:
        """The model's country code of location `lid` (the place itself stays)."""
        return cls("country_code", lid)

    @classmethod
    def position(cls, i: int) -> Target:
        return cls("position", str(i))

    @classmethod
    def about(cls, i: int, ref: str) -> Target:
        """One id in position `i`'s about_ids."""
        return cls("about", str(i), ref=ref)

    def as_tuple(self) -> tuple[str, ...]:
        """The path-like tuple earlier versions used (benchmarks compare across versions)."""
        if self.kind in ("participant", "location"):
            return (self.owner,)
        if self.kind == "duplicate":
            return (self.owner, "duplicate")
        if self.kind == "affiliation":
            return (self.owner, "affiliation")
        if self.kind == "country_code":
            return (self.owner, "country_code")
        if self.kind in ("title", "mention"):
            return (self.owner, f"{self.kind}s", str(self.index))
        if self.kind == "organization":
            return (self.owner, "titles", str(self.index), "organization")
        if self.kind == "position":
            return ("positions", self.owner)
        return ("positions", self.owner, "about", str(self.ref))


__all__ = ["Target", "TargetKind"]
