"""Peak memory of `khabar batch` as the input grows: it must not grow with the article count.

Each run is the real command in a fresh process (`python -m agent batch … --no-progress`) against
the zero-latency local endpoint (benchmarks/_endpoint.py); its peak resident set size comes from
`os.wait4` (ru_maxrss of that child only). Articles are the reference case's article with a
numbered first line (about 1 KB each; the endpoint's hand-written answer grounds in it).

1. base: 1,000 articles extracted.
2. more: 10,000 articles extracted (3,000 with --quick): does memory grow per extracted article?
3. huge: a 100,000-article input whose output already holds 99,000 of them (compact lines), so
   the run streams all 100,000 input lines, builds the resume index of 99,000 ids, skips them and
   extracts the last 1,000: the index is the one structure that grows with the count, by design.
   `--full` extracts all 100,000 instead (about 15 minutes on 2 cores).

    .venv/bin/python benchmarks/memory.py           # about 3 minutes
    .venv/bin/python benchmarks/memory.py --full    # about 15 minutes
    .venv/bin/python benchmarks/memory.py --quick   # about 1 minute
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._endpoint import article  # noqa: E402
from benchmarks.batch import endpoint  # noqa: E402


def write_input(path: Path, count: int) -> None:
    text = article()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"id": f"a{i}", "text": f"Item {i}.\n{text}"}) + "\n")


def write_done(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            line = {"id": f"a{i}", "status": "ok", "result": None, "error": None}
            handle.write(json.dumps(line) + "\n")


def peak_of_batch(base_url: str, source: Path, out: Path) -> tuple[int, float]:
    """Run `khabar batch` to the end; its peak RSS in MiB and wall seconds."""
    args = [sys.executable, "-m", "agent", "batch", str(source), "-o", str(out), "-j", "32"]
    args += ["--base-url", base_url, "--model", "gpt-4o-mini", "--no-progress"]
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"khabar batch failed:\n{errors[-2000:]}")
    return usage.ru_maxrss // 1024, wall


def main() -> None:
    parser = argparse.ArgumentParser(description="peak memory of khabar batch vs input size")
    parser.add_argument("--quick", action="store_true", help="3,000 instead of 10,000 extracted")
    parser.add_argument(
        "--full", action="store_true", help="extract all 100,000 (about 15 minutes on 2 cores)"
    )
    args = parser.parse_args()
    more = 3_000 if args.quick else 10_000
    with tempfile.TemporaryDirectory() as folder, endpoint(0.0, 0.0) as base_url:
        tmp = Path(folder)
        rows = []
        huge_done = 0 if args.full else 99_000
        runs = (("base", 1_000, 0), ("more", more, 0), ("huge", 100_000, huge_done))
        for name, count, done in runs:
            source, out = tmp / f"{name}.jsonl", tmp / f"{name}.out.jsonl"
            write_input(source, count)
            if done:
                write_done(out, done)
            peak, wall = peak_of_batch(base_url, source, out)
            lines = out.read_bytes().count(b"\n")
            assert lines == count, f"{name}: {lines} lines for {count} articles"
            rows.append((name, count, count - done, peak, wall))
            print(
                f"{name:<5} {count:>8,} articles ({count - done:>6,} extracted): "
                f"peak RSS {peak:>4} MiB, {wall:5.1f} s",
                flush=True,
            )
    base = rows[0][3]
    for name, count, _, peak, _ in rows[1:]:
        print(f"{name} / base ({count:,} vs 1,000 articles): {peak / base:.2f}x")


if __name__ == "__main__":
    main()
