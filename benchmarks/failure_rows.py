"""The failure rows of issue 17, before and after: requests sent and wall time until the error.

    .venv/bin/python benchmarks/failure_rows.py [--runs 3] [--before d0b70b6]

Each row runs the seed article against the fake endpoint (a real HTTP server on 127.0.0.1) with a
persistent fault, twice side by side in this one run: with khabar as it was at `--before` (the
last main commit before this work, unpacked with `git archive` into a temporary folder) and with
khabar as it is now. Each extraction runs in a fresh process (import time excluded) and the
endpoint counts the requests. Prints the median over `--runs` and the ratios before/after.

The fake endpoint's `latency` stands for the time a server spends generating each answer; on a
real 2-core llama.cpp server these were tens of seconds, so the time ratio is what carries over.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.fixtures.fake_endpoint import FakeEndpoint, Fault  # noqa: E402

SEED = ROOT / "fixtures" / "cases" / "seed_military_visit"
ANSWER = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
BASELINE = "d0b70b6"

RUNNER = """
import json, sys, time
from agent.errors import KhabarError
from agent.llm.pipeline import Extractor
from agent.settings import Settings
args = json.loads(sys.argv[1])
settings = Settings.load(env={}, **args["settings"])
text = open(args["article"], encoding="utf-8").read()
with Extractor(settings) as extractor:
    extractor.prepare()  # client, SDK and schema built before the clock: the rows time requests
    started = time.perf_counter()
    try:
        extractor.extract(text)
        outcome = "ok"
    except KhabarError as exc:
        outcome = f"{type(exc).__name__}: {exc}"
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))
"""


@dataclass
class Row:
    name: str
    fault: Fault | None
    settings: dict[str, Any]
    endpoint: dict[str, Any] = field(default_factory=dict)


ROWS = [
    Row(
        "--mode json_schema on a server without it (llama-cpp-python's HTTP 500)",
        None,
        {"mode": "json_schema"},
        {"unsupported": ["json_schema"], "latency": 0.05},
    ),
    Row(
        "answer cut mid-JSON, finish_reason hidden (llama.cpp tool calls), 2 re-asks",
        Fault.MALFORMED,
        {"max_reasks": 2},
        {"latency": 1.0},
    ),
    Row(
        "answer cut at the token limit (finish_reason length), 2 re-asks",
        Fault.LENGTH,
        {"max_reasks": 2},
        {"latency": 1.0},
    ),
    Row(
        "local server slower than --timeout 1 (read timeout), 4 transport attempts",
        Fault.SLOW,
        {"timeout": 1.0, "transport_attempts": 4},
        {"slow_seconds": 5.0},
    ),
]


def unpack(ref: str, into: Path) -> Path:
    """khabar's `agent/` and `prompts/` at `ref`, as files in `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "agent", "prompts"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_once(tree: Path, row: Row, home: Path) -> tuple[int, float, str]:
    faults = [row.fault] * 20 if row.fault else []
    with FakeEndpoint(answers=[ANSWER], faults=faults, **row.endpoint) as fake:
        args = {
            "settings": {"base_url": fake.base_url, "model": "fake", **row.settings},
            "article": str(SEED / "article.txt"),
        }
        env = {**os.environ, "PYTHONPATH": str(tree), "HOME": str(home)}
        env = {k: v for k, v in env.items() if not k.startswith(("KHABAR_", "OPENAI_"))}
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, json.dumps(args)],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        requests = fake.requests
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return requests, float(result["seconds"]), str(result["outcome"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=BASELINE, help="git ref of the baseline")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="khabar-before-") as tmp:
        before = unpack(options.before, Path(tmp) / "tree")
        home = Path(tmp) / "home"
        home.mkdir()
        print(f"before: khabar at {options.before}; after: this tree; {options.runs} run(s)\n")
        for row in ROWS:
            measured = {}
            for label, tree in (("before", before), ("after", ROOT)):
                runs = [run_once(tree, row, home) for _ in range(options.runs)]
                measured[label] = (
                    statistics.median(r[0] for r in runs),
                    statistics.median(r[1] for r in runs),
                    runs[-1][2],
                )
            (rb, tb, ob), (ra, ta, oa) = measured["before"], measured["after"]
            print(row.name)
            print(f"  before: {rb:g} requests, {tb:.2f} s  {ob[:150]}")
            print(f"  after:  {ra:g} requests, {ta:.2f} s  {oa[:150]}")
            print(f"  ratio before/after: requests {rb / ra:.1f}x, time {tb / ta:.1f}x\n")


if __name__ == "__main__":
    main()
