#!/usr/bin/env bash
# Installs what the AutoML benchmark's baselines need, from Debian's packages (never pip), into /usr/bin/python3:
# numpy, scikit-learn (HistGradientBoosting), xgboost and optuna. Does nothing when they already import.
# bench.py runs it by itself; run it by hand to prepare a machine ahead of a measured run.
exec "$(dirname "$0")/../debian-python.sh" "numpy, sklearn, xgboost, optuna" python3-numpy python3-sklearn python3-xgboost python3-optuna
