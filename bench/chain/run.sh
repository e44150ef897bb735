#!/usr/bin/env bash
# Loopback load test of POST /api/chain/{dataset}/invoke (JSON record, no LLM) with wrk: steady state, then while
# new champions are swapped in. Every run trains /tmp/chain-bench/model.zip from samples/telco-churn.csv once.
#   bench/chain/run.sh            the real local host (src/LocalHost) on Azurite; champions deployed through the
#                                 ModelRegistry and swapped in by its champion cache
#   bench/chain/run.sh self       ChainEndpoints on a bare Kestrel host with an in-memory source (chain cost alone)
# Knobs: CONNECTIONS ("4 16": one wrk run per count), DURATION (15s), SWAP_EVERY_MS (1000), WORK (/tmp/chain-bench:
# where the model is trained once and kept; another checkout's engine wants its own).
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
cd "$REPO"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
CONNECTIONS=${CONNECTIONS:-4 16} DURATION=${DURATION:-15s} SWAP_EVERY_MS=${SWAP_EVERY_MS:-1000}
WORK=${WORK:-/tmp/chain-bench} && mkdir -p "$WORK"
MODEL="$WORK/model.zip" PORT=$(free_port)
BENCH=bench/chain/bin/Release/net10.0/Serverless.ChainBench
pids=()
stop_all() { # newest first (the host before its storage), 10 s each before SIGKILL
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    kill "${pids[i]}" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.2; done
    kill -9 "${pids[i]}" 2>/dev/null && echo "warning: pid ${pids[i]} ignored SIGTERM for 10 s" >&2 || true
  done
}
trap stop_all EXIT

load() { # $1 = dataset
  local url="http://127.0.0.1:$PORT/api/chain/$1/invoke"
  wrk -t2 -c16 -d10s -s bench/chain/invoke.lua "$url" >/dev/null # warm-up: tiered JIT settles in ~10 s
  for c in $CONNECTIONS; do wrk -t2 -c"$c" -d"$DURATION" --latency -s bench/chain/invoke.lua "$url"; done
}
wait_until_served() { # $1 = dataset
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/chain/$1/input_schema")" = 200 ] && return
    sleep 0.5
  done
  echo "error: no model served for $1" >&2; exit 1
}
swaps_for() { # how many deploys run while one load() runs
  echo $(( ${DURATION%s} * $(wc -w <<<"$CONNECTIONS") * 1000 / SWAP_EVERY_MS ))
}

dotnet build -c Release bench/chain -v q -nologo -clp:ErrorsOnly
[ -f "$MODEL" ] || "$BENCH" train --model "$MODEL" --csv samples/telco-churn.csv

if [ "${1:-}" = self ]; then
  for swap in "" "--swap-every-ms $SWAP_EVERY_MS"; do
    echo "== self-hosted ChainEndpoints ${swap:-(no swap)}"
    # shellcheck disable=SC2086
    "$BENCH" serve --model "$MODEL" --port "$PORT" $swap >"$WORK/serve.log" 2>&1 & server=$!; pids+=("$server")
    wait_until_served telco; load telco
    kill "$server"; wait "$server" || true; cat "$WORK/serve.log"
  done
  exit 0
fi

ensure_tools
dotnet build src/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
ports=($(free_port) $(free_port) $(free_port))
start_azurite "${ports[@]}"; pids+=("$AZURITE_PID")
storage="$(azurite_connection "${ports[@]}")"
AzureWebJobsStorage="$storage" Urls="http://127.0.0.1:$PORT" DurableTask__WorkerId="bench-$$" \
  Logging__LogLevel__Default=Warning dotnet src/LocalHost/bin/Release/net10.0/Serverless.LocalHost.dll \
  >"$WORK/localhost.log" 2>&1 & pids+=("$!")
wait_for_port "$PORT" 60
"$BENCH" deploy --model "$MODEL" --storage "$storage" --dataset telco
wait_until_served telco
echo "== local host, steady"; load telco
echo "== local host, a new champion deployed every ${SWAP_EVERY_MS} ms"
"$BENCH" deploy --model "$MODEL" --storage "$storage" --dataset telco --count "$(swaps_for)" --every-ms "$SWAP_EVERY_MS" \
  >"$WORK/deploys.log" 2>&1 & deployer=$!
load telco
wait "$deployer" || true
echo "deploys during the load: $(grep -c promoted "$WORK/deploys.log")"
curl -s "http://127.0.0.1:$PORT/api/chain/telco/invoke" -H 'Content-Type: application/json' -d '{"input": {}}' \
  | grep -o '"modelVersion":"[^"]*"'
