"""Which participant each title occurrence stands beside: the nearest holder, not anyone near.

A title is the participant's only where it is written next to them. Every occurrence of every
listed title goes to its nearest name or mention (a shortest-path search, so a chain of titles
stays with its holder), with costs that break ties the way news writes; a title written alone
stands for the one participant who holds it nearby; a plural or dual title beside two names
joined by و is both of theirs. `Mentions` (mentions.py) calls these once per answer.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from typing import TYPE_CHECKING

from agent.models import Span
from agent.text.cue_words import COORDINATION, POSSESSIVE, WORDS
from agent.text.grounding import NEAR_MAX_GAP
from agent.text.normalize import crosses_sentence, fold
from agent.text.segments import folded_words

if TYPE_CHECKING:
    from agent.extraction.draft import ExtractionDraft
    from agent.extraction.mentions import Mention
    from agent.extraction.validate import ValidationRun

TITLE_MAX_GAP = NEAR_MAX_GAP  # characters between a title and its holder: "Ed Miliband, leader of"
# A title belongs to the nearest holder; these costs (in characters) break ties the way news
# writes: people hold titles ("Civil Defense Authority director General Suleiman al-Amr"), and
# a title after a comma is the apposition of what precedes it, not of what follows.
NOT_PERSON_COST = 20
# A title may end with where it holds: "رئيس مجلس اتحاد المحاكم الاسلامية في الصومال الشيخ شريف"
# or its body, quoted after بـ: 'مدير إدارة الطوارئ بـ"صحة جازان" عبدالرحمن دغريري', or the
# holder quoted after a place glued to ب: 'المرشدة الطلابية بعسير "زكية العتيبي"'
_TITLE_PLACE = re.compile(
    r"\s+(?:في|فى|ب|in|of)(?:\s+|\s*ـ\s*)([\"«“])?\s*\w+(?:\s+\w+)?\s*(?(1)[\"»”])\s*[,،]?\s*"
    r"|\s+ب[\u0621-\u064a]{2,}\s*[,،]?\s*[\"«“]\s*"  # glued, before the quoted holder
)
# Before its holder, a title may be followed by his origin: "الشيخ البحريني سلمان بن إبراهيم"
_TITLE_ORIGIN = re.compile(r"\s+ال[\u0621-\u064a]{3,}(?:ي|ية|يه)\s+")
_OPENS_NAME = re.compile(r"\s*\(\s*")
_CLOSES_NAME = re.compile(r"\s*\)")
_AND = re.compile(r"(?<!\w)(?:و|and)(?!\w)", re.IGNORECASE)
_APPOSED = re.compile(r"\s*[,،]?\s*")  # a title in apposition: at most a comma between
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# The only words that may stand between a title and its holder: "John Kerry, the Secretary of",
# "Deputy Prime Minister and Liberal Democratic leader Nick Clegg".
TITLE_GAP_WORDS = frozenset(
    {"the", "a", "an", "its", "his", "her", "their", "and", "late", "و", "الراحل", "الراحلة"}
)
TITLE_BEFORE_COMMA_COST = 30
# After its holder, a title may follow "he is" (an apposition): "ضابط في الشرطة العراقية وهو
# برتبة مقدم", "انتحاري يدعى محمد صديق وهو عضو في جماعة".
_APPOSITION_LINK = re.compile(r"\s*[,،]?\s*و?(?:هو|هي|هى)(?:\s+(?:برتبة|برتبه|بمنصب|بدرجة))?\s+")
_PLURAL_HEAD = re.compile(r"[\u0621-\u064a]{3,}ي|[a-z]{3,}s")  # موفدي, ممثلي; envoys
# A dual or sound plural with the article: الفيلسوفان، الوزيرين، المبعوثون; the two envoys.
_DUAL_OR_PLURAL = re.compile(
    r"(?!السلطان$|الربان$)ال[\u0621-\u064a]{3,}(?:ان|ين|ون|ات)|[a-z]{3,}(?<!s)s"
)
_CONSTRUCT_DUAL = re.compile(r"[\u0621-\u064a]{3,}[اي]")  # وزيرا، وزيري (before its genitive)
STANDING_TITLE_MIN_WORDS = 2  # a title written alone stands for its holder from this length


def title_holders(draft: ExtractionDraft, run: ValidationRun) -> dict[Span, set[str]]:
    """Each occurrence of a listed title → the participants the answer gives that title."""
    listed: dict[Span, set[str]] = {}
    for p in draft.participants:
        for t in p.titles:
            for span in run.spans(t.text):
                listed.setdefault(span, set()).add(p.id)
    return listed


def not_cut_by_titles(
    text: str, anchors: list[Mention], listed: dict[Span, set[str]]
) -> list[Mention]:
    """Drop a reference that another participant's title runs on past: "معالي وزير الخارجية"
    (the Saudi minister's mention) in "معالي وزير الخارجية الألماني فرانك": the longer title
    is written there, and it is the German minister's. Drop a mention that is another's title
    written beside their name, too: "الأمير خالد الفيصل مستشار خادم الحرمين الشريفين" is the
    prince's title there, though the answer also calls another adviser by those words."""
    titles = [(span, pid) for span, pids in listed.items() for pid in pids]

    def beside(span: Span, pid: str) -> bool:  # a name of `pid` right before or after `span`
        return any(
            b.pid == pid
            and (
                _APPOSED.fullmatch(text, b.span.end, span.start) is not None
                or _APPOSED.fullmatch(text, span.end, b.span.start) is not None
            )
            for b in anchors
            if b.form == "name"
        )

    return [
        a
        for a in anchors
        if not any(
            pid != a.pid
            and (
                a.span.start < span.start < a.span.end < span.end
                or (a.form == "mention" and span == a.span and beside(span, pid))
            )
            for span, pid in titles
        )
    ]


def own_titles(
    draft: ExtractionDraft,
    run: ValidationRun,
    anchors: list[Mention],
    listed: dict[Span, set[str]],
) -> dict[Span, frozenset[str]]:
    """Each title occurrence → the participant(s) it stands nearest to (ties keep all).

    Nearest first, like a shortest-path search: a title reached from a name becomes an anchor
    itself, so a chain "الفريق أول عبد المجيد صقر القائد العام ... وزير الدفاع" stays together.
    `listed` is `title_holders`: every title occurrence → the participants the answer gives it.
    """
    spans = sorted(listed, key=lambda s: (s.start, s.end))
    organizations: dict[Span, set[str]] = {}  # each title occurrence → its bodies, as stated
    for p in draft.participants:
        for t in p.titles:
            if t.organization:
                for s in run.spans(t.text):
                    organizations.setdefault(s, set()).add(" ".join(folded_words(t.organization)))
    owners: dict[Span, set[str]] = {}
    best: dict[Span, int] = {}
    queue: list[tuple[int, int, Span, str, Span | None]] = []
    counter = 0

    kinds = {p.id: p.kind.value for p in draft.participants}
    text = run.article

    starts = [t.start for t in spans]
    longest = max((t.end - t.start for t in spans), default=0)

    def reach(source: Span, pid: str, bound: Span | None, *, from_title: bool = False) -> None:
        nonlocal counter
        lo = bisect_left(starts, source.start - TITLE_MAX_GAP - longest)
        hi = bisect_right(starts, source.end + TITLE_MAX_GAP)
        for target in spans[lo:hi]:  # only titles within reach of this anchor
            if (from_title and target is source) or (bound and not _inside(target, bound)):
                continue
            gap = _gap(
                run.article,
                source,
                target,
                inside=not from_title,
                person=kinds[pid] == "person",
                bodies=organizations.get(target, set()),
            )
            if gap is None or (source.end <= target.start and POSSESSIVE.match(text, source.end)):
                continue  # "the Afghan team's coach": the coach is not the team
            after_and = source.end <= target.start and _AND.search(text, source.end, target.start)
            if after_and and not from_title:  # "ماهر الزعيم وأخصائي جراحة الأطفال الدكتور
                continue  # خالد": و right after a name opens the next one's titles (after
                # his title, "مساعد وزير الداخلية و مدير الامن" is one holder's second)
            if kinds[pid] != "person" and source.end <= target.start and not from_title:
                continue  # a title after a body's name ('نفى ل"الرياض" القنصل ... الحمراني')
                # opens the name of the person after it: no body holds a title written after it
            cost = gap + (0 if kinds[pid] == "person" else NOT_PERSON_COST)
            if target.end <= source.start and re.search(
                r"[،,;؛:]", run.article[target.end : source.start]
            ):
                cost += TITLE_BEFORE_COMMA_COST  # "X، title، Y": the title is X's apposition
            if cost > best.get(target, TITLE_MAX_GAP + NOT_PERSON_COST + TITLE_BEFORE_COMMA_COST):
                continue
            counter += 1
            heapq.heappush(queue, (cost, counter, target, pid, bound))

    for a in anchors:  # "الأمير خالد الفيصل مستشار خادم الحرمين الشريفين أمير منطقة مكة": a
        # name inside another's title reaches only titles inside it too (the king holds none
        # of the prince's titles after it; "مساعد اية الله طبسي": طبسي's own title is his)
        bound = next((s for s in listed if _inside(a.span, s) and a.pid not in listed[s]), None)
        reach(a.span, a.pid, bound)
    while queue:
        gap, _, target, pid, bound = heapq.heappop(queue)
        if target in best and gap > best[target]:
            continue
        first = target not in best
        best[target] = gap
        owners.setdefault(target, set()).add(pid)
        if first:
            reach(target, pid, bound, from_title=True)
    return {span: frozenset(pids) for span, pids in owners.items()}


def standing_titles(
    draft: ExtractionDraft,
    run: ValidationRun,
    anchors: list[Mention],
    owned: dict[Span, frozenset[str]],
) -> dict[Span, frozenset[str]]:
    """A title written beside no one stands for its holder ("دعا الامين العام للامم المتحدة الى
    ... . و قال كوفي انان"): it is the one participant who holds it, if they are named in that
    sentence or the one before or after. Only a title of several words, written on its own (not
    inside another title or name): "الرئيس" or "الفريق" alone could be anyone's."""
    holders: dict[Span, set[str]] = {}
    for p in draft.participants:
        for t in p.titles:
            if len(fold(t.text).split()) < STANDING_TITLE_MIN_WORDS:
                continue
            for span in run.spans(t.text):
                holders.setdefault(span, set()).add(p.id)
    every = [*(a.span for a in anchors), *owned]
    sentences = run.sentences()
    quotes = run.quotations()
    starts = [a for a, _ in sentences]
    out: dict[Span, frozenset[str]] = {}
    for span, pids in holders.items():
        if span in owned or len(pids) != 1 or not sentences:
            continue
        if any(_inside(span, other) for other in every):
            continue  # a part of a longer title or of a name: not on its own
        if any(a < span.start < b for a, b in quotes):
            continue  # "proud to be the first member for cook": words, not a reference
        (pid,) = pids
        k = bisect_right(starts, span.start) - 1
        lo = sentences[max(0, k - 1)][0]
        hi = sentences[min(len(sentences) - 1, k + 1)][1]
        if any(a.pid == pid and lo <= a.span.start < hi for a in anchors):
            out[span] = frozenset({pid})
    return out


def shared_titles(
    text: str,
    anchors: list[Mention],
    owned: dict[Span, frozenset[str]],
    listed: dict[Span, set[str]],
) -> dict[Span, frozenset[str]]:
    """A plural title after two names joined by "and" is both of theirs: "تيري رود لارسن ، و
    فيجاي نامبيار موفدي الامم المتحدة", "Smith and Jones, the two envoys". Only a plural head
    (موفدي، ممثلي, envoys): "السنيورة و بري رئيس مجلس النواب" is Berri's alone. Before two
    names, a dual or plural title, or one `listed` for both ("وزيرا المالية والاقتصاد
    اليونانيان X وY": a dual in construct looks like any word ending in ا)."""
    people = sorted(anchors, key=lambda m: m.span.start)
    out: dict[Span, frozenset[str]] = {}
    for span, pids in owned.items():
        head = fold(text[span.start : span.end]).split()[:1]
        if len(pids) != 1 or not head:
            continue
        plural = _DUAL_OR_PLURAL.fullmatch(head[0]) is not None
        both = len(listed.get(span, ())) > 1 and _CONSTRUCT_DUAL.fullmatch(head[0]) is not None
        after_two = _PLURAL_HEAD.fullmatch(head[0]) is not None or plural
        if not (after_two or both):
            continue
        (pid,) = pids
        i = next(
            (k for k, m in enumerate(people) if m.pid == pid and 0 <= span.start - m.span.end <= 3),
            None,
        )
        if i is not None and i > 0 and after_two:
            other, holder = people[i - 1], people[i]
            if other.pid != pid and COORDINATION.fullmatch(
                text[other.span.end : holder.span.start]
            ):
                out[span] = frozenset({pid, other.pid})
                continue
        if not (plural or both):
            continue

        # "الفيلسوفان اندريه غلوكسمان و برنار هنري ليفي": a dual or plural title before two
        # names joined by و is both of theirs
        def bare(lo: int, hi: int, who: str) -> str:  # "المشرفات على الخيمة الأستاذة غادة
            return _without_titles(text, lo, hi, who, listed)  # والأستاذة منى": their titles

        j = next(
            (
                k
                for k, m in enumerate(people)
                if m.pid == pid
                and 0 <= m.span.start - span.end <= 40
                and len(bare(span.end, m.span.start, pid)) <= 3
            ),
            None,
        )
        if j is None or j + 1 >= len(people):
            continue
        holder, other = people[j], people[j + 1]
        if not (plural or other.pid in listed.get(span, ())):
            continue
        between = bare(holder.span.end, other.span.start, other.pid)
        if other.pid != pid and COORDINATION.fullmatch(between):
            out[span] = frozenset({pid, other.pid})
    return out


def _without_titles(text: str, lo: int, hi: int, pid: str, listed: dict[Span, set[str]]) -> str:
    """The text between `lo` and `hi` with the titles the answer gives `pid` taken out."""
    out = text[lo:hi]
    for span in sorted(listed, key=lambda s: -s.start):
        if pid in listed[span] and lo <= span.start and span.end <= hi:
            out = out[: span.start - lo] + out[span.end - lo :]
    return out


def _inside(a: Span, b: Span) -> bool:
    """`a` lies within `b` and is not `b` itself."""
    return b.start <= a.start and a.end <= b.end and a != b


def _gap(
    text: str,
    anchor: Span,
    title: Span,
    *,
    inside: bool = True,
    person: bool = False,
    bodies: Collection[str] = (),
) -> int | None:
    """Characters between an anchor and a title in one sentence; None when not beside it.

    A title that holds the anchor ("نائب القائد العام للجيش الوطني الليبي" holding an
    organisation's name) is not beside it: the organisation is part of the title. A title inside
    a name or mention is that participant's (`inside`); inside another title ("موفد الرئيس
    الايراني") it is only the start of someone else's ("الرئيس الايراني محمود احمدي نجاد").
    """
    if anchor.start <= title.start and title.end <= anchor.end:
        return 0 if inside else None
    if title.start <= anchor.start and anchor.end <= title.end:
        return None
    lo, hi = (anchor, title) if anchor.start <= title.start else (title, anchor)
    if hi.start < lo.end:
        return 0
    gap = hi.start - lo.end
    # A person's name in brackets after a title is its holder ("رئيس الوزراء الاسرائيلي ( ايهود
    # اولمرت )"), and a title in brackets after a person's name glosses who he is ("قال السيد
    # ايمرسون (المحامي الذي يمثل ماريانا)"): either way the later one is bracketed right after.
    bracketed = _OPENS_NAME.fullmatch(text[lo.end : hi.start]) and _CLOSES_NAME.match(text, hi.end)
    if person and bracketed:
        return gap
    if gap > TITLE_MAX_GAP or crosses_sentence(text, lo.end, hi.start):
        return None
    between = (
        _PARENTHESES.sub(" ", text[lo.end : hi.start])
        if anchor.start > title.start
        else text[lo.end : hi.start]
    )
    place = anchor.start > title.start and _TITLE_PLACE.fullmatch(between)
    if anchor.end <= title.start and _APPOSITION_LINK.fullmatch(between):
        return gap
    # 'رئيس مجلس إدارة جمعية " كفى " عبدالعزيز السيف': the title's own body stands between
    if title.end <= anchor.start and " ".join(folded_words(between)) in bodies:
        return gap
    if title.end <= anchor.start and _TITLE_ORIGIN.fullmatch(between):
        return gap
    if not place and any(w not in TITLE_GAP_WORDS for w in WORDS.findall(between.casefold())):
        return None  # "حكومة السنيورة ـ رغم نصيحة رئيس الوزراء": other words stand between
    if "(" in between or "[" in between:
        return None  # "secretary general of CEI (Italian Episcopal Conference)": a gloss
    return gap


__all__ = [
    "NOT_PERSON_COST",
    "STANDING_TITLE_MIN_WORDS",
    "TITLE_BEFORE_COMMA_COST",
    "TITLE_GAP_WORDS",
    "TITLE_MAX_GAP",
    "not_cut_by_titles",
    "own_titles",
    "shared_titles",
    "standing_titles",
    "title_holders",
]
