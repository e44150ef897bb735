"""Product-path mode (--path durable): the datasets go through the product instead of the CLI.

Azurite (the repo's pinned one, in memory, free loopback ports) and the local host (Serverless.LocalHost.dll) are
started once; for each dataset the train file is uploaded with `cli upload`, the run is found through
GET /api/runs?dataset=NAME and followed through GET /api/runs/{id} until it ends, then every test row is scored
through POST /api/chain/NAME/batch (label left out, missing cells left out so the chain fills its training
defaults, at most 1000 records or ~900 kB per call). Binary: AUC from the probability of one class; multiclass:
accuracy of output.prediction; regression: RMSE of output.prediction.

The wall clock is upload start → the run's terminal status; the peak RSS is the host process's VmHWM, reset before
each dataset (/proc/PID/clear_refs), so it covers training, deployment and serving that dataset.
"""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

import cache, datasets, measure, report, scoring
from bench import baselines_for, ensure_python_packages, package_versions

ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
HOST_DLL = os.path.join(measure.REPO, "src", "LocalHost", "bin", "Release", "net10.0", "Serverless.LocalHost.dll")
TERMINAL_WAIT = ("Pending", "Running", "ContinuedAsNew")
MAX_ITEMS, MAX_BYTES = 1000, 900 * 1024


class RunFailed(Exception):
    """A dataset's run went wrong in a way the product reports (its message is the row's error as it is)."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds, process=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def connection_string(blob, queue, table):
    return ("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;"
            "BlobEndpoint=http://127.0.0.1:%d/devstoreaccount1;QueueEndpoint=http://127.0.0.1:%d/devstoreaccount1;"
            "TableEndpoint=http://127.0.0.1:%d/devstoreaccount1;" % (ACCOUNT_KEY, blob, queue, table))


def http(method, url, body=None, timeout=120):
    """(status, parsed JSON or text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


class Services:
    """Azurite + the local host, stopped in reverse order (the host first, while storage is still up)."""

    def __init__(self, work):
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.processes = []
        self.host = None

    def start(self):
        azurite = os.path.join(measure.REPO, "node_modules", ".bin", "azurite")
        if not os.path.exists(azurite):
            print("installing the pinned Azurite (npm ci) ...", file=sys.stderr, flush=True)
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=measure.REPO, check=True)
        ports = [free_port() for _ in range(3)]
        log = open(os.path.join(self.work, "azurite.log"), "w")
        self.processes.append(subprocess.Popen(
            [azurite, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--inMemoryPersistence",
             "--blobHost", "127.0.0.1", "--blobPort", str(ports[0]), "--queueHost", "127.0.0.1", "--queuePort", str(ports[1]),
             "--tableHost", "127.0.0.1", "--tablePort", str(ports[2])], stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        if not all(wait_for_port(p, 30, self.processes[0]) for p in ports):
            raise RunFailed("Azurite did not listen on %s within 30 s (see %s)" % (ports, log.name))
        self.connection = connection_string(*ports)
        http_port = free_port()
        self.base = "http://127.0.0.1:%d" % http_port
        env = dict(os.environ, AzureWebJobsStorage=self.connection, Urls=self.base, DurableTask__WorkerId="bench",
                   TaskHubName="bench", Chain__Llm__Provider="none")
        self.host_log = os.path.join(self.work, "host.log")
        # The work folder as current directory: no developer's local.settings.json is read.
        self.host = subprocess.Popen(["dotnet", os.environ.get("AUTOML_HOST") or HOST_DLL], cwd=self.work, env=env,
                                     stdout=open(self.host_log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(self.host)
        if not wait_for_port(http_port, 60, self.host):
            raise RunFailed("the local host did not listen on %d within 60 s: %s" % (http_port, self.log_tail()))

    def log_tail(self, lines=5):
        try:
            with open(self.host_log) as f:
                return " / ".join(l.strip() for l in f.readlines()[-lines:])
        except OSError:
            return ""

    def reset_peak_rss(self):
        try:
            with open("/proc/%d/clear_refs" % self.host.pid, "w") as f:
                f.write("5")
        except OSError:
            pass  # not Linux or not allowed: the peak then covers the host's life so far

    def peak_rss_mb(self):
        try:
            with open("/proc/%d/status" % self.host.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            return None

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def dataset_name(name):
    cleaned = "".join(c if c.isalnum() or c == "-" else "-" for c in name.lower()).strip("-")
    return cleaned[:63] or "dataset"


def follow_run(services, name, budget, t0):
    """The run's final state (GET /api/runs/{id}), or raises with what went wrong."""
    instance, deadline = None, time.time() + 60
    while instance is None:
        status, body = http("GET", "%s/api/runs?dataset=%s" % (services.base, name))
        runs = body.get("runs") if status == 200 and isinstance(body, dict) else None
        if runs:
            instance = runs[0]["instanceId"]
        elif time.time() > deadline:
            raise RunFailed("no run started within 60 s of the upload (GET /api/runs answered %s)" % status)
        else:
            time.sleep(0.25)
    deadline = t0 + max(600, 4 * budget)
    while True:
        status, state = http("GET", "%s/api/runs/%s" % (services.base, instance))
        if status == 200 and isinstance(state, dict) and state.get("runtimeStatus") not in TERMINAL_WAIT:
            return instance, state
        if time.time() > deadline:
            raise RunFailed("run %s still %s after %.0f s" % (instance, state.get("runtimeStatus") if isinstance(state, dict) else status, time.time() - t0))
        if services.host.poll() is not None:
            raise RunFailed("the local host exited (%s): %s" % (services.host.returncode, services.log_tail()))
        time.sleep(0.5)


def test_records(ds, test):
    """([{column: value}] without the label and missing cells, [label strings])."""
    rows = datasets.read_rows(test, ds.sep)
    names = datasets.column_names(rows, ds.headerless)
    body = rows if ds.headerless else rows[1:]
    y = names.index(ds.label)
    records, truth = [], []
    for r in body:
        if y >= len(r) or r[y].strip() in datasets.MISSING:
            continue
        records.append({n: v for n, v in zip(names, r) if n != ds.label and v.strip() not in datasets.MISSING})
        truth.append(r[y].strip())
    return records, truth


def score_batches(services, name, records):
    """[output or None (an item error)], first item error; waits up to 30 s for the new champion to be served."""
    outputs, first_error, i = [], None, 0
    while i < len(records):
        chunk, size = [], 2
        while i + len(chunk) < len(records) and len(chunk) < MAX_ITEMS:
            item = {"input": records[i + len(chunk)]}
            size += len(json.dumps(item)) + 1
            if chunk and size > MAX_BYTES:
                break
            chunk.append(item)
        deadline = time.time() + 30
        while True:
            status, body = http("POST", "%s/api/chain/%s/batch" % (services.base, name), chunk)
            if status == 200 or status not in (404, 503) or time.time() > deadline:
                break
            time.sleep(0.5)
        if status != 200 or not isinstance(body, list):
            raise RunFailed("POST /api/chain/%s/batch answered %s: %s" % (name, status, str(body)[:200]))
        for item in body:
            if "output" in item:
                outputs.append(item["output"])
            else:
                outputs.append(None)
                first_error = first_error or json.dumps(item.get("error"))[:200]
        i += len(chunk)
    return outputs, first_error


def chain_score(ds, outputs, truth):
    """The held-out metric from the chain's answers (None items, i.e. errors, are left out)."""
    pairs = [(o, t) for o, t in zip(outputs, truth) if o is not None]
    if not pairs:
        return None
    if ds.task == "regression":
        return scoring.rmse([float(t) for _, t in pairs], [float(o["prediction"]) for o, _ in pairs])
    if ds.task == "multiclass":
        return scoring.accuracy([scoring.norm_label(t) for _, t in pairs], [scoring.norm_label(o["prediction"]) for o, _ in pairs])
    keys = sorted((pairs[0][0].get("probabilities") or {}).keys())
    if not keys:
        raise RunFailed("binary answers carry no probabilities")
    key = keys[-1]
    truths = {scoring.norm_label(t) for _, t in pairs}
    target = scoring.norm_label(key)
    if target not in truths and {scoring.norm_label(k) for k in keys} == {"false", "true"} and truths <= {"0", "1"}:
        target = "1" if target == "true" else "0"
    if target not in truths:
        raise RunFailed("probability classes %s do not match the test labels %s" % (keys, sorted(truths)[:5]))
    return scoring.auc([scoring.norm_label(t) == target for _, t in pairs], [o["probabilities"].get(key, 0.0) for o, _ in pairs])


def run_dataset(services, ds, budget, work):
    name = dataset_name(ds.name)
    train, test = datasets.materialize(ds, work)
    automl = {"produced": False}
    services.reset_peak_rss()
    t0 = time.time()
    try:
        upload = measure.run(["dotnet", measure.cli_path(), "upload", "--data", train, "--dataset", name, "--label", ds.label,
                              "--budget-seconds", str(budget), "--seed", "1", "--connection", services.connection], timeout=120)
        if upload.code != 0:
            raise RunFailed("cli upload: " + upload.last_error_line())
        instance, state = follow_run(services, name, budget, t0)
        automl["wall"] = round(time.time() - t0, 1)
        run = state.get("report") or {}
        automl.update(instance=instance, runtimeStatus=state.get("runtimeStatus"), cvScore=run.get("cvScore"),
                      trials=run.get("trials"), seconds=run.get("seconds"), task=run.get("task"),
                      ensemble=run.get("ensemble") or [], modelVersion=run.get("modelVersion"), promoted=run.get("promoted"),
                      best={"learner": (run.get("leaderboard") or [{}])[0].get("learner", "")})
        if run.get("status") != "succeeded" or not run.get("modelVersion"):
            raise RunFailed(run.get("error") or state.get("failure") or "run ended %s" % state.get("runtimeStatus"))
        if not run.get("promoted"):
            raise RunFailed("model %s trained but not made the champion: %s" % (run.get("modelVersion"), run.get("promotionReason")))
        records, truth = test_records(ds, test)
        outputs, item_error = score_batches(services, name, records)
        automl["first_answer"] = round(time.time() - t0, 1)
        automl["produced"] = True
        automl["test"] = {ds.metric: chain_score(ds, outputs, truth)}
        failed = sum(1 for o in outputs if o is None)
        if failed:
            automl["error"] = "%d of %d test records failed in the chain: %s" % (failed, len(outputs), item_error)
    except Exception as e:  # noqa: BLE001 - one failing dataset is a row with its error, never an aborted run
        automl.setdefault("wall", round(time.time() - t0, 1))
        automl["error"] = str(e) if isinstance(e, RunFailed) else "%s: %s" % (type(e).__name__, e)
    peak = services.peak_rss_mb()
    automl["rss_mb"] = None if peak is None else round(peak)
    return automl


COLUMNS_DOC = report.COLUMNS_DOC.replace(
    "**wall s** = the whole CLI process (start, data preparation, search, refit, writing the model and\nscoring the test file)",
    "**upload→champion s** = from the start of `cli upload` to the run's terminal status, by which the new model\n"
    "is the champion (profiling, trials as durable activities, refit, registry deploy)").replace(
    "**peak RSS** = the CLI process's maximum resident set size",
    "**peak RSS** = the local host's maximum resident set size while this dataset trained and was scored").replace(
    "held-out score of the model the CLI wrote", "held-out score of the answers of POST /api/chain/{dataset}/batch")


def main(args, chosen):
    if not args.skip_baselines:
        ensure_python_packages()
    if not os.environ.get("AUTOML_HOST"):
        measure.build("LocalHost")
    versions = package_versions() if not args.skip_baselines else {}
    store = cache.Cache(args.budget, refresh=cache.kinds(args.refresh_baselines))
    out = args.out or os.path.join(measure.HERE, "RESULTS-durable-%ds.md" % args.budget)
    started, load_before, rows = time.time(), measure.load_average(), []
    commit = measure.cli_commit()
    work = tempfile.mkdtemp(prefix="automl-bench-durable-")
    services = None
    print(report.table_header("upload→champion s"), flush=True)
    try:
        for ds in chosen:
            ds_work = os.path.join(work, ds.name)
            os.makedirs(ds_work, exist_ok=True)
            train, test = datasets.materialize(ds, ds_work)
            baselines = baselines_for(ds, train, test, args.budget, store, ds_work, versions, args.skip_baselines)
            print("  %s: upload → durable run (%d s) → chain batch ..." % (ds.name, args.budget), file=sys.stderr, flush=True)
            if services is None or services.host.poll() is not None:
                # First dataset, or the host died with the previous one: fresh storage and a fresh host.
                if services is not None:
                    services.stop()
                services = Services(os.path.join(work, "services-%d" % len(rows)))
                try:
                    services.start()
                except Exception as e:  # noqa: BLE001
                    services.stop()
                    services = None
                    automl = {"produced": False, "error": "could not start Azurite and the local host: %s" % e}
            if services is not None:
                automl = run_dataset(services, ds, args.budget, ds_work)
            row = report.evaluate({"dataset": ds.name, "set": ds.set, "task": ds.task, "metric": ds.metric,
                                   "automl": automl, "baselines": baselines}, args.budget)
            rows.append(row)
            print(report.markdown_row(row, args.budget), flush=True)
            write(out, args, rows, commit, load_before, started, versions, complete=False)
    finally:
        if services is not None:
            services.stop()
        shutil.rmtree(work, ignore_errors=True)
    write(out, args, rows, commit, load_before, started, versions, complete=True)
    print("\nwrote %s (%.0f min)" % (os.path.relpath(out), (time.time() - started) / 60), flush=True)
    return 0


def write(out, args, rows, commit, load_before, started, versions, complete):
    lines = [
        "Machine: %s; load average before %s, after %s (1, 5, 15 min)" % (measure.machine(), load_before, measure.load_average()),
        "Date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "Command: `%s`" % measure.command_line(),
        "CLI commit: %s (the local host built from the same tree)" % commit,
        "Path: `cli upload --budget-seconds %d --seed 1` into Azurite (in memory) → the local host's blob watcher → the "
        "TrainModel orchestration on DTFx → registry deploy → POST /api/chain/{dataset}/batch" % args.budget,
        "Baselines: the same cache as the CLI mode (`%s`)" % os.path.basename(cache.path(args.budget)),
        "Duration: %.0f min" % ((time.time() - started) / 60),
    ]
    extra = "\n".join("- %s: instance %s, run %s s, first chain answer %s s after the upload start" % (
        r["dataset"], r["automl"].get("instance", "—"), r["automl"].get("seconds", "—"), r["automl"].get("first_answer", "—"))
        for r in rows)
    notes = "## Runs\n\n" + extra + ("\n\n" + args.note if args.note else "")
    report.write(out, "AutoML benchmark through the product path (durable), %d s budget" % args.budget, lines, rows,
                 args.budget, complete, wall_title="upload→champion s", columns_doc=COLUMNS_DOC, notes=notes)
