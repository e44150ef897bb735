// Home: drop a CSV, see what the engine will make of it, choose label, task (a forecast with its settings), metric and
// budget, and start training through POST /api/datasets/{dataset}?file=… (the file streams to storage; no storage key
// is ever in the page).
import { h, show, notice, formatNumber, field } from './dom.js';
import { send, ApiProblem } from './api.js';
import { readSample, proposeLabel, inferTask, datasetNameFor, isMissing, Metrics, numericColumns, proposeForecastTarget } from './csv.js';
import { forecastFields } from './forecast-upload.js';

const DefaultBudgetSeconds = 60;
const PreviewRows = 6;

export function uploadView(main, { navigate, refreshDatasets }) {
  const input = h('input', { type: 'file', id: 'file-input', tabindex: '-1', accept: '.csv,.tsv,.txt,text/csv,text/tab-separated-values', class: 'visually-hidden' });
  const zone = h('label', { for: 'file-input', class: 'drop-zone', tabindex: '0', role: 'button' },
    h('strong', {}, 'Drop a CSV file here'), h('span', {}, 'or press Enter to choose one'),
    h('small', {}, 'Comma, semicolon, tab or pipe separated, with or without a header row.'));
  const details = h('div', { id: 'upload-details' });

  input.addEventListener('change', () => input.files[0] && chosen(input.files[0]));
  zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files[0]) chosen(e.dataTransfer.files[0]);
  });

  show(main,
    h('h1', {}, 'New model from a CSV'),
    h('p', { class: 'lead' }, 'The file becomes a tuned model behind an endpoint that answers questions about your data. ',
      'Pick the column to predict; the engine tries learners and settings within the time budget and deploys the best.'),
    input, zone, details);

  async function chosen(file) {
    let sample;
    try {
      sample = await readSample(file);
    } catch (e) {
      show(details, notice('error', `This file cannot be read: ${e.message}`));
      return;
    }
    show(details, form(file, sample, navigate, refreshDatasets));
    details.querySelector('select, input').focus();
  }
}

function form(file, sample, navigate, refreshDatasets) {
  const { names, rows } = sample;
  const proposed = proposeLabel(names);
  const dataset = h('input', { id: 'dataset-name', name: 'dataset', required: true, pattern: '[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?',
    value: datasetNameFor(file.name), 'aria-describedby': 'dataset-help', autocomplete: 'off' });
  const label = h('select', { id: 'label-column', name: 'label' }, names.map(n => h('option', { value: n, selected: n === proposed }, n)));
  const task = h('select', { id: 'task', name: 'task', 'aria-describedby': 'task-help' });
  const taskHelp = h('small', { id: 'task-help', class: 'help' });
  const metric = h('select', { id: 'metric', name: 'metric' });
  const budget = h('input', { id: 'budget', name: 'budget', type: 'number', min: 5, max: 86400, step: 1, value: DefaultBudgetSeconds, required: true,
    'aria-describedby': 'budget-help' });
  const labelText = h('label', { for: 'label-column' }, 'Column to predict (label)');
  const forecastSlot = h('div', {});
  let forecast = null;
  const result = h('div', { class: 'upload-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload and train');

  function labelChanged() {
    const column = names.indexOf(label.value);
    const inferred = inferTask(rows.map(r => r[column] ?? ''));
    const distinct = new Set(rows.map(r => r[column]).filter(v => !isMissing(v))).size;
    const chosen = task.value;
    show(task,
      h('option', { value: '' }, inferred ? `Automatic: ${inferred}` : 'Automatic'),
      ['binary', 'multiclass', 'regression', 'forecast'].map(t => h('option', { value: t, selected: t === chosen }, t)));
    show(taskHelp, chosen === 'forecast'
      ? `Forecasts ${label.value} over time: backtested on the series' last horizons. A forecast is never inferred, only chosen here.`
      : inferred
        ? `${formatNumber(distinct)} distinct value${distinct === 1 ? '' : 's'} of ${label.value} in the first ${formatNumber(rows.length)} rows; the engine decides on all of them.`
        : `${label.value} does not look like something to predict (one value, or nearly every row different).`);
    taskChanged();
  }
  function forecastChosen() {
    const wanted = task.value === 'forecast';
    if (wanted === !!forecast) return;
    forecast?.release();
    forecast = null;
    show(labelText, wanted ? 'Value to forecast' : 'Column to predict (label)');
    if (wanted) {
      const numeric = numericColumns(names, rows);
      if (!numeric.includes(names.indexOf(label.value))) {
        label.value = proposeForecastTarget(names, numeric) ?? label.value;
        label.dispatchEvent(new Event('change'));
      }
      forecast = forecastFields(names, rows, label);
    }
    show(forecastSlot, forecast?.element);
  }
  function taskChanged() {
    const column = names.indexOf(label.value);
    const effective = task.value || inferTask(rows.map(r => r[column] ?? ''));
    const metrics = Metrics[effective] ?? [];
    show(metric,
      h('option', { value: '' }, metrics.length ? `Default (${metrics[0]})` : 'Default for the task'),
      metrics.map(m => h('option', { value: m }, m)));
  }
  label.addEventListener('change', labelChanged);
  task.addEventListener('change', () => { forecastChosen(); labelChanged(); });
  labelChanged();

  const element = h('form', { class: 'upload-form', novalidate: false, onsubmit: async e => {
    e.preventDefault();
    if (!element.reportValidity()) return;
    submit.disabled = true;
    show(result, notice('info', `Uploading ${file.name} (${formatBytes(file.size)})…`));
    const query = new URLSearchParams({ file: uploadFileName(file.name), label: label.value, budgetseconds: budget.value });
    if (forecast) forecast.addTo(query);
    else if (task.value) query.set('task', task.value);
    if (metric.value) query.set('metric', metric.value);
    try {
      const started = await send('POST', `/api/datasets/${dataset.value}?${query}`, file, 'text/csv');
      refreshDatasets();
      navigate(`#/runs/${encodeURIComponent(started.body.run)}`, started.body.started ? null : started.body.note);
    } catch (problem) {
      show(result, notice('error', h('strong', {}, problem instanceof ApiProblem ? problem.title : 'Upload failed'),
        ' ', problem instanceof ApiProblem ? problem.detail ?? '' : problem.message));
      submit.disabled = false;
    }
  } },
  h('h2', {}, file.name),
  h('p', { class: 'muted' }, `${formatBytes(file.size)} · ${names.length} columns · `,
    sample.hasHeader ? 'header row found' : 'no header row: columns are named Column1, Column2, …',
    ` · separator ${separatorName(sample.separator)}`, sample.truncated ? ` · first ${formatNumber(rows.length)} rows read` : ` · ${formatNumber(rows.length)} rows`),
  preview(names, rows, label),
  h('div', { class: 'fields' },
    field('Dataset name', dataset, h('small', { id: 'dataset-help', class: 'help' }, 'Lowercase letters, digits and -. Uploading again to the same name retrains it.')),
    h('div', { class: 'field' }, labelText, label),
    field('Task', task, taskHelp),
    field('Metric to optimize', metric),
    field('Time budget (seconds)', budget, h('small', { id: 'budget-help', class: 'help' }, 'Wall clock for the whole search; more time usually means a better model.'))),
  forecastSlot,
  h('div', { class: 'actions' }, submit),
  result);
  return element;
}

function preview(names, rows, label) {
  const table = h('table', { class: 'preview' },
    h('caption', { class: 'visually-hidden' }, 'First rows of the file'),
    h('thead', {}, h('tr', {}, names.map(n => h('th', { scope: 'col' }, n)))),
    h('tbody', {}, rows.slice(0, PreviewRows).map(r => h('tr', {}, names.map((_, i) => h('td', {}, r[i] ?? ''))))));
  const mark = () => {
    const column = names.indexOf(label.value);
    for (const row of table.rows) [...row.cells].forEach((cell, i) => cell.classList.toggle('label-column', i === column));
  };
  label.addEventListener('change', mark);
  mark();
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'File preview' }, table);
}

/** The API takes a plain .csv/.tsv/.txt name; anything else is uploaded under a tidied .csv name. */
function uploadFileName(name) {
  const tidy = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return /\.(csv|tsv|txt)$/i.test(tidy) ? tidy : `${tidy || 'data'}.csv`;
}

function separatorName(separator) {
  return { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[separator];
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
