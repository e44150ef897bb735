#!/usr/bin/env bash
# Loopback load test of POST /api/chain/{dataset}/invoke with wrk: steady state, then while champions are swapped in.
#   bench/chain/run.sh                      # self-hosted: trains a telco model once, serves it with ChainBench
#   URL=http://127.0.0.1:7071 DATASET=telco-churn bench/chain/run.sh   # against a running host with that champion (no swap phase)
# Knobs: CONNECTIONS ("4 16": one wrk run per count), DURATION (15s), SWAP_EVERY_MS (500).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
CONNECTIONS=${CONNECTIONS:-4 16} DURATION=${DURATION:-15s} SWAP_EVERY_MS=${SWAP_EVERY_MS:-500}
WORK=/tmp/chain-bench && mkdir -p "$WORK"
DATASET=${DATASET:-telco}

load() { # $1 = base URL
  wrk -t2 -c4 -d3s -s bench/chain/invoke.lua "$1/api/chain/$DATASET/invoke" >/dev/null # warm-up
  for c in $CONNECTIONS; do
    wrk -t2 -c"$c" -d"$DURATION" --latency -s bench/chain/invoke.lua "$1/api/chain/$DATASET/invoke"
  done
}

if [[ -n "${URL:-}" ]]; then load "$URL"; exit; fi

dotnet build -c Release bench/chain -v q -nologo >/dev/null
serve() { # $@ = extra ChainBench arguments
  bench/chain/bin/Release/net10.0/Serverless.ChainBench --csv samples/telco-churn.csv --model "$WORK/model.zip" --port 7081 "$@" >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do curl -s -o /dev/null http://127.0.0.1:7081/api/chain/telco/input_schema && return; sleep 0.5; done
  echo "host did not start"; cat "$WORK/serve.log"; exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" || true; cat "$WORK/serve.log"; }

echo "== steady (no swap)"; serve; load http://127.0.0.1:7081; stop
echo "== swapping a new champion in every ${SWAP_EVERY_MS} ms"; serve --swap-every-ms "$SWAP_EVERY_MS"; load http://127.0.0.1:7081; stop
