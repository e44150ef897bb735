#!/usr/bin/python3
"""The `extra` set: data the engine was not developed on, generated deterministically into a cache folder.

  bench/automl/extra.py [--dir DIR]     writes every dataset (bench.py does this itself when the set is chosen)

Two kinds, none of them committed as files:
- scikit-learn's bundled datasets (Debian's python3-sklearn reads them from local files): breast cancer (binary),
  digits (10 classes), wine and iris (3 classes), diabetes (regression);
- synthetic sets with the shapes of the hidden evaluation: many classes on mid-size integer data, a skewed positive
  regression target with mixed column kinds and missing values, and two imbalanced binary sets with categoricals.

Every file has a header row and commas; each dataset is split 80/20 (stratified for classification) with fixed
seeds, so the same numpy/scikit-learn versions always write the same bytes (the baseline cache keys on them).
"""
import argparse, csv, os, sys, tempfile

import numpy as np

GENERATOR_VERSION = 1
SPLIT_SEED = 0


def folder(base=None):
    return os.path.join(base or tempfile.gettempdir(), "automl-bench-extra", "v%d" % GENERATOR_VERSION)


def number(v):
    """A cell: empty for missing, an integer without a decimal point, else 6 significant digits."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if float(v).is_integer():
        return str(int(v))
    return "%.6g" % v


# ---------------------------------------------------------------------------------------------------------------
# scikit-learn's bundled datasets

def bundled(loader, names_as_labels):
    def build():
        from sklearn import datasets
        data = getattr(datasets, loader)()
        names = list(data.feature_names) if getattr(data, "feature_names", None) is not None \
            else ["pixel%d" % i for i in range(data.data.shape[1])]
        labels = [str(data.target_names[t]) for t in data.target] if names_as_labels else [number(t) for t in data.target]
        return names, [[number(v) for v in row] for row in data.data], labels
    return build


# ---------------------------------------------------------------------------------------------------------------
# Synthetic sets with the hidden evaluation's shapes

def many_classes():
    """26 classes, 20,000 rows (16,000 training), 16 integer features 0-15: make_classification's Gaussian clusters
    quantile-binned into 16 levels each, like a table of measured glyph features."""
    from sklearn.datasets import make_classification
    x, y = make_classification(n_samples=20000, n_features=16, n_informative=14, n_redundant=2, n_classes=26,
                               n_clusters_per_class=1, class_sep=2.5, flip_y=0.01, random_state=11)
    edges = [np.quantile(x[:, j], np.linspace(0, 1, 17)[1:-1]) for j in range(x.shape[1])]
    binned = np.stack([np.searchsorted(edges[j], x[:, j]) for j in range(x.shape[1])], axis=1)
    names = ["f%02d" % (j + 1) for j in range(x.shape[1])]
    labels = [chr(ord("A") + int(c)) for c in y]
    return names, [[str(int(v)) for v in row] for row in binned], labels


def categorical(rng, n, levels, weights=None):
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return rng.choice(levels, size=n, p=p)


def level_effect(rng, values, scale):
    """A random effect per level: how a categorical moves the target."""
    levels = sorted(set(values))
    effect = dict(zip(levels, rng.normal(0, scale, len(levels))))
    return np.array([effect[v] for v in values])


def with_missing(rng, column, share):
    out = list(column)
    for i in np.nonzero(rng.random(len(out)) < share)[0]:
        out[i] = ""
    return out


def skewed_regression():
    """1,460 rows (1,168 training), 72 columns: 24 continuous (some skewed, some missing), 16 ordinal-like integers,
    24 low-cardinality and 8 mid-cardinality categoricals (some missing); the target is exp of a nonlinear function
    of a few of them plus noise: positive, right-skewed, a price-like scale."""
    rng = np.random.RandomState(21)
    n = 1460
    columns, names = [], []
    size = rng.lognormal(7.3, 0.35, n)                       # an area-like skewed number
    age = rng.randint(0, 120, n).astype(float)
    quality = np.clip(np.round(rng.normal(6, 1.4, n)), 1, 10)
    condition = np.clip(np.round(rng.normal(5, 1.1, n)), 1, 9)
    continuous = [size, age] + [rng.lognormal(rng.uniform(2, 6), rng.uniform(0.2, 0.9), n) for _ in range(10)] \
        + [rng.normal(rng.uniform(-5, 50), rng.uniform(1, 30), n) for _ in range(12)]
    continuous[5] = continuous[5] * (rng.random(n) < 0.6)  # zero-inflated, like an optional extra area
    for j, c in enumerate(continuous):
        share = 0.15 if j in (3, 7, 11) else 0.0
        values = [number(round(v, 2)) for v in c]
        columns.append(with_missing(rng, values, share) if share else values)
        names.append("num%02d" % (j + 1))
    ordinals = [quality, condition] + [np.clip(rng.poisson(rng.uniform(0.5, 4), n), 0, 12).astype(float)
                                       for _ in range(14)]
    for j, c in enumerate(ordinals):
        columns.append([str(int(v)) for v in c])
        names.append("ord%02d" % (j + 1))
    low = [categorical(rng, n, ["L%d" % k for k in range(rng.randint(2, 7))]) for _ in range(24)]
    mid = [categorical(rng, n, ["M%02d" % k for k in range(rng.randint(10, 31))]) for _ in range(8)]
    for j, c in enumerate(low):
        values = list(c)
        columns.append(with_missing(rng, values, 0.05) if j in (4, 9, 15) else values)
        names.append("cat%02d" % (j + 1))
    for j, c in enumerate(mid):
        columns.append(list(c))
        names.append("grp%02d" % (j + 1))

    z = (0.55 * (np.log(size) - 7.3)                         # log-size elasticity
         + 0.09 * (quality - 6) + 0.012 * (quality - 6) ** 2 * np.sign(quality - 6)
         + 0.04 * (condition - 5)
         - 0.0035 * age + 0.00001 * age ** 2
         + 0.08 * np.tanh(continuous[5] / 200)
         + level_effect(rng, mid[0], 0.18) + level_effect(rng, mid[1], 0.07)
         + level_effect(rng, low[0], 0.08) + level_effect(rng, low[1], 0.05)
         + 0.03 * np.minimum(ordinals[2], 4) + 0.02 * (ordinals[3] > 1))
    target = np.exp(12.0 + z + rng.normal(0, 0.09, n))
    rows = [list(r) for r in zip(*columns)]
    return names, rows, [number(round(t, -2)) for t in target]


def calibrated(logit, share):
    """Probabilities sigmoid(logit - offset) whose mean is `share` (the offset found by bisection)."""
    low, high = -50.0, 50.0
    for _ in range(100):
        offset = (low + high) / 2
        if np.mean(1 / (1 + np.exp(-(logit - offset)))) > share:
            low = offset
        else:
            high = offset
    return 1 / (1 + np.exp(-(logit - offset)))


def imbalanced_binary(n, seed, positives, yes_no):
    """n rows of a customer table: numbers (tenure-like counts, skewed amounts, rates, a few missing), binary flags,
    low- and mid-cardinality categoricals; the label (about `positives` ones) from a logistic model with
    interactions and thresholds of several of them."""
    def build():
        rng = np.random.RandomState(seed)
        months = rng.randint(0, 73, n).astype(float)
        amount = rng.lognormal(4, 0.6, n)
        balance = np.where(rng.random(n) < 0.3, 0.0, rng.lognormal(8, 1.2, n))
        rate = rng.beta(2, 5, n)
        age = np.clip(rng.normal(42, 13, n), 18, 90).round()
        score = np.clip(rng.normal(650, 90, n), 300, 850).round()
        calls = rng.poisson(1.5, n).astype(float)
        products = rng.choice([1, 2, 3, 4], n, p=[0.5, 0.42, 0.06, 0.02]).astype(float)
        plan = categorical(rng, n, ["monthly", "yearly", "two-year"], [0.55, 0.25, 0.2])
        channel = categorical(rng, n, ["web", "store", "phone", "partner"], [0.4, 0.3, 0.2, 0.1])
        region = categorical(rng, n, ["R%02d" % k for k in range(18)])
        payment = categorical(rng, n, ["card", "transfer", "check", "wallet"], [0.4, 0.3, 0.15, 0.15])
        gender = categorical(rng, n, ["f", "m"])
        flags = [rng.random(n) < p for p in (0.3, 0.5, 0.15, 0.7)]
        logit = (-0.035 * months + 0.9 * (plan == "monthly") - 0.6 * (plan == "two-year")
                 + 0.012 * (amount - 55) + 0.9 * (calls >= 3) + 0.5 * (payment == "check")
                 + 0.045 * np.where(age > 45, age - 45, 0) - 0.004 * (score - 650)
                 + 1.4 * (products >= 3) - 0.5 * (products == 2) + 0.6 * flags[0] * (plan == "monthly")
                 + 0.7 * (balance > 20000) * (age > 40) - 0.4 * flags[1]
                 + level_effect(rng, region, 0.35) + 1.2 * (rate - 0.3))
        probability = calibrated(logit * 1.3, positives)
        label = (rng.random(n) < probability).astype(int)
        months_cells = [number(v) for v in months]
        amount_cells = with_missing(rng, [number(round(v, 2)) for v in amount], 0.02)
        numeric = {"months": months_cells, "monthly_amount": amount_cells,
                   "balance": [number(round(v, 2)) for v in balance], "rate": [number(round(v, 4)) for v in rate],
                   "age": [number(v) for v in age], "score": with_missing(rng, [number(v) for v in score], 0.04),
                   "support_calls": [number(v) for v in calls], "products": [number(v) for v in products],
                   "total_spent": [number(round(v, 2)) for v in months * amount]}
        text = {"plan": plan, "channel": channel, "region": region, "payment": payment, "gender": gender}
        flag_cells = {"flag%d" % (k + 1): ["yes" if f else "no" for f in flag] for k, flag in enumerate(flags)}
        table = {**numeric, **{k: list(v) for k, v in text.items()}, **flag_cells}
        names = list(table)
        rows = [list(r) for r in zip(*table.values())]
        labels = [("yes" if v else "no") if yes_no else str(v) for v in label]
        return names, rows, labels
    return build


# name, label column, task, builder
DATASETS = [
    ("sk-breast-cancer", "target", "binary", bundled("load_breast_cancer", False)),
    ("sk-digits", "digit", "multiclass", bundled("load_digits", False)),
    ("sk-wine", "cultivar", "multiclass", bundled("load_wine", True)),
    ("sk-iris", "species", "multiclass", bundled("load_iris", True)),
    ("sk-diabetes", "progression", "regression", bundled("load_diabetes", False)),
    ("synthetic-26class", "letter", "multiclass", many_classes),
    ("synthetic-skewed-price", "price", "regression", skewed_regression),
    ("synthetic-imbalanced-7k", "churned", "binary", imbalanced_binary(7000, 31, 0.2, True)),
    ("synthetic-imbalanced-1k5", "default", "binary", imbalanced_binary(1500, 41, 0.22, False)),
]


def paths(name, base=None):
    return os.path.join(folder(base), name + "-train.csv"), os.path.join(folder(base), name + "-test.csv")


def write(path, header, rows):
    with open(path + ".tmp", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)
    os.replace(path + ".tmp", path)


def generate(name, label, task, build, base=None):
    from sklearn.model_selection import train_test_split
    names, rows, labels = build()
    records = [row + [y] for row, y in zip(rows, labels)]
    train, test = train_test_split(records, test_size=0.2, random_state=SPLIT_SEED,
                                   stratify=labels if task != "regression" else None)
    train_path, test_path = paths(name, base)
    write(train_path, names + [label], train)
    write(test_path, names + [label], test)


def ensure(base=None):
    """Writes the datasets that are not in the cache folder yet; returns the folder."""
    os.makedirs(folder(base), exist_ok=True)
    for name, label, task, build in DATASETS:
        if not all(os.path.exists(p) for p in paths(name, base)):
            print("generating %s into %s ..." % (name, folder(base)), file=sys.stderr, flush=True)
            generate(name, label, task, build, base)
    return folder(base)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=None, help="base folder (default: the temp folder)")
    print(ensure(parser.parse_args().dir))
