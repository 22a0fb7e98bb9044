"""CPU cost of the checks on one answer (grounding, attribution, titles, places), now vs before.

    .venv/bin/python -m benchmarks.validator_cost            # vs 6b03841, the checks before
    .venv/bin/python -m benchmarks.validator_cost --ref REF

Both run in fresh processes on the seed article's reference answer, side by side, so the
figure is a ratio that holds on any machine; `git archive` exports the older `agent/`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 200

_TIMER = f"""
import importlib, json, time
try:
    V = importlib.import_module("agent.extraction.validate")
    D = importlib.import_module("agent.extraction.draft")
except ModuleNotFoundError:
    V = importlib.import_module("agent.validate")
    D = importlib.import_module("agent.draft")
case = {str(ROOT / "fixtures" / "cases" / "seed_military_visit")!r}
text = open(case + "/article.txt", encoding="utf-8").read()
answer = json.load(open(case + "/answers.json", encoding="utf-8"))["answers"][-1]
draft = D.ExtractionDraft.model_validate(answer)
list(V.find_problems(draft, V.ValidationRun(article=text, max_attempts=1, attempt=1)))
start = time.process_time()
for _ in range({RUNS}):
    list(V.find_problems(draft, V.ValidationRun(article=text, max_attempts=1, attempt=1)))
print((time.process_time() - start) / {RUNS} * 1000)
"""


def _ms(tree: Path) -> float:
    run = subprocess.run(
        [sys.executable, "-c", _TIMER],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(run.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="6b03841", help="the older commit (default 6b03841)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.ref, "agent"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        before, now = [], []
        for _ in range(3):  # taking turns, so load changes hit both
            before.append(_ms(old))
            now.append(_ms(ROOT))
    b, n = sorted(before)[1], sorted(now)[1]
    print(f"checks of the seed answer: now {n:.2f} ms, at {args.ref} {b:.2f} ms: {n / b:.2f}x")


if __name__ == "__main__":
    main()
