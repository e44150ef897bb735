// A forecaster in the playground: the horizon, the series (when there are several) and the known columns' future
// values, as the chain's input schema describes them; the answer is the forecast drawn after the series' recent
// history (from the live card) and as a table with its intervals.
import { h, formatNumber, field, listDetails } from './dom.js';
import { forecastChart, forecastTable, formatTimestamp } from './forecast-view.js';

export const ForecastSteps = ['parse', 'forecast', 'compose'];
const NumberList = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(\s*[,;\s]\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)*\s*$/;
const AnswerChartWidth = 520;

/** The record form: record is the schema of {"input": {...}}, forecast the live card's forecaster card. */
export function forecastForm(title, record, forecast, ask) {
  const { horizon: horizonSchema, series: seriesSchema } = record.properties;
  const horizon = h('input', { id: 'field-horizon', name: 'horizon', type: 'number', min: horizonSchema.minimum, max: horizonSchema.maximum, step: 1,
    value: horizonSchema.default, required: true });
  const series = seriesSchema ? h('select', { id: 'field-series', name: 'series', required: true },
    h('option', { value: '' }, 'Choose a series'), seriesSchema.enum.map(v => h('option', { value: v }, v))) : null;
  const known = forecast.input.knownColumns.map(column => {
    const control = h('input', { id: `field-${column.name.replace(/[^A-Za-z0-9_-]/g, '_')}`, name: column.name, type: 'text', inputmode: 'decimal',
      placeholder: 'a season earlier', autocomplete: 'off',
      oninput: e => e.target.setCustomValidity(NumberList.test(e.target.value) || !e.target.value ? '' : 'Numbers separated by commas.') });
    return { name: column.name, control, element: field(column.name, control, h('small', { class: 'help' },
      `One number for every step, or one per step separated by commas (seen in training: ${formatNumber(column.min)} to ${formatNumber(column.max)}).`)) };
  });
  const form = h('form', { class: 'panel record forecast-form', onsubmit: e => {
    e.preventDefault();
    if (!form.reportValidity()) return;
    const input = { horizon: Number(horizon.value) };
    if (series) input.series = series.value;
    for (const k of known.filter(k => k.control.value.trim())) {
      const values = k.control.value.split(/[,;\s]+/).filter(Boolean).map(Number);
      input[k.name] = values.length === 1 ? values[0] : values;
    }
    ask({ input });
  } },
  h('h2', {}, 'Or set the forecast'),
  h('p', { class: 'help' }, `${title}. Up to ${horizonSchema.default} steps were backtested; more are forecast with a warning.`),
  h('div', { class: 'record-fields' },
    field('Horizon (steps)', horizon),
    series ? field('Series', series) : null,
    known.map(k => k.element)),
  known.length ? null : h('p', { class: 'help' }, 'This forecaster has no known-in-advance columns.'),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Forecast')));
  return form;
}

/** The chain's forecast output: a chart after the series' recent history, the table, the answer and its caveats. */
export function forecastOutput(o, forecast) {
  const summary = (forecast.seriesSummaries ?? []).find(s => (s.profile.id ?? '') === (o.series ?? ''));
  const [first, last] = [o.forecast[0], o.forecast.at(-1)];
  const coverage = o.coverage?.coverage80 === null || o.coverage?.coverage80 === undefined ? null
    : `On the backtest, the 80% intervals held ${formatNumber(100 * o.coverage.coverage80, 3)} % of the actual values and the 95% intervals ${formatNumber(100 * o.coverage.coverage95, 3)} %.`;
  return h('div', { class: 'output forecast-output' },
    h('p', { class: 'prediction' }, h('span', { class: 'muted' }, 'Forecast '), h('strong', {}, `${o.steps} step${o.steps === 1 ? '' : 's'}`),
      h('span', { class: 'muted' }, ` of ${o.target}${o.series ? ` for ${o.series}` : ''}, ${formatTimestamp(first.timestamp, o.frequency)} to ${formatTimestamp(last.timestamp, o.frequency)}`)),
    forecastChart({ target: o.target, series: o.series, recent: summary?.recent ?? [], forecast: o.forecast, frequency: o.frequency, width: AnswerChartWidth, height: 280 }),
    forecastTable(o.forecast, o.frequency, `Forecast of ${o.target}${o.series ? ` for ${o.series}` : ''}`),
    h('p', { class: 'answer-text' }, o.answer),
    coverage ? h('p', { class: 'help' }, coverage) : null,
    listDetails('Assumed', o.assumed), listDetails('Warnings', o.warnings, 'warning'),
    h('p', { class: 'muted small' }, `Forecaster ${o.modelVersion} · answer written by ${o.llm === 'none' ? 'the template' : o.llm}`));
}
