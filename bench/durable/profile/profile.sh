#!/usr/bin/env bash
# bench/durable/profile/profile.sh [OUT]: one `run.sh fixed` (TRIALS=2000, POLL_MS=1000 unless set) with CPU sampling:
# perf records the benchmark's process while it runs the list in-process, then the local host and Azurite while the
# durable run searches, SECONDS (40) each; trials finished in each window are counted from their output files. Prints
# perf_split.py's tables. Run it under the benchmark lock: flock /tmp/bench.lock bench/durable/profile/profile.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/durable-profile-XXXX)}"
SECONDS_EACH="${SECONDS_EACH:-40}"
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "error: perf is required (linux-perf)" >&2; exit 1; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
(cd "$REPO" && DOTNET_PerfMapEnabled=1 NODE_OPTIONS=--perf-basic-prof TRIALS="${TRIALS:-2000}" POLL_MS="${POLL_MS:-1000}" \
  bench/durable/run.sh fixed > "$OUT/run.log" 2>&1) &
runner=$!
bench="" host="" azurite=""
while [ -z "$host" ] || [ -z "$azurite" ]; do
  sleep 1
  kill -0 $runner 2>/dev/null || { cat "$OUT/run.log"; exit 1; }
  for p in $(pgrep -f Serverless.DurableBench.dll || true); do [ "$(readlink /proc/$p/cwd)" = "$REPO" ] && bench=$p; done
  [ -n "$bench" ] || continue
  host=$(pgrep -P "$bench" -f "$REPO/src/LocalHost/bin" || true)
  azurite=$(pgrep -P "$bench" -f azurite || true)
done
# Trial outputs written so far: the host's copies of its runs, the in-process run's folder (the newest).
trials() { find "$(readlink /proc/$host/cwd)/work" "$(ls -td /tmp/bench-inprocess-* 2>/dev/null | head -1)" -name '*.oof' 2>/dev/null | wc -l; }
# The in-process phase: the benchmark's process busy (> 1 core) while the host idles; then the durable run: the host busy.
phase=inproc
while kill -0 $runner 2>/dev/null; do
  b0=$(ticks $bench); h0=$(ticks $host); sleep 3; b=$(( $(ticks $bench) - b0 )); h=$(( $(ticks $host) - h0 ))
  if [ $phase = inproc ] && [ $b -gt 300 ] && [ $h -lt 90 ]; then
    sleep 5; t0=$(ticks $bench); n0=$(trials)
    perf record -q -F 499 -g -p "$bench" -o "$OUT/inproc.data" -- sleep "$SECONDS_EACH" 2>/dev/null
    echo "inproc ticks $t0 $(ticks $bench) trials $n0 $(trials)" >> "$OUT/window"
    cp "/tmp/perf-$bench.map" "$OUT/inproc.map"; phase=durable
  elif [ $phase = durable ] && [ $h -gt 300 ]; then
    sleep 5; th=$(ticks $host); ta=$(ticks $azurite); n0=$(trials)
    perf record -q -F 499 -g -p "$host" -o "$OUT/host.data" -- sleep "$SECONDS_EACH" 2>/dev/null & p1=$!
    perf record -q -F 499 -g -p "$azurite" -o "$OUT/azurite.data" -- sleep "$SECONDS_EACH" 2>/dev/null & p2=$!
    wait $p1 $p2 || true
    n1=$(trials)
    echo "host ticks $th $(ticks $host) trials $n0 $n1" >> "$OUT/window"
    echo "azurite ticks $ta $(ticks $azurite) trials $n0 $n1" >> "$OUT/window"
    cp "/tmp/perf-$host.map" "$OUT/host.map"; cp "/tmp/perf-$azurite.map" "$OUT/azurite.map"; phase=done
  fi
done
wait $runner || true
# --perf-basic-prof makes node log its code to isolate-*-v8.log in its working folder, the repo's root.
mv "$REPO"/isolate-*-v8.log "$OUT"/ 2>/dev/null || true
cat "$OUT/run.log"
python3 "$(dirname "$0")/perf_split.py" "$OUT"
echo "profile data: $OUT"
