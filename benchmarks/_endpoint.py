"""A load-test endpoint: answers every chat completion after a fixed latency, some with 429.

Runs in its own process (so its CPU does not compete for khabar's GIL) and prints its base URL on
the first line of stdout. It answers two kinds of client on the same port:

- khabar (requests with `tools`): the hand-written clean answer of
  fixtures/cases/reask_invented_participant (second answer of answers.json; NOT produced by a
  model), wrapped by `agent.fixtures.reference.completion` as a tool call. Send that case's article.
- langextract (no `tools`): JSON content `{"extractions": [...]}` naming three organisations of
  the same article.

A seeded fraction of requests (`--rate-limited`) gets HTTP 429 with `Retry-After: 0.2`.

`--lean` serves the same answers from a bare asyncio protocol instead of aiohttp, for benchmarks
where the endpoint shares the cores with the engines it measures (benchmarks/ray_batch.py): a real
endpoint runs on other machines, so its own CPU should take as little of the cores as it can. It
parses each request's JSON (for the tool name and the token count), and sends a response
serialised once per tool name with only the ids and token counts filled in; prompt tokens are the
request's bytes / 4 (aiohttp's path counts characters of the re-serialised request: the same for
this English article). HTTP/1.1 keep-alive, Content-Length bodies only (what the openai SDK
sends), no pipelining.

    python benchmarks/_endpoint.py --latency 0.2 --rate-limited 0.05
    python benchmarks/_endpoint.py --latency 0.05 --lean
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.fixtures.reference import completion  # noqa: E402
from agent.settings import Mode  # noqa: E402

CASE = ROOT / "fixtures" / "cases" / "reask_invented_participant"
KHABAR_ANSWER: dict[str, Any] = json.loads((CASE / "answers.json").read_text(encoding="utf-8"))[
    "answers"
][1]
LANGEXTRACT_ANSWER = {
    "extractions": [
        {"organization": "Greek court", "organization_attributes": {"role": "subject"}},
        {"organization": "Greek Ministry of Culture", "organization_attributes": {}},
        {"organization": "Greek Orthodox Church", "organization_attributes": {"role": "speaker"}},
    ]
}


def article() -> str:
    return (CASE / "article.txt").read_text(encoding="utf-8")


class Endpoint:
    def __init__(self, latency: float, rate_limited: float, seed: int) -> None:
        self.latency = latency
        self.rate_limited = rate_limited
        self.random = random.Random(seed)
        self.served = 0
        self.first_at: float | None = None  # wall clock of the first request (benchmarks/ray_batch)
        self.limited = 0

    async def handle(self, request: web.Request) -> web.Response:
        if self.first_at is None:
            self.first_at = time.time()
        body = await request.json()
        await asyncio.sleep(self.latency)
        if self.random.random() < self.rate_limited:
            self.limited += 1
            return web.json_response(
                {"error": {"message": "rate limited (benchmark)", "type": "rate_limit"}},
                status=429,
                headers={"Retry-After": "0.2"},
            )
        self.served += 1
        if body.get("tools"):
            return web.json_response(completion(KHABAR_ANSWER, body, Mode.TOOLS, self.served))
        content = json.dumps(LANGEXTRACT_ANSWER)
        return web.json_response(
            {
                "id": f"bench-{self.served}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "bench"),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {
                    "prompt_tokens": len(json.dumps(body)) // 4,
                    "completion_tokens": len(content) // 4,
                    "total_tokens": len(json.dumps(body)) // 4 + len(content) // 4,
                },
            }
        )

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"served": self.served, "rate_limited": self.limited, "first_at": self.first_at}
        )


async def serve(latency: float, rate_limited: float, seed: int) -> None:
    endpoint = Endpoint(latency, rate_limited, seed)
    app = web.Application()
    app.router.add_post("/v1/chat/completions", endpoint.handle)
    app.router.add_get("/stats", endpoint.stats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
    await site.start()
    port = runner.addresses[0][1]
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    await asyncio.Event().wait()


class LeanEndpoint:
    """The same answers as `Endpoint`, each response's bytes built from a template."""

    def __init__(self, latency: float, rate_limited: float, seed: int) -> None:
        self.latency = latency
        self.rate_limited = rate_limited
        self.random = random.Random(seed)
        self.served = 0
        self.limited = 0
        self.first_at: float | None = None
        self.templates: dict[tuple[str, str], Template] = {}  # per tool name and model

    def answer(self, body: bytes) -> bytes:
        """The whole HTTP response to one chat completion request."""
        if self.first_at is None:
            self.first_at = time.time()
        if self.random.random() < self.rate_limited:
            self.limited += 1
            error = b'{"error": {"message": "rate limited (benchmark)", "type": "rate_limit"}}'
            return _http(429, error, b"Retry-After: 0.2\r\n")
        self.served += 1
        request = json.loads(body)
        if not request.get("tools"):  # langextract's request: answered in full, as aiohttp does
            return _http(200, json.dumps(_langextract_reply(request, self.served)).encode())
        key = (request["tool_choice"]["function"]["name"], request.get("model", ""))
        template = self.templates.get(key)
        if template is None:
            template = self.templates[key] = Template(request)
        return _http(200, template.fill(self.served, -(-len(body) // 4)))

    def stats(self) -> bytes:
        body = {"served": self.served, "rate_limited": self.limited, "first_at": self.first_at}
        return _http(200, json.dumps(body).encode())


class Template:
    """`completion(...)` for one tool name, serialised once, cut where responses differ."""

    def __init__(self, request: dict[str, Any]) -> None:
        reply = completion(KHABAR_ANSWER, request, Mode.TOOLS, 0)
        self.produced = int(reply["usage"]["completion_tokens"])
        reply["id"] = "reference-\0n"
        reply["choices"][0]["message"]["tool_calls"][0]["id"] = "call_\0n"
        reply["usage"]["prompt_tokens"] = "\0p"
        reply["usage"]["total_tokens"] = "\0t"
        text = json.dumps(reply, ensure_ascii=False).replace('"\\u0000p"', "\0p")
        text = text.replace('"\\u0000t"', "\0t").replace("\\u0000n", "\0n")
        self.pieces = [piece.encode() for piece in text.split("\0")]  # text, then "n..." etc.

    def fill(self, n: int, prompt: int) -> bytes:
        values = {"n": n, "p": prompt, "t": prompt + self.produced}
        out = [self.pieces[0]]
        for piece in self.pieces[1:]:
            out.append(str(values[chr(piece[0])]).encode())
            out.append(piece[1:])
        return b"".join(out)


def _langextract_reply(body: dict[str, Any], served: int) -> dict[str, Any]:
    content = json.dumps(LANGEXTRACT_ANSWER)
    return {
        "id": f"bench-{served}",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "bench"),
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _http(status: int, body: bytes, extra: bytes = b"") -> bytes:
    reason = b"OK" if status == 200 else b"Too Many Requests"
    head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % (
        status,
        reason,
        len(body),
    )
    return head + extra + b"\r\n" + body


class LeanConnection(asyncio.Protocol):
    """One keep-alive connection: read a request (headers, then Content-Length bytes), send its
    answer after the latency with a timer rather than a task."""

    def __init__(self, endpoint: LeanEndpoint) -> None:
        self.endpoint = endpoint
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                key, _, value = line.partition(":")
                if key.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            self._respond(head.split(" ", 2), body)

    def _respond(self, request_line: list[str], body: bytes) -> None:
        assert self.transport is not None
        if request_line[:2] == ["GET", "/stats"]:
            self.transport.write(self.endpoint.stats())
            return
        reply = self.endpoint.answer(body)
        loop = asyncio.get_running_loop()
        loop.call_later(self.endpoint.latency, self._send, reply)

    def _send(self, reply: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def serve_lean(latency: float, rate_limited: float, seed: int) -> None:
    endpoint = LeanEndpoint(latency, rate_limited, seed)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: LeanConnection(endpoint), "127.0.0.1", 0, backlog=4096
    )
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per answer")
    parser.add_argument("--rate-limited", type=float, default=0.0, help="share answered 429")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lean", action="store_true", help="a bare asyncio server (see above)")
    args = parser.parse_args()
    run = serve_lean if args.lean else serve
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args.latency, args.rate_limited, args.seed))


if __name__ == "__main__":
    main()
