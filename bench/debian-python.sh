#!/usr/bin/env bash
# bench/debian-python.sh "IMPORTS" PACKAGE...: makes /usr/bin/python3 import IMPORTS (e.g. "numpy, sklearn"),
# installing the Debian PACKAGEs when it cannot (never pip). Does nothing when they already import. The benchmarks'
# setup.sh scripts call it with what their baselines need.
set -euo pipefail
PY=/usr/bin/python3
IMPORTS="$1"; shift
PACKAGES=("$@")

if "$PY" -c "import $IMPORTS" 2>/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the baselines need ${PACKAGES[*]} (Debian packages) and this machine has no apt-get" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: installing ${PACKAGES[*]} needs root (or sudo)" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> installing ${PACKAGES[*]} with apt-get" >&2
# The package lists may be missing or stale on a fresh machine: refresh them once when an install fails.
if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2; then
  "${SUDO[@]}" apt-get update -q >&2
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2
fi
"$PY" -c "import $IMPORTS"
