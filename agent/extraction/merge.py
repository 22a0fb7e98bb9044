"""Merge the results of a long article's chunks into one result grounded in the whole article.

Each chunk was extracted and grounded against its own text, with its own ids. The merge:

- rebases each chunk's spans by the chunk's start, to order and deduplicate what it found;
- makes one participant of those found in several chunks: the same folded name
  (`agent.text.normalize.fold`), or a name that is a short form or a listed mention of exactly
  one other participant of the same kind (حفتر for صدام حفتر, "Obama" for "Barack Obama"). A short
  form that fits two people (two Haftars) merges with neither, and two full names that share a
  surname are never merged. Titles, mentions and the other names are unioned;
- does the same for locations, by folded name;
- remaps every position's `speaker_id` and `about_ids`, and keeps one of the positions the overlap
  between chunks found twice (the same cue and content occurrences);
- renumbers ids (p1, l1, …) in order of first mention in the article, and grounds every copied
  string again against the whole article (`build_result`), so `spans` list every occurrence and
  the `--on-ungrounded` policy and the structural checks see the article, not a chunk.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agent.extraction.draft import (
    DraftLocation,
    DraftParticipant,
    DraftPosition,
    DraftTitle,
    ExtractionDraft,
)
from agent.extraction.result import build_result
from agent.extraction.validate import ValidationRun
from agent.models import (
    AlignmentStatus,
    ArticleExtraction,
    Grounded,
    Location,
    LocationRole,
    Participant,
    Provenance,
    StatedPosition,
    StoryRole,
)
from agent.settings import Policy
from agent.text.normalize import fold


@dataclass(frozen=True)
class ChunkResult:
    """One chunk's (or one pass over a chunk's) result, and where the chunk starts."""

    label: str  # "chunk 2" or "chunk 2, pass 2": names the chunk in re-ask notes
    offset: int
    result: ArticleExtraction


@dataclass
class _Group:
    """Participants (or locations) of several chunks that are one."""

    members: list[Participant | Location] = field(default_factory=list)
    first: int = 1 << 62  # rebased start of its earliest occurrence in any chunk

    @property
    def names(self) -> list[str]:
        return [m.name.text for m in self.members]

    @property
    def folded(self) -> set[str]:
        found = {fold(n) for n in self.names}
        for m in self.members:
            if isinstance(m, Participant):
                found |= {fold(x.text) for x in m.mentions}
        return found - {""}

    @property
    def full_name(self) -> str:
        """The fullest name; among equals, one written as the article writes it, first found."""
        best = max(
            self.members,
            key=lambda m: (
                len(fold(m.name.text).split()),
                m.name.alignment is AlignmentStatus.EXACT,
                len(fold(m.name.text)),
            ),
        )
        return best.name.text


def merge_results(
    article: str, parts: list[ChunkResult], policy: Policy, provenance: Provenance
) -> ArticleExtraction:
    """One result for the whole article from its chunks' results (in chunk order)."""
    people, person_of = _group_participants(parts)
    places, place_of = _group_locations(parts)
    run = ValidationRun(article=article, max_attempts=1, attempt=1)
    person_ids = _renumber(people, "p", run)
    place_ids = _renumber(places, "l", run)
    ids: dict[tuple[int, str], str] = {}
    for key, g in person_of.items():
        ids[key] = person_ids[g]
    for key, g in place_of.items():
        ids.setdefault(key, place_ids[g])
    order = sorted(range(len(people)), key=lambda g: person_ids[g][1:].zfill(9))
    loc_order = sorted(range(len(places)), key=lambda g: place_ids[g][1:].zfill(9))
    draft = ExtractionDraft.model_validate(
        {
            "language": _language(parts),
            "participants": [
                _draft_participant(people[g], person_ids[g]).model_dump() for g in order
            ],
            "locations": [_draft_location(places[g], place_ids[g]).model_dump() for g in loc_order],
            "positions": [p.model_dump() for p in _positions(parts, ids)],
        },
        context={"khabar_run": None},  # checked below, against the whole article
    )
    run.reasked = [f"{part.label}: {m}" for part in parts for m in part.result.grounding.reasked]
    run.review(draft)
    return build_result(draft, run, policy, provenance)


def _earliest(item: Participant | Location, offset: int) -> int:
    fields = [item.name, *(item.mentions if isinstance(item, Participant) else [])]
    starts = [s.start + offset for g in fields for s in g.spans]
    return min(starts, default=1 << 62)


def _group_participants(
    parts: list[ChunkResult],
) -> tuple[list[_Group], dict[tuple[int, str], int]]:
    groups: list[_Group] = []
    by_name: dict[str, int] = {}
    where: dict[tuple[int, str], int] = {}
    for n, part in enumerate(parts):
        for p in part.result.participants:
            key = fold(p.name.text)
            g = by_name.get(key)
            if g is None:
                g = len(groups)
                groups.append(_Group())
                by_name[key] = g
            groups[g].members.append(p)
            groups[g].first = min(groups[g].first, _earliest(p, part.offset))
            where[(n, p.id)] = g
    root = list(range(len(groups)))

    def find(g: int) -> int:
        while root[g] != g:
            root[g] = root[root[g]]
            g = root[g]
        return g

    for short, full in _short_forms(groups):
        a, b = find(short), find(full)
        if a != b:
            root[max(a, b)] = min(a, b)  # the earlier-found group absorbs the later one
    merged: list[_Group] = []
    new_index: dict[int, int] = {}
    for g, group in enumerate(groups):
        r = find(g)
        if r not in new_index:
            new_index[r] = len(merged)
            merged.append(_Group())
        into = merged[new_index[r]]
        into.members.extend(group.members)
        into.first = min(into.first, group.first)
    return merged, {key: new_index[find(g)] for key, g in where.items()}


def _short_forms(groups: list[_Group]) -> list[tuple[int, int]]:
    """(group, the one other group of its kind it is a short form or a listed mention of).

    A short form is the name's words inside a longer name (حفتر in صدام حفتر); a mention is any
    string the other group lists (نائب القائد العام for صدام حفتر). Either counts only when it
    fits exactly one other group: حفتر beside صدام حفتر and خليفة حفتر merges with neither.
    """
    pairs: list[tuple[int, int]] = []
    for a, short in enumerate(groups):
        name = fold(short.full_name)
        words = name.split()
        kind = short.members[0].kind
        candidates = [
            b
            for b, full in enumerate(groups)
            if b != a
            and full.members[0].kind == kind
            and (
                (len(fold(full.full_name).split()) > len(words)
                 and _contains(fold(full.full_name).split(), words))
                or name in full.folded
            )
        ]  # fmt: skip
        if len(candidates) == 1:
            pairs.append((a, candidates[0]))
    return pairs


def _contains(words: list[str], part: list[str]) -> bool:
    k = len(part)
    return any(words[i : i + k] == part for i in range(len(words) - k + 1))


def _group_locations(parts: list[ChunkResult]) -> tuple[list[_Group], dict[tuple[int, str], int]]:
    groups: list[_Group] = []
    by_name: dict[str, int] = {}
    where: dict[tuple[int, str], int] = {}
    for n, part in enumerate(parts):
        for loc in part.result.locations:
            key = fold(loc.name.text)
            g = by_name.setdefault(key, len(groups))
            if g == len(groups):
                groups.append(_Group())
            groups[g].members.append(loc)
            groups[g].first = min(groups[g].first, _earliest(loc, part.offset))
            where[(n, loc.id)] = g
    return groups, where


def _renumber(groups: list[_Group], prefix: str, run: ValidationRun) -> dict[int, str]:
    """Ids in order of first mention in the whole article (chunk order breaks ties)."""

    def first(g: int) -> tuple[int, int]:
        names = {n for m in groups[g].members for n in _strings(m)}
        starts = [s.start for n in names for s in run.spans(n)]
        return (min(starts, default=groups[g].first), g)

    return {g: f"{prefix}{i}" for i, g in enumerate(sorted(range(len(groups)), key=first), 1)}


def _strings(item: Participant | Location) -> list[str]:
    if isinstance(item, Participant):
        return [item.name.text, *(m.text for m in item.mentions)]
    return [item.name.text]


def _draft_participant(group: _Group, pid: str) -> DraftParticipant:
    members = [m for m in group.members if isinstance(m, Participant)]
    name = group.full_name
    chosen = next(m for m in members if m.name.text == name)
    mentions: dict[str, str] = {}
    titles: dict[str, DraftTitle] = {}
    for m in members:
        for text in (m.name.text, *(x.text for x in m.mentions)):
            if fold(text) != fold(name):
                mentions.setdefault(fold(text), text)
        for t in m.titles:
            titles.setdefault(
                fold(t.text.text),
                DraftTitle(
                    text=t.text.text,
                    kind=t.kind,
                    organization=t.organization.text if t.organization else None,
                ),
            )
    affiliation = next((m.affiliation.text for m in members if m.affiliation), None)
    roles = [m.role for m in members if m.role is not StoryRole.MENTIONED]
    return DraftParticipant(
        id=pid,
        name=name,
        name_en=chosen.name_en or next((m.name_en for m in members if m.name_en), None),
        kind=chosen.kind,
        titles=list(titles.values()),
        affiliation=affiliation,
        role=roles[0] if roles else StoryRole.MENTIONED,
        mentions=list(mentions.values()),
    )


def _draft_location(group: _Group, lid: str) -> DraftLocation:
    members = [m for m in group.members if isinstance(m, Location)]
    first = members[0]
    roles = [m.role for m in members if m.role is not LocationRole.MENTIONED]
    return DraftLocation(
        id=lid,
        name=first.name.text,
        name_en=next((m.name_en for m in members if m.name_en), None),
        kind=first.kind,
        role=roles[0] if roles else LocationRole.MENTIONED,
        country_code=next((m.country_code for m in members if m.country_code), None),
    )


def _positions(parts: list[ChunkResult], ids: dict[tuple[int, str], str]) -> list[DraftPosition]:
    """Every chunk's positions with merged ids, in article order, the overlap's twins dropped."""
    kept: list[tuple[int, int, set[tuple[int, int]], set[tuple[int, int]], DraftPosition]] = []
    for n, part in enumerate(parts):
        for pos in part.result.positions:
            cue = _rebased(pos, "cue", part.offset)
            content = _rebased(pos, "content", part.offset)
            if (
                cue
                and content
                and any(  # another chunk (or pass) found it: the same occurrences
                    m != n and _overlap(cue, c) and _overlap(content, t) for _, m, c, t, _ in kept
                )
            ):
                continue
            start = min((s for s, _ in content), default=1 << 62)
            kept.append((start, n, cue, content, _draft_position(pos, n, ids)))
    kept.sort(key=lambda item: item[0])
    return [item[4] for item in kept]


def _rebased(pos: StatedPosition, name: str, offset: int) -> set[tuple[int, int]]:
    g: Grounded = getattr(pos, name)
    return {(s.start + offset, s.end + offset) for s in g.spans}


def _overlap(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _draft_position(pos: StatedPosition, n: int, ids: dict[tuple[int, str], str]) -> DraftPosition:
    def remap(old: str) -> str:
        # An id the chunk never defined stays broken, and says which chunk it came from.
        return ids.get((n, old), f"{old}@chunk{n + 1}")

    return DraftPosition(
        speaker_id=remap(pos.speaker_id),
        cue=pos.cue.text,
        content=pos.content.text,
        attribution=pos.attribution,
        gist_en=pos.gist_en,
        topic=pos.topic,
        stance=pos.stance,
        about_ids=list(dict.fromkeys(remap(r) for r in pos.about_ids)),
    )


def _language(parts: list[ChunkResult]) -> str:
    return Counter(part.result.language for part in parts).most_common(1)[0][0]


__all__ = ["ChunkResult", "merge_results"]
