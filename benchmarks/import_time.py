"""How long `import agent` and the offline demo take, as ratios measured side by side.

    .venv/bin/python benchmarks/import_time.py [--runs 15]

Absolute times do not carry over between machines (2.2 s on one laptop for what took 0.96 s
here), so every figure is also given as a ratio to a reference measured in the same run: each
command runs in a fresh process, the commands take turns within every round (a busy machine slows
them all alike), and the median of each is kept. References: the bare interpreter (`python -c
pass`) and `import openai`, the SDK khabar cannot do without. Finally `python -X importtime` on
the demo process says which packages its imports spend their time in.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "cases" / "seed_military_visit"
PY = sys.executable
DEMO_ARGS = ["extract", str(SEED / "article.txt"), "--replay", str(SEED / "cassette.json")]
DEMO_CODE = f"from agent.cli.main import main; main({DEMO_ARGS!r})"
COMMANDS = {
    "bare": [PY, "-c", "pass"],
    "agent": [PY, "-c", "import agent"],
    "openai": [PY, "-c", "import openai"],
    "extract": [PY, "-c", "from agent import extract"],
    "demo": [str(Path(PY).with_name("khabar")), *DEMO_ARGS],
}


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def interleaved(runs: int) -> dict[str, float]:
    """Median wall time of each command; every round runs each once, in a rotating order."""
    names = list(COMMANDS)
    for name in names:  # warm the OS file cache and .pyc files; not counted
        _once(COMMANDS[name])
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_once(COMMANDS[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def import_shares() -> tuple[Counter[str], float]:
    """Import self time of one demo process by top-level package, and the share of that
    process's wall time spent importing (both from the same run, so load cancels out).

    Self time, not cumulative: openai loads many of its modules lazily, outside `import openai`.
    """
    start = time.perf_counter()
    done = subprocess.run(
        [PY, "-X", "importtime", "-c", DEMO_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,  # the CLI ends with sys.exit(0)
    )
    wall = time.perf_counter() - start
    shares: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        shares[name.strip().split(".")[0]] += int(self_us)
    return shares, sum(shares.values()) / 1e6 / wall


def loaded_by_import_agent() -> str:
    heavy = "{'openai', 'instructor', 'pydantic', 'httpx', 'httpx2'}"
    probe = f"import sys, agent; print(sorted({heavy} & set(sys.modules)))"
    return subprocess.run(
        [PY, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    t = interleaved(runs)
    base = t["bare"]
    over = {name: t[name] - base for name in t}  # the cost of the command beyond start-up
    print(
        f"median of {runs} interleaved runs, fresh processes ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, {sys.platform})"
    )
    print(f"  python -c pass (start-up)        {base * 1000:8.1f} ms")
    for name, label in (
        ("agent", "import agent"),
        ("openai", "import openai"),
        ("extract", "from agent import extract"),
    ):
        print(f"  {label:<32} {over[name] * 1000:+8.1f} ms over start-up")
    print(f"  demo (khabar extract --replay)   {t['demo'] * 1000:8.1f} ms wall, whole process")
    print("ratios, measured side by side (these carry over between machines)")
    print(
        f"  import agent / import openai             {over['agent'] / over['openai']:6.3f}  "
        f"(heavy modules loaded by import agent: {loaded_by_import_agent()})"
    )
    print(f"  from agent import extract / import openai {over['extract'] / over['openai']:5.2f}")
    print(f"  demo / python start-up                   {t['demo'] / base:6.1f}")
    print(f"  demo / (start-up + import openai)        {t['demo'] / t['openai']:6.2f}")
    shares, share_of_wall = import_shares()
    total = sum(shares.values())
    top = ", ".join(f"{name} {us / total:.0%}" for name, us in shares.most_common(5))
    print(f"one demo process under python -X importtime: imports take {share_of_wall:.0%} of its")
    print(f"  wall time; import self time by package: {top}")


if __name__ == "__main__":
    main()
