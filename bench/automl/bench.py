#!/usr/bin/python3
"""AutoML benchmark: the CLI's search against three baselines, on the classic datasets, the development suite and
the generated extra set.

  bench/automl/bench.py [--budget 60|300] [--set all|classic|suite|extra] [--subset] [--only a,b] [--data DIR]
                        [--refresh-baselines [KINDS]] [--skip-baselines] [--path cli|durable]
  bench/automl/bench.py --large [--large-rows 1000000] [--budget 120]

See README.md beside this file for what each mode does, what the columns mean and how long a run takes.
"""
import argparse, os, subprocess, sys, tempfile, time

# Debian's interpreter, whatever `python3` is on PATH: the baselines' and the generator's packages are installed there.
if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
    os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cache, datasets, measure, report


def ensure_python_packages():
    """The baselines need numpy, scikit-learn, xgboost and optuna from Debian's packages: setup.sh installs them."""
    result = subprocess.run(["bash", os.path.join(HERE, "setup.sh")])
    if result.returncode != 0:
        raise SystemExit("error: bench/automl/setup.sh could not install the baselines' Python packages")


def package_versions():
    r = measure.run([measure.PYTHON, os.path.join(HERE, "baselines.py"), "versions"], timeout=120)
    try:
        return r.json_line() or {}
    except ValueError:
        return {}


def baselines_for(ds, train, test, budget, store, work, versions, skip):
    """{mlnet, hgb, xgb}: from the cache, or measured now (each in its own process) and cached."""
    digest = cache.data_hash(ds)
    out = {}
    for kind in cache.KINDS:
        cached = store.get(ds, kind, digest)
        if cached is not None or skip:
            out[kind] = cached
            continue
        print("  %s: %s baseline..." % (ds.name, kind), file=sys.stderr, flush=True)
        if kind == "mlnet":
            r = measure.cli_train("baseline", train, test, ds.label, budget, work)
            result = {"score": (r.get("test") or {}).get(ds.metric), "wall": r["wall"], "rss_mb": r["rss_mb"]}
            if r.get("error") or result["score"] is None:
                result["error"] = r.get("error") or "no test %s in the CLI output" % ds.metric
            provenance = {"cli_commit": measure.cli_commit(), "machine": measure.machine()}
        else:
            result = measure.python_baseline(kind, train, test, ds, budget)
            provenance = {"versions": versions, "machine": measure.machine()}
        provenance["load_average"] = measure.load_average()  # after the run: a busy machine gets fewer trials
        store.put(ds, kind, digest, result, provenance)
        out[kind] = result
    return out


def run_cli_suite(args, chosen):
    if not args.skip_baselines:
        ensure_python_packages()
    versions = package_versions() if not args.skip_baselines else {}
    store = cache.Cache(args.budget, refresh=cache.kinds(args.refresh_baselines))
    out = args.out or os.path.join(HERE, "RESULTS-%ds.md" % args.budget)
    started, load_before, rows = time.time(), measure.load_average(), []
    commit = measure.cli_commit()
    print(report.table_header(), flush=True)
    for ds in chosen:
        with tempfile.TemporaryDirectory(prefix="automl-bench-") as work:
            train, test = datasets.materialize(ds, work)
            baselines = baselines_for(ds, train, test, args.budget, store, work, versions, args.skip_baselines)
            print("  %s: AutoML (%d s)..." % (ds.name, args.budget), file=sys.stderr, flush=True)
            automl = measure.cli_train("train", train, test, ds.label, args.budget, work)
        row = report.evaluate({"dataset": ds.name, "set": ds.set, "task": ds.task, "metric": ds.metric,
                               "automl": automl, "baselines": baselines}, args.budget)
        rows.append(row)
        print(report.markdown_row(row, args.budget), flush=True)
        write_results(out, args, rows, commit, load_before, started, versions, complete=False)
    write_results(out, args, rows, commit, load_before, started, versions, complete=True)
    print("\nwrote %s (%.0f min)" % (os.path.relpath(out), (time.time() - started) / 60), flush=True)


def header_lines(args, commit, load_before, started, versions):
    return [
        "Machine: %s; load average before %s, after %s (1, 5, 15 min)" % (measure.machine(), load_before, measure.load_average()),
        "Date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "Command: `%s`" % measure.command_line(),
        "CLI commit: %s" % commit,
        "Budget: %d s per dataset; AutoML = `cli train --seed 1 --budget-seconds %d` (parallel trials = cores)" % (args.budget, args.budget),
        "Baselines: cached in `%s` (versions: %s); ML.NET LightGbm defaults = `cli baseline`; sklearn "
        "HistGradientBoosting defaults; XGBoost + Optuna TPE at the same %d s wall clock (TF-IDF + linear model on data "
        "with free text)" % (os.path.basename(cache.path(args.budget)),
                             ", ".join("%s %s" % kv for kv in sorted(versions.items())) or "see the cache file", args.budget),
        "Duration: %.0f min for %s" % ((time.time() - started) / 60, "this run"),
    ]


def write_results(out, args, rows, commit, load_before, started, versions, complete):
    title = "AutoML benchmark, %d s budget%s" % (args.budget, "" if complete and not args.only else "")
    notes = args.note or ""
    report.write(out, title, header_lines(args, commit, load_before, started, versions), rows, args.budget, complete,
                 notes=notes)


def build_cli():
    if not os.environ.get("AUTOML_CLI"):
        measure.build("Cli")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="folder with the classic datasets and suite/ (default: ../shared/datasets)")
    parser.add_argument("--budget", type=int, default=None, help="seconds per dataset (default 60; 120 with --large)")
    parser.add_argument("--set", choices=["all", "classic", "suite", "extra"], default="all",
                        help="all = classic and suite; extra = the generated set (extra.py)")
    parser.add_argument("--subset", action="store_true", help="8 small and medium datasets of every shape, for development")
    parser.add_argument("--only", default="", help="comma-separated dataset names")
    parser.add_argument("--refresh-baselines", nargs="?", const=",".join(cache.KINDS), default="", metavar="KINDS",
                        help="recompute the selected datasets' baselines: all, or the comma-separated kinds (%s)" % ",".join(cache.KINDS))
    parser.add_argument("--skip-baselines", action="store_true", help="use cached baselines only; compute none")
    parser.add_argument("--path", choices=["cli", "durable"], default="cli", help="cli (default) or the product's durable path")
    parser.add_argument("--large", action="store_true", help="generated large data (see --large-rows) instead of the datasets")
    parser.add_argument("--large-rows", type=int, default=1000000)
    parser.add_argument("--large-dir", default=None, help="where generated data is cached (default: the temp folder)")
    parser.add_argument("--extra-dir", default=None, help="where the extra set is generated (default: the temp folder)")
    parser.add_argument("--out", default=None, help="results file (default RESULTS-{budget}s.md and similar)")
    parser.add_argument("--note", default="", help="a paragraph appended to the results file (e.g. 'verification run')")
    args = parser.parse_args()

    if args.large:
        import large
        args.budget = args.budget or 120
        build_cli()
        return large.main(args)
    args.budget = args.budget or 60
    data_dir = args.data or datasets.default_data_dir(measure.REPO)
    chosen = datasets.select(datasets.catalog(data_dir, args.extra_dir), args.set, args.only, args.subset)
    datasets.ensure_generated(chosen, args.extra_dir)
    build_cli()
    print("%d datasets from %s at %d s each (%s path)" % (len(chosen), data_dir, args.budget, args.path), file=sys.stderr)
    if args.path == "durable":
        import durable
        return durable.main(args, chosen)
    run_cli_suite(args, chosen)


if __name__ == "__main__":
    sys.exit(main())
