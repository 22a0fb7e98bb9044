"""The batch rate on a slow server: per minute or per hour below one article a second."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console

from agent.batch.transport import BatchStats
from agent.cli.progress import ProgressView, rate
from tests.test_batch import LocalEndpoint
from tests.test_batch_cli import run_batch, write_jsonl


def test_a_slow_server_shows_its_rate_per_minute(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["slow"])
    with LocalEndpoint(latency=1.1) as endpoint:  # under one article a second
        result = run_batch(endpoint, str(source), "-o", str(out), "--no-progress")
    assert result.exit_code == 0, result.output
    throughput = next(line for line in result.output.splitlines() if "throughput" in line)
    assert re.search(r"throughput\s*│\s*\d+\.\d articles/min", throughput), throughput


@pytest.mark.parametrize(
    ("per_second", "shown"),
    [
        (142.34, "142.3 articles/s"),
        (1.0, "1.0 articles/s"),
        (0.04, "2.4 articles/min"),  # was "0.0 articles/s"
        (0.001, "3.6 articles/h"),
        (0.0001, "0.36 articles/h"),
        (0.0, "0 articles/s"),
    ],
)
def test_rates_below_one_a_second_keep_their_digits(per_second: float, shown: str) -> None:
    assert rate(per_second) == shown


def test_the_live_bar_shows_the_same_rate() -> None:
    stats = BatchStats(done=1)
    stats.started -= 25.0  # one article in 25 s: 0.04 a second
    view = ProgressView(Console(), stats, None, None, live=False)
    assert view.pace().startswith("2.4 articles/min · ETA")
