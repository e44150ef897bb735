// A forecaster's card on the model page (card.forecast, src/AutoMl/Forecasting/ForecastContracts.cs): its backtest
// against the seasonal naive's, the measured coverage of its intervals, the chosen method or blend, how the series were
// read (frequency, gaps), and a chart of each summarized series' recent history and deployed forecast.
import { h, show, formatNumber, formatTime } from './dom.js';
import { forecastChart, forecastTable, formatTimestamp } from './forecast-view.js';

const BacktestMetrics = [['mae', 'MAE'], ['rmse', 'RMSE'], ['smape', 'sMAPE (%)'], ['mase', 'MASE']];

export function forecastCard(card, isLive) {
  const f = card.forecast;
  const input = f.input;
  return h('section', { class: 'panel model-card forecast-card', 'aria-labelledby': 'card-heading' },
    h('h2', { id: 'card-heading' }, `Forecaster ${card.version} `, isLive ? h('span', { class: 'badge live' }, 'live') : h('span', { class: 'badge' }, 'not live')),
    h('p', { class: 'muted' },
      `forecast of ${f.target} by ${f.timeColumn} · ${input.frequency} · horizon ${input.horizon} steps · `,
      `${input.series.length} series${f.seriesColumn ? ` (${f.seriesColumn})` : ''} · ${formatNumber(f.rows)} rows · ${f.candidates} candidates · ${formatTime(card.createdAt)}`),
    h('p', { class: 'chosen' }, h('strong', {}, 'Chosen: '), f.description),
    seriesCharts(f),
    h('div', { class: 'forecast-metrics' }, backtest(f), coverage(f.coverage)),
    dataReport(f));
}

function backtest(f) {
  const naive = f.seasonalNaiveBacktest;
  return h('div', {},
    h('h3', {}, `Backtest (${f.folds} fold${f.folds === 1 ? '' : 's'} × ${f.input.horizon} steps)`),
    h('table', { class: 'metrics backtest' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'metric'), h('th', { scope: 'col' }, 'forecaster'), naive ? h('th', { scope: 'col' }, 'seasonal naive') : null)),
      h('tbody', {}, BacktestMetrics.map(([key, name]) => h('tr', { class: key === 'mase' ? 'optimized' : null, 'data-metric': key },
        h('th', { scope: 'row' }, name, key === 'mase' ? ' (optimized)' : ''),
        h('td', { class: 'number' }, formatNumber(f.backtest[key])),
        naive ? h('td', { class: 'number' }, formatNumber(naive[key])) : null)))),
    h('p', { class: 'help' }, 'Rolling origins: each fold forecasts a horizon the model was not fitted on. MASE below 1 beats the seasonal naive within the history.'));
}

function coverage(c) {
  const measured = c.coverage80 !== null && c.coverage80 !== undefined;
  return h('div', { class: 'coverage' },
    h('h3', {}, 'Prediction intervals on the backtest'),
    measured
      ? h('table', { class: 'metrics' }, h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, '80% interval held'), h('td', { class: 'number' }, percent(c.coverage80))),
        h('tr', {}, h('th', { scope: 'row' }, '95% interval held'), h('td', { class: 'number' }, percent(c.coverage95)))))
      : h('p', { class: 'muted' }, 'Not measured: with one backtest fold there is no other fold to calibrate on.'),
    measured ? h('p', { class: 'help' }, `Of ${formatNumber(c.points)} backtest values, each fold's against intervals calibrated on the other folds.`) : null);
}

/** A chart (and its table) per summarized series, one at a time with a choice of series when there are several. */
function seriesCharts(f) {
  const summaries = f.seriesSummaries ?? [];
  if (!summaries.length) return h('p', { class: 'muted' }, 'This forecaster was trained before cards kept its series: forecast it in the playground.');
  const shown = h('div', {});
  const draw = index => {
    const s = summaries[index];
    show(shown,
      forecastChart({ target: f.target, series: s.profile.id, recent: s.recent, forecast: s.forecast, frequency: f.input.frequency }),
      h('details', {}, h('summary', {}, `The forecast of ${s.forecast.length} steps as a table`),
        forecastTable(s.forecast, f.input.frequency, `Forecast of ${f.target}${s.profile.id ? ` for ${s.profile.id}` : ''}`)),
      f.input.knownColumns.length ? h('p', { class: 'help' }, 'Known columns repeat their values one season earlier here; give their future values in the playground.') : null);
  };
  const choice = summaries.length > 1 ? h('select', { id: 'chart-series', onchange: e => draw(Number(e.target.value)) },
    summaries.map((s, i) => h('option', { value: i }, s.profile.id))) : null;
  draw(0);
  return h('div', { class: 'series-chart' },
    h('h3', {}, 'History and forecast'),
    choice ? h('p', {}, h('label', { for: 'chart-series' }, 'Series '), choice,
      f.input.series.length > summaries.length ? h('span', { class: 'help' }, `The card keeps the first ${summaries.length} of ${f.input.series.length} series.`) : null) : null,
    shown);
}

/** How the data was read: the frequency and each summarized series' span and repairs, and the engine's notes. */
function dataReport(f) {
  const summaries = f.seriesSummaries ?? [];
  return h('div', { class: 'data-report' },
    h('h3', { class: 'section-title' }, `The data: ${f.input.frequency}, season of ${f.seasonalPeriod} step${f.seasonalPeriod === 1 ? '' : 's'}`),
    summaries.length ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Series read' },
      h('table', { class: 'series-report' },
        h('thead', {}, h('tr', {}, ['Series', 'Points', 'From', 'To', 'Gaps filled', 'Duplicates averaged', 'Missing values filled'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, summaries.map(({ profile: p }) => h('tr', {},
          h('th', { scope: 'row' }, p.id ?? f.target), h('td', { class: 'number' }, formatNumber(p.points)),
          h('td', {}, formatTimestamp(p.start, f.input.frequency)), h('td', {}, formatTimestamp(p.end, f.input.frequency)),
          h('td', { class: 'number' }, p.gaps), h('td', { class: 'number' }, p.duplicates), h('td', { class: 'number' }, p.missingTargets)))))) : null,
    f.notes?.length ? h('ul', { class: 'notes' }, f.notes.map(n => h('li', {}, n))) : null);
}

function percent(value) {
  return `${formatNumber(100 * value, 3)} %`;
}
