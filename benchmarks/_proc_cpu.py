"""Per-process CPU of a benchmark's process trees, sampled from /proc by the parent.

The sampler runs in the benchmark's own (parent) process, outside every tree it measures, so the
endpoint, the engine's driver, Ray's daemons and each actor are counted separately and nobody is
charged for the sampling (its own CPU is reported as `sampler`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")


def _scan() -> tuple[dict[int, int], dict[int, float]]:
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return parents, cpu


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, every process), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


@dataclass
class Sample:
    at: float
    cpu: dict[int, float]  # pid -> CPU seconds so far, for the pids under the roots


@dataclass(eq=False)  # a thread: hashed by identity
class ProcSampler(threading.Thread):
    """Samples the CPU of every process under `roots` (pid -> label of the root) every 0.2 s."""

    roots: dict[int, str]
    interval: float = 0.2
    samples: list[Sample] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # last command line seen per pid
    under: dict[int, int] = field(default_factory=dict)  # pid -> its root

    def __post_init__(self) -> None:
        super().__init__(daemon=True)
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self._sample()
            if self._done.wait(self.interval):
                self._sample()
                return

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _sample(self) -> None:
        parents, cpu = _scan()
        mine: dict[int, float] = {}
        for pid, seconds in cpu.items():
            walk = pid
            while walk > 1 and walk not in self.roots:
                walk = parents.get(walk, 0)
            if walk in self.roots:
                mine[pid] = seconds
                self.under[pid] = walk
                self.names[pid] = _cmdline(pid) or self.names.get(pid, "")
        mine[-1] = time.process_time()  # the sampler's own process (this thread mostly)
        mine[-2] = _machine_busy()
        self.samples.append(Sample(time.time(), mine))

    def split(
        self, start: float, end: float, label: Callable[[int, str, str], str]
    ) -> tuple[float, dict[str, float]]:
        """(wall seconds, CPU seconds per label) between the samples nearest `start` and `end`;
        `label(pid, root label, command line)` names each process's group; "machine" is the
        whole machine's busy time (ours and everyone else's)."""
        first = next((s for s in self.samples if s.at >= start), self.samples[-1])
        last = next((s for s in self.samples if s.at >= end), self.samples[-1])
        latest: dict[int, float] = {}  # a process that exited meanwhile keeps its last value
        for sample in self.samples:
            if first.at <= sample.at <= last.at:
                latest.update(sample.cpu)
        groups: dict[str, float] = {}
        for pid, seconds in latest.items():
            used = seconds - first.cpu.get(pid, 0.0)
            if pid == -1:
                name = "sampler"
            elif pid == -2:
                name = "machine"
            else:
                name = label(pid, self.roots[self.under[pid]], self.names.get(pid, ""))
            groups[name] = groups.get(name, 0.0) + used
        return last.at - first.at, groups
