#!/usr/bin/python3
"""The Python baselines, each run in its own process by bench.py (so a crash or a runaway is contained and its wall
clock includes its own data preparation):

  baselines.py hgb --train F --test F --label L --task T [--sep S] [--headerless]
      scikit-learn HistGradientBoosting with default settings.
  baselines.py xgb ... --budget SECONDS
      XGBoost tuned by an Optuna TPE study (seed 1) at the same wall-clock budget as AutoML, study + refit included.
      Datasets with a free-text column get TF-IDF + a linear model tuned the same way instead (see xgb_optuna).

Prints one JSON line: score (held-out AUC / accuracy / RMSE on the test file), cv, model, trials, params, features,
seconds, error.
"""
import argparse, json, math, os, statistics, sys, time, warnings

STARTED = time.time()  # the budget counts from here: imports and data preparation are part of it

# OpenMP threads (XGBoost, HistGradientBoosting) that spin while waiting slow down 10-30x as soon as another
# process wants the same cores; passive waiting costs nothing on an idle machine. Set before numpy/sklearn load.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np

import tabular

SEED = 1
HOLDOUT_ABOVE_ROWS = 20000  # larger training sets get one stratified 80/20 holdout instead of 5-fold CV
FOLDS = 5


def metric_of(task):
    return {"binary": "auc", "multiclass": "microAccuracy", "regression": "rmse"}[task]


def held_out_score(task, y_true, predictions):
    """predictions: P(class 1) (binary), class codes (multiclass), values (regression)."""
    from sklearn.metrics import accuracy_score, mean_squared_error, roc_auc_score
    if task == "binary":
        y = np.asarray(y_true) == 1
        return float(roc_auc_score(y, predictions)) if 0 < y.sum() < len(y) else None
    if task == "multiclass":
        return float(accuracy_score(y_true, predictions))
    return float(math.sqrt(mean_squared_error(y_true, predictions)))


def targets(frame):
    """(y_train, y_test, classes): class codes for classification, floats for regression."""
    if frame.task == "regression":
        return np.array([float(v) for v in frame.y_train]), np.array([float(v) for v in frame.y_test]), None
    return tabular.encode_labels(frame)


# ---------------------------------------------------------------------------------------------------------------
# scikit-learn HistGradientBoosting, defaults

def hgb(frame):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    x_train, x_test, names, mask = tabular.matrices(frame, native_categorical_max=tabular.HGB_MAX_CATEGORIES)
    if x_train is None:
        return {"error": "no numeric, date or categorical column (text-only data)"}
    y_train, y_test, classes = targets(frame)
    over = [c.name for c in frame.of_kind("categorical") if len(c.levels) > tabular.HGB_MAX_CATEGORIES]
    note = ("categoricals over %d levels as ordinal codes: %s" % (tabular.HGB_MAX_CATEGORIES, ", ".join(over))) if over else ""
    if frame.task == "regression":
        model = HistGradientBoostingRegressor(categorical_features=mask if any(mask) else None, random_state=SEED)
        model.fit(x_train, y_train)
        predictions = model.predict(x_test)
    else:
        model = HistGradientBoostingClassifier(categorical_features=mask if any(mask) else None, random_state=SEED)
        model.fit(x_train, y_train)
        predictions = model.predict_proba(x_test)[:, 1] if frame.task == "binary" else model.predict(x_test)
    return {"score": held_out_score(frame.task, y_test, predictions), "model": "hgb", "note": note}


# ---------------------------------------------------------------------------------------------------------------
# Equal-budget tuned baseline

def splits(y, task):
    """[(train indices, validation indices)]: stratified 5-fold CV, or one 80/20 holdout for large data."""
    from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
    index = np.arange(len(y))
    stratify = task != "regression" and np.bincount(y).min() >= 2
    if len(y) > HOLDOUT_ABOVE_ROWS:
        tr, va = train_test_split(index, test_size=0.2, random_state=SEED, stratify=y if stratify else None)
        return [(tr, va)]
    if stratify:
        folds = StratifiedKFold(n_splits=min(FOLDS, max(2, np.bincount(y).min())), shuffle=True, random_state=SEED)
    else:
        folds = KFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(folds.split(index, y))


class Clock:
    """The study's time plan. Trials must end by a line that leaves room for the refit of the best configuration:
    the deadline minus the estimated refit minus a margin (before any estimate exists, the first trial may use half
    of what is left). A trial starts while at least 30% of a typical trial still fits before that line; work inside a
    trial stops at the line, and a trial cut there is pruned (its partial score is not compared)."""

    def __init__(self, budget):
        self.deadline = STARTED + budget
        self.margin = max(1.0, 0.05 * budget)
        self.trial_seconds = []
        self.refit_seconds = None  # estimate, from the best trial so far

    def trial_line(self):
        if self.refit_seconds is None:
            return time.time() + 0.5 * (self.deadline - time.time())
        return self.deadline - self.refit_seconds - self.margin

    def another_trial(self):
        left = self.trial_line() - time.time()
        typical = statistics.median(self.trial_seconds[-5:]) if self.trial_seconds else 0.0
        return left > max(0.5, 0.3 * typical)


XGB_DEFAULTS = {"max_depth": 6, "learning_rate": 0.3, "n_estimators": 100, "subsample": 1.0, "colsample_bytree": 1.0,
                "min_child_weight": 1.0, "reg_alpha": 1e-8, "reg_lambda": 1.0}  # XGBoost's own defaults, tried first


def xgb_space(trial):
    return {
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "learning_rate": trial.suggest_float("learning_rate", 0.005, 0.3, log=True),
        "n_estimators": trial.suggest_int("n_estimators", 50, 2000, log=True),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.3, 1.0),
        "min_child_weight": trial.suggest_float("min_child_weight", 0.1, 50, log=True),
        "reg_alpha": trial.suggest_float("reg_alpha", 1e-8, 10, log=True),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-8, 10, log=True),
    }


def xgb_params(space, task, n_classes):
    params = {"tree_method": "hist", "nthread": os.cpu_count(), "seed": SEED, "verbosity": 0,
              "max_depth": space["max_depth"], "eta": space["learning_rate"], "subsample": space["subsample"],
              "colsample_bytree": space["colsample_bytree"], "min_child_weight": space["min_child_weight"],
              "alpha": space["reg_alpha"], "lambda": space["reg_lambda"]}
    if task == "binary":
        params.update(objective="binary:logistic", eval_metric="logloss")
    elif task == "multiclass":
        params.update(objective="multi:softprob", eval_metric="mlogloss", num_class=n_classes)
    else:
        params.update(objective="reg:squarederror", eval_metric="rmse")
    return params


def xgb_predict(booster, dmatrix, task, rounds):
    p = booster.predict(dmatrix, iteration_range=(0, rounds))
    return p.argmax(axis=1) if task == "multiclass" else p


def deadline_callback(stop_at):
    import xgboost as xgb

    class Deadline(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            return time.time() >= stop_at
    return Deadline()


def xgb_study(frame, budget):
    import optuna, xgboost as xgb
    x_train, x_test, names, _ = tabular.matrices(frame, one_hot_max=tabular.ONE_HOT_MAX_LEVELS)
    if x_train is None:
        return {"error": "no usable column"}
    y_train, y_test, classes = targets(frame)
    n_classes = len(classes) if classes else 0
    task, metric = frame.task, metric_of(frame.task)
    folds = splits(y_train, task)
    dfolds = [(xgb.DMatrix(x_train[tr], label=y_train[tr], missing=np.nan),
               xgb.DMatrix(x_train[va], label=y_train[va], missing=np.nan), y_train[va]) for tr, va in folds]
    clock = Clock(budget)
    study = optuna.create_study(direction="minimize" if metric == "rmse" else "maximize",
                                sampler=optuna.samplers.TPESampler(seed=SEED))
    study.enqueue_trial(XGB_DEFAULTS)
    failures, pruned, rounds_of, refit_of, partial = 0, 0, {}, {}, []
    fold_share = len(y_train) / statistics.mean(len(tr) for tr, _ in folds)  # refit rows / fold training rows
    while clock.another_trial() and failures < 10:
        trial = study.ask()
        space = xgb_space(trial)
        params = xgb_params(space, task, n_classes)
        started, line = time.time(), clock.trial_line()
        scores, rounds, boosted = [], [], 0
        try:
            for dtr, dva, yva in dfolds:
                booster = xgb.train(params, dtr, num_boost_round=space["n_estimators"], evals=[(dva, "valid")],
                                    early_stopping_rounds=50, verbose_eval=False, callbacks=[deadline_callback(line)])
                best = booster.best_iteration + 1
                rounds.append(best)
                boosted += booster.num_boosted_rounds()
                score = held_out_score(task, yva, xgb_predict(booster, dva, task, best))
                if score is not None:
                    scores.append(score)
                if time.time() >= line:
                    break
            if not scores:
                raise ValueError("no fold could be scored")
        except Exception:  # noqa: BLE001 - a failed configuration is a failed trial, not a failed baseline
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            failures += 1
            continue
        seconds = time.time() - started
        clock.trial_seconds.append(seconds)
        if time.time() >= line:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            pruned += 1
            partial.append((statistics.mean(scores), space, max(1, round(statistics.mean(rounds)))))
            continue
        study.tell(trial, statistics.mean(scores))
        rounds_of[trial.number] = max(1, round(statistics.mean(rounds)))
        # Refit: the mean early-stopped round count on all rows, at this trial's cost per round and row, x1.5.
        refit_of[trial.number] = 1.5 * seconds / max(1, boosted) * rounds_of[trial.number] * fold_share
        clock.refit_seconds = refit_of[study.best_trial.number]
    note = ""
    if rounds_of:
        best = study.best_trial
        space, rounds, cv = best.params, rounds_of[best.number], best.value
    elif partial:
        # Not one trial finished all its folds in the budget: refit the best partly evaluated one.
        cv, space, rounds = sorted(partial, key=lambda p: p[0], reverse=metric != "rmse")[0]
        note = "no trial finished all folds within the budget: the best partly evaluated one was refit; "
    else:
        return {"error": "every trial failed"}
    full = xgb.DMatrix(x_train, label=y_train, missing=np.nan)
    booster = xgb.train(xgb_params(space, task, n_classes), full, num_boost_round=rounds, verbose_eval=False,
                        callbacks=[deadline_callback(clock.deadline)])
    truncated = booster.num_boosted_rounds() < rounds
    predictions = xgb_predict(booster, xgb.DMatrix(x_test, missing=np.nan), task, booster.num_boosted_rounds())
    return {"score": held_out_score(task, y_test, predictions), "cv": cv, "model": "xgboost",
            "trials": len(rounds_of), "failed": failures, "pruned": pruned, "params": dict(space, rounds=rounds),
            "validation": "holdout" if len(folds) == 1 else "%d-fold" % len(folds),
            "note": (note + ("refit cut at the deadline" if truncated else "")).strip("; ")}


def linear_study(frame, budget):
    """Text data: TF-IDF of each text column + one-hot categoricals + standardized numbers into a linear model."""
    import optuna
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, Ridge
    x_tab, x_tab_test, _, _ = tabular.matrices(frame, one_hot_max=1000)
    if x_tab is not None:
        median = np.nan_to_num(np.nanmedian(x_tab, axis=0))
        fill = lambda x: np.where(np.isnan(x), median, x)
        x_tab, x_tab_test = fill(x_tab), fill(x_tab_test)
        scale = x_tab.std(axis=0)
        scale[scale == 0] = 1
        center = x_tab.mean(axis=0)
        x_tab, x_tab_test = (x_tab - center) / scale, (x_tab_test - center) / scale
    docs_train, docs_test = tabular.texts(frame, frame.train), tabular.texts(frame, frame.test)
    y_train, y_test, classes = targets(frame)
    task, metric = frame.task, metric_of(frame.task)

    def features(space, train_index, other):
        """(X for train_index rows, X for `other` = (docs, tabular rows)) with vectorizers fitted on train_index."""
        blocks_a, blocks_b = [], []
        for name, docs in docs_train.items():
            vectorizer = TfidfVectorizer(ngram_range=(1, space["ngram"]), min_df=space["min_df"], sublinear_tf=True,
                                         max_features=200000)
            blocks_a.append(vectorizer.fit_transform([docs[i] for i in train_index]))
            blocks_b.append(vectorizer.transform(other[0][name]))
        if x_tab is not None:
            blocks_a.append(sparse.csr_matrix(x_tab[train_index]))
            blocks_b.append(sparse.csr_matrix(other[1]))
        return sparse.hstack(blocks_a).tocsr(), sparse.hstack(blocks_b).tocsr()

    def model(space):
        if task == "regression":
            return Ridge(alpha=space["strength"])
        # liblinear: one-vs-rest for multiclass, fast on sparse TF-IDF (lbfgs's multinomial fit took seconds per fold).
        return LogisticRegression(C=space["strength"], max_iter=2000, solver="liblinear")

    def predict(m, x):
        if task == "binary":
            return m.predict_proba(x)[:, 1]
        return m.predict(x)

    folds = splits(y_train, task)
    clock = Clock(budget)
    study = optuna.create_study(direction="minimize" if metric == "rmse" else "maximize",
                                sampler=optuna.samplers.TPESampler(seed=SEED))
    study.enqueue_trial({"ngram": 1, "min_df": 1, "strength": 1.0})
    failures, pruned, fit_seconds, partial = 0, 0, {}, []
    while clock.another_trial() and failures < 10:
        trial = study.ask()
        # Word n-grams only: character n-grams of long texts (issue bodies) took 25 s a fold and ate the budget.
        space = {"ngram": trial.suggest_int("ngram", 1, 2), "min_df": trial.suggest_int("min_df", 1, 3),
                 "strength": trial.suggest_float("strength", 1e-3, 1e3, log=True)}
        started, line, scores = time.time(), clock.trial_line(), []
        try:
            for tr, va in folds:
                fold_started = time.time()
                other = ({n: [d[i] for i in va] for n, d in docs_train.items()}, x_tab[va] if x_tab is not None else None)
                xa, xb = features(space, tr, other)
                score = held_out_score(task, y_train[va], predict(model(space).fit(xa, y_train[tr]), xb))
                if score is not None:
                    scores.append(score)
                # A linear fit cannot be stopped halfway: no fold starts that would not end by the line.
                if time.time() + (time.time() - fold_started) >= line:
                    break
            if not scores:
                raise ValueError("no fold could be scored")
        except Exception:  # noqa: BLE001
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            failures += 1
            continue
        seconds = time.time() - started
        clock.trial_seconds.append(seconds)
        if len(scores) < len(folds):
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            pruned += 1
            partial.append((statistics.mean(scores), space))
            continue
        study.tell(trial, statistics.mean(scores))
        fit_seconds[trial.number] = seconds / len(scores)
        clock.refit_seconds = 1.5 * 1.25 * fit_seconds[study.best_trial.number]
    note = "text data: TF-IDF + linear"
    if fit_seconds:
        space, cv = study.best_trial.params, study.best_trial.value
    elif partial:
        cv, space = sorted(partial, key=lambda p: p[0], reverse=metric != "rmse")[0]
        note += "; no trial finished all folds within the budget: the best partly evaluated one was refit"
    else:
        return {"error": "every trial failed"}
    xa, xb = features(space, np.arange(len(y_train)), (docs_test, x_tab_test))
    predictions = predict(model(space).fit(xa, y_train), xb)
    return {"score": held_out_score(task, y_test, predictions), "cv": cv, "model": "tfidf-linear",
            "trials": len(fit_seconds), "failed": failures, "pruned": pruned, "params": space,
            "validation": "holdout" if len(folds) == 1 else "%d-fold" % len(folds), "note": note}


def xgb_optuna(frame, budget):
    """XGBoost + Optuna; on data with a free-text column, TF-IDF + a linear model + Optuna (trees on the other
    columns alone would ignore the signal, and a linear model is the usual strong text baseline)."""
    return linear_study(frame, budget) if frame.of_kind("text") else xgb_study(frame, budget)


# ---------------------------------------------------------------------------------------------------------------

def versions():
    out = {"python": sys.version.split()[0], "numpy": np.__version__}
    for name in ("sklearn", "xgboost", "optuna"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["hgb", "xgb", "versions"])
    parser.add_argument("--train")
    parser.add_argument("--test")
    parser.add_argument("--label")
    parser.add_argument("--task")
    parser.add_argument("--sep", default=",")
    parser.add_argument("--headerless", action="store_true")
    parser.add_argument("--budget", type=float, default=60)
    args = parser.parse_args()
    if args.kind == "versions":
        print(json.dumps(versions()))
        return
    warnings.filterwarnings("ignore")
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        frame = tabular.load(args.train, args.test, args.label, args.sep, args.headerless, args.task)
        result = hgb(frame) if args.kind == "hgb" else xgb_optuna(frame, args.budget)
        result["features"] = frame.describe()
    except Exception as e:  # noqa: BLE001 - reported as the baseline's error, the benchmark goes on
        result = {"error": "%s: %s" % (type(e).__name__, e)}
    result["seconds"] = round(time.time() - STARTED, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
