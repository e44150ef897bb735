#!/usr/bin/env bash
# Installs what the forecasting benchmark's baselines need, from Debian's packages (never pip), into /usr/bin/python3:
# statsmodels (with numpy, scipy and pandas). Does nothing when it already imports. bench.py runs it by itself.
exec "$(dirname "$0")/../debian-python.sh" "statsmodels, pandas" python3-statsmodels
