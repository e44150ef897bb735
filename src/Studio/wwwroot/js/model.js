// A dataset's models (GET /api/models/{dataset}): the chosen version's card — metrics, out-of-fold diagnostics,
// feature importance, or a forecaster's backtest and forecast (forecast-model.js) — every version with its score, which
// one is live, rollback and promote; and the dataset's runs.
import { h, show, notice, formatNumber, formatTime } from './dom.js';
import { getJson, send } from './api.js';
import { xyChart, barChart, confusionMatrix, Palette } from './charts.js';
import { forecastCard } from './forecast-model.js';

const MaxImportanceBars = 15;

export async function modelView(main, context, dataset, selectedVersion) {
  const { signal, refreshDatasets } = context;
  show(main, h('h1', {}, dataset), tabs(dataset, 'model'), h('p', { class: 'muted' }, 'Loading…'));
  const [models, runs] = await Promise.all([
    getJson(`/api/models/${dataset}`, { signal }).catch(problem => problem.status === 404 ? null : Promise.reject(problem)),
    getJson(`/api/runs?dataset=${dataset}`, { signal }),
  ]);
  if (signal.aborted) return;
  const running = runs.runs.find(r => r.status === 'running');
  const status = running ? notice('info', 'A run is training a new model. ', h('a', { href: `#/runs/${running.instanceId}` }, 'Watch it')) : null;
  if (!models) {
    show(main, h('h1', {}, dataset), tabs(dataset, 'model'), status ?? notice('warning', 'This dataset has no model yet.'), runList(runs.runs));
    return;
  }
  const live = models.champion?.version;
  const version = models.versions.find(v => v.version === selectedVersion) ?? models.versions.find(v => v.version === live) ?? models.versions.at(-1);
  const message = h('div', { 'aria-live': 'polite' });
  const reload = changed => {
    refreshDatasets();
    return modelView(main, context, dataset, changed);
  };

  show(main,
    h('h1', {}, dataset),
    tabs(dataset, 'model'),
    status,
    message,
    (version.forecast ? forecastCard : card)(version, version.version === live),
    versions(dataset, models, version.version, message, reload),
    runList(runs.runs));
}

export function tabs(dataset, current) {
  return h('nav', { class: 'tabs', 'aria-label': `${dataset} views` },
    h('a', { href: `#/datasets/${dataset}`, 'aria-current': current === 'model' ? 'page' : null }, 'Model'),
    h('a', { href: `#/datasets/${dataset}/playground`, 'aria-current': current === 'playground' ? 'page' : null }, 'Playground'));
}

function card(card, isLive) {
  const schema = card.schema;
  const classes = schema.classes ?? [];
  return h('section', { class: 'panel model-card', 'aria-labelledby': 'card-heading' },
    h('h2', { id: 'card-heading' }, `Model ${card.version} `, isLive ? h('span', { class: 'badge live' }, 'live') : h('span', { class: 'badge' }, 'not live')),
    h('p', { class: 'muted' },
      `${schema.task} on ${schema.label} · ${card.ensemble?.length ? `ensemble of ${card.ensemble.map(m => `${m.learner} #${m.trialId} (weight ${formatNumber(m.weight, 2)})`).join(', ')}` : card.learner}`,
      ` · ${formatNumber(card.rows)} rows · ${card.trials} trials · ${formatTime(card.createdAt)}`),
    h('div', { class: 'card-grid' },
      h('div', {},
        h('h3', {}, 'Cross-validated metrics'),
        h('table', { class: 'metrics' }, h('tbody', {}, Object.entries(card.metrics).map(([name, value]) =>
          h('tr', { class: name === card.metric ? 'optimized' : null }, h('th', { scope: 'row' }, name, name === card.metric ? ' (optimized)' : ''),
            h('td', { class: 'number' }, formatNumber(value))))))),
      importance(card.featureImportance)),
    diagnostics(card.diagnostics, schema.task, classes));
}

function importance(features) {
  if (!features?.length) return null;
  const top = [...features].sort((a, b) => b.importance - a.importance).slice(0, MaxImportanceBars);
  return h('div', { class: 'importance' },
    h('h3', {}, 'What the model relies on'),
    barChart({ label: `Permutation importance of the ${top.length} most important columns`, items: top.map(f => ({ label: f.column, value: f.importance })) }),
    h('p', { class: 'help' }, 'How much the score drops when a column’s values are shuffled.'));
}

function diagnostics(d, task, classes) {
  if (!d) return h('p', { class: 'muted' }, 'This model was trained before diagnostics were recorded.');
  const charts = [];
  if (d.confusionMatrix) charts.push(h('div', {}, h('h3', {}, 'Confusion matrix'), confusionMatrix(classes, d.confusionMatrix)));
  else if (task !== 'regression') charts.push(h('p', { class: 'muted' }, `${classes.length} classes: too many for a confusion matrix.`));
  if (d.roc) charts.push(h('div', {}, h('h3', {}, 'ROC curve'), xyChart({
    label: `ROC curve of the out-of-fold predictions, positive class ${classes[1]}`, xLabel: 'false positive rate', yLabel: 'true positive rate',
    xDomain: [0, 1], yDomain: [0, 1], width: 420, height: 320,
    lines: [{ name: `positive class: ${classes[1]}`, points: d.roc.map(p => ({ x: p.x, y: p.y })), color: Palette[0] },
      { name: 'chance', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], color: '#888', dash: '4 4', width: 1 }],
  })));
  if (d.predictedVsActual) {
    const points = d.predictedVsActual;
    const values = points.flatMap(p => [p.x, p.y]);
    const [low, high] = [Math.min(...values), Math.max(...values)];
    charts.push(h('div', {}, h('h3', {}, 'Predicted against actual'), xyChart({
      label: `Out-of-fold predictions against actual values for ${points.length} rows`, xLabel: 'actual', yLabel: 'predicted',
      width: 420, height: 320, series: [{ name: 'rows', points: points.map(p => ({ x: p.x, y: p.y, title: `actual ${formatNumber(p.x)}, predicted ${formatNumber(p.y)}` })) }],
      lines: [{ name: 'perfect', points: [{ x: low, y: low }, { x: high, y: high }], color: '#888', dash: '4 4', width: 1 }],
    })));
    charts.push(h('div', {}, h('h3', {}, 'Residuals'), xyChart({
      label: 'Residuals (actual minus predicted) against the predicted value', xLabel: 'predicted', yLabel: 'actual − predicted',
      width: 420, height: 320, series: [{ name: 'rows', color: Palette[2], points: points.map(p => ({ x: p.y, y: p.x - p.y })) }],
      lines: [{ points: [{ x: Math.min(...points.map(p => p.y)), y: 0 }, { x: Math.max(...points.map(p => p.y)), y: 0 }], color: '#888', dash: '4 4', width: 1 }],
    })));
  }
  return h('div', {},
    h('h3', { class: 'section-title' }, `How it did on rows it did not train on (${formatNumber(d.rows)} rows)`),
    h('div', { class: 'diagnostics' }, charts));
}

function versions(dataset, models, shown, message, reload) {
  const live = models.champion?.version;
  const previous = models.champion?.history?.[0];
  const act = async (path, button) => {
    button.disabled = true;
    try {
      const changed = await send('POST', `${path}?champion=${encodeURIComponent(live)}`);
      await reload(changed.body.champion.version);
    } catch (problem) {
      show(message, notice('error', problem.message));
      button.disabled = false;
    }
  };
  const rollback = previous ? h('button', { type: 'button', class: 'rollback', onclick: e => act(`/api/models/${dataset}/rollback`, e.currentTarget) }, `Roll back to ${previous}`) : null;
  return h('section', { class: 'panel', 'aria-labelledby': 'versions-heading' },
    h('h2', { id: 'versions-heading' }, 'Versions'),
    rollback ? h('p', {}, rollback) : null,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Versions' },
      h('table', { class: 'versions' },
        h('thead', {}, h('tr', {}, ['Version', 'Created', 'Metric', 'Score', 'Learner', ''].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, [...models.versions].reverse().map(v => h('tr', { class: v.version === shown ? 'shown' : null },
          h('th', { scope: 'row' }, h('a', { href: `#/datasets/${dataset}/versions/${v.version}`, 'aria-current': v.version === shown ? 'true' : null }, v.version),
            v.version === live ? h('span', { class: 'badge live' }, 'live') : null),
          h('td', {}, formatTime(v.createdAt)), h('td', {}, v.metric), h('td', { class: 'number' }, formatNumber(v.cvScore)),
          h('td', {}, v.ensemble?.length ? 'ensemble' : v.forecast?.members.length > 1 ? 'blend' : v.learner),
          h('td', {}, v.version === live ? null : h('button', { type: 'button', class: 'small', 'aria-label': `Make ${v.version} live`,
            onclick: e => act(`/api/models/${dataset}/versions/${v.version}/promote`, e.currentTarget) }, 'Make live'))))))));
}

function runList(runs) {
  if (!runs.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'runs-heading' },
    h('h2', { id: 'runs-heading' }, 'Runs'),
    h('ul', { class: 'runs' }, runs.map(r => h('li', {},
      h('a', { href: `#/runs/${r.instanceId}` }, formatTime(r.startedAt)), ' ',
      h('span', { class: `badge ${r.status}` }, r.status),
      r.modelVersion ? ` model ${r.modelVersion}` : '', r.cvScore !== undefined && r.cvScore !== null ? ` · ${formatNumber(r.cvScore)}` : '',
      r.error ? h('span', { class: 'error-text' }, ` · ${r.error}`) : null))));
}
