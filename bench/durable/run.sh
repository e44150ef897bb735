#!/usr/bin/env bash
# bench/durable/run.sh [fixed|compare|workers|cpu|latency|all]: the durable search against the in-process engine (RESULTS.md).
# Knobs: TRIALS (fixed: "50,200,500,2000"), POLL_MS (fixed: the status poll, 100), PROPOSALS (fixed: a JSON file to replay the list from, written when absent), BUDGET (compare: 60), WORKER_TRIALS (workers: 2000), CPU_TRIALS (cpu: 500), UPLOADS (latency: 5).
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
cd "$REPO"
ensure_tools
dotnet build Serverless.sln -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet bench/durable/bin/Release/net10.0/Serverless.DurableBench.dll"
DATA=/work/shared/datasets
[ -d "$DATA" ] || DATA="$REPO/../shared/datasets"
mode="${1:-all}"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, commit $(git rev-parse --short HEAD)"
if [[ $mode == fixed || $mode == all ]]; then
  $BENCH fixed --data "$DATA/heart-semicolon-bom.csv" --label Column14 --trials "${TRIALS:-50,200,500,2000}" --slots "$(nproc)" --poll-ms "${POLL_MS:-100}" ${PROPOSALS:+--proposals "$PROPOSALS"}
fi
if [[ $mode == compare || $mode == all ]]; then
  $BENCH compare --data samples/telco-churn.csv --label churn --budget "${BUDGET:-60}" --name telco
  $BENCH compare --data "$DATA/adult.csv" --label over50k --budget "${BUDGET:-60}" --name adult
fi
if [[ $mode == workers || $mode == all ]]; then
  $BENCH workers --data "$DATA/heart-semicolon-bom.csv" --label Column14 --trials "${WORKER_TRIALS:-2000}"
fi
if [[ $mode == cpu ]]; then
  $BENCH cpu --data "$DATA/heart-semicolon-bom.csv" --label Column14 --trials "${CPU_TRIALS:-500}" --slots "$(nproc)"
fi
if [[ $mode == latency ]]; then
  $BENCH latency --data "$DATA/heart-semicolon-bom.csv" --label Column14 --uploads "${UPLOADS:-5}"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
