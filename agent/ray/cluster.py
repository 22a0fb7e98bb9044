"""Joining a Ray cluster named by `--ray-address`: in seconds, or one line saying why not.

`ray.init(address=...)` retries an address where nothing answers for many minutes (20 attempts of
~40 s each) and answers a typo ("junk") with "Invalid address format" and a traceback. The
address is checked here first and its port probed with one TCP connection, so a refused port or
an unknown host fails at once; a port that answers but is no Ray head gets one attempt.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from agent.errors import ConfigError, first_line

PROBE_SECONDS = 5.0  # a TCP connection to the head: a cluster's head answers at once
# Ray's own knob for how many times (about once a second) it tries to reach the head: read at
# each `ray.init`, honoured exactly; set for the call only, and only when the user has not.
GCS_ATTEMPTS = "RAY_gcs_server_port_wait_time_s"


def join_cluster(
    ray: Any, address: str, named: str = "--ray-address ", logging_level: int = logging.INFO
) -> None:
    """`ray.init(address)` within a bounded time (about 45 s at worst), or one `ConfigError`
    whose line starts with where the address came from (`named`: the flag, or RAY_ADDRESS=)."""
    dialled = _dialled(address, named)
    if dialled is not None:
        _probe(address, *dialled, named)
    override = GCS_ATTEMPTS not in os.environ
    if override:
        os.environ[GCS_ATTEMPTS] = "1"
    try:
        ray.init(address=address, log_to_driver=False, logging_level=logging_level)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        if address == "auto" and isinstance(exc, ConnectionError) and dialled is None:
            raise ConfigError(
                f"{named}auto: no Ray cluster runs on this machine (nor does RAY_ADDRESS "
                f"name one); start one with `ray start --head`, or {_leave_out(named)}"
            ) from None
        if "InvalidAuthToken" in str(exc.__cause__):  # Ray's own words for a missing token
            raise ConfigError(
                f"{named}{address}: the cluster wants its authentication token: set "
                "RAY_AUTH_MODE=token, and RAY_AUTH_TOKEN (or ~/.ray/auth_token) to the cluster's"
            ) from None
        reason = first_line(exc)
        port = "Ray Client port (10001" if address.startswith("ray://") else "GCS port (6379"
        hint = f"; is it the head's {port} by default)?" if dialled is not None else ""
        raise ConfigError(
            f"{named}{address}: cannot join the Ray cluster: {reason}{hint}"
        ) from None
    finally:
        if override:
            os.environ.pop(GCS_ATTEMPTS, None)


def _leave_out(named: str) -> str:
    return "leave out --ray-address" if named.startswith("--") else "unset RAY_ADDRESS"


def _dialled(address: str, named: str) -> tuple[str, int] | None:
    """The host and port Ray will connect to for `address`; None where Ray finds it itself
    ("auto", "local", a scheme other than ray://)."""
    if address in ("auto", "local") or ("://" in address and not address.startswith("ray://")):
        return None
    client = address.startswith("ray://")
    spelled = address.removeprefix("ray://").rstrip("/")
    host, colon, port = spelled.rpartition(":")
    if not colon and client:
        host, port = spelled, "10001"  # Ray Client's default port
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(
            f"{named}{address}: not an address; give HOST:PORT (the head's GCS port, "
            "e.g. 10.0.0.5:6379), ray://HOST:10001 or auto"
        )
    if not client:  # Ray dials this node's address for a loopback one: probe what it dials
        try:
            from ray._private.services import canonicalize_bootstrap_address

            canonical = canonicalize_bootstrap_address(address) or address
            host, _, port = canonical.rpartition(":")
            host = host.strip("[]")
        except Exception:  # a private helper: if it moved, probe the address as given
            pass
    return host, int(port)


def _probe(address: str, host: str, port: int, named: str) -> None:
    """A TCP connection to the cluster's port, so a wrong address fails in seconds."""
    try:
        socket.create_connection((host, port), timeout=PROBE_SECONDS).close()
    except OSError as exc:
        if isinstance(exc, socket.gaierror):
            why = f"unknown host {host}"
        elif isinstance(exc, TimeoutError):
            why = f"no answer from {host}:{port} in {PROBE_SECONDS:g} s"
        else:
            why = f"{host}:{port}: {exc.strerror or exc}"
        raise ConfigError(
            f"{named}{address}: no Ray cluster there ({why}); start one with "
            f"`ray start --head`, or {_leave_out(named)} to start a local Ray"
        ) from None


__all__ = ["join_cluster"]
