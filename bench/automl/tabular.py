"""Data preparation for the Python baselines: a train/test file pair into typed columns and numeric matrices.

Column kinds, decided on the training rows only:
  numeric      every non-missing value parses as a number
  date         every non-missing value is an ISO date (YYYY-MM-DD, optionally with a time): expanded into days since
               1970, year, month, day of month, day of week, day of year
  text         free text: at least 3 words per value on average and more than half the values distinct
  id           left out: every value distinct and either non-numeric (and not text) or an integer column named
               id, ..._id or ...Id
  categorical  everything else
Missing values: empty, ?, NA, N/A, NaN, null. Rows whose label is missing are left out (train and test).
"""
import math, re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from datasets import MISSING, column_names, read_rows

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
ID_NAME = re.compile(r"(?i:(^|[_ .-])id)$|[a-z](Id|ID)$")  # id, customer_id, CustomerId, ID
HGB_MAX_CATEGORIES = 255   # scikit-learn 1.2's cap (max_bins) on the cardinality of a native categorical feature
ONE_HOT_MAX_LEVELS = 20    # XGBoost: one-hot up to this many levels, ordinal codes above


@dataclass
class Column:
    name: str
    index: int
    kind: str                                    # numeric | date | text | id | categorical
    levels: list = field(default_factory=list)   # categorical: by descending training frequency, then by value


@dataclass
class Frame:
    names: list
    columns: list            # Column for every feature column (label excluded)
    train: list              # rows (lists of strings), label present
    test: list
    y_train: list            # label strings (stripped)
    y_test: list
    task: str

    def of_kind(self, *kinds):
        return [c for c in self.columns if c.kind in kinds]

    def describe(self):
        """e.g. '12 numeric, 3 categorical (1 > 255 levels), 1 text dropped'."""
        parts = []
        for kind in ("numeric", "date", "categorical", "text", "id"):
            n = len(self.of_kind(kind))
            if n:
                parts.append("%d %s" % (n, kind))
        return ", ".join(parts)


def is_missing(v):
    return v.strip() in MISSING


def to_float(v):
    v = v.strip()
    if v in MISSING:
        return math.nan
    try:
        return float(v)
    except ValueError:
        return math.nan


def parse_date(v):
    v = v.strip()
    return datetime.fromisoformat(v.replace(" ", "T")) if len(v) > 10 else datetime.combine(date.fromisoformat(v), datetime.min.time())


def kind_of(name, values):
    """The column kind from its non-missing training values."""
    if not values:
        return "numeric"  # all missing: a constant NaN column, harmless
    try:
        numbers = [float(v) for v in values]
        if ID_NAME.search(name.strip()) and all(x == int(x) for x in numbers) and len(set(numbers)) == len(numbers):
            return "id"
        return "numeric"
    except ValueError:
        pass
    if all(DATE.match(v) for v in values):
        try:
            for v in values:
                parse_date(v)
            return "date"
        except ValueError:
            pass
    distinct = len(set(values))
    if sum(len(v.split()) for v in values) / len(values) >= 3 and distinct > len(values) / 2:
        return "text"
    if distinct == len(values) and len(values) > 20:
        return "id"
    return "categorical"


def load(train_path, test_path, label, sep, headerless, task):
    train_rows, test_rows = read_rows(train_path, sep), read_rows(test_path, sep)
    names = column_names(train_rows, headerless)
    if not headerless:
        train_rows, test_rows = train_rows[1:], test_rows[1:]
    if label not in names:
        raise ValueError("label column '%s' not in %s" % (label, train_path))
    y = names.index(label)
    width = len(names)
    pad = lambda rows: [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    train_rows = [r for r in pad(train_rows) if not is_missing(r[y])]
    test_rows = [r for r in pad(test_rows) if not is_missing(r[y])]
    columns = []
    for i, name in enumerate(names):
        if i == y:
            continue
        values = [r[i].strip() for r in train_rows if not is_missing(r[i])]
        kind = kind_of(name, values)
        column = Column(name, i, kind)
        if kind == "categorical":
            counts = {}
            for v in values:
                counts[v] = counts.get(v, 0) + 1
            column.levels = sorted(counts, key=lambda v: (-counts[v], v))
        columns.append(column)
    return Frame(names, columns, train_rows, test_rows, [r[y].strip() for r in train_rows],
                 [r[y].strip() for r in test_rows], task)


def _numbers(rows, indices):
    """The numeric columns at indices as a float matrix (missing and unparsable cells are NaN), converted in bulk."""
    cells = np.array([[r[i].strip() for i in indices] for r in rows], dtype=str).reshape(len(rows), len(indices))
    cells[np.isin(cells, list(MISSING))] = "nan"
    try:
        return cells.astype(float)
    except ValueError:  # a test cell that is not a number: cell by cell
        return np.vectorize(to_float, otypes=[float])(cells) if cells.size else cells.astype(float)


def _date_features(rows, index):
    out = np.full((len(rows), 6), np.nan)
    for k, r in enumerate(rows):
        if not is_missing(r[index]):
            try:
                d = parse_date(r[index])
            except ValueError:
                continue
            out[k] = [(d - datetime(1970, 1, 1)).total_seconds() / 86400, d.year, d.month, d.day, d.weekday(),
                      d.timetuple().tm_yday]
    return out


def _codes(rows, column):
    """Level index (by training frequency); unseen and missing values are NaN."""
    lookup = {v: i for i, v in enumerate(column.levels)}
    return np.array([lookup.get(r[column.index].strip(), np.nan) for r in rows], dtype=float)


def matrices(frame, one_hot_max=None, native_categorical_max=None):
    """(X_train, X_test, feature names, categorical mask) from the non-text, non-id columns.

    one_hot_max: categoricals with at most this many levels become one 0/1 column per level (XGBoost).
    native_categorical_max: categoricals with at most this many levels stay integer codes marked categorical
    (HistGradientBoosting's native support). Any other categorical becomes its frequency-rank ordinal code, a plain
    numeric feature.
    """
    blocks_train, blocks_test, names, mask = [], [], [], []
    numeric = [c for c in frame.columns if c.kind == "numeric"]
    if numeric:
        blocks_train.append(_numbers(frame.train, [c.index for c in numeric]))
        blocks_test.append(_numbers(frame.test, [c.index for c in numeric]))
        names += [c.name for c in numeric]
        mask += [False] * len(numeric)
    for c in frame.columns:
        if c.kind == "date":
            blocks_train.append(_date_features(frame.train, c.index))
            blocks_test.append(_date_features(frame.test, c.index))
            names += [c.name + suffix for suffix in (":days", ":year", ":month", ":day", ":weekday", ":yearday")]
            mask += [False] * 6
        elif c.kind == "categorical":
            tr, te = _codes(frame.train, c), _codes(frame.test, c)
            if one_hot_max is not None and len(c.levels) <= one_hot_max:
                levels = np.arange(len(c.levels))
                blocks_train.append((tr[:, None] == levels[None, :]).astype(float))
                blocks_test.append((te[:, None] == levels[None, :]).astype(float))
                names += ["%s=%s" % (c.name, v) for v in c.levels]
                mask += [False] * len(c.levels)
            else:
                blocks_train.append(tr[:, None])
                blocks_test.append(te[:, None])
                names.append(c.name)
                mask.append(native_categorical_max is not None and len(c.levels) <= native_categorical_max)
    if not blocks_train:
        return None, None, [], []
    return np.hstack(blocks_train), np.hstack(blocks_test), names, mask


def texts(frame, rows):
    """The text columns of each row joined into one document per column: {column name: [documents]}."""
    return {c.name: [r[c.index] for r in rows] for c in frame.of_kind("text")}


def encode_labels(frame):
    """Classification: (y_train codes, y_test codes or -1 for classes unseen in training, class names)."""
    classes = sorted(set(frame.y_train))
    lookup = {v: i for i, v in enumerate(classes)}
    return (np.array([lookup[v] for v in frame.y_train]), np.array([lookup.get(v, -1) for v in frame.y_test]), classes)
