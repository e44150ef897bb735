# Shared by run.sh and test.sh: the set-up a fresh machine needs (given the .NET 10 SDK and Node.js).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AZURITE="$REPO/node_modules/.bin/azurite"

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required ($2)" >&2; exit 1; }; }

# ensure_tools [browser]: the SDKs and the pinned Azurite; with "browser", also the headless Chromium and its
# chromedriver that the Studio's browser tests drive (Debian's packages, at /usr/bin).
ensure_tools() {
  need dotnet "install the .NET 10 SDK"
  need node "install Node.js 20 or newer"
  need npm "install Node.js 20 or newer"
  if [ ! -x "$AZURITE" ]; then
    echo "==> installing the pinned Azurite (package-lock.json) into node_modules/"
    (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ "${1:-}" = browser ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
    need apt-get "install Chromium and its chromedriver at /usr/bin (Debian: apt-get install chromium chromium-driver)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || { need sudo "run as root or with sudo to install chromium"; sudo=sudo; }
    echo "==> installing Chromium and chromedriver (apt) for the Studio's browser tests"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_for_port() { # port, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: nothing listens on 127.0.0.1:$1 after $2 s" >&2; return 1
}

# start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT [LOCATION]: in memory when no location is given.
start_azurite() {
  local storage=(--inMemoryPersistence)
  [ -n "${4:-}" ] && { mkdir -p "$4"; storage=(--location "$4"); }
  "$AZURITE" --silent --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --blobPort "$1" --queueHost 127.0.0.1 --queuePort "$2" --tableHost 127.0.0.1 --tablePort "$3" \
    "${storage[@]}" >"${AZURITE_LOG:-/dev/null}" 2>&1 &
  AZURITE_PID=$!
  wait_for_port "$1" 30 && wait_for_port "$2" 30 && wait_for_port "$3" 30
}

azurite_connection() { # blob queue table ports
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}
