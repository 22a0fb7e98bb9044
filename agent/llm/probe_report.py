"""What a probe found out about a server, and the cache that remembers it for a week.

`ProbeReport` is what `khabar probe` prints and `--mode auto` decides from; the cache (one JSON
file in the user cache dir, keyed by base URL without credentials and model) is what makes
`--mode auto` cost nothing after the first run. A damaged or unwritable cache only costs a probe.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent.errors import OutputError
from agent.files import write_atomic
from agent.settings import Mode, without_credentials

CACHE_FORMAT = 1
CACHE_TTL = timedelta(days=7)
# The khabar modes, best first, and the check each depends on.
PREFERENCE = ((Mode.TOOLS, "tools"), (Mode.JSON_SCHEMA, "json_schema"), (Mode.MD_JSON, "md_json"))


@dataclass(frozen=True)
class Check:
    """One feature tried: `status` is works, refused (the server rejects the request), ignored
    (accepted but not honoured), failed (another error) or timeout."""

    name: str
    status: str
    detail: str
    http_status: int | None = None
    seconds: float = 0.0

    @property
    def works(self) -> bool:
        return self.status == "works"


@dataclass(frozen=True)
class ProbeReport:
    """What the probe found out about one base URL and model."""

    base_url: str
    model: str
    models: list[str] | None
    model_source: str  # "settings" or "only one listed"
    checks: list[Check]
    recommended: str | None
    probed_at: str
    seconds: float
    models_detail: str = ""
    cached: bool = field(default=False, compare=False)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("cached")
        for check in data["checks"]:
            check["works"] = check["status"] == "works"
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cached: bool = False) -> ProbeReport:
        checks = [
            Check(**{k: v for k, v in c.items() if k != "works"}) for c in data.get("checks", [])
        ]
        fields = {k: v for k, v in data.items() if k not in ("checks", "cached")}
        return cls(**fields, checks=checks, cached=cached)

    def summary(self) -> str:
        """One line: what works and the mode to use."""
        works = [c.name for c in self.checks if c.works] or ["nothing"]
        use = f"use --mode {self.recommended}" if self.recommended else "no khabar mode works"
        return f"{self.base_url} · {self.model}: {', '.join(works)} work; {use}"


# the cache --------------------------------------------------------------------------------------

_cache_lock = threading.Lock()


def cache_path() -> Path:
    """$XDG_CACHE_HOME/khabar/probe.json (default ~/.cache/khabar/probe.json). A relative
    $XDG_CACHE_HOME is ignored, as the XDG spec asks: it would put the cache wherever khabar
    happens to run."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = str(Path("~/.cache").expanduser())
    return Path(base) / "khabar" / "probe.json"


def _key(base_url: str, model: str) -> str:
    return f"{without_credentials(base_url)} {model}"


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: probe again
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def remember_report(report: ProbeReport) -> None:
    with _cache_lock:
        entries = _read_cache()
        entries[_key(report.base_url, report.model)] = report.to_dict()
        text = json.dumps({"format": CACHE_FORMAT, "entries": entries}, indent=1)
        # A read-only home, a cache path that is a folder or lies under a file: the probe still
        # answered, and not remembering it only costs a probe next time (write_atomic turns
        # every such OSError into an OutputError).
        with contextlib.suppress(OSError, OutputError):
            write_atomic(cache_path(), text + "\n")


def cached_report(base_url: str, model: str, *, now: datetime | None = None) -> ProbeReport | None:
    """The remembered probe of this base URL and model, if younger than `CACHE_TTL`; a damaged
    entry (edited by hand, written by another version) is not remembered: probe again."""
    report = _report_of(_read_cache().get(_key(base_url, model)))
    if report is None:
        return None
    try:
        age = (now or datetime.now(UTC)) - datetime.fromisoformat(report.probed_at)
    except (TypeError, ValueError):  # no date, or one without a time zone
        return None
    return report if age <= CACHE_TTL else None


_MODES = frozenset(mode.value for mode, _ in PREFERENCE)


def _report_of(entry: object) -> ProbeReport | None:
    """The report a cache entry holds, or None when any field is of the wrong type: a
    recommended mode that is no mode, or a list that is not one, would fail later, in a view
    or in `--mode auto`, with a traceback."""
    if not isinstance(entry, dict) or not isinstance(entry.get("checks"), list):
        return None
    if not all(isinstance(c, dict) for c in entry["checks"]):
        return None
    try:
        report = ProbeReport.from_dict(entry, cached=True)
    except (TypeError, ValueError):
        return None
    texts = [report.base_url, report.model, report.model_source, report.probed_at]
    texts += [report.models_detail] + [t for c in report.checks for t in (c.name, c.status)]
    texts += [c.detail for c in report.checks]
    numbers = [report.seconds] + [c.seconds for c in report.checks]
    if (
        not all(isinstance(text, str) for text in texts)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers)
        or not all(_is_status(c.http_status) for c in report.checks)
        or not (report.models is None or _is_texts(report.models))
        or not (report.recommended is None or report.recommended in _MODES)
    ):
        return None
    return report


def _is_status(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def remembered_models(base_url: str) -> list[str]:
    """The models probed at this base URL that the cache still remembers (any age)."""
    prefix = f"{without_credentials(base_url)} "
    return sorted(key[len(prefix) :] for key in _read_cache() if key.startswith(prefix))


__all__ = [
    "CACHE_TTL",
    "PREFERENCE",
    "Check",
    "ProbeReport",
    "cache_path",
    "cached_report",
    "remember_report",
    "remembered_models",
]
