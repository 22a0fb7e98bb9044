"""A fake OpenAI-compatible endpoint on 127.0.0.1: cassette or canned answers, latency, faults.

A real HTTP server (aiohttp, in its own thread and event loop), so clients, retries, timeouts and
connection handling are exercised for real. It answers `POST …/chat/completions` from a cassette
(matched on the request body, or served in turn with `match_body=False`) or with canned draft
answers wrapped as completions in the shape of the request's instructor mode. Faults are injected
by script (`faults=["rate_limit", None, …]`, one per request in order) and/or at random
(`fault_rate`, seeded), so reliability tests are deterministic and load benchmarks realistic.

    with FakeEndpoint(answers=[answer], latency=0.2, fault_rate=0.05) as fake:
        settings = Settings(base_url=fake.base_url, model="fake")

    python -m agent.fake_endpoint --cassette fixtures/cases/X/cassette.json --latency 0.2 --port 0
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx2 as httpx
from aiohttp import web

from agent.errors import ConfigError, ReplayError
from agent.reference import completion
from agent.replay import Cassette, ReplayTransport
from agent.settings import Mode


class Fault(StrEnum):
    """What can go wrong with one request."""

    RATE_LIMIT = "rate_limit"  # 429 with Retry-After
    SERVER_ERROR = "server_error"  # 500
    UNAVAILABLE = "unavailable"  # 503
    RESET = "reset"  # TCP reset before any answer
    SLOW = "slow"  # answers after `slow_seconds`, past the client's timeout
    TRUNCATED = "truncated"  # half the body, then the connection is cut
    MALFORMED = "malformed"  # 200, but the structured answer is cut-off JSON
    NO_TOOL_CALL = "no_tool_call"  # 200, prose instead of the tool call asked for


class FakeEndpoint:
    """The server; a context manager (sync or async) that gives `base_url` while it runs."""

    def __init__(
        self,
        *,
        cassette: Cassette | str | Path | None = None,
        answers: Sequence[dict[str, Any]] = (),
        match_body: bool = True,
        latency: float = 0.0,
        faults: Sequence[Fault | str | None] = (),
        fault_rate: float = 0.0,
        fault_kinds: Sequence[Fault | str] = tuple(Fault),
        retry_after: float = 0.1,
        slow_seconds: float = 5.0,
        seed: int = 0,
        port: int = 0,
    ) -> None:
        if cassette is None and not answers:
            raise ConfigError("the fake endpoint needs a cassette or at least one answer")
        if not 0.0 <= fault_rate <= 1.0:
            raise ConfigError(f"fault_rate must be between 0 and 1, got {fault_rate}")
        self.cassette = Cassette.load(cassette) if isinstance(cassette, str | Path) else cassette
        self.answers = list(answers)
        self.match_body = match_body
        self.latency = latency
        self.faults = [Fault(f) if f else None for f in faults]
        self.fault_rate = fault_rate
        self.fault_kinds = [Fault(f) for f in fault_kinds]
        self.retry_after = retry_after
        self.slow_seconds = slow_seconds
        self.port = port
        self.requests = 0
        self.injected: Counter[Fault] = Counter()
        self._random = random.Random(seed)
        self._served = 0
        self._replay = ReplayTransport(self.cassette) if self.cassette else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self.startup_seconds = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeEndpoint:
        started = time.perf_counter()
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._serve, args=(ready, failure), name="khabar-fake-endpoint", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failure:
            raise ConfigError(f"fake endpoint could not start: {failure[0]}") from None
        self.startup_seconds = time.perf_counter() - started
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join()
        self._thread = None

    def __enter__(self) -> FakeEndpoint:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> FakeEndpoint:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main(ready))
        except BaseException as exc:  # reported to start(), which raises it as one line
            failure.append(exc)
            ready.set()
        finally:
            loop.close()

    async def _main(self, ready: threading.Event) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.5,
            handler_cancellation=True,
        )  # fmt: skip
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port, backlog=1024)
        await site.start()
        self.port = int(runner.addresses[0][1])
        self._stopped = asyncio.Event()
        ready.set()
        try:
            await self._stopped.wait()
        finally:
            await runner.cleanup()

    # requests ----------------------------------------------------------------------------------

    def _next_fault(self) -> Fault | None:
        index = self.requests
        self.requests += 1
        if index < len(self.faults):
            fault = self.faults[index]
        elif self.fault_rate and self._random.random() < self.fault_rate:
            fault = self._random.choice(self.fault_kinds)
        else:
            fault = None
        if fault is not None:
            self.injected[fault] += 1
        return fault

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        fault = self._next_fault()
        raw = await request.read()
        if self.latency:
            await asyncio.sleep(self.latency)
        if fault is Fault.RATE_LIMIT:
            return _error(429, "rate limited (injected)", {"Retry-After": f"{self.retry_after:g}"})
        if fault is Fault.SERVER_ERROR:
            return _error(500, "internal error (injected)")
        if fault is Fault.UNAVAILABLE:
            return _error(503, "service unavailable (injected)")
        if fault is Fault.RESET:
            _reset(request)
            return web.Response(status=500)
        if fault is Fault.SLOW:
            await asyncio.sleep(self.slow_seconds)
        status, body = self._answer(request, raw)
        if fault is Fault.MALFORMED and status == 200:
            body = _cut_structured_answer(body)
        elif fault is Fault.NO_TOOL_CALL and status == 200:
            body = _prose_instead(body)
        payload = json.dumps(body, ensure_ascii=False).encode()
        if fault is Fault.TRUNCATED:
            return await _truncated(request, payload)
        return web.Response(status=status, body=payload, content_type="application/json")

    def _answer(self, request: web.Request, raw: bytes) -> tuple[int, dict[str, Any]]:
        """The completion for this request: from the cassette, or a canned answer."""
        try:
            sent: dict[str, Any] = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"error": {"message": "request body is not JSON"}}
        if self._replay is not None and self.cassette is not None:
            if not self.match_body:
                exchanges = self.cassette.exchanges
                recorded = exchanges[self._served % len(exchanges)]["response"]
                self._served += 1
                return int(recorded.get("status", 200)), recorded["body"]
            forwarded = httpx.Request("POST", f"http://fake{request.path}", content=raw)
            try:
                response = self._replay.handle_request(forwarded)
            except ReplayError as exc:
                return 400, {"error": {"message": str(exc), "type": "no_recorded_answer"}}
            return response.status_code, response.json()
        answer = self.answers[self._served % len(self.answers)]
        self._served += 1
        return 200, completion(answer, sent, _mode_of(sent), self._served)


def _mode_of(body: dict[str, Any]) -> Mode:
    if body.get("tools"):
        return Mode.TOOLS
    if body.get("response_format"):
        return Mode.JSON_SCHEMA
    return Mode.MD_JSON


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = json.dumps({"error": {"message": message, "type": "injected_fault"}})
    return web.Response(status=status, text=body, content_type="application/json", headers=headers)


def _reset(request: web.Request) -> None:
    """Close the connection with a TCP RST (linger 0), before any byte of an answer."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def _truncated(request: web.Request, payload: bytes) -> web.StreamResponse:
    """Announce the whole body, send half of it, then cut the connection."""
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
    response.content_length = len(payload)
    await response.prepare(request)
    await response.write(payload[: len(payload) // 2])
    _reset(request)
    return response


def _cut_structured_answer(body: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(json.dumps(body))
    message = body["choices"][0]["message"]
    for call in message.get("tool_calls") or []:
        arguments = call["function"]["arguments"]
        call["function"]["arguments"] = arguments[: len(arguments) // 2]
    if message.get("content"):
        message["content"] = message["content"][: len(message["content"]) // 2]
    return body


def _prose_instead(body: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(json.dumps(body))
    message = body["choices"][0]["message"]
    message.pop("tool_calls", None)
    message["content"] = "Here is a summary of the article in plain words."
    return body


def _main(argv: list[str] | None = None) -> int:
    """Run the fake endpoint by hand until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m agent.fake_endpoint", description=__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--cassette", type=Path, help="serve this cassette's answers")
    source.add_argument("--answers", type=Path, help="serve the answers of this answers.json")
    parser.add_argument("--any-body", action="store_true", help="cassette answers in turn")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of faulty requests")
    parser.add_argument(
        "--faults",
        default=",".join(Fault),
        help=f"kinds drawn at random (comma-separated): {', '.join(Fault)}",
    )
    parser.add_argument("--retry-after", type=float, default=0.1, help="seconds, for 429s")
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="delay of slow answers")
    args = parser.parse_args(argv)
    try:
        answers = []
        if args.answers:
            answers = json.loads(args.answers.read_text(encoding="utf-8"))["answers"]
        fake = FakeEndpoint(
            cassette=args.cassette,
            answers=answers,
            match_body=not args.any_body,
            latency=args.latency,
            fault_rate=args.fault_rate,
            fault_kinds=[k for k in args.faults.split(",") if k],
            retry_after=args.retry_after,
            slow_seconds=args.slow_seconds,
            port=args.port,
        ).start()
    except (OSError, ValueError, KeyError, ReplayError, ConfigError) as exc:
        print(f"error: {exc}", flush=True)
        return 2
    print(
        f"serving on {fake.base_url} (started in {fake.startup_seconds * 1000:.0f} ms)", flush=True
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
        print(f"served {fake.requests} request(s), faults injected: {dict(fake.injected)}")
    return 0


__all__ = ["FakeEndpoint", "Fault"]

if __name__ == "__main__":
    raise SystemExit(_main())
