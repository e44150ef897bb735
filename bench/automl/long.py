"""A long `cli train` run on a small suite set, sampled every few seconds: trials finished (the per-trial
out-of-fold files in the work directory), the process's resident memory and the work directory's size, so a
falling trial rate or a growing footprint shows. Run under the benchmark lock:

    flock /tmp/bench.lock /usr/bin/python3 bench/automl/long.py --cli path/to/Serverless.Cli.dll \
        --budget 600 --out bench/automl/RESULTS-long-600s-before.json
"""
import argparse, glob, json, os, subprocess, sys, tempfile, time

SUITE = os.path.join(os.path.dirname(__file__), "../../../../shared/datasets/suite")


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None


def dir_mb(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 1e6


def trials_in(work):
    # Every trial id that wrote its out-of-fold file; the highest id is the trials proposed so far.
    ids = [int(os.path.basename(p).split(".")[0]) for p in glob.glob(os.path.join(work, "trials", "*.oof"))]
    return (len(ids), max(ids) if ids else 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--dataset", default="house-votes")
    parser.add_argument("--label", default="Class")
    parser.add_argument("--budget", type=int, default=600)
    parser.add_argument("--every", type=float, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "automl-*")))
    load_before = os.getloadavg()
    started = time.time()
    proc = subprocess.Popen(["dotnet", args.cli, "train", "--data", os.path.join(SUITE, f"{args.dataset}-train.csv"),
                             "--label", args.label, "--budget-seconds", str(args.budget),
                             "--output", os.path.join(tempfile.gettempdir(), f"long-{os.getpid()}.zip"), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    samples, work = [], None
    while proc.poll() is None:
        time.sleep(args.every)
        if work is None:
            new = set(glob.glob(os.path.join(tempfile.gettempdir(), "automl-*"))) - before
            work = next(iter(new), None)
        if work is None or not os.path.isdir(work):
            continue
        oof_files, last_id = trials_in(work)
        samples.append({"t": round(time.time() - started, 1), "oofFiles": oof_files, "lastTrialId": last_id,
                        "rssMb": rss_mb(proc.pid), "workDirMb": round(dir_mb(work), 2)})
        print(json.dumps(samples[-1]), flush=True)
    output = proc.stdout.read()
    summary = next((json.loads(l) for l in reversed(output.splitlines()) if l.startswith("{")), None)
    per_minute = []
    for minute in range(0, args.budget // 60 + 1):
        inside = [s for s in samples if minute * 60 <= s["t"] < (minute + 1) * 60]
        if len(inside) >= 2:
            per_minute.append({"minute": minute + 1, "trialsPerSecond": round(
                (inside[-1]["lastTrialId"] - inside[0]["lastTrialId"]) / (inside[-1]["t"] - inside[0]["t"]), 2)})
    result = {"command": " ".join(sys.argv), "loadBefore": load_before, "loadAfter": os.getloadavg(),
              "wallSeconds": round(time.time() - started, 1), "summary": summary, "perMinute": per_minute,
              "peakRssMb": max((s["rssMb"] or 0) for s in samples) if samples else None,
              "peakWorkDirMb": max(s["workDirMb"] for s in samples) if samples else None, "samples": samples,
              "tail": output.splitlines()[-15:]}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: result[k] for k in ("loadBefore", "loadAfter", "perMinute", "peakRssMb", "peakWorkDirMb")}))


if __name__ == "__main__":
    main()
