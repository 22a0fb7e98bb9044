"""How long `import agent` and the offline demo take, measured in fresh processes.

    .venv/bin/python benchmarks/import_time.py [--runs 15]

Prints the median over the runs: interpreter start-up alone, `import agent`, `from agent import
extract` (which loads openai, instructor and pydantic), and the demo command end to end.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "cases" / "seed_military_visit"


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    base = wall([py, "-c", "pass"], runs)
    light = wall([py, "-c", "import agent"], runs)
    heavy = wall([py, "-c", "from agent import extract"], runs)
    khabar = str(Path(py).with_name("khabar"))
    demo = wall(
        [khabar, "extract", str(SEED / "article.txt"), "--replay", str(SEED / "cassette.json")],
        max(3, runs // 3),
    )
    heavy_modules = "{'openai', 'instructor', 'pydantic'}"
    probe = f"import sys, agent; print(sorted({heavy_modules} & set(sys.modules)))"
    loaded = subprocess.run(
        [py, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"median of {runs} runs on this machine")
    print(f"  python start-up alone          {base * 1000:7.1f} ms")
    print(
        f"  import agent                   {(light - base) * 1000:7.1f} ms over start-up "
        f"(heavy modules loaded: {loaded})"
    )
    print(f"  from agent import extract      {(heavy - base) * 1000:7.1f} ms over start-up")
    print(f"  demo (khabar extract --replay) {demo:7.2f} s wall, whole process")


if __name__ == "__main__":
    main()
