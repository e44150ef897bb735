"""Large-data mode: a generated, deterministic binary dataset of --large-rows rows (1M by default; 3M for the stress
variant) and a 50k-row test file, then one `cli train` at --budget (120 s by default).

The data (20 columns, written once and cached in the temp folder, keyed by rows, seed and generator version):
  num_00..num_14  15 numbers: mixed scales (1e-3 to 1e6), counts, a flag, a skewed income-like column; num_02 is
                  10% missing, num_05 30% missing (its missingness is informative), num_09 5% missing
  cat_10, cat_100, cat_1000   categoricals with 10 / 100 / 1000 levels (the larger two Zipf-like)
  comment         3-6 words from a 28-word vocabulary; "negative" and "positive" words move the label
  label           0/1, about 20% ones, from a logistic model of num_00, log num_02, num_03, num_07 x num_08, the
                  missingness of num_05, the three categoricals and the comment's words
The oracle AUC (the true probabilities ranked on the test rows) says how much a model could learn at best.
Never committed: only the results file is.
"""
import json, math, os, sys, tempfile, time

import measure

GENERATOR_VERSION = 1
TEST_ROWS = 50000
SEED = 7
NEUTRAL = ["the", "order", "item", "was", "and", "very", "delivery", "service", "price", "quality", "box", "app",
           "support", "today", "again", "ok"]
NEGATIVE = ["broken", "late", "refund", "never", "worst", "cancel"]
POSITIVE = ["great", "fast", "love", "perfect", "thanks", "easy"]
HEADER = ["num_%02d" % i for i in range(15)] + ["cat_10", "cat_100", "cat_1000", "comment", "label"]


def generate(rows, seed, train_path, test_path):
    """Writes train (rows) and test (TEST_ROWS) CSVs; returns facts about the data (positives, oracle AUC)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    n = rows + TEST_ROWS
    num = np.empty((15, n))
    num[0] = rng.normal(0, 1, n)
    num[1] = rng.normal(50, 10, n)
    num[2] = rng.lognormal(10, 1, n)
    num[3] = rng.integers(0, 100, n)
    num[4] = rng.uniform(-1000, 1000, n)
    num[5] = rng.exponential(2.0, n)
    num[6] = rng.normal(0, 1e-3, n)
    num[7] = rng.normal(0, 1, n)
    num[8] = rng.normal(0, 1, n)
    num[9] = rng.integers(0, 2, n)
    num[10] = rng.normal(1e6, 1e5, n)
    num[11] = rng.uniform(0, 1, n)
    num[12] = rng.poisson(3, n)
    num[13] = rng.normal(-5, 2, n)
    num[14] = rng.standard_t(3, n)
    missing = {2: rng.random(n) < 0.10, 5: rng.random(n) < 0.30, 9: rng.random(n) < 0.05}

    def zipf(levels, power):
        p = 1.0 / np.arange(1, levels + 1) ** power
        return rng.choice(levels, size=n, p=p / p.sum())
    cats = [rng.integers(0, 10, n), zipf(100, 1.0), zipf(1000, 0.5)]
    effects = [rng.normal(0, 0.7, 10), rng.normal(0, 0.5, 100), rng.normal(0, 0.5, 1000)]

    vocabulary = NEUTRAL + NEGATIVE + POSITIVE
    words_per_row = rng.integers(3, 7, n)
    draw = rng.random((n, 6))
    word = np.where(draw < 0.15, len(NEUTRAL) + rng.integers(0, len(NEGATIVE), (n, 6)),
                    np.where(draw < 0.30, len(NEUTRAL) + len(NEGATIVE) + rng.integers(0, len(POSITIVE), (n, 6)),
                             rng.integers(0, len(NEUTRAL), (n, 6))))
    used = np.arange(6)[None, :] < words_per_row[:, None]
    negatives = ((word >= len(NEUTRAL)) & (word < len(NEUTRAL) + len(NEGATIVE)) & used).sum(axis=1)
    positives = ((word >= len(NEUTRAL) + len(NEGATIVE)) & used).sum(axis=1)

    z = lambda x: (x - x.mean()) / x.std()
    log_income = np.where(missing[2], 0.0, z(np.log(num[2])))
    logit = (0.9 * num[0] + 0.6 * log_income - 0.5 * z(num[3]) + 0.7 * num[7] * num[8] + 0.5 * missing[5]
             + effects[0][cats[0]] + effects[1][cats[1]] + 0.6 * effects[2][cats[2]] + 0.6 * negatives - 0.4 * positives)
    sigmoid = lambda x: 1 / (1 + np.exp(-x))
    low, high = -20.0, 20.0
    for _ in range(60):  # the intercept that makes about 20% of the labels 1
        mid = (low + high) / 2
        low, high = (mid, high) if sigmoid(logit + mid).mean() < 0.2 else (low, mid)
    probability = sigmoid(logit + low)
    label = (rng.random(n) < probability).astype(int)

    text_columns = []
    for i in range(15):
        values = num[i].astype(int).astype(str) if i in (3, 9, 12) else np.round(num[i], 6 if i == 6 else 4).astype(str)
        if i in missing:
            values = np.where(missing[i], "", values)
        text_columns.append(values)
    text_columns += [np.char.add("a", cats[0].astype(str)), np.char.add("b", cats[1].astype(str)),
                     np.char.add("c", cats[2].astype(str))]
    vocab = np.array(vocabulary)
    chunk = 200000
    for path, start, stop in ((train_path, 0, rows), (test_path, rows, n)):
        with open(path + ".tmp", "w") as f:
            f.write(",".join(HEADER) + "\n")
            for a in range(start, stop, chunk):
                b = min(stop, a + chunk)
                comments = [" ".join(vocab[word[k, :words_per_row[k]]]) for k in range(a, b)]
                columns = [c[a:b].tolist() for c in text_columns] + [comments, label[a:b].astype(str).tolist()]
                f.write("\n".join(",".join(r) for r in zip(*columns)) + "\n")
        os.replace(path + ".tmp", path)

    test_y, test_p = label[rows:], probability[rows:]
    order = np.argsort(test_p, kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    n_pos = test_y.sum()
    oracle = (ranks[test_y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(test_y) - n_pos))
    return {"rows": rows, "test_rows": TEST_ROWS, "seed": seed, "positives": float(label[:rows].mean()),
            "oracle_test_auc": float(oracle), "generator_version": GENERATOR_VERSION}


def dataset(rows, seed, folder=None):
    """(train, test, facts), generated once per rows+seed+version and reused."""
    folder = os.path.join(folder or tempfile.gettempdir(), "automl-bench-large",
                          "rows%d-seed%d-v%d" % (rows, seed, GENERATOR_VERSION))
    os.makedirs(folder, exist_ok=True)
    train, test, facts = (os.path.join(folder, f) for f in ("train.csv", "test.csv", "facts.json"))
    if not (os.path.exists(train) and os.path.exists(test) and os.path.exists(facts)):
        started = time.time()
        print("generating %d + %d rows into %s ..." % (rows, TEST_ROWS, folder), file=sys.stderr, flush=True)
        data = generate(rows, seed, train, test)
        data["generation_seconds"] = round(time.time() - started, 1)
        with open(facts, "w") as f:
            json.dump(data, f)
    with open(facts) as f:
        return train, test, json.load(f)


def label_rows(rows):
    return "%gM" % (rows / 1e6) if rows >= 1e6 and rows % 100000 == 0 else "%dk" % (rows // 1000)


def main(args):
    train, test, facts = dataset(args.large_rows, SEED, args.large_dir)
    started, load_before = time.time(), measure.load_average()
    print("training on %s (%.0f MB) for %d s ..." % (train, os.path.getsize(train) / 2 ** 20, args.budget), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="automl-bench-large-") as work:
        r = measure.cli_train("train", train, test, "label", args.budget, work)
    auc = (r.get("test") or {}).get("auc")
    overrun = (r["wall"] - args.budget) / args.budget * 100
    rss_target = 3072 if args.large_rows <= 1000000 else None
    summary = "model %s; test AUC %s (oracle %.4f); wall clock %.1f s = %.0f%% of the budget%s; peak RSS %d MB%s" % (
        "produced" if r["produced"] else "NOT produced", "—" if auc is None else "%.4f" % auc, facts["oracle_test_auc"],
        r["wall"], 100 + overrun, " (OVER budget + 5%)" if overrun > 5 else "", r["rss_mb"],
        " (target ≤ 3072 MB: %s)" % ("met" if r["rss_mb"] <= rss_target else "MISSED") if rss_target else "")
    print(summary, flush=True)
    out = args.out or os.path.join(measure.HERE, "RESULTS-large-%s-%ds.md" % (label_rows(args.large_rows), args.budget))
    with open(out, "w") as f:
        f.write("# AutoML benchmark, large data: %s rows, %d s budget\n\n" % (format(args.large_rows, ","), args.budget))
        f.write("<!-- summary: %s -->\n\n" % summary)
        for line in [
            "Machine: %s; load average before %s, after %s" % (measure.machine(), load_before, measure.load_average()),
            "Date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
            "Command: `%s`" % measure.command_line(),
            "CLI commit: %s" % measure.cli_commit(),
            "Data: generated by bench/automl/large.py (seed %d, generator v%d): %s training rows (%.0f MB), %s test rows, "
            "%.1f%% positives; generated in %.0f s, cached in the temp folder" % (
                facts["seed"], facts["generator_version"], format(facts["rows"], ","), os.path.getsize(train) / 2 ** 20,
                format(facts["test_rows"], ","), 100 * facts["positives"], facts.get("generation_seconds", 0)),
            "Run: `cli train --data train.csv --label label --test test.csv --seed 1 --budget-seconds %d --json`" % args.budget,
        ]:
            f.write("- %s\n" % line)
        f.write("\n| model produced | test AUC | oracle AUC | CV AUC | trials | wall s | budget s | wall / budget | peak RSS MB | winner | error |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
        f.write("| %s | %s | %.4f | %s | %s | %.1f | %d | %.0f%% | %d | %s | %s |\n" % (
            "yes" if r["produced"] else "NO", "—" if auc is None else "%.4f" % auc, facts["oracle_test_auc"],
            "—" if r.get("cvScore") is None else "%.4f" % r["cvScore"], r.get("trials", "—"), r["wall"], args.budget,
            100 + overrun, r["rss_mb"], (r.get("best") or {}).get("learner", "—"), (r.get("error") or "").replace("|", "/")))
        f.write("\nThe CLI's progress log (stderr, last lines):\n\n```\n%s\n```\n" % "\n".join(r.get("log") or []))
        if r.get("notes"):
            f.write("\nThe model card's notes:\n\n%s\n" % "\n".join("- " + n for n in r["notes"]))
        if r.get("finishTimes"):
            t = r["finishTimes"]
            f.write("\nFinish, planned against taken (the card's finishTimes): featurized %s rows in %.1f s (planned %.1f s), "
                    "refit in %.1f s (planned %.1f s).\n" % (format(t["rows"], ","), t["featurizeSeconds"], t["plannedFeaturizeSeconds"],
                                                           t["refitSeconds"], t["plannedRefitSeconds"]))
        if args.note:
            f.write("\n" + args.note + "\n")
    import report
    report.write_index()
    print("wrote %s" % os.path.relpath(out), flush=True)
    return 0 if r["produced"] else 1
