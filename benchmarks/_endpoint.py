"""A load-test endpoint: answers every chat completion after a fixed latency, some with 429.

Runs in its own process (so its CPU does not compete for khabar's GIL) and prints its base URL on
the first line of stdout. It answers two kinds of client on the same port:

- khabar (requests with `tools`): the hand-written clean answer of
  fixtures/cases/reask_invented_participant (second answer of answers.json; NOT produced by a
  model), wrapped by `agent.fixtures.reference.completion` as a tool call. Send that case's article.
- langextract (no `tools`): JSON content `{"extractions": [...]}` naming three organisations of
  the same article.

A seeded fraction of requests (`--rate-limited`) gets HTTP 429 with `Retry-After: 0.2`.

    python benchmarks/_endpoint.py --latency 0.2 --rate-limited 0.05
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per answer")
    parser.add_argument("--rate-limited", type=float, default=0.0, help="share answered 429")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.latency, args.rate_limited, args.seed))


if __name__ == "__main__":
    main()
