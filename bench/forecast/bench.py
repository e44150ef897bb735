#!/usr/bin/env python3
"""Forecasting benchmark: `cli forecast` against seasonal naive and statsmodels ETS / ARIMA.

For each file of the time-series folder, the last horizon of every series is held out; the CLI trains on the rest
within the budget and forecasts the horizon; the baselines get the same budget per file. Every method is scored the
same way here: MASE scaled by the in-sample seasonal naive error of the training part. Writes RESULTS.md and
results.json beside this script (or --out).

    bench/forecast/bench.py [--budget-seconds 60] [--data /work/shared/datasets/timeseries] [--only air-passengers] [--fresh-baselines]

The baselines' forecasts are cached in baselines.json beside this script (by file, series, horizon and budget): they do
not depend on our code, and refitting statsmodels on a loaded machine can hit the time limit at a different candidate.
--fresh-baselines refits them (and rewrites the cache).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLI = REPO / "src" / "Cli" / "bin" / "Release" / "net10.0" / "Serverless.Cli.dll"

# file, horizon, seasonal period, extra CLI options (the columns' roles a user would state for that file)
DATASETS = [
    ("air-passengers", 12, 12, []),
    ("co2", 12, 12, []),
    ("nottingham-temperature", 12, 12, []),
    ("uk-driver-deaths", 12, 12, []),
    ("drinks", 12, 12, []),
    ("uk-gas", 8, 4, []),
    ("chicago-ridership", 14, 7, ["--target", "ridership", "--known", "Bulls_Home,Bears_Home,WhiteSox_Home,Cubs_Home"]),
    ("eu-stock-indices", 20, 5, ["--series", "index"]),
]


def option(extra, name):
    return extra[extra.index(name) + 1] if name in extra else None


def split(frame, date, series, horizon):
    """The file without the last horizon of each series, and the held-out values per series."""
    import pandas as pd
    frame = frame.sort_values([series, date] if series else [date]).reset_index(drop=True)
    groups = frame.groupby(series, sort=True) if series else [(None, frame)]
    train, held = [], {}
    for key, group in groups:
        train.append(group.iloc[:-horizon])
        held[key] = group.iloc[-horizon:]
    return pd.concat(train), held


def mase_scale(history, period):
    import numpy as np
    lag = period if len(history) > period else 1
    scale = np.mean(np.abs(history[lag:] - history[:-lag]))
    return scale if scale > 0 else 1.0


def seasonal_naive(history, period, horizon):
    import numpy as np
    last = history[-period:]
    return np.array([last[h % period] for h in range(horizon)])


def ets(history, period, horizon, seconds):
    """statsmodels Holt-Winters, every trend/season combination the data allows, the lowest AICc wins."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    start, best = time.time(), None
    seasons = [None] + (["add"] + (["mul"] if (history > 0).all() else []) if period > 1 and len(history) >= 2 * period else [])
    for seasonal in seasons:
        for trend, damped in [(None, False), ("add", False), ("add", True)]:
            if best is not None and time.time() - start > seconds:
                return best[1]
            try:
                fit = ExponentialSmoothing(history, trend=trend, damped_trend=damped, seasonal=seasonal,
                                           seasonal_periods=period if seasonal else None, initialization_method="estimated").fit()
                if best is None or fit.aicc < best[0]:
                    best = (fit.aicc, fit.forecast(horizon))
            except Exception:
                continue
    return best[1]


def arima(history, period, horizon, seconds, exog=None, future_exog=None):
    """statsmodels SARIMAX over a small grid of orders (with the known columns as regressors), the lowest AIC wins."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX
    start, best = time.time(), None
    orders = [(0, 1, 1), (1, 1, 0), (0, 1, 0), (1, 1, 1), (2, 1, 1)]
    seasonal_orders = [(0, 1, 1, period), (1, 1, 0, period), (0, 0, 0, 0)] if period > 1 else [(0, 0, 0, 0)]
    for seasonal_order in seasonal_orders:
        for order in orders:
            if best is not None and time.time() - start > seconds:
                return best[1]
            try:
                fit = SARIMAX(history, exog=exog, order=order, seasonal_order=seasonal_order).fit(disp=False)
                if best is None or fit.aic < best[0]:
                    best = (fit.aic, fit.forecast(horizon, exog=future_exog))
            except Exception:
                continue
    return best[1]


def run_cli(train_csv, horizon, budget, extra):
    command = ["dotnet", str(CLI), "forecast", "--data", str(train_csv), "--horizon", str(horizon),
               "--budget-seconds", str(budget), "--seed", "1", "--json", *extra]
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"cli forecast failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return summary, time.time() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget-seconds", type=int, default=60)
    parser.add_argument("--data", default="/work/shared/datasets/timeseries")
    parser.add_argument("--only", action="append", help="run only these files (without .csv)")
    parser.add_argument("--out", default=str(HERE))
    parser.add_argument("--fresh-baselines", action="store_true", help="refit the baselines instead of reading baselines.json")
    args = parser.parse_args()
    cache_path = HERE / "baselines.json"
    cache = {} if args.fresh_baselines or not cache_path.exists() else json.loads(cache_path.read_text())

    subprocess.run([str(HERE / "setup.sh")], check=True)
    import numpy as np
    import pandas as pd
    warnings.filterwarnings("ignore")
    if not CLI.exists():
        subprocess.run(["dotnet", "build", str(REPO / "src" / "Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)

    load_before = os.getloadavg()
    rows, work = [], Path(tempfile.mkdtemp(prefix="forecast-bench-"))
    for name, horizon, period, extra in DATASETS:
        if args.only and name not in args.only:
            continue
        frame = pd.read_csv(Path(args.data) / f"{name}.csv")
        series_column = option(extra, "--series")
        target = option(extra, "--target") or frame.select_dtypes("number").columns[-1]
        known = (option(extra, "--known") or "").split(",") if option(extra, "--known") else []
        train, held = split(frame, "date", series_column, horizon)
        train_csv = work / f"{name}.csv"
        train.to_csv(train_csv, index=False)
        summary, cli_seconds = run_cli(train_csv, horizon, args.budget_seconds, extra)
        ours = {f["series"]: f["points"] for f in summary["forecasts"]}
        per_series_seconds = args.budget_seconds / len(held)
        for key, test in held.items():
            part = train[train[series_column] == key] if series_column else train
            history = part[target].to_numpy(dtype=float)
            actual = test[target].to_numpy(dtype=float)
            scale = mase_scale(history, period)
            points = ours[key][:horizon]
            forecast = np.array([p["forecast"] for p in points])
            exog = part[known].to_numpy(dtype=float) if known else None
            future_exog = test[known].to_numpy(dtype=float) if known else None
            started = time.time()
            cache_key = f"{name}/{key}/{horizon}/{args.budget_seconds}"
            if cache_key not in cache:
                cache[cache_key] = {
                    "seasonalNaive": [float(v) for v in seasonal_naive(history, period, horizon)],
                    "ets": [float(v) for v in ets(history, period, horizon, per_series_seconds / 2)],
                    "arima": [float(v) for v in arima(history, period, horizon, per_series_seconds / 2, exog, future_exog)],
                }
                cache_path.write_text(json.dumps(cache, indent=1))
            baselines = {k: np.asarray(v, dtype=float) for k, v in cache[cache_key].items()}
            baseline_seconds = time.time() - started
            mase = {k: float(np.mean(np.abs(actual - np.asarray(v))) / scale) for k, v in baselines.items()}
            mase["ours"] = float(np.mean(np.abs(actual - forecast)) / scale)
            inside = lambda lo, hi: float(np.mean([(a >= p[lo]) and (a <= p[hi]) for a, p in zip(actual, points)]))
            best_baseline = min(mase[k] for k in baselines)
            rows.append({
                "file": name, "series": key, "horizon": horizon, "mase": mase, "bestBaseline": best_baseline,
                "win": mase["ours"] <= best_baseline + 1e-9, "coverage80": inside("lo80", "hi80"), "coverage95": inside("lo95", "hi95"),
                "chosen": summary["card"]["description"], "backtestMase": summary["card"]["backtest"]["mase"],
                "backtestCoverage80": summary["card"]["coverage"]["coverage80"], "candidates": summary["card"]["candidates"],
                "cliSeconds": round(cli_seconds, 1), "baselineSeconds": round(baseline_seconds, 1),
            })
            print(f"{name}/{key or '-'}: ours {mase['ours']:.3f}, seasonal naive {mase['seasonalNaive']:.3f}, "
                  f"ets {mase['ets']:.3f}, arima {mase['arima']:.3f}, 80% coverage {rows[-1]['coverage80']:.2f}", file=sys.stderr)
    load_after = os.getloadavg()
    report(rows, args, load_before, load_after)


def report(rows, args, load_before, load_after):
    out = Path(args.out)
    (out / "results.json").write_text(json.dumps(rows, indent=2))
    wins = sum(r["win"] for r in rows)
    coverage80 = sum(r["coverage80"] for r in rows) / len(rows)
    coverage95 = sum(r["coverage95"] for r in rows) / len(rows)
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    lines = [
        "# Forecasting benchmark",
        "",
        f"`bench/forecast/bench.py --budget-seconds {args.budget_seconds}`: for each file of the time-series folder the last "
        "horizon of every series is held out; `cli forecast` trains on the rest within the budget; seasonal naive and "
        "statsmodels ETS (Holt-Winters, every trend/season combination, lowest AICc) and ARIMA (SARIMAX over a small order grid, "
        "lowest AIC, the known columns as regressors) get the same budget per file. MASE is scaled by the in-sample seasonal "
        "naive error of the training part, for every method alike.",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), shared; load average {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} "
        f"before the run, {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} after. Seed 1.",
        "",
        f"- **MASE at or below the best of seasonal naive, ETS and ARIMA: {wins} of {len(rows)} series ({100 * wins / len(rows):.0f}%)** (target ≥ 80%)",
        f"- **80% intervals cover {100 * coverage80:.1f}% of held-out points on average** (target 75–85%); 95% intervals cover {100 * coverage95:.1f}%",
        "",
        "| series | h | ours | seasonal naive | ETS | ARIMA | ≤ best | 80% cov. | 95% cov. | backtest MASE / 80% cov. | candidates | chosen |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m = r["mase"]
        name = r["file"] + (f" / {r['series']}" if r["series"] else "")
        lines.append(
            f"| {name} | {r['horizon']} | **{m['ours']:.3f}** | {m['seasonalNaive']:.3f} | {m['ets']:.3f} | {m['arima']:.3f} | "
            f"{'yes' if r['win'] else 'no'} | {100 * r['coverage80']:.0f}% | {100 * r['coverage95']:.0f}% | "
            f"{r['backtestMase']:.3f} / {100 * (r['backtestCoverage80'] or 0):.0f}% | {r['candidates']} | {r['chosen'][:90]} |")
    (out / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
