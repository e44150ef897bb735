// A training run as it goes (GET /api/runs/{id} every second while it is active): stage, trials, best score, time
// against budget, a chart of every trial and the best score over time; then the outcome and the leaderboard. A
// forecast's trials are candidates, each backtested on every fold (one activity per fold): its progress counts folds.
import { h, show, notice, formatNumber, formatSeconds } from './dom.js';
import { getJson } from './api.js';
import { xyChart, Palette } from './charts.js';

const PollMilliseconds = 1000;
const Stages = ['profiling', 'searching', 'deploying', 'done'];
const ActiveStatuses = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);
const LowerIsBetter = new Set(['logloss', 'rmse', 'mae', 'mase']);
const TrialWords = { label: 'Label', trials: 'Trials', trial: 'trial', trialColumn: 'Trial', learner: 'Learner', ask: 'Ask it a question' };
const ForecastWords = { label: 'Forecasting', trials: 'Candidates', trial: 'candidate', trialColumn: 'Candidate', learner: 'Method', ask: 'Forecast with it' };

export async function runView(main, { signal, refreshDatasets, note }, id) {
  const view = h('div', { class: 'run' });
  show(main, h('h1', {}, 'Training run'), note ? notice('info', note) : null, view);
  let learners = [];
  for (let wasActive = false; !signal.aborted;) {
    let state;
    try {
      state = await getJson(`/api/runs/${encodeURIComponent(id)}`, { signal });
    } catch (problem) {
      if (signal.aborted) return;
      show(view, notice('error', problem.message));
      return;
    }
    learners = [...new Set([...learners, ...(state.progress?.timeline ?? []).map(p => p.learner)])];
    render(view, state, learners);
    // A recorded report is the run's end: only the recording step is left, and the person may move on at once.
    const active = !state.report && ActiveStatuses.has(state.runtimeStatus);
    if (!active) {
      if (wasActive) refreshDatasets();
      return;
    }
    wasActive = true;
    await delay(PollMilliseconds, signal);
  }
}

function render(view, state, learners) {
  const progress = state.progress ?? {};
  const report = state.report;
  const dataset = report?.dataset ?? progress.dataset;
  const stage = report?.status === 'failed' || state.failure ? 'failed' : report ? 'done' : progress.stage ?? 'profiling';
  const metric = progress.metric ?? report?.metric;
  const words = (progress.task ?? report?.task) === 'forecast' ? ForecastWords : TrialWords;
  show(view,
    h('p', { class: 'run-heading' },
      dataset ? h('a', { href: `#/datasets/${dataset}` }, dataset) : null, ' · ', h('code', {}, state.instanceId)),
    stepper(stage, report),
    outcome(state, report, words),
    stats(progress, report, metric, words),
    (progress.timeline?.length ?? 0) > 0 ? searchChart(progress, metric, learners, words) : null,
    report?.leaderboard?.length ? leaderboard(report.leaderboard, metric, words) : null);
}

function stepper(stage, report) {
  // A failed run failed where its trials say: none ran (profiling), none succeeded (searching), or after (deploying).
  const trials = report?.leaderboard ?? [];
  const failedAt = stage !== 'failed' ? null
    : trials.length === 0 ? 'profiling' : trials.some(t => t.status === 'succeeded') ? 'deploying' : 'searching';
  const current = failedAt ?? stage;
  const index = Stages.indexOf(current);
  return h('ol', { class: 'stepper', 'aria-label': 'Stages' }, Stages.map((s, i) => h('li', {
    class: [i < index || stage === 'done' ? 'complete' : '', i === index ? (failedAt ? 'failed' : 'current') : ''].join(' ').trim(),
    'aria-current': i === index ? 'step' : null,
  }, s === failedAt ? `${s} – failed` : s)));
}

function outcome(state, report, words) {
  if (state.failure) return notice('error', h('strong', {}, 'The run crashed: '), state.failure);
  if (!report) return null;
  switch (report.status) {
    case 'succeeded':
      return notice('success',
        h('strong', {}, `Model ${report.modelVersion} `), report.promoted ? 'is live' : 'was kept but not made live',
        report.promotionReason ? ` (${report.promotionReason}). ` : '. ',
        h('a', { href: `#/datasets/${report.dataset}`, class: 'button primary' }, 'See the model'), ' ',
        h('a', { href: `#/datasets/${report.dataset}/playground`, class: 'button' }, words.ask));
    case 'failed': return notice('error', h('strong', {}, 'Training failed: '), report.error ?? 'no reason was recorded');
    case 'cancelled': return notice('warning', h('strong', {}, 'Cancelled: '), report.error ?? '');
    default: return notice('warning', `${report.status}: ${report.error ?? ''}`);
  }
}

function stats(progress, report, metric, words) {
  const searching = !report && progress.stage === 'searching';
  const best = report?.cvScore ?? progress.bestScore;
  const trials = report?.trials ?? progress.trialsDone ?? 0;
  const failed = report?.trialsFailed ?? progress.trialsFailed ?? 0;
  const unknown = report ? '–' : '…'; // not known yet, or never
  return h('dl', { class: 'stats' },
    stat('Task', progress.task ?? report?.task ?? unknown),
    stat(words.label, progress.label ?? report?.label ?? unknown),
    stat('Rows', progress.rows ? formatNumber(progress.rows) : unknown),
    progress.horizon ? stat('Horizon', `${progress.horizon} steps`) : null,
    stat(words.trials, `${trials}${failed ? ` (${failed} failed)` : ''}`),
    progress.folds ? stat('Backtest folds run', `${formatNumber(Object.values(progress.trialsPerWorker ?? {}).reduce((a, b) => a + b, 0))} (${progress.folds} per candidate)`) : null,
    stat(`${report ? 'Model' : 'Best'} ${metric ?? 'score'}`, best === undefined || best === null ? unknown : `${formatNumber(best)}${progress.bestLearner && !report ? ` · ${progress.bestLearner}` : ''}`),
    report ? stat('Time', `${formatSeconds(report.seconds)} in all`)
      : searching && progress.budgetSeconds ? stat('Search time', h('span', {},
        `${formatSeconds(progress.elapsedSeconds)} of ${formatSeconds(progress.budgetSeconds)}`,
        h('progress', { max: progress.budgetSeconds, value: Math.min(progress.elapsedSeconds, progress.budgetSeconds), 'aria-label': 'Search time used' })))
      : stat('Time', formatSeconds(progress.elapsedSeconds)));
}

function stat(name, value) {
  return h('div', {}, h('dt', {}, name), h('dd', {}, value));
}

/** Every trial as a point (one colour and shape per learner, failures as crosses below the rest) and the best score so far as a line. */
function searchChart(progress, metric, learners, words) {
  const timeline = progress.timeline;
  const direction = LowerIsBetter.has(metric) ? -1 : 1;
  const scored = timeline.filter(p => p.score !== null && p.score !== undefined);
  const floor = scored.length ? Math.min(...scored.map(p => p.score)) : 0;
  const ceiling = scored.length ? Math.max(...scored.map(p => p.score)) : 1;
  const failedY = direction > 0 ? floor - (ceiling - floor || 1) * 0.08 : ceiling + (ceiling - floor || 1) * 0.08;
  let best = null;
  const bestLine = [];
  for (const p of scored) {
    if (best === null || direction * (p.score - best) > 0) best = p.score;
    bestLine.push({ x: p.seconds, y: best });
  }
  // Seconds are counted from the start of the search, as the timeline's are.
  const end = Math.max(progress.stage === 'searching' ? progress.elapsedSeconds : 0, ...timeline.map(p => p.seconds));
  if (bestLine.length) bestLine.push({ x: end, y: best });
  const series = learners.map((learner, i) => ({
    name: learner, color: Palette[i % Palette.length],
    points: scored.filter(p => p.learner === learner).map(p => ({ x: p.seconds, y: p.score, title: `${words.trial} ${p.trial} · ${learner} · ${metric} ${formatNumber(p.score)} at ${formatSeconds(p.seconds)}` })),
  }));
  const failures = timeline.filter(p => p.score === null || p.score === undefined);
  if (failures.length) series.push({ name: 'failed or timed out', color: '#6b6b6b', shape: 'cross',
    points: failures.map(p => ({ x: p.seconds, y: failedY, title: `${words.trial} ${p.trial} · ${p.learner} · ${p.status}` })) });
  return h('section', { class: 'panel' },
    h('h2', {}, 'The search'),
    xyChart({
      label: `${timeline.length} ${words.trials.toLowerCase()} over ${formatSeconds(end)} of search; best ${metric} ${formatNumber(best)}`,
      xLabel: 'seconds into the search', yLabel: `${metric} (${direction > 0 ? 'higher' : 'lower'} is better)`,
      series, lines: [{ name: 'best so far', points: bestLine, step: true, color: '#1b1f24' }],
      xDomain: [0, Math.max(progress.budgetSeconds ?? 0, end) || 1],
    }));
}

function leaderboard(trials, metric, words) {
  return h('section', { class: 'panel' },
    h('h2', {}, 'Leaderboard'),
    h('div', { class: 'table-scroll tall', tabindex: '0', role: 'region', 'aria-label': 'Leaderboard' },
      h('table', { class: 'leaderboard' },
        h('thead', {}, h('tr', {}, ['#', words.trialColumn, words.learner, metric ?? 'Score', 'Seconds', 'Status'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, trials.map((t, i) => h('tr', { class: t.status === 'succeeded' ? null : 'failed' },
          h('td', {}, i + 1), h('td', {}, t.trialId), h('td', {}, t.learner), h('td', { class: 'number' }, formatNumber(t.score)),
          h('td', { class: 'number' }, formatNumber(t.seconds, 3)),
          h('td', {}, t.status, t.error ? h('span', { class: 'error-text' }, `: ${t.error}`) : null)))))));
}

function delay(ms, signal) {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
