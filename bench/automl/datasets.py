"""The benchmark's datasets: the ten classic ones in DATA_DIR, the development suite in DATA_DIR/suite and the
generated `extra` set (extra.py: data the engine was not developed on, written into a cache folder when chosen).

Each dataset has a train file and a test file. The classic ones without a test file are split deterministically
(every 5th record held out; the header, if any, goes to both files) into a work folder.
"""
import csv, json, os

import extra
from dataclasses import dataclass
from typing import Optional

# name, train file, test file (None = split), label, task, separator
CLASSIC = [
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

# --subset: small and medium datasets covering every shape (binary with categoricals, tiny headerless with a BOM,
# text, imbalanced, multiclass numeric and categorical with missing values, regression with high-cardinality
# categoricals). About 10 minutes at --budget 15 including baselines, 4 minutes once they are cached.
SUBSET = ["telco-churn", "heart", "wikipedia-detox", "lending-club", "vehicle", "soybean", "housing", "sacramento"]

METRIC = {"binary": "auc", "multiclass": "microAccuracy", "regression": "rmse"}
MISSING = {"", "?", "NA", "N/A", "NaN", "nan", "null", "NULL"}


@dataclass
class Dataset:
    name: str
    set: str                 # classic | suite | extra
    train: str               # path
    test: Optional[str]      # path, None = split the train file
    label: str
    task: str                # binary | multiclass | regression
    sep: str = ","
    headerless: bool = False

    @property
    def metric(self):
        return METRIC[self.task]


def default_data_dir(repo):
    """../shared/datasets next to the repository, or in any folder above it (a git worktree lives deeper)."""
    here = os.path.abspath(repo)
    while True:
        candidate = os.path.join(os.path.dirname(here), "shared", "datasets")
        if os.path.isdir(candidate) or os.path.dirname(here) == here:
            return candidate if os.path.isdir(candidate) else os.path.join(os.path.dirname(repo), "shared", "datasets")
        here = os.path.dirname(here)


def catalog(data_dir, extra_dir=None):
    """All datasets found under data_dir (classic) and data_dir/suite, plus the extra set (generated on demand, see
    ensure_generated); raises SystemExit with a clear message if neither the classic nor the suite files are there."""
    found = []
    for name, train, test, label, task, sep in CLASSIC:
        path = os.path.join(data_dir, train)
        if os.path.exists(path):
            found.append(Dataset(name, "classic", path, os.path.join(data_dir, test) if test else None, label, task, sep,
                                 name in HEADERLESS))
    suite_dir = os.path.join(data_dir, "suite")
    suite_json = os.path.join(suite_dir, "suite.json")
    if os.path.exists(suite_json):
        with open(suite_json) as f:
            for entry in json.load(f):
                name = entry["name"]
                found.append(Dataset(name, "suite", os.path.join(suite_dir, name + "-train.csv"),
                                     os.path.join(suite_dir, name + "-test.csv"), entry["label"], entry["task"]))
    if found:
        for name, label, task, _ in extra.DATASETS:
            train, test = extra.paths(name, extra_dir)
            found.append(Dataset(name, "extra", train, test, label, task))
    if not found:
        raise SystemExit(
            "error: no datasets in %s: neither the classic files (adult.csv, ...) nor suite/suite.json are there.\n"
            "Point --data at the folder that holds them (the project's shared/datasets)." % data_dir)
    return found


def select(datasets, which="all", only="", subset=False):
    """--set classic|suite|extra|all (all = classic and suite), --subset (the SUBSET list), --only a,b,c (in that
    order; unknown names are an error)."""
    if only:
        names = [n.strip() for n in only.split(",") if n.strip()]
        by_name = {d.name: d for d in datasets}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise SystemExit("error: unknown dataset(s) %s; known: %s" % (", ".join(unknown), ", ".join(sorted(by_name))))
        return [by_name[n] for n in names]
    chosen = [d for d in datasets if d.set == which or (which == "all" and d.set != "extra")]
    if subset:
        chosen = [d for d in chosen if d.name in SUBSET]
    if not chosen:
        raise SystemExit("error: no dataset matches --set %s%s in the data folder" % (which, " --subset" if subset else ""))
    return chosen


def ensure_generated(chosen, extra_dir=None):
    """Writes the extra set's files (once; they are cached) when any of its datasets is chosen."""
    if any(d.set == "extra" for d in chosen):
        extra.ensure(extra_dir)


def read_rows(path, sep):
    """Records of a delimited file (BOM stripped, blank lines skipped)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [row for row in csv.reader(f, delimiter=sep) if any(cell.strip() for cell in row)]


def write_rows(path, rows, sep):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=sep, lineterminator="\n").writerows(rows)


def materialize(ds, work):
    """(train path, test path): the dataset's own files, or a deterministic 80/20 split written into work."""
    if ds.test:
        return ds.train, ds.test
    rows = read_rows(ds.train, ds.sep)
    header = [] if ds.headerless else rows[:1]
    body = rows[len(header):]
    ext = os.path.splitext(ds.train)[1]
    paths = (os.path.join(work, ds.name + "-train" + ext), os.path.join(work, ds.name + "-test" + ext))
    write_rows(paths[0], header + [r for i, r in enumerate(body) if i % 5 != 0], ds.sep)
    write_rows(paths[1], header + [r for i, r in enumerate(body) if i % 5 == 0], ds.sep)
    return paths


def column_names(rows, headerless):
    """The header, or Column1..N as the engine names the columns of a file without one."""
    return ["Column%d" % (i + 1) for i in range(len(rows[0]))] if headerless else rows[0]
