"""Baseline results cached per budget in bench/automl/baselines-{budget}s.json (committed).

Baselines depend only on the data, the budget and the machine, not on the engine under test, so a re-run after an
engine change reuses them and spends its time on AutoML. An entry is recomputed when --refresh-baselines is given
or when the dataset's files changed (their SHA-256 is stored with the entry). Every entry records the date, the
package versions and the machine it was measured on. The ML.NET LightGbm baseline is the CLI's `baseline` verb, so
its entry also records the CLI commit: refresh it when the engine's featurization changes.
"""
import hashlib, json, os, time

from measure import HERE

KINDS = ("mlnet", "hgb", "xgb")


def path(budget):
    return os.path.join(HERE, "baselines-%ds.json" % budget)


def data_hash(ds):
    digest = hashlib.sha256()
    for f in (ds.train, ds.test):
        if f:
            with open(f, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def kinds(text):
    """The baseline kinds named in a comma-separated list (empty: none)."""
    chosen = [k for k in text.split(",") if k]
    unknown = set(chosen) - set(KINDS)
    if unknown:
        raise SystemExit("unknown baseline kind(s) %s: choose from %s" % (", ".join(sorted(unknown)), ",".join(KINDS)))
    return set(chosen)


class Cache:
    def __init__(self, budget, refresh=()):
        self.file = path(budget)
        self.budget = budget
        self.refresh = set(refresh)  # the kinds to recompute
        self.data = {"budget_seconds": budget, "datasets": {}}
        if os.path.exists(self.file):
            with open(self.file) as f:
                self.data = json.load(f)
        self.refreshed = set()

    def get(self, ds, kind, digest):
        """The cached result, or None when it must be computed (refresh, missing, or the data changed)."""
        if kind in self.refresh and (ds.name, kind) not in self.refreshed:
            return None
        entry = self.data["datasets"].get(ds.name, {})
        if entry.get("data") != digest:
            return None
        return entry.get(kind)

    def put(self, ds, kind, digest, result, provenance):
        entry = self.data["datasets"].setdefault(ds.name, {})
        if entry.get("data") != digest:
            entry.clear()
            entry["data"] = digest
        entry[kind] = dict(result, measured=dict(provenance, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
        self.refreshed.add((ds.name, kind))
        self.save()

    def save(self):
        self.data["datasets"] = dict(sorted(self.data["datasets"].items()))
        tmp = self.file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, self.file)
