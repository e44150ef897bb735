#!/usr/bin/env bash
# ./test.sh [dotnet test args]   Installs the pinned Azurite and the headless Chromium if missing, builds, runs every
# test project. The tests start their own Azurite instances on free ports; nothing else needs to be running.
source "$(dirname "$0")/scripts/common.sh"
cd "$REPO"
ensure_tools browser
echo "==> building"
dotnet build Serverless.sln -c Release -nologo -v quiet -clp:ErrorsOnly
log=$(mktemp)
status=0
dotnet test Serverless.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line for CI, summed over the test projects ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); f += $4; p += $6; s += $8 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
