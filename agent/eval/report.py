"""The typed report of an eval run: every figure, the grounding summary and the errors per document.

It is what `evaluate` returns and what `khabar eval --json` writes; `--compare` reads an earlier
one back (`EvalReport.load`) and `figure_deltas` lines the two up figure by figure, the A/B view of
a prompt or model change.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.errors import InputError


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Figures(_Model):
    """MUC/SemEval counts and the scores computed from them.

    `possible` = correct + incorrect + partial + missed (the gold), `actual` = correct +
    incorrect + partial + spurious (the predictions); precision = correct / actual, recall =
    correct / possible (a `partial` counts one half, in the schemes that have it).
    """

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0
    possible: int = 0
    actual: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0


class Scheme(_Model):
    """One set of gold against predictions, under both matching schemes."""

    strict: Figures = Field(description="Same span and same type.")
    partial: Figures = Field(description="Overlapping span and same type (SemEval 'ent_type').")


class EntityScores(_Model):
    overall: Scheme
    by_type: dict[str, Scheme]


class PositionScores(_Model):
    """Statements: found when a predicted position's cue, content and speaker each overlap the
    gold's. `cue_found`: gold statements some predicted cue overlaps at all."""

    figures: Figures
    cue_found: int = 0


class GroundingSummary(_Model):
    """The grounding reports of every extracted document, summed."""

    counts: dict[str, int] = Field(default_factory=dict, description="Fields by alignment status.")
    flagged: int = 0
    dropped: int = 0
    reasked: int = Field(0, description="Problems sent back to the model in re-asks.")
    attempts: int = Field(0, description="Model calls, re-asks included.")
    prompt_tokens: int = 0
    completion_tokens: int = 0


class EntityError(_Model):
    type: str
    start: int
    end: int
    text: str
    why: str = ""


class PositionError(_Model):
    cue: str
    content: str
    speaker: str = ""


class DocumentErrors(_Model):
    """Where the model went wrong in one document (strict matching)."""

    id: str
    error: str | None = Field(None, description="Why the document has no result (all missed).")
    false_positives: list[EntityError] = Field(default_factory=list)
    misses: list[EntityError] = Field(default_factory=list)
    spurious_positions: list[PositionError] = Field(default_factory=list)
    missed_positions: list[PositionError] = Field(default_factory=list)


FIGURE_KEYS = ("precision", "recall", "f1", "correct", "incorrect", "missed", "spurious")


class EvalReport(_Model):
    dataset: str
    source: str
    model: str | None
    endpoint: str
    mode: str
    prompt_version: str | None
    documents: int = Field(description="Documents selected for the run.")
    scored: int = Field(description="Documents settled (extracted or failed) and scored.")
    failed: int
    failures_by_kind: dict[str, int] = Field(default_factory=dict)
    interrupted: bool = False
    entities: EntityScores | None = None
    positions: PositionScores | None = None
    grounding: GroundingSummary
    errors: list[DocumentErrors] = Field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> EvalReport:
        """An earlier `--json` report, or an `InputError` saying why it cannot be used."""
        path = Path(path)
        try:
            return cls.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise InputError(f"{path}: no such report") from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"{path} is not a khabar eval report (--json): {exc.error_count()} problem(s), "
                f"first: {where + ': ' if where else ''}{first['msg']}"
            ) from None

    def figures(self) -> dict[str, float]:
        """Every figure by a dotted name: `entities.person.strict.f1`, `positions.recall`, …"""
        found: dict[str, float] = {}
        if self.entities is not None:
            schemes = {"overall": self.entities.overall, **self.entities.by_type}
            for name, scheme in schemes.items():
                for label, figures in (("strict", scheme.strict), ("partial", scheme.partial)):
                    for key in FIGURE_KEYS:
                        found[f"entities.{name}.{label}.{key}"] = getattr(figures, key)
        if self.positions is not None:
            for key in ("precision", "recall", "f1", "correct", "missed", "spurious"):
                found[f"positions.{key}"] = getattr(self.positions.figures, key)
            found["positions.cue_found"] = self.positions.cue_found
        found["documents.failed"] = self.failed
        found["grounding.flagged"] = self.grounding.flagged
        found["grounding.dropped"] = self.grounding.dropped
        found["grounding.reasked"] = self.grounding.reasked
        return found


def figure_deltas(before: EvalReport, after: EvalReport) -> list[tuple[str, float, float, float]]:
    """(figure, before, after, after - before) for every figure both reports have."""
    old, new = before.figures(), after.figures()
    return [
        (name, old[name], value, value - old[name]) for name, value in new.items() if name in old
    ]


__all__ = [
    "DocumentErrors",
    "EntityError",
    "EntityScores",
    "EvalReport",
    "Figures",
    "GroundingSummary",
    "PositionError",
    "PositionScores",
    "Scheme",
    "figure_deltas",
]
