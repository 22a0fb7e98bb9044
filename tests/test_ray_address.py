"""`--ray-address` pointing at nothing, or at junk: one line and exit 2 in seconds.

Ray itself retries an address where nothing answers for minutes, and answers a typo with a
traceback. No Ray is started here: every case is refused before `ray.init` would run.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray

from tests.test_batch_cli import write_jsonl
from tests.test_cli import one_line_error, run


@pytest.fixture(autouse=True)
def no_ray_yet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The driver joins a cluster only when no Ray runs in the process yet."""
    if ray.is_initialized():  # left by an earlier module: these tests are about joining
        ray.shutdown()
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    yield
    assert not ray.is_initialized()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("address", "message"),
    [
        pytest.param("127.0.0.1:{port}", ": no Ray cluster there (", id="refused"),
        pytest.param("ray://127.0.0.1:{port}", ": no Ray cluster there (", id="client-refused"),
        pytest.param("junk", ": not an address; give HOST:PORT", id="junk"),
        pytest.param("head:99999", ": not an address; give HOST:PORT", id="bad-port"),
        pytest.param("ray://", ": not an address; give HOST:PORT", id="no-host"),
    ],
)
def test_a_ray_address_with_no_cluster_is_one_line_in_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, message: str
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a"])
    given = address.format(port=closed_port())
    started = time.monotonic()
    code, _, err = run(
        capsys,
        *("batch", str(source), "-o", str(out), "--engine", "ray", "--ray-address", given),
        *("--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--no-progress"),
    )
    assert time.monotonic() - started < 15
    assert code == 2
    line = one_line_error(err)
    assert line.startswith(f"--ray-address {given}{message}"), line
    assert not out.exists()


def test_ray_address_in_the_environment_is_joined_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `ray job submit` runs the entrypoint with RAY_ADDRESS set: khabar joins that cluster,
    # and a wrong one is named as the variable, not as a flag nobody typed
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, ["a"])
    given = f"127.0.0.1:{closed_port()}"
    monkeypatch.setenv("RAY_ADDRESS", given)
    code, _, err = run(
        capsys,
        *("batch", str(source), "-o", str(out), "--engine", "ray"),
        *("--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--no-progress"),
    )
    assert code == 2
    line = one_line_error(err)
    assert line.startswith(f"RAY_ADDRESS={given}: no Ray cluster there ("), line
    assert line.endswith("or unset RAY_ADDRESS to start a local Ray"), line
    assert not out.exists()
