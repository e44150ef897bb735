#!/usr/bin/python3
"""AutoML benchmark: the CLI's search against plain ML.NET LightGBM and scikit-learn HistGradientBoosting defaults.

usage: bench/automl/bench.py [--data DIR] [--budget SECONDS] [--only NAME,NAME] [--out RESULTS.md]

Held-out score per dataset: AUC (binary), accuracy (multiclass), RMSE (regression), on the dataset's -test file,
or on a deterministic 20% split (every 5th record) when there is none. Standard library only; the scikit-learn
column is filled when sklearn imports.
"""
import argparse, csv, json, math, os, platform, subprocess, sys, tempfile, time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# AUTOML_CLI points at an already built Serverless.Cli.dll (e.g. a snapshot while the source keeps changing).
CLI = os.environ.get("AUTOML_CLI") or os.path.join(REPO, "src", "Cli", "bin", "Release", "net10.0", "Serverless.Cli.dll")

# name, train file, test file (None = split), label, task, separator
DATASETS = [
    ("adult", "adult.csv", None, "over50k", "binary", ","),
    ("telco-churn", "telco-churn.csv", None, "churn", "binary", ","),
    ("heart", "heart-semicolon-bom.csv", None, "Column14", "binary", ";"),
    ("wikipedia-detox", "wikipedia-detox.tsv", None, "Sentiment", "binary", "\t"),
    ("fine-foods", "fine-foods-reviews-train.csv", "fine-foods-reviews-test.csv", "score", "binary", ","),
    ("penguins", "penguins.csv", None, "species", "multiclass", ","),
    ("optdigits", "optdigits-train-noheader.csv", "optdigits-test-noheader.csv", "Column65", "multiclass", ","),
    ("corefx-issues", "corefx-issues.tsv", None, "Area", "multiclass", "\t"),
    ("housing", "housing.tsv", None, "MedianHomeValue", "regression", "\t"),
    ("taxi-fare", "taxi-fare-train.csv", "taxi-fare-test.csv", "fare_amount", "regression", ","),
]
HEADERLESS = {"heart", "optdigits"}
SCORE = {"binary": "auc", "multiclass": "microAccuracy", "regression": "rmse"}
MISSING = {"", "?", "NA", "N/A", "NaN", "null"}


def read(path, sep):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [row for row in csv.reader(f, delimiter=sep) if any(cell.strip() for cell in row)]


def write(path, rows, sep):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=sep, lineterminator="\n").writerows(rows)


def split(name, train, sep, work):
    """Every 5th record is held out; the header (if any) goes to both files."""
    rows = read(train, sep)
    header = [] if name in HEADERLESS else rows[:1]
    body = rows[len(header):]
    ext = os.path.splitext(train)[1]
    paths = (os.path.join(work, name + "-train" + ext), os.path.join(work, name + "-test" + ext))
    write(paths[0], header + [r for i, r in enumerate(body) if i % 5 != 0], sep)
    write(paths[1], header + [r for i, r in enumerate(body) if i % 5 == 0], sep)
    return paths


def cli(verb, train, test, label, budget, work):
    command = ["dotnet", CLI, verb, "--data", train, "--label", label, "--test", test, "--seed", "1",
               "--output", os.path.join(work, verb + ".zip"), "--json"]
    if verb == "train":
        command += ["--budget-seconds", str(budget)]
    started = time.time()
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[-1], "wall": time.time() - started}
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["wall"] = time.time() - started
    return result


def sklearn_baseline(name, train, test, label, task, sep):
    """HistGradientBoosting with defaults on numeric and (ordinal-coded) categorical columns; text columns are left out."""
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
        from sklearn.metrics import accuracy_score, mean_squared_error, roc_auc_score
    except ImportError:
        return None
    train_rows, test_rows = read(train, sep), read(test, sep)
    if name in HEADERLESS:
        names = ["Column%d" % (i + 1) for i in range(len(train_rows[0]))]
    else:
        names, train_rows, test_rows = train_rows[0], train_rows[1:], test_rows[1:]
    y_index = names.index(label)
    columns, categorical = [], []
    for c in range(len(names)):
        if c == y_index:
            continue
        values = [r[c].strip() for r in train_rows if r[c].strip() not in MISSING]
        try:
            [float(v) for v in values]
            columns.append((c, None))
            categorical.append(False)
        except ValueError:
            levels = sorted(set(values))
            if len(levels) > 250 or sum(len(v) for v in values) / max(1, len(values)) > 30:
                continue  # free text or an id
            columns.append((c, {v: i for i, v in enumerate(levels)}))
            categorical.append(True)

    def matrix(rows):
        def cell(row, c, codes):
            v = row[c].strip()
            if v in MISSING:
                return np.nan
            if codes is None:
                return float(v)
            return codes.get(v, np.nan)
        return np.array([[cell(r, c, codes) for c, codes in columns] for r in rows], dtype=float)

    if not columns:
        return None  # text-only data: nothing HistGradientBoosting takes without a text featurizer
    x_train, x_test = matrix(train_rows), matrix(test_rows)
    y_train = [r[y_index].strip() for r in train_rows]
    y_test = [r[y_index].strip() for r in test_rows]
    if task == "regression":
        model = HistGradientBoostingRegressor(categorical_features=categorical, random_state=1)
        model.fit(x_train, [float(v) for v in y_train])
        return math.sqrt(mean_squared_error([float(v) for v in y_test], model.predict(x_test)))
    model = HistGradientBoostingClassifier(categorical_features=categorical, random_state=1).fit(x_train, y_train)
    if task == "binary":
        positive = model.classes_[1]
        return roc_auc_score([v == positive for v in y_test], model.predict_proba(x_test)[:, 1])
    return accuracy_score(y_test, model.predict(x_test))


def better(task, a, b):
    return a is not None and (b is None or (a <= b + 1e-12 if task == "regression" else a >= b - 1e-12))


def fmt(v):
    return "—" if v is None else "%.4f" % v


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(REPO, "..", "shared", "datasets"))
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--only", default="")
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "automl", "RESULTS.md"))
    args = parser.parse_args()
    if not os.environ.get("AUTOML_CLI"):
        subprocess.run(["dotnet", "build", os.path.join(REPO, "src", "Cli"), "-c", "Release", "-v", "q", "-nologo"], check=True,
                       stdout=subprocess.DEVNULL)
    only = set(filter(None, args.only.split(",")))
    lines = []
    for name, train_file, test_file, label, task, sep in DATASETS:
        if only and name not in only:
            continue
        with tempfile.TemporaryDirectory(prefix="automl-bench-") as work:
            train = os.path.join(args.data, train_file)
            train, test = (train, os.path.join(args.data, test_file)) if test_file else split(name, train, sep, work)
            automl = cli("train", train, test, label, args.budget, work)
            baseline = cli("baseline", train, test, label, args.budget, work)
            sk = sklearn_baseline(name, train, test, label, task, sep)
        metric = SCORE[task]
        ours = automl.get("test", {}).get(metric) if "test" in automl else None
        base = baseline.get("test", {}).get(metric) if "test" in baseline else None
        verdict = "yes" if better(task, ours, base) and (sk is None or better(task, ours, sk)) else "NO"
        winner = automl.get("best", {}).get("learner", "")
        if automl.get("ensemble"):
            winner = "ensemble of %d (best %s)" % (len(automl["ensemble"]), winner)
        row = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |" % (
            name, task, metric, fmt(ours), fmt(automl.get("cvScore")), fmt(base), fmt(sk), verdict,
            automl.get("trials", "—"), automl.get("wall", 0), winner, automl.get("error", ""))
        print(row, flush=True)
        lines.append(row)
    with open(args.out, "w") as f:
        f.write("# AutoML benchmark results\n\n")
        f.write("Held-out score: AUC (binary), accuracy (multiclass), RMSE (regression; lower is better), on each dataset's "
                "-test file or on a deterministic 20% split (every 5th record).\n\n")
        f.write("- Machine: %s, %d cores, %.0f GiB; shared with other builds while measured (load average at the end: %s)\n"
                % (platform.platform(), os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                   ", ".join("%.1f" % l for l in os.getloadavg())))
        f.write("- Budget: %d s per dataset (wall clock, including data preparation and the final refit)\n" % args.budget)
        f.write("- Command: `%s`\n" % " ".join(["bench/automl/bench.py"] + sys.argv[1:]))
        f.write("- Date: %s\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        f.write("- AutoML: `cli train --seed 1 --budget-seconds N` (parallel trials = cores, 1 thread per trial).\n")
        f.write("- ML.NET LightGbm defaults: `cli baseline`: the same featurization, then LightGbm with ML.NET's default "
                "options (1 thread), fit on all training rows.\n")
        f.write("- sklearn HGB defaults: HistGradientBoosting with default settings on numeric and ordinal-coded categorical "
                "columns; free-text columns are left out (— where no other column exists).\n")
        f.write("- beats both: the AutoML held-out score is at least as good as both baselines'.\n\n")
        f.write("| dataset | task | metric | AutoML test | AutoML CV | ML.NET LightGbm defaults | sklearn HGB defaults | beats both | trials | AutoML s | winner | error |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
