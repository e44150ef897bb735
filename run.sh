#!/usr/bin/env bash
# ./run.sh        Azurite + the local host on http://127.0.0.1:7071 (the Studio at /, the API under /api); Ctrl-C stops both.
#                 WORKERS=N ./run.sh starts N local hosts on one task hub (ports 7071, 7072, ...), as N machines of a
#                 deployment would run: every run's trials spread over all of them (AutoMl__Workers=N).
# ./run.sh demo   The same on fresh in-memory storage: uploads samples/telco-churn.csv, shows the training run as it
#                 goes, prints the leaderboard and a chain answer from the model it just trained, then stops (exit 0).
source "$(dirname "$0")/scripts/common.sh"
cd "$REPO"
mode="${1:-serve}"
case "$mode" in serve|demo) ;; *) echo "usage: ./run.sh [demo]" >&2; exit 2;; esac

ensure_tools
echo "==> building" >&2
dotnet build src/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly 1>&2
HOST_DLL="$REPO/src/LocalHost/bin/Release/net10.0/Serverless.LocalHost.dll"

pids=()
# Stop in reverse order of start: the host first (it shuts down cleanly while storage is still up), then Azurite.
cleanup() {
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$mode" = demo ]; then
  ports=($(free_port) $(free_port) $(free_port)); http_port=$(free_port)
  start_azurite "${ports[@]}"; pids+=("$AZURITE_PID")
  export AzureWebJobsStorage="$(azurite_connection "${ports[@]}")"
  export DurableTask__WorkerId="demo-$$"
  export Urls="http://127.0.0.1:$http_port"
  dotnet "$HOST_DLL" demo \
    --data samples/telco-churn.csv --dataset telco-churn --label churn --budget-seconds "${DEMO_BUDGET_SECONDS:-60}" \
    --question "Would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?"
  exit $?
fi

if (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; then
  echo "==> using the storage emulator already listening on 127.0.0.1:10000"
else
  echo "==> starting Azurite (data in .azurite/)"
  start_azurite 10000 10001 10002 "$REPO/.azurite"; pids+=("$AZURITE_PID")
fi
export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
workers="${WORKERS:-1}"
export AutoMl__Workers="$workers"
base="${Urls:-http://127.0.0.1:7071}"
cat <<TXT
==> $workers local host(s) starting
    Studio:   $base/   (open it in a browser: upload a CSV, watch it train, ask the model)
    upload:   dotnet run --project src/Cli -- upload --data data.csv --dataset mydata --label mycolumn
    runs:     $base/api/runs?dataset=mydata
    run:      $base/api/runs/{instanceId}
    models:   $base/api/models/{dataset}
    chain:    $base/api/chain/{dataset}/invoke   (see chain.http)
    Ctrl-C stops the hosts and Azurite.
TXT
if [ "$workers" = 1 ]; then
  dotnet "$HOST_DLL" &
  pids+=("$!")
else
  # Each worker needs its own id (its task hub lease and its folder of local copies) and its own port.
  for (( i=0; i<workers; i++ )); do
    DurableTask__WorkerId="worker-$i" Urls="http://127.0.0.1:$((7071 + i))" dotnet "$HOST_DLL" &
    pids+=("$!")
  done
fi
wait "${pids[-1]}"
