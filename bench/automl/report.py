"""Rows, verdicts, the summary block and the markdown files (per-budget results and the RESULTS.md index)."""
import glob, json, os, re

import scoring
from measure import HERE

SHORT_NAMES = {"mlnet": "ML.NET", "hgb": "HGB", "xgb": "XGB+Optuna"}


def short_name(kind, result):
    return "TF-IDF+linear" if result and result.get("model") == "tfidf-linear" else SHORT_NAMES.get(kind, kind)


def baseline_score(result):
    return None if not result or result.get("error") else result.get("score")


def evaluate(row, budget):
    """Adds ours, best (name, score), gap, verdict and overrun (%) to a row."""
    metric, automl = row["metric"], row["automl"]
    row["ours"] = (automl.get("test") or {}).get(metric) if automl.get("produced") else None
    scores = {k: baseline_score(v) for k, v in row["baselines"].items()}
    row["best"] = scoring.best_of(metric, scores)
    row["gap"] = scoring.gap(metric, row["ours"], row["best"][1])
    row["verdict"] = scoring.verdict(metric, row["ours"], row["best"][1], automl.get("produced"))
    wall = automl.get("wall")
    row["overrun"] = (wall - budget) / budget * 100.0 if wall is not None else None
    if automl.get("produced") and row["ours"] is None and not automl.get("error"):
        automl["error"] = "no test %s in the CLI output (task %s, expected %s)" % (metric, automl.get("task"), row["task"])
    return row


def fmt(v, digits=4):
    return "—" if v is None else ("%%.%df" % digits) % v


def fmt_gap(metric, g):
    if g is None:
        return "—"
    return ("%+.1f%%" % g) if metric in scoring.LOWER_IS_BETTER else ("%+.4f" % g)


def fmt_baseline(result):
    if not result:
        return "—"
    if result.get("error"):
        return "error"
    text = fmt(result.get("score"))
    return text + (" (tf-idf linear)" if result.get("model") == "tfidf-linear" else "")


def winner(automl):
    learner = (automl.get("best") or {}).get("learner", "")
    if automl.get("ensemble"):
        return "ensemble of %d (best %s)" % (len(automl["ensemble"]), learner)
    return learner


def errors(row):
    parts = []
    if row["automl"].get("error"):
        parts.append(row["automl"]["error"])
    for kind, result in row["baselines"].items():
        if result and result.get("error"):
            parts.append("%s: %s" % (kind, result["error"]))
    return "; ".join(parts).replace("|", "/").replace("\n", " ")[:300]


HEADER = ("| dataset | task | metric | AutoML test | AutoML CV | ML.NET LightGbm defaults | sklearn HGB defaults | "
          "XGBoost+Optuna (equal budget) | best baseline | gap | verdict | trials | %s | peak RSS MB | model | winner | error |")


def table_header(wall_title="wall s"):
    head = HEADER % wall_title
    return head + "\n" + "|---" * (head.count("|") - 1) + "|"


def markdown_row(row, budget):
    automl, metric = row["automl"], row["metric"]
    wall = automl.get("wall")
    wall_text = "—" if wall is None else "%.1f%s" % (wall, " OVER" if row["overrun"] > scoring.OVERRUN else "")
    best_name, best_score = row["best"]
    cells = [row["dataset"], row["task"], metric, fmt(row["ours"]), fmt(automl.get("cvScore")),
             fmt_baseline(row["baselines"].get("mlnet")), fmt_baseline(row["baselines"].get("hgb")),
             fmt_baseline(row["baselines"].get("xgb")),
             "—" if best_name is None else "%s (%s)" % (fmt(best_score), short_name(best_name, row["baselines"].get(best_name))),
             fmt_gap(metric, row["gap"]), row["verdict"], str(automl.get("trials", "—")), wall_text,
             "—" if automl.get("rss_mb") is None else "%d" % automl["rss_mb"],
             "yes" if automl.get("produced") else "NO", winner(automl), errors(row)]
    return "| " + " | ".join(cells) + " |"


def summary(rows, budget):
    """The targets of the engine-v2 issue, each with its result and whether it is met."""
    n = len(rows)
    judged = [r for r in rows if r["verdict"] != "no baseline"]
    at = [r for r in judged if r["verdict"] == "at/above"]
    beyond = [r for r in judged if r["verdict"] in ("BELOW", "no model")]
    no_model = [r for r in rows if not r["automl"].get("produced")]
    walls = [r for r in rows if r["overrun"] is not None]
    worst = max(walls, key=lambda r: r["overrun"]) if walls else None
    over = [r for r in walls if r["overrun"] > scoring.OVERRUN]
    rss = [r for r in rows if r["automl"].get("rss_mb") is not None]
    top_rss = max(rss, key=lambda r: r["automl"]["rss_mb"]) if rss else None
    share = 100.0 * len(at) / len(judged) if judged else 0.0
    names = lambda rs: ", ".join(r["dataset"] for r in rs)
    lines = [
        "| target | result | met |",
        "|---|---|---|",
        "| at or above the best baseline on ≥ 90%% of datasets | %d of %d (%.0f%%)%s | %s |" % (
            len(at), len(judged), share, "; no baseline: " + names([r for r in rows if r not in judged]) if len(judged) < n else "",
            "yes" if judged and share >= 90 else "no"),
        "| 0 datasets beyond tolerance (more than 0.01 below for AUC/accuracy, 2%% worse RMSE; no model counts) | %d%s | %s |" % (
            len(beyond), ": " + names(beyond) if beyond else "", "yes" if not beyond else "no"),
        "| wall clock ≤ budget + 5%% | longest %s; %d over | %s |" % (
            "%.1f s = %.0f%% of the budget (%s)" % (worst["automl"]["wall"], 100 + worst["overrun"], worst["dataset"]) if worst else "—",
            len(over), "yes" if walls and not over else "no"),
        "| 0 runs without a model | %d%s | %s |" % (len(no_model), ": " + names(no_model) if no_model else "",
                                                 "yes" if not no_model else "no"),
    ]
    extra = "Largest peak RSS: %s." % ("%d MB (%s)" % (top_rss["automl"]["rss_mb"], top_rss["dataset"]) if top_rss else "—")
    return "\n".join(lines), extra, {"at": len(at), "judged": len(judged), "beyond": len(beyond),
                                     "max_overrun": worst["overrun"] if worst else None, "no_model": len(no_model)}


COLUMNS_DOC = """Columns: **AutoML test** = held-out score of the model the CLI wrote (AUC for binary, accuracy for multiclass,
RMSE for regression: lower is better) on the dataset's test file; **AutoML CV** = the engine's own cross-validated
(or holdout) score on the training file; the three baselines (cached, see README.md) and **best baseline** = the
best of them; **gap** = AutoML minus the best baseline (absolute for AUC/accuracy; relative % for RMSE; positive =
AutoML better); **verdict** = at/above, within tolerance (≤ 0.01 below for AUC/accuracy, ≤ 2% worse RMSE), BELOW,
or no model; **wall s** = the whole CLI process (start, data preparation, search, refit, writing the model and
scoring the test file), OVER when above budget + 5%; **peak RSS** = the CLI process's maximum resident set size;
**model** = whether a model file was written."""


def write(path, title, header_lines, rows, budget, complete, wall_title="wall s", columns_doc=COLUMNS_DOC, notes=""):
    table, extra, counts = summary(rows, budget)
    with open(path, "w") as f:
        f.write("# %s\n\n" % title)
        if not complete:
            f.write("**Partial: the run is still going or was stopped (%d datasets so far).**\n\n" % len(rows))
        f.write("<!-- summary: %d of %d at/above the best baseline; %d beyond tolerance; longest wall clock %s of the budget; "
                "%d without a model -->\n\n" % (counts["at"], counts["judged"], counts["beyond"],
                   "—" if counts["max_overrun"] is None else "%.0f%%" % (100 + counts["max_overrun"]), counts["no_model"]))
        f.write("\n".join("- " + l for l in header_lines) + "\n\n")
        f.write("## Summary\n\n" + table + "\n\n" + extra + "\n\n")
        f.write("## Results\n\n" + columns_doc + "\n\n")
        f.write(table_header(wall_title) + "\n")
        f.write("\n".join(markdown_row(r, budget) for r in rows) + "\n")
        if notes:
            f.write("\n" + notes + "\n")
    # The same rows, machine-readable, for comparing runs.
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump({"title": title, "header": header_lines, "complete": complete, "budget_seconds": budget, "rows": rows},
                  f, indent=1, sort_keys=True, default=str)
        f.write("\n")
    write_index()


def write_index():
    """bench/automl/RESULTS.md: one line per RESULTS-*.md with its date, command and summary."""
    entries = []
    for path in sorted(glob.glob(os.path.join(HERE, "RESULTS-*.md"))):
        with open(path) as f:
            text = f.read()
        find = lambda pattern: (re.search(pattern, text, re.MULTILINE) or [None, "—"])[1]
        partial = (" (partial)" if "**Partial:" in text else "") + (" (verification run)" if "verification run" in text.lower() else "")
        command = re.sub(r" --note ('[^']*'|\S+)", "", find(r"^- Command: `(.*)`$"))  # the note is in the file
        entries.append("- [%s](%s)%s: %s. Date %s; command `%s`; CLI at %s." % (
            os.path.basename(path), os.path.basename(path), partial, find(r"<!-- summary: (.*?) -->"),
            find(r"^- Date: (.*)$"), command, find(r"^- CLI commit: (.*)$")))
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("# AutoML benchmark results\n\n"
                "One file per mode and budget, each with its machine, date, command, the CLI commit measured, a summary "
                "against the engine-v2 targets and the full table. How to run and read them: [README.md](README.md).\n\n")
        f.write("\n".join(entries) + "\n")
        f.write("\nThe earlier 10-dataset run with the previous harness (ML.NET and HGB baselines only, 60 s, commit 2188de9): "
                "`git show 9f2bb2e:bench/automl/RESULTS.md`.\n")
