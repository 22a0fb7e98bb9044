"""Semantic diff of two extraction results: what a reviewer needs to see, not a JSON diff.

Items are matched by what they are, not by position or id: participants and locations by the
name as written, titles and mentions by their text, positions by speaker and content. A model
that renumbers its ids therefore shows no change, while a participant that disappears, a title
that changes, a span that moves or a string that stops being grounded each gives one line.
Volatile provenance (timings, start time, khabar version) is left out of golden files.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from agent.models import ArticleExtraction

VOLATILE_PROVENANCE = ("khabar_version", "started_at", "duration_s")
_SHOWN_SPANS = 3

Data = dict[str, Any]


def strip_volatile(result: ArticleExtraction | Data) -> Data:
    """The result as JSON data without the fields that change on every run."""
    if isinstance(result, ArticleExtraction):
        data: Data = result.model_dump(mode="json")
    else:
        data = copy.deepcopy(result)
    provenance = data.get("provenance")
    if isinstance(provenance, dict):
        for key in VOLATILE_PROVENANCE:
            provenance.pop(key, None)
    return data


@dataclass(frozen=True)
class Change:
    """One difference between the golden result and the current one."""

    section: str
    item: str
    field: str
    kind: str
    before: str
    after: str

    def line(self) -> str:
        where = f"{self.section} {self.item}".strip()
        if self.field:
            where += f" · {self.field}"
        return f"{self.kind}: {where}: {self.before or '∅'} → {self.after or '∅'}"


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, section: str, item: str, field: str, kind: str, old: Any, new: Any) -> None:
        self.changes.append(Change(section, _short(item), field, kind, _show(old), _show(new)))

    def value(self, section: str, item: str, field: str, old: Any, new: Any) -> None:
        if old != new:
            self.add(section, item, field, "changed", old, new)

    def grounded(self, section: str, item: str, field: str, old: Any, new: Any) -> None:
        if old is None or new is None:
            if old is not new:
                kind = "added" if old is None else "removed"
                self.add(section, item, field, kind, _text(old), _text(new))
            return
        if old["text"] != new["text"]:
            self.add(section, item, field, "changed", old["text"], new["text"])
            return
        if (old["alignment"], old["score"]) != (new["alignment"], new["score"]):
            self.add(section, item, field, "grounding", _status(old), _status(new))
        if old["spans"] != new["spans"]:
            self.add(section, item, field + " spans", "moved", _spans(old), _spans(new))

    def keyed(
        self,
        section: str,
        old: Iterable[Data],
        new: Iterable[Data],
        key: Callable[[Data], str],
        compare: Callable[[str, Data, Data], None],
        summary: Callable[[Data], str],
        field: str = "",
        owner: str = "",
    ) -> None:
        """Match two lists by `key`; report the added and removed, compare the rest."""
        before = {key(x): x for x in old}
        after = {key(x): x for x in new}
        for k, x in before.items():
            if k not in after:
                self.add(section, owner or k, field, "removed", summary(x), "")
        for k, x in after.items():
            if k not in before:
                self.add(section, owner or k, field, "added", "", summary(x))
            else:
                compare(k, before[k], x)


def diff_results(golden: Data, current: Data) -> list[Change]:
    """Every semantic difference between a golden result and a current one (both stripped)."""
    d = _Differ()
    d.value("result", "", "language", golden.get("language"), current.get("language"))
    old_names, new_names = _names(golden), _names(current)
    _participants(d, golden.get("participants", []), current.get("participants", []))
    _locations(d, golden.get("locations", []), current.get("locations", []))
    _positions(d, golden, current, old_names, new_names)
    _grounding(d, golden.get("grounding") or {}, current.get("grounding") or {})
    old_prov, new_prov = golden.get("provenance") or {}, current.get("provenance") or {}
    for key in sorted(set(old_prov) | set(new_prov)):
        if key not in VOLATILE_PROVENANCE:
            d.value("provenance", "", key, old_prov.get(key), new_prov.get(key))
    return d.changes


def _participants(d: _Differ, old: list[Data], new: list[Data]) -> None:
    def compare(name: str, a: Data, b: Data) -> None:
        for field in ("kind", "role", "name_en"):
            d.value("participant", name, field, a.get(field), b.get(field))
        d.grounded("participant", name, "name", a["name"], b["name"])
        d.grounded("participant", name, "affiliation", a.get("affiliation"), b.get("affiliation"))

        def title(text: str, x: Data, y: Data) -> None:
            field = f"title {_short(text)}"
            d.value("participant", name, field + " kind", x.get("kind"), y.get("kind"))
            d.grounded("participant", name, field, x["text"], y["text"])
            org = field + " organization"
            d.grounded("participant", name, org, x.get("organization"), y.get("organization"))

        d.keyed(
            "participant",
            a.get("titles", []),
            b.get("titles", []),
            lambda t: str(t["text"]["text"]),
            title,
            lambda t: f"{t['text']['text']} ({t.get('kind')})",
            field="title",
            owner=name,
        )
        d.keyed(
            "participant",
            a.get("mentions", []),
            b.get("mentions", []),
            lambda m: str(m["text"]),
            lambda text, x, y: d.grounded("participant", name, f"mention {_short(text)}", x, y),
            lambda m: str(m["text"]),
            field="mention",
            owner=name,
        )

    d.keyed(
        "participant",
        old,
        new,
        lambda p: str(p["name"]["text"]),
        compare,
        lambda p: f"{p.get('kind')}, {p.get('role')}",
    )


def _locations(d: _Differ, old: list[Data], new: list[Data]) -> None:
    def compare(name: str, a: Data, b: Data) -> None:
        for field in ("kind", "role", "name_en", "country_code"):
            d.value("location", name, field, a.get(field), b.get(field))
        d.grounded("location", name, "name", a["name"], b["name"])

    d.keyed(
        "location",
        old,
        new,
        lambda loc: str(loc["name"]["text"]),
        compare,
        lambda loc: f"{loc.get('kind')}, {loc.get('role')}",
    )


def _positions(
    d: _Differ, golden: Data, current: Data, old_names: dict[str, str], new_names: dict[str, str]
) -> None:
    def key(names: dict[str, str]) -> Callable[[Data], str]:
        return lambda p: f"{names.get(p['speaker_id'], p['speaker_id'])}: {p['content']['text']}"

    def about(names: dict[str, str], p: Data) -> list[str]:
        return sorted(names.get(i, i) for i in p.get("about_ids", []))

    def compare(label: str, a: Data, b: Data) -> None:
        for field in ("attribution", "stance", "topic", "gist_en"):
            d.value("position", label, field, a.get(field), b.get(field))
        d.value("position", label, "about", about(old_names, a), about(new_names, b))
        d.grounded("position", label, "cue", a["cue"], b["cue"])
        d.grounded("position", label, "content", a["content"], b["content"])

    old = golden.get("positions", [])
    new = current.get("positions", [])
    before = {key(old_names)(p): p for p in old}
    after = {key(new_names)(p): p for p in new}
    for k, p in before.items():
        if k not in after:
            d.add("position", k, "", "removed", f"{p.get('attribution')}, {p['cue']['text']}", "")
    for k, p in after.items():
        if k not in before:
            d.add("position", k, "", "added", "", f"{p.get('attribution')}, {p['cue']['text']}")
        else:
            compare(k, before[k], p)


def _grounding(d: _Differ, old: Data, new: Data) -> None:
    d.value("grounding", "", "policy", old.get("policy"), new.get("policy"))
    counts_old, counts_new = old.get("counts") or {}, new.get("counts") or {}
    for status in sorted(set(counts_old) | set(counts_new)):
        d.value("grounding", "", f"{status} count", counts_old.get(status), counts_new.get(status))
    d.keyed(
        "grounding",
        old.get("issues", []),
        new.get("issues", []),
        lambda i: f"{i['path']} {i['kind']}",
        lambda k, a, b: d.value("grounding", k, "issue", a.get("action"), b.get("action")),
        lambda i: f"{i.get('action')}: {i.get('message')}",
        field="issue",
    )
    d.value("grounding", "", "re-asks", len(old.get("reasked", [])), len(new.get("reasked", [])))


def _names(result: Data) -> dict[str, str]:
    """Participant and location ids → names as written, so ids can be compared by meaning."""
    names = {p["id"]: str(p["name"]["text"]) for p in result.get("participants", [])}
    names |= {loc["id"]: str(loc["name"]["text"]) for loc in result.get("locations", [])}
    return names


def _text(grounded: Data | None) -> str:
    return "" if grounded is None else str(grounded["text"])


def _status(grounded: Data) -> str:
    return f"{grounded['alignment']} {float(grounded['score']):.2f}"


def _spans(grounded: Data) -> str:
    spans = [
        f"{s['start']}–{s['end']}" + (f" {s['alignment']}" if s.get("alignment") else "")
        for s in grounded["spans"]
    ]
    shown = ", ".join(spans[:_SHOWN_SPANS])
    return shown + (f" (+{len(spans) - _SHOWN_SPANS})" if len(spans) > _SHOWN_SPANS else "")


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


__all__ = ["VOLATILE_PROVENANCE", "Change", "diff_results", "strip_volatile"]
