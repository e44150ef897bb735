#!/usr/bin/python3
"""Re-split benchmark: is a loss on a small suite dataset the luck of its one fixed split, or systematic?

  bench/automl/resplit.py run --only servo,glass [--splits 5] [--budget 60] [--xgb] [--label main] [--json FILE]
  bench/automl/resplit.py report [--json FILE] [--out FILE.md] [--note TEXT]

`run` pools a suite dataset's train and test files and makes N fixed-seed 80/20 splits (split k shuffles with seed
k; stratified by class for classification, like the suite), then on each split runs the CLI under test
(`cli train --seed 1 --budget-seconds B`, AUTOML_CLI/AUTOML_COMMIT as for bench.py) and the cheap baselines (ML.NET
LightGbm defaults via `cli baseline`, sklearn HGB defaults; XGBoost+Optuna at the same budget with --xgb). Results go
to a JSON file after every run (default RESULTS-{budget}s-resplit.json): baselines are keyed by dataset, split and
kind and reused by later runs (they do not depend on the CLI), AutoML rows are keyed by --label as well, so a second
CLI (e.g. a branch snapshot) measured with another label is compared with the first on the very same splits. A row
already stored is not run again: --splits 10 after a run of 5 adds splits 5-9.
`report` writes the markdown: per split ours vs each baseline, the mean and median gap over splits, our CV-vs-test
gap, and label-vs-label paired differences when several labels were measured.
"""
import argparse, json, os, random, statistics, sys, tempfile, time

if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
    os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import datasets, measure, scoring

TEST_SHARE = 0.2
CHEAP_KINDS = ["mlnet", "hgb"]
BASELINE_NAMES = {"mlnet": "ML.NET LightGbm defaults", "hgb": "HGB defaults", "xgb": "XGB+Optuna"}


def pooled(ds):
    """(header, records) of a suite dataset's train and test files together."""
    train, test = datasets.read_rows(ds.train, ds.sep), datasets.read_rows(ds.test, ds.sep)
    return train[0], train[1:] + test[1:]


def split(ds, header, records, seed):
    """(train, test) records: a shuffled 80/20 split with seed; per class for classification (each class keeps its
    share of the test rows, at least one when it has two or more records)."""
    rng = random.Random(seed)
    if ds.task == "regression":
        groups = [list(range(len(records)))]
    else:
        label = header.index(ds.label)
        by_class = {}
        for i, record in enumerate(records):
            by_class.setdefault(scoring.norm_label(record[label]), []).append(i)
        groups = [by_class[c] for c in sorted(by_class)]
    test = set()
    for group in groups:
        group = list(group)
        rng.shuffle(group)
        take = int(round(len(group) * TEST_SHARE))
        if take == 0 and len(group) >= 2:
            take = 1
        test.update(group[:take])
    return [r for i, r in enumerate(records) if i not in test], [r for i, r in enumerate(records) if i in test]


def load(path):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"baselines": {}, "automl": {}, "holds": []}


def save(path, store):
    with open(path + ".tmp", "w") as f:
        json.dump(store, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def baseline(kind, ds, train, test, budget, work):
    if kind == "mlnet":
        r = measure.cli_train("baseline", train, test, ds.label, budget, work)
        return {"score": (r.get("test") or {}).get(ds.metric), "wall": r["wall"], "error": r.get("error"),
                "cli_commit": measure.cli_commit()}
    r = measure.python_baseline(kind, train, test, ds, budget)
    return {"score": None if r.get("error") else r.get("score"), "wall": r["wall"], "error": r.get("error"),
            "cv": r.get("cv"), "trials": r.get("trials")}


def automl_row(r, ds):
    best = r.get("best") or {}
    return {"test": (r.get("test") or {}).get(ds.metric) if r.get("produced") else None, "cv": r.get("cvScore"),
            "trials": r.get("trials"), "wall": r.get("wall"), "error": r.get("error"), "learner": best.get("learner"),
            "params": best.get("params"), "ensemble": len(r.get("ensemble") or []) or None,
            "notes": r.get("notes"), "fallback": r.get("fallback")}


def run(args):
    chosen = datasets.select([d for d in datasets.catalog(args.data or datasets.default_data_dir(measure.REPO))
                              if d.set == "suite"], only=args.only)
    kinds = CHEAP_KINDS + (["xgb"] if args.xgb else [])
    store = load(args.json)
    hold = {"label": args.label, "datasets": args.only, "splits": args.splits, "budget": args.budget,
            "cli_commit": measure.cli_commit(), "load_before": measure.load_average(),
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "command": measure.command_line().replace("bench/automl/bench.py", "bench/automl/resplit.py")}
    for ds in chosen:
        header, records = pooled(ds)
        for k in range(args.splits):
            with tempfile.TemporaryDirectory(prefix="automl-resplit-") as work:
                train_rows, test_rows = split(ds, header, records, k)
                train, test = os.path.join(work, "train.csv"), os.path.join(work, "test.csv")
                datasets.write_rows(train, [header] + train_rows, ds.sep)
                datasets.write_rows(test, [header] + test_rows, ds.sep)
                for kind in kinds:
                    key = "%s/%d/%s/%d" % (ds.name, k, kind, args.budget)
                    if key not in store["baselines"]:
                        store["baselines"][key] = baseline(kind, ds, train, test, args.budget, work)
                        save(args.json, store)
                key = "%s/%d/%s/%d" % (ds.name, k, args.label, args.budget)
                if key in store["automl"]:
                    continue  # measured by an earlier hold: --splits N extends a series
                r = measure.cli_train("train", train, test, ds.label, args.budget, work)
                store["automl"][key] = dict(automl_row(r, ds), cli_commit=measure.cli_commit(), load_after=measure.load_average())
                save(args.json, store)
                print("%s split %d (%d/%d rows): ours %s" % (ds.name, k, len(train_rows), len(test_rows),
                      store["automl"][key]["test"]), flush=True)
    hold["load_after"] = measure.load_average()
    store["holds"].append(hold)
    save(args.json, store)


# ---------------------------------------------------------------------------------------------------------------
# report

def fmt(v, digits=4):
    return "—" if v is None else ("%%.%df" % digits) % v


def fmt_gap(metric, g):
    return "—" if g is None else ("%+.1f%%" % g if metric in scoring.LOWER_IS_BETTER else "%+.4f" % g)


def optimism(metric, cv, test):
    """How much worse test is than CV (positive = test worse): % of CV for RMSE, absolute otherwise."""
    if cv is None or test is None:
        return None
    return (test - cv) / cv * 100.0 if metric in scoring.LOWER_IS_BETTER else cv - test


def summary(values):
    """(mean, median, n, standard error of the mean) of the non-None values."""
    values = [v for v in values if v is not None]
    if not values:
        return None, None, 0, None
    se = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else None
    return statistics.mean(values), statistics.median(values), len(values), se


def parse_keys(store):
    """{(dataset, budget): {"splits": set, "labels": list, "kinds": list}} in first-seen order."""
    found = {}
    for key in list(store["baselines"]) + list(store["automl"]):
        name, k, who, budget = key.split("/")
        entry = found.setdefault((name, int(budget)), {"splits": set(), "labels": [], "kinds": []})
        entry["splits"].add(int(k))
        bucket = entry["kinds"] if key in store["baselines"] else entry["labels"]
        if who not in bucket:
            bucket.append(who)
    for entry in found.values():
        entry["labels"].sort(key=lambda label: (label != "main", label))  # main first: the others are paired against it
    return found


def dataset_section(store, ds, budget, entry):
    metric = ds.metric
    kinds = [k for k in ["mlnet", "hgb", "xgb"] if k in entry["kinds"]]
    lines = ["## %s (%s, %s; %s is better)" % (ds.name, ds.task, metric, "lower" if metric in scoring.LOWER_IS_BETTER else "higher"), ""]
    head = ["split"] + ["ours test (%s)" % l for l in entry["labels"]] + ["ours CV (%s)" % l for l in entry["labels"]] + \
        [BASELINE_NAMES[k] for k in kinds] + \
        ["gap vs %s (%s)" % (BASELINE_NAMES[k], l) for l in entry["labels"] for k in kinds] + \
        ["trials / winner (%s)" % l for l in entry["labels"]]
    lines += ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    gaps = {(l, k): [] for l in entry["labels"] for k in kinds + ["best"]}
    opt = {l: [] for l in entry["labels"]}
    tests = {l: [] for l in entry["labels"]}
    base_scores = {k: [] for k in kinds}
    for k in sorted(entry["splits"]):
        ours = {l: store["automl"].get("%s/%d/%s/%d" % (ds.name, k, l, budget), {}) for l in entry["labels"]}
        base = {b: store["baselines"].get("%s/%d/%s/%d" % (ds.name, k, b, budget), {}).get("score") for b in kinds}
        for b in kinds:
            base_scores[b].append(base[b])
        cells = [str(k)] + [fmt(ours[l].get("test")) for l in entry["labels"]] + [fmt(ours[l].get("cv")) for l in entry["labels"]]
        cells += [fmt(base[b]) for b in kinds]
        for l in entry["labels"]:
            tests[l].append(ours[l].get("test"))
            opt[l].append(optimism(metric, ours[l].get("cv"), ours[l].get("test")))
            best = scoring.best_of(metric, base)[1]
            gaps[(l, "best")].append(scoring.gap(metric, ours[l].get("test"), best))
            for b in kinds:
                g = scoring.gap(metric, ours[l].get("test"), base[b])
                gaps[(l, b)].append(g)
                cells.append(fmt_gap(metric, g))
        cells += ["%s / %s%s" % (ours[l].get("trials", "—"), ours[l].get("learner", "—"),
                                 " ensemble of %d" % ours[l]["ensemble"] if ours[l].get("ensemble") else "") for l in entry["labels"]]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| over splits | mean | ± standard error | median | splits ours at or above | n |", "|---|---|---|---|---|---|"]
    gap_text = lambda v: fmt_gap(metric, v)
    for l in entry["labels"]:
        lines.append(summary_row("ours test (%s)" % l, tests[l], fmt))
    for b in kinds:
        lines.append(summary_row("%s test" % BASELINE_NAMES[b], base_scores[b], fmt))
    for l in entry["labels"]:
        for b in kinds + ["best"]:
            wins = sum(1 for g in gaps[(l, b)] if g is not None and g >= -1e-12)
            name = "the best baseline of each split" if b == "best" else BASELINE_NAMES[b]
            lines.append(summary_row("gap (%s) vs %s" % (l, name), gaps[(l, b)], gap_text, str(wins)))
        unit = "% of CV" if metric in scoring.LOWER_IS_BETTER else "CV minus test"
        lines.append(summary_row("CV-vs-test optimism (%s; %s, positive = test worse)" % (l, unit), opt[l],
                                 lambda v: fmt(v, 3)))
    for b in kinds:
        cvs = [store["baselines"].get("%s/%d/%s/%d" % (ds.name, k, b, budget), {}).get("cv") for k in sorted(entry["splits"])]
        if any(cv is not None for cv in cvs):
            lines.append(summary_row("CV-vs-test optimism (%s, same unit)" % BASELINE_NAMES[b],
                                     [optimism(metric, cv, t) for cv, t in zip(cvs, base_scores[b])], lambda v: fmt(v, 3)))
    if len(entry["labels"]) >= 2:
        first = entry["labels"][0]
        for other in entry["labels"][1:]:
            diffs = [scoring.gap(metric, b, a) for a, b in zip(tests[first], tests[other]) if a is not None and b is not None]
            better = "%d better, %d worse" % (sum(1 for d in diffs if d > 1e-12), sum(1 for d in diffs if d < -1e-12))
            lines.append(summary_row("paired: %s minus %s (positive = %s better)" % (other, first, other), diffs, gap_text, better))
    return lines + [""]


def summary_row(name, values, text, wins=""):
    mean, median, n, se = summary(values)
    return "| %s | %s | %s | %s | %s | %d |" % (name, "—" if mean is None else text(mean),
                                                "—" if se is None else text(se).lstrip("+"), "—" if median is None else text(median), wins, n)


def report(args):
    store = load(args.json)
    by_name = {d.name: d for d in datasets.catalog(args.data or datasets.default_data_dir(measure.REPO))}
    holds = store["holds"]
    commits = sorted({"%s %s" % (h["label"], h["cli_commit"]) for h in holds})
    lines = ["# AutoML re-split benchmark", ""]
    if args.summary:
        lines += ["<!-- summary: %s -->" % args.summary, ""]
    # The lines RESULTS.md's index reads (report.write_index).
    lines += ["- Date: %s" % ("%s to %s" % (holds[0]["started"], holds[-1]["started"]) if holds else "—"),
              "- Command: `bench/automl/resplit.py run ...` (one locked hold per row of the Holds table), then `bench/automl/resplit.py report`",
              "- CLI commit: %s" % (", ".join(commits) or "—"), ""]
    if args.note:
        lines += [args.note, ""]
    lines += ["Each dataset's train and test files pooled, then N 80/20 splits (split k = seed k, stratified by class "
              "for classification); on each split `cli train --seed 1 --budget-seconds B` and the baselines. Gap: ours "
              "minus baseline, absolute for accuracy/AUC, relative %% for RMSE; positive = ours better. Raw results: "
              "`%s`." % os.path.basename(args.json), "", "## Holds (one locked command each)", "",
              "| started | label | datasets | splits | budget | CLI commit | load before | load after |", "|---|---|---|---|---|---|---|---|"]
    for h in store["holds"]:
        lines.append("| %s | %s | %s | %d | %d | %s | %s | %s |" % (h["started"], h["label"], h["datasets"], h["splits"],
                     h["budget"], h["cli_commit"], h["load_before"], h["load_after"]))
    lines.append("")
    for (name, budget), entry in parse_keys(store).items():
        lines += dataset_section(store, by_name[name], budget, entry)
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print("wrote %s" % args.out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["run", "report"])
    parser.add_argument("--data", default=None, help="folder holding suite/ (default: ../shared/datasets)")
    parser.add_argument("--only", default="", help="comma-separated suite dataset names (run)")
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--xgb", action="store_true", help="also XGBoost+Optuna (costs the full budget per split)")
    parser.add_argument("--label", default="main", help="name of the CLI under test (e.g. main, branch)")
    parser.add_argument("--json", default=None, help="results store (default RESULTS-{budget}s-resplit.json)")
    parser.add_argument("--out", default=None, help="report file (default RESULTS-{budget}s-resplit.md)")
    parser.add_argument("--note", default="", help="a paragraph for the report")
    parser.add_argument("--summary", default="", help="one sentence for RESULTS.md's index")
    args = parser.parse_args()
    args.json = args.json or os.path.join(HERE, "RESULTS-%ds-resplit.json" % args.budget)
    args.out = args.out or os.path.join(HERE, "RESULTS-%ds-resplit.md" % args.budget)
    if args.mode == "run":
        if not args.only:
            raise SystemExit("error: run needs --only (the datasets to re-split)")
        if not os.environ.get("AUTOML_CLI"):
            measure.build("Cli")
        run(args)
    else:
        report(args)


if __name__ == "__main__":
    sys.exit(main())
