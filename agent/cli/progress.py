"""The progress display of `khabar batch` and `khabar eval`, and its closing summary.

On a terminal a rich live bar with counts, pace, tokens and cost; elsewhere (a CI log, a pipe)
one plain line every few seconds, so a long run's log stays readable.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from agent.views.plain import plain, printable

if TYPE_CHECKING:
    from agent.batch.engine import BatchStats
    from agent.batch.pricing import Price

PLAIN_EVERY_S = 5.0


def note(label: str, style: str, message: str) -> Text:
    """A status line: a styled label, then plain text (file names and ids are never markup)."""
    return Text.assemble((label, style), " ", printable(message))


class ProgressView:
    """Progress: a rich live display on a terminal, else a plain line every few seconds."""

    def __init__(
        self,
        console: Console,
        stats: BatchStats,
        price: Price | None,
        total: int | None,
        live: bool,
        label: str = "batch",
    ) -> None:
        self.label = label
        self.console = console
        self.stats = stats
        self.price = price
        self.total = total
        self.live = live
        self._progress: Any = None
        self._task: Any = None
        self._live: Any = None
        self._detail: Any = None
        self._last_line = time.monotonic()

    def cost(self) -> float | None:
        if self.price is None:
            return None
        return self.price.cost(self.stats.prompt_tokens, self.stats.completion_tokens)

    def remaining(self) -> int | None:
        if self.total is None:
            return None
        return max(0, self.total - self.stats.skipped - self.stats.duplicates - self.stats.settled)

    def counts(self, compact: bool) -> str:
        s = self.stats
        tokens = s.prompt_tokens + s.completion_tokens
        flagged = f" ({s.flagged_results:,} flagged)" if s.flagged_results else ""
        parts = [f"{s.done:,} ok{flagged}", f"{s.failed:,} failed", f"{s.in_flight} in flight"]
        parts.append(f"{_short(tokens)} tokens" if compact else f"tokens {tokens:,}")
        cost = self.cost()
        if cost is not None:
            parts.append(f"${cost:,.2f}" if compact else f"${cost:,.4f}")
        return " · ".join(parts)

    def pace(self) -> str:
        s = self.stats
        left = self.remaining()
        eta = _duration(left / s.per_second) if left is not None and s.per_second else "?"
        return f"{rate(s.per_second)} · ETA {eta}"

    def start(self) -> None:
        """Two lines on a terminal: the bar with pace and ETA, then counts, tokens and cost."""
        if not self.live:
            return
        from rich.console import Group
        from rich.live import Live
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
        from rich.text import Text

        self._progress = Progress(
            TextColumn(f"[bold]{self.label}"),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TextColumn("{task.fields[done]} · {task.fields[pace]}"),
            console=self.console,
        )
        self._task = self._progress.add_task(self.label, total=self.total, done="", pace="")
        self._detail = Text()
        self._live = Live(
            Group(self._progress, self._detail), console=self.console, refresh_per_second=4
        )
        self._live.start()

    def tick(self) -> None:
        if self._progress is not None:
            todo = self.remaining()
            total = None if todo is None else self.stats.settled + todo
            of = f"/{total:,}" if total is not None else ""
            self._progress.update(
                self._task,
                completed=self.stats.settled,
                total=total,
                done=f"{self.stats.settled:,}{of}",
                pace=self.pace(),
            )
            self._detail.plain = "      " + self.counts(compact=True)
        elif time.monotonic() - self._last_line >= PLAIN_EVERY_S:
            self._last_line = time.monotonic()
            line = f"{self.label}: {self.counts(compact=False)} · {self.pace()}"
            self.console.print(line, markup=False, soft_wrap=True)

    def stop(self) -> None:
        if self._progress is not None:
            self.tick()
            self._live.stop()

    def summary(self, output: Path, interrupted: bool) -> None:
        from rich.table import Table

        s = self.stats
        cost = self.cost()
        table = Table(title="khabar batch", title_justify="left", show_header=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        table.add_row("extracted", f"{s.done:,}")
        if s.flagged_results:
            table.add_row(
                "  with problems flagged",
                f"{s.flagged_results:,} ({s.flagged_problems:,} problem(s) left)",
            )
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(s.failures_by_kind.items()))
        table.add_row("failed", f"{s.failed:,}" + (f" ({kinds})" if kinds else ""))
        table.add_row("skipped (already in output)", f"{s.skipped:,}")
        if s.duplicates:
            table.add_row("duplicate ids ignored", f"{s.duplicates:,}")
        table.add_row("tokens in / out", f"{s.prompt_tokens:,} / {s.completion_tokens:,}")
        table.add_row("estimated cost", f"${cost:,.4f}" if cost is not None else "unknown model")
        table.add_row("wall time", f"{s.elapsed:,.1f} s")
        table.add_row("throughput", rate(s.per_second))
        table.add_row("output", plain(output))
        self.console.print(table)
        if not (s.settled or s.skipped or s.duplicates or interrupted):
            self.console.print(  # an empty folder or feed, or a glob that matched nothing
                note("nothing to do:", "yellow", "the input held no article")
            )
        if s.flagged_results:
            self.console.print(
                note(
                    f"{s.flagged_results} result(s) flagged:",
                    "yellow",
                    f"{s.flagged_problems} problem(s) the policy kept (ungrounded or broken "
                    "strings, marked in grounding.issues; `problems_left` on each line); "
                    "--on-ungrounded drop or fail to keep them out",
                )
            )
        if interrupted:
            self.console.print(
                note(
                    "interrupted:",
                    "yellow",
                    "every finished article is saved; re-run the same command to resume",
                )
            )
        elif s.failed:
            self.console.print(
                note(
                    f"{s.failed} article(s) failed:",
                    "yellow",
                    "see their error lines; re-run with --retry-failed to try them again",
                )
            )


def rate(per_second: float) -> str:
    """Articles per second, or per minute or hour on a slow server (0.04/s is not "0.0/s")."""
    if per_second <= 0:
        return "0 articles/s"
    for unit, per in (("s", 1), ("min", 60), ("h", 3600)):
        if per_second * per >= 1:
            return f"{per_second * per:,.1f} articles/{unit}"
    return f"{per_second * 3600:.2f} articles/h"


def _short(count: int) -> str:
    for limit, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.1f}{unit}"
    return str(count)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


__all__ = ["ProgressView", "note", "rate"]
