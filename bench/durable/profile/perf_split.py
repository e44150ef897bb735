#!/usr/bin/env python3
"""Where a trial's CPU goes: perf samples of the in-process search, the local host and Azurite, in ms per trial.

perf_split.py DIR   (DIR as bench/durable/profile/profile.sh leaves it: {inproc,host,azurite}.data, .map, window)

.NET frames are named from the process's perf map (DOTNET_PerfMapEnabled=1): perf reports JIT-compiled code as offsets
into the runtime's double-mapped memfd, so each is translated to its address through the recorded mmap events first.
Precompiled (ReadyToRun) framework frames stay unnamed; their callers name them. Node's frames come from
--perf-basic-prof.
"""
import bisect, collections, re, subprocess, sys

ML = ['Microsoft.ML', 'lib_lightgbm', 'LightGBM', 'FastTreeNative', 'libgomp', 'Serverless.AutoMl', 'MklImports', 'CpuMathNative']
TRIAL = 'ML.NET trial work (managed, native, JIT and GCs on its threads)'
DURABLE = [
    ('DTFx: orchestration replay, dispatchers, queue polling, lease', ['DurableTask.', 'Microsoft.DurableTask']),
    ('Azure SDK: blob, queue and table calls', ['[Azure.', 'Azure.Core', 'Azure.Storage', 'Azure.Data']),
    ('ASP.NET Core (runs API)', ['Microsoft.AspNetCore']),
    ('HTTP client, sockets', ['System.Net.']),
    ('OpenTelemetry', ['OpenTelemetry']),
    ('JSON', ['System.Text.Json', 'Newtonsoft']),
    ('logging', ['Microsoft.Extensions.Logging']),
    ('zip of bundle outputs', ['System.IO.Compression']),
    ('activities, RunWorkspace (Serverless.Workflow, LocalHost)', ['Serverless.Workflow', 'Serverless.LocalHost']),
]
# Inclusive rows for the named suspects (a sample can count in several).
SUSPECTS = [
    ('orchestrator replay (executor, shim, TrainModelOrchestrator, SearchLoop)', ['TaskOrchestrationExecutor', 'TaskOrchestrationShim', 'TrainModelOrchestrator', 'SearchLoop']),
    ('history reads (tracking store)', ['TrackingStore']),
    ('large messages', ['MessageManager', 'LargeMessage']),
    ('queue polling (receive messages)', ['ReceiveMessages', 'DequeueAsync', 'GetMessagesAsync']),
    ('partition lease', ['PartitionManager', 'Lease']),
    ('JSON (System.Text.Json, Newtonsoft)', ['System.Text.Json', 'Newtonsoft']),
    ('tracing (OpenTelemetry, DiagnosticsHandler, RequestActivityPolicy)', ['OpenTelemetry', 'DiagnosticsHandler', 'RequestActivityPolicy']),
    ('logging', ['Microsoft.Extensions.Logging']),
    ('zip (System.IO.Compression)', ['System.IO.Compression', 'Compression.Native']),
    ('RunWorkspace (fetch, store bundle, report check)', ['RunWorkspace']),
    ('runs API (ASP.NET Core)', ['Microsoft.AspNetCore']),
    ('blob watcher', ['BlobWatcher']),
]


def perf_script(data, *args):
    return subprocess.run(['perf', 'script', '-i', data, *args], capture_output=True, text=True, errors='replace').stdout


def samples(directory, name):
    """[(thread name, [frame, leaf first], seconds)] with .NET frames named."""
    data = f'{directory}/{name}.data'
    maps = collections.defaultdict(list)
    for m in re.finditer(r'PERF_RECORD_MMAP2? \d+/\d+: \[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ (0x[0-9a-f]+|0) [^\]]*\]: (\S+) (.*)',
                         perf_script(data, '--show-mmap-events', '-F', 'comm')):
        if 'x' in m.group(4):
            maps[m.group(5).strip()].append((int(m.group(3), 16), int(m.group(2), 16), int(m.group(1), 16)))
    symbols = sorted((int(a, 16), int(n, 16), s) for a, n, s in
                     (line.rstrip('\n').split(' ', 2) for line in open(f'{directory}/{name}.map', errors='replace') if line.count(' ') >= 2))
    starts = [s[0] for s in symbols]

    def named(offset, dso):
        for pgoff, length, start in maps.get(dso, []):
            if pgoff <= offset < pgoff + length:
                i = bisect.bisect_right(starts, start + offset - pgoff) - 1
                if i >= 0 and symbols[i][0] <= start + offset - pgoff < symbols[i][0] + symbols[i][1]:
                    return symbols[i][2]
        return None

    out, times, current = [], [], None
    for line in perf_script(data, '-F', 'comm,tid,time,ip,sym,dso').splitlines():
        if not line.strip():
            current = None
        elif not line[0].isspace():
            m = re.match(r'^(.*?)\s+\d+\s+([\d.]+):', line)
            current = (m.group(1).strip(), [])
            out.append(current)
            times.append(float(m.group(2)))
        else:
            m = re.match(r'^\s+([0-9a-f]+) (.*) \(((?:/|\[)[^()]*(?: \(deleted\))?)\)$', line)
            frame = line.strip()
            if m:
                frame = f'{m.group(2)} ({m.group(3)})'
                if m.group(2) == '[unknown]':
                    frame = f'{named(int(m.group(1), 16), m.group(3)) or "[unknown]"} ({m.group(3)})'
            current[1].append(frame)
    return [(thread, frames, time) for (thread, frames), time in zip(out, times)]


def has(frames, keys):
    return any(k in f for f in frames for k in keys)


def kind(thread, frames):
    if has(frames, ML):
        return TRIAL
    for row, keys in DURABLE:
        if has(frames, keys):
            return row
    if thread.startswith('.NET Tiered') or has(frames, ['libclrjit']):
        return 'runtime: tiered JIT (background recompiles)'
    if thread.startswith('.NET BGC'):
        return 'runtime: background GC thread'
    if has(frames, ['ThreadPoolWorkQueue', 'LowLevelLifoSemaphore', 'PortableThreadPool']):
        return 'runtime: idle pool threads (spin, wait, dispatch)'
    if thread.startswith('.NET TP Worker'):
        return 'pool threads, native stacks not unwound (LightGBM C++, libstdc++): trial work'
    return 'other runtime threads (finalizer, timers, file watcher)'


def azurite_kind(frames):
    text = ' '.join(frames)
    for service in ('queue', 'table', 'blob'):
        if f'/src/{service}/' in text:
            return service
    return 'HTTP server, express (service not on the stack)' if re.search(r'_http|express|router', text) else 'other (GC, node internals)'


def quarters(samples):
    """The samples in four equal spans of the recording's time: [(thread, frames)] each."""
    start, end = samples[0][2], samples[-1][2] + 1e-9
    spans = [[] for _ in range(4)]
    for thread, frames, time in samples:
        spans[int(4 * (time - start) / (end - start))].append((thread, frames))
    return spans


def window(directory):
    """name -> (CPU ms, trials) of each recording, from the window file: NAME ticks A B trials C D."""
    result = {}
    for line in open(f'{directory}/window'):
        f = line.split()
        if len(f) >= 7 and f[1] == 'ticks':
            result[f[0]] = ((int(f[3]) - int(f[2])) * 10.0, int(f[6]) - int(f[5]))
    return result


def main(directory):
    win = window(directory)
    per_trial = {name: cpu / trials for name, (cpu, trials) in win.items() if trials > 0}
    print('Windows: ' + ', '.join(f'{n} {cpu / 1000:.1f} s CPU over {t} trials ({cpu / max(t, 1):.1f} ms/trial)' for n, (cpu, t) in win.items()))
    counted = {}
    for name in ('inproc', 'host'):
        s = samples(directory, name)
        counted[name] = (collections.Counter(kind(t, f) for t, f, _ in s), per_trial[name] / len(s), s)
    (a, pa, _), (b, pb, host) = counted['inproc'], counted['host']
    print('\n| what | in-process ms/trial | host ms/trial | host − in-process |\n|---|---|---|---|')
    for row in sorted(set(a) | set(b), key=lambda k: -b[k] * pb):
        print(f'| {row} | {a[row] * pa:.2f} | {b[row] * pb:.2f} | {b[row] * pb - a[row] * pa:+.2f} |')
    print(f'| total | {per_trial["inproc"]:.1f} | {per_trial["host"]:.1f} | {per_trial["host"] - per_trial["inproc"]:+.1f} |')
    print('\nHost, inclusive, outside trial work (ms per trial):\n\n| suspect | ms/trial |\n|---|---|')
    outside = [frames for thread, frames, _ in host if kind(thread, frames) != TRIAL]
    for row, keys in SUSPECTS:
        print(f'| {row} | {sum(1 for f in outside if has(f, keys)) * pb:.2f} |')
    print('\nHost, tiered JIT thread by quarter of the window (share of the host CPU): ' + ', '.join(
        f'{sum(1 for t, _ in q if t.startswith(".NET Tiered")) / max(len(q), 1):.1%}' for q in quarters(host)))
    if 'azurite' in per_trial:
        s = samples(directory, 'azurite')
        c = collections.Counter(azurite_kind(frames) for _, frames, _ in s)
        print(f'\nAzurite ({per_trial["azurite"]:.2f} ms/trial):\n\n| part | ms/trial |\n|---|---|')
        for row, n in c.most_common():
            print(f'| {row} | {n * per_trial["azurite"] / len(s):.2f} |')


if __name__ == '__main__':
    main(sys.argv[1])
