"""Held-out metrics in plain Python (the durable mode scores answers without scikit-learn) and the verdict rules."""
import math

LOWER_IS_BETTER = {"rmse"}
TOLERANCE_ABS = 0.01    # AUC / accuracy: "within tolerance" = at most 0.01 below the best baseline
TOLERANCE_REL = 2.0     # RMSE: at most 2% worse than the best baseline
OVERRUN = 5.0           # wall clock: flagged above budget + 5%


def auc(positive, scores):
    """ROC AUC of scores for the boolean labels in positive (ties get half credit); None without both classes."""
    pairs = sorted(zip(scores, positive))
    n_pos = sum(1 for _, p in pairs if p)
    n_neg = len(pairs) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        average_rank = (i + 1 + j) / 2.0
        rank_sum += average_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def accuracy(truth, predicted):
    return sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth) if truth else None


def rmse(truth, predicted):
    return math.sqrt(sum((t - p) ** 2 for t, p in zip(truth, predicted)) / len(truth)) if truth else None


def better_or_equal(metric, a, b):
    return a <= b + 1e-12 if metric in LOWER_IS_BETTER else a >= b - 1e-12


def best_of(metric, scores):
    """The best of the non-None values in scores ({name: score}): (name, score), or (None, None)."""
    best = (None, None)
    for name, score in scores.items():
        if score is not None and (best[1] is None or better_or_equal(metric, score, best[1]) and score != best[1]):
            best = (name, score)
    return best


def gap(metric, ours, best):
    """Positive = AutoML is better. Absolute for AUC/accuracy, relative % for RMSE."""
    if ours is None or best is None:
        return None
    if metric in LOWER_IS_BETTER:
        return (best - ours) / best * 100.0 if best else 0.0
    return ours - best


def verdict(metric, ours, best, produced):
    """at/above | within tolerance | BELOW | no model | no baseline."""
    if not produced or ours is None:
        return "no model"
    if best is None:
        return "no baseline"
    g = gap(metric, ours, best)
    if g >= -1e-12:
        return "at/above"
    if (metric in LOWER_IS_BETTER and -g <= TOLERANCE_REL) or (metric not in LOWER_IS_BETTER and -g <= TOLERANCE_ABS + 1e-12):
        return "within tolerance"
    return "BELOW"


def norm_label(v):
    """'1', '1.0' and ' 1 ' are the same class; so are 'True' and 'true'."""
    v = str(v).strip()
    try:
        x = float(v)
        if math.isfinite(x) and x == int(x):
            return str(int(x))
        return repr(x)
    except ValueError:
        return v.lower() if v.lower() in ("true", "false") else v
