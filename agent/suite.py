"""The fixture suite: cases on disk, replayed and compared with their golden results.

A case is a folder holding `article.txt`, `cassette.json` and, once accepted, `golden.json` (the
expected `ArticleExtraction` without its volatile fields). Hand-written cases also hold
`answers.json`, from which their cassette is generated (`agent.reference`). Any folder under the
suite root with an `article.txt` and a `cassette.json` is a case: the naming convention is the
manifest. Checking a case replays its cassette through the real pipeline and compares the result
with the golden file field by field (`agent.suite_diff`); a cassette that no longer answers the
request the code sends is reported as stale, with what changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from agent.errors import InputError, KhabarError, ReplayError
from agent.models import ArticleExtraction
from agent.replay import (
    HAND_WRITTEN,
    Cassette,
    ReplayTransport,
    canonical,
    describe_difference,
    write_atomic,
)
from agent.replay import replay_settings as recorded_settings
from agent.settings import Settings
from agent.suite_diff import Change, diff_results, strip_volatile

ARTICLE = "article.txt"
CASSETTE = "cassette.json"
GOLDEN = "golden.json"
ANSWERS = "answers.json"


@dataclass(frozen=True, order=True)
class Case:
    """One fixture case folder."""

    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def article(self) -> Path:
        return self.folder / ARTICLE

    @property
    def cassette(self) -> Path:
        return self.folder / CASSETTE

    @property
    def golden(self) -> Path:
        return self.folder / GOLDEN

    @property
    def answers(self) -> Path:
        return self.folder / ANSWERS

    @property
    def hand_written(self) -> bool:
        """Answers written by people: re-recording means regenerating from answers.json."""
        if not self.answers.exists():
            return False
        try:
            return Cassette.load(self.cassette).meta.get("source") == HAND_WRITTEN
        except ReplayError:
            return True

    def load_golden(self) -> dict[str, Any] | None:
        if not self.golden.exists():
            return None
        try:
            data: dict[str, Any] = json.loads(self.golden.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read golden file {self.golden}: {exc}") from None
        return data


def discover(path: str | Path) -> list[Case]:
    """Every case at or under `path`, sorted by folder; an error if there is none."""
    root = Path(path)
    if not root.exists():
        raise InputError(f"{root} does not exist")
    if (root / ARTICLE).is_file():
        return [Case(root)]
    cases = sorted(
        Case(article.parent)
        for article in root.rglob(ARTICLE)
        if (article.parent / CASSETTE).is_file()
    )
    if not cases:
        raise InputError(f"no fixture cases under {root} (folders with {ARTICLE} and {CASSETTE})")
    return cases


class Status(StrEnum):
    OK = "ok"
    CHANGED = "changed"
    STALE = "stale"
    NO_GOLDEN = "no golden"
    FAILED = "failed"


@dataclass
class Outcome:
    """What checking one case found."""

    case: Case
    status: Status
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    result: ArticleExtraction | None = None


def replay_settings(cassette: Cassette, base: Settings | None = None) -> Settings:
    """The user's settings, answered as the cassette was recorded (model, mode, base URL)."""
    return recorded_settings(cassette, base if base is not None else Settings.load())


def _differences(recorded: Any, sent: Any) -> list[str]:
    """`describe_difference`, with the schema change named by its hashes."""
    found = describe_difference(recorded, sent)
    if "the response schema changed" in found and isinstance(recorded, dict):
        assert isinstance(sent, dict)
        old, new = _schema_hash(recorded), _schema_hash(sent)
        found[found.index("the response schema changed")] = f"schema hash {old} → {new}"
    return found


def _schema_hash(body: dict[str, Any]) -> str:
    schema = canonical([body.get("tools"), body.get("response_format")])
    return hashlib.sha256(schema.encode()).hexdigest()[:12]


def replay_case(case: Case, base: Settings | None = None) -> ArticleExtraction:
    """Run the real pipeline on the case's article, answered from its cassette."""
    from agent.articles import read_article
    from agent.client import openai_client
    from agent.pipeline import Extractor

    cassette = Cassette.load(case.cassette)
    settings = replay_settings(cassette, base)
    transport = ReplayTransport(cassette)
    try:
        with openai_client(settings, transport=transport) as client:
            return Extractor(settings, client=client).extract(read_article(case.article))
    except ReplayError:
        if transport.mismatch is None:
            raise
        differences = _differences(*transport.mismatch)
        raise StaleCassette(_stale_reason(cassette, settings, differences)) from None


class StaleCassette(ReplayError):
    """The code no longer sends the request the cassette recorded."""


def _stale_reason(cassette: Cassette, settings: Settings, differences: list[str]) -> str:
    """One line naming what changed, led by the prompt version when it changed."""
    from agent.pipeline import draft_schema
    from agent.prompts import PromptSet

    recorded = cassette.meta.get("prompt_version")
    current = PromptSet.load(settings.prompts_dir).version(draft_schema())
    reasons = list(differences)
    if recorded and recorded != current:
        reasons.insert(0, f"prompt version {recorded} → {current}")
    return f"stale cassette: {'; '.join(reasons)}"


def check_case(case: Case, base: Settings | None = None) -> Outcome:
    """Replay one case and compare it with its golden file."""
    try:
        result = replay_case(case, base)
    except StaleCassette as exc:
        return Outcome(case, Status.STALE, reason=str(exc))
    except KhabarError as exc:
        return Outcome(case, Status.FAILED, reason=str(exc))
    golden = case.load_golden()
    if golden is None:
        return Outcome(case, Status.NO_GOLDEN, reason=f"{GOLDEN} missing", result=result)
    changes = diff_results(golden, strip_volatile(result))
    return Outcome(case, Status.CHANGED if changes else Status.OK, changes, result=result)


def golden_text(result: ArticleExtraction) -> str:
    return json.dumps(strip_volatile(result), ensure_ascii=False, indent=1) + "\n"


def write_golden(case: Case, result: ArticleExtraction) -> None:
    write_atomic(case.golden, golden_text(result))


@dataclass
class Recording:
    """A freshly made cassette in a scratch folder, not yet in place."""

    case: Case
    cassette: Path
    result: ArticleExtraction
    changes: list[Change]
    scratch: Path

    def install(self) -> None:
        shutil.copyfile(self.cassette, self.case.cassette)

    def discard(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def record_case(case: Case, base: Settings | None = None) -> Recording:
    """Re-make a case's cassette in a scratch folder: from answers.json or from the endpoint."""
    scratch = Path(tempfile.mkdtemp(prefix=f"khabar-record-{case.name}-"))
    try:
        shutil.copyfile(case.article, scratch / ARTICLE)
        if case.hand_written:
            result = _regenerate(case, scratch, base)
        else:
            result = _record_live(case, scratch, base)
        golden = case.load_golden()
        changes = diff_results(golden or {}, strip_volatile(result))
        return Recording(case, scratch / CASSETTE, result, changes, scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _regenerate(case: Case, scratch: Path, base: Settings | None) -> ArticleExtraction:
    from agent.reference import reference_settings, write_reference_cassette

    shutil.copyfile(case.answers, scratch / ANSWERS)
    prompts_dir = (base or Settings.load()).prompts_dir
    return write_reference_cassette(scratch, reference_settings(prompts_dir=prompts_dir))


def _record_live(case: Case, scratch: Path, base: Settings | None) -> ArticleExtraction:
    from agent.articles import read_article
    from agent.client import openai_client
    from agent.pipeline import Extractor
    from agent.replay import recorder_for

    settings = base if base is not None else Settings.load()
    settings.require_endpoint()
    recorder = recorder_for(scratch / CASSETTE, settings)
    with openai_client(settings, transport=recorder) as client:
        result = Extractor(settings, client=client).extract(read_article(case.article))
    recorder.finish(result.provenance.prompt_version)
    return result


__all__ = [
    "Case",
    "Outcome",
    "Recording",
    "StaleCassette",
    "Status",
    "check_case",
    "discover",
    "record_case",
    "replay_case",
    "replay_settings",
    "write_golden",
]
