"""Which attribution routes fail on text nobody has tuned to: each held-out split, first sight.

    .venv/bin/python -m benchmarks.validator_first_sight                 # fresh3 .. the last split
    .venv/bin/python -m benchmarks.validator_first_sight --split fresh16 # one split

For every held-out split the harness finds, in git history, the commit on main before the split
landed (the first parent of the first main commit holding its folder: the validator its first
measurement saw), exports `agent/` as it was there (`git archive`) and, in a fresh interpreter,
checks the split's correct answers and speaker-swapped copies with that validator, recording each
position's decision: its status and its route (`how`: the subject named in the cue's clause, a
collective, a speaker carried on from before, a description, none). The cases and the seeding are
this checkout's (`benchmarks/validator.py`), so a split's first sight is reproduced as it was.

It prints, per split and summed over all, the first-sight false flags (correct statements given
another speaker) and swaps caught, per route, and the same under the current validator: where
the false flags of unseen text come from, so a change can aim at the route that makes them.
Splits whose first-sight validator predates decisions with routes are left out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: an exported agent/ comes first

from benchmarks import validator as vb  # noqa: E402

FIRST = "fresh3"  # the first split measured with routes in its decisions
ROUTES = ("named", "collective", "continued", "described", "unnamed", "none")


def first_sight_commit(split: str) -> str | None:
    """The main commit just before `split` landed, or None when it has not landed yet."""
    folder = f"benchmarks/validator_cases/{split}/"
    log = subprocess.run(
        ["git", "-C", str(ROOT), "log", "--first-parent", "--format=%H", "--", folder],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if not log:
        return None
    parent = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", f"{log[-1]}^1"],
        capture_output=True,
        text=True,
        check=True,
    )
    return parent.stdout.strip()


def decisions(split: str) -> list[dict[str, Any]]:
    """Every position's decision on correct answers and on speaker swaps, by the agent imported.

    `Attributor.decide_all` is wrapped to record what each check decided, and restored after:
    the tests call this in the process that runs every other test."""
    from agent.extraction import attribution

    validator = vb.load_validator()
    seen: list[list[Any]] = []
    decide_all = attribution.Attributor.decide_all

    def recording(self: Any) -> Any:
        seen.append(decide_all(self))
        return seen[-1]

    attribution.Attributor.decide_all = recording  # type: ignore[method-assign]
    try:
        return _rows(split, validator, seen)
    finally:
        attribution.Attributor.decide_all = decide_all  # type: ignore[method-assign]


def _rows(split: str, validator: vb.Validator, seen: list[list[Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for case in vb.load_cases(split, fixtures=False):
        seen.clear()
        # as the benchmark: a swap is caught by a flag the correct answer did not already get
        before = {(f.kind, f.path) for f in validator.check(case.article, case.answer)}
        for d in seen[-1] if seen else []:
            rows.append({"kind": "clean", "how": d.how, "status": d.status})
        for seeded in vb.seed_speaker_swaps(case):
            seen.clear()
            new = [
                f
                for f in validator.check(case.article, seeded.answer)
                if (f.kind, f.path) not in before
            ]
            d = seen[-1][int(seeded.item[1])] if seen else None
            caught = any(vb.points_at(f, seeded.item) for f in new)
            how, status = (d.how, d.status) if d else ("none", "detached")
            rows.append({"kind": "swap", "how": how, "status": status, "flagged": caught})
    return rows


def at_commit(commit: str, split: str) -> list[dict[str, Any]]:
    """`decisions` with `agent/` exported at `commit`, in a fresh interpreter."""
    with tempfile.TemporaryDirectory(prefix="khabar-first-sight-") as tmp:
        vb.export_agent(commit, Path(tmp))
        out = Path(tmp) / "rows.json"
        env = {**os.environ, "PYTHONPATH": tmp, "PYTHONSAFEPATH": "1"}
        args = [sys.executable, str(Path(__file__).resolve()), "--child", split, str(out)]
        subprocess.run(args, check=True, cwd=tmp, env=env)
        rows: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
        return rows


def tally(rows: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Per route: correct decisions, false flags, detached; swaps and swaps caught."""
    out: dict[str, Counter[str]] = {}
    for r in rows:
        c = out.setdefault(r["how"], Counter())
        if r["kind"] == "clean":
            c["statements"] += 1
            c["wrong"] += r["status"] == "wrong"
            c["detached"] += r["status"] == "detached"
        else:
            c["swaps"] += 1
            c["caught"] += r["flagged"]
    return out


def _line(label: str, t: dict[str, Counter[str]]) -> str:
    total: Counter[str] = sum(t.values(), Counter())
    n, swaps = total["statements"], total["swaps"]
    cells = [
        f"{label:<10}",
        f"{n:5}",
        f"{100 * (total['wrong'] + total['detached']) / max(n, 1):5.1f}",
        f"{100 * total['caught'] / max(swaps, 1):4.0f} %",
    ]
    for route in ROUTES[:3]:
        c = t.get(route, Counter())
        cells.append(f"{c['wrong']:3}/{c['statements']:<4} {c['caught']:3}/{c['swaps']:<4}")
    return "  ".join(cells)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=vb.SPLITS, help="one held-out split (default: all)")
    ap.add_argument("--child", nargs=2, metavar=("SPLIT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        split, out = args.child
        Path(out).write_text(json.dumps(decisions(split)), encoding="utf-8")
        return 0
    splits = [args.split] if args.split else list(vb.SPLITS[vb.SPLITS.index(FIRST) :])
    header = "split       stmts  FF/100  swaps   " + "  ".join(
        f"{r + ' FF · caught':<18}" for r in ROUTES[:3]
    )
    print("First sight (each split under the validator before it landed):")
    print(header)
    first: dict[str, list[dict[str, Any]]] = {}
    for split in splits:
        commit = first_sight_commit(split)
        if commit is None:
            print(f"{split:<10}  not landed yet: its first sight is the current validator")
            continue
        first[split] = at_commit(commit, split)
        print(_line(split, tally(first[split])) + f"  ({commit})")
    every = [r for rows in first.values() for r in rows]
    if every:
        print(_line("together", tally(every)))
        by_route = tally(every)
        print("\nRoutes at first sight, together (false flags per 100 of the route's decisions):")
        for route in ROUTES:
            c = by_route.get(route, Counter())
            if c["statements"]:
                per = 100 * c["wrong"] / c["statements"]
                print(
                    f"  {route:<11} {c['statements']:5} decisions  {c['wrong']:3} false flags "
                    f"({per:4.1f} per 100)  swaps caught {c['caught']}/{c['swaps']}"
                )
    now = [r for split in splits for r in decisions(split)]
    print("\nThe current validator on the same splits (read and tuned on since):")
    print(_line("now", tally(now)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
