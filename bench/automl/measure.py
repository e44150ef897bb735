"""Running a process and measuring it: wall clock and peak RSS of that one process (os.wait4 returns the resource
usage of the child it reaps, so runs never mix with each other or with the harness's own memory)."""
import json, os, platform, shlex, sys, signal, subprocess, tempfile, threading, time
from dataclasses import dataclass

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(REPO, "bench", "automl")
PYTHON = "/usr/bin/python3"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    wall: float          # seconds, spawn to exit
    peak_rss_mb: float   # the process's maximum resident set size
    timed_out: bool

    def last_error_line(self):
        """The error the process ended with: the CLI's "Unusable data: ..." message (which the console wraps at 80
        columns when stderr is not a terminal, so its lines are joined), an unhandled exception's first line, or the
        last line of stderr."""
        lines = [l.strip() for l in self.stderr.strip().splitlines() if l.strip()]
        if self.timed_out:
            return "killed after %.0f s (timeout)" % self.wall
        for k in range(len(lines) - 1, -1, -1):
            if lines[k].startswith("Unusable data:"):
                return " ".join(lines[k:])
            if lines[k].startswith("Unhandled exception."):
                return lines[k]
        return lines[-1] if lines else "exit code %d" % self.code

    def json_line(self):
        lines = [l for l in self.stdout.strip().splitlines() if l.strip()]
        return json.loads(lines[-1]) if lines else None


def run(command, timeout, env=None, cwd=None):
    """Runs command with stdout/stderr to temporary files, kills its process group after timeout seconds."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.time()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.time() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read(), err.read(), wall, usage.ru_maxrss / 1024.0, killed.is_set())


def cli_path():
    """AUTOML_CLI (an already built Serverless.Cli.dll, e.g. a snapshot while src/ keeps changing) or this repo's."""
    return os.environ.get("AUTOML_CLI") or os.path.join(REPO, "src", "Cli", "bin", "Release", "net10.0", "Serverless.Cli.dll")


def build(project):
    """dotnet build -c Release of src/<project>; raises SystemExit with the compiler's errors on failure."""
    result = subprocess.run(["dotnet", "build", os.path.join(REPO, "src", project), "-c", "Release", "-v", "q", "-nologo",
                             "-clp:ErrorsOnly"], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("error: dotnet build src/%s failed:\n%s%s" % (project, result.stdout[-3000:], result.stderr[-2000:]))


def cli_commit():
    """The commit the measured CLI was built from: AUTOML_COMMIT for a snapshot, else this repo's HEAD (+dirty)."""
    if os.environ.get("AUTOML_CLI"):
        return os.environ.get("AUTOML_COMMIT") or "unknown (AUTOML_CLI=%s; set AUTOML_COMMIT)" % os.environ["AUTOML_CLI"]
    try:
        git = lambda *a: subprocess.run(["git", "-C", REPO] + list(a), capture_output=True, text=True).stdout.strip()
        head, src = git("rev-parse", "--short", "HEAD"), git("log", "-1", "--format=%h", "--", "src")
        dirty = git("status", "--porcelain", "--", "src")
        text = src if src == head else "%s (src/ last changed in %s)" % (head, src)
        return text + (" + uncommitted changes in src/" if dirty else "")
    except OSError:
        return "unknown"


def cli_train(verb, train, test, label, budget, work, task=None):
    """One `cli train|baseline` process: the CLI's JSON plus wall, peak RSS, produced (model written), error."""
    model = os.path.join(work, verb + ".zip")
    command = ["dotnet", cli_path(), verb, "--data", train, "--label", label, "--test", test, "--seed", "1",
               "--output", model, "--json"]
    if task:
        command += ["--task", task]
    if verb == "train":
        command += ["--budget-seconds", str(budget)]
    r = run(command, timeout=max(600, 4 * budget))
    result = {"wall": round(r.wall, 1), "rss_mb": round(r.peak_rss_mb), "produced": r.code == 0 and os.path.exists(model),
              "log": [l.rstrip() for l in r.stderr.splitlines() if l.strip() and not l.startswith(("│", "┌", "└", "├", "─"))][-12:]}
    if r.code != 0:
        result["error"] = r.last_error_line()
        return result
    try:
        result.update(r.json_line() or {})
    except ValueError:
        result["error"] = "no JSON on stdout"
    return result


def python_baseline(kind, train, test, ds, budget):
    """One baselines.py process (hgb or xgb); its JSON plus the process's own wall clock and peak RSS."""
    command = [PYTHON, os.path.join(HERE, "baselines.py"), kind, "--train", train, "--test", test, "--label", ds.label,
               "--task", ds.task, "--sep", ds.sep, "--budget", str(budget)] + (["--headerless"] if ds.headerless else [])
    r = run(command, timeout=max(600, 4 * budget))
    try:
        result = r.json_line() or {}
    except ValueError:
        result = {}
    if r.code != 0 or not result:
        result["error"] = r.last_error_line()
    result["wall"] = round(r.wall, 1)
    result["rss_mb"] = round(r.peak_rss_mb)
    return result


def command_line():
    env = ["%s=%s" % (k, os.environ[k]) for k in ("AUTOML_CLI", "AUTOML_COMMIT", "AUTOML_HOST") if os.environ.get(k)]
    return " ".join(env + [shlex.join(["bench/automl/bench.py"] + sys.argv[1:])])


def machine():
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return "%s, %d cores, %.0f GiB" % (platform.platform(), os.cpu_count(), memory)


def load_average():
    return ", ".join("%.1f" % l for l in os.getloadavg())
