// The settings of a forecast upload (task=forecast): the time column, the horizon, the series column and the columns
// known in advance, proposed from the sample as the engine would infer them (src/AutoMl/Forecasting/SeriesReader.cs).
import { h, show, field } from './dom.js';
import { numericColumns, dateColumns, proposeSeriesColumn } from './csv.js';

const MaxHorizon = 1000;

/**
 * The fieldset and what it adds to the upload's query, while the task is a forecast; label is the form's label select
 * (the value to forecast), which it checks is numeric.
 */
export function forecastFields(names, rows, label) {
  const numeric = numericColumns(names, rows);
  const dates = dateColumns(names, rows);
  const time = h('select', { id: 'time-column', name: 'timecolumn', 'aria-describedby': 'time-help' },
    names.map((n, c) => h('option', { value: n, selected: c === dates[0] }, n)));
  const timeHelp = h('small', { id: 'time-help', class: 'help' });
  const horizon = h('input', { id: 'horizon', name: 'horizon', type: 'number', min: 1, max: MaxHorizon, step: 1, placeholder: 'a season ahead',
    'aria-describedby': 'horizon-help' });
  const proposedSeries = proposeSeriesColumn(names, rows, names.indexOf(time.value), numeric);
  const series = h('select', { id: 'series-column', name: 'seriescolumn', 'aria-describedby': 'series-help' });
  const known = h('div', { class: 'known-columns', role: 'group', 'aria-labelledby': 'known-legend', 'aria-describedby': 'known-help' });

  function refresh() {
    const taken = new Set([label.value, time.value]);
    const chosenSeries = series.value || (series.options.length ? '' : proposedSeries ?? '');
    show(series, h('option', { value: '' }, 'None: one series'),
      names.filter(n => !taken.has(n)).map(n => h('option', { value: n, selected: n === chosenSeries }, n)));
    taken.add(series.value);
    const checked = new Set([...known.querySelectorAll('input:checked')].map(i => i.value));
    const choices = numeric.map(c => names[c]).filter(n => !taken.has(n));
    show(known, choices.length === 0 ? h('p', { class: 'muted small' }, 'No other numeric column.')
      : choices.map(n => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'knowncolumns', value: n, checked: checked.has(n) }), ` ${n}`)));
    time.setCustomValidity(time.value === label.value ? 'The time column cannot be the value to forecast.' : '');
    label.setCustomValidity(numeric.includes(names.indexOf(label.value)) ? '' : `${label.value} is not numeric: a forecast needs numbers to forecast.`);
    show(timeHelp, dates.includes(names.indexOf(time.value)) ? 'Holds dates in the rows read.'
      : dates.length ? `Dates in the rows read: ${dates.map(c => names[c]).join(', ')}.` : 'No column of the rows read holds dates (a date needs -, / or :).');
  }
  const listening = new AbortController();
  for (const control of [label, time, series]) control.addEventListener('change', refresh, { signal: listening.signal });
  refresh();

  const element = h('fieldset', { class: 'forecast-fields fields' },
    h('legend', {}, 'Forecast'),
    field('Time column', time, timeHelp),
    field('Horizon (steps ahead)', horizon, h('small', { id: 'horizon-help', class: 'help' }, 'Steps to forecast and to backtest on; empty: a season (12 months, 7 days…).')),
    field('Series column', series, h('small', { id: 'series-help', class: 'help' }, 'With several series in one file (one row per series and time): the column naming them.')),
    h('div', { class: 'field' }, h('span', { id: 'known-legend', class: 'label' }, 'Known in advance'), known,
      h('small', { id: 'known-help', class: 'help' }, 'Columns whose future values you will know (planned events); the others are used only up to the forecast’s start.')));

  return {
    element,
    /** Adds the forecast's settings to the upload's query. */
    addTo(query) {
      query.set('task', 'forecast');
      query.set('timecolumn', time.value);
      if (horizon.value) query.set('horizon', horizon.value);
      if (series.value) query.set('seriescolumn', series.value);
      const columns = [...known.querySelectorAll('input:checked')].map(i => i.value);
      if (columns.length) query.set('knowncolumns', columns.join(','));
    },
    /** Stops checking the form: the task is no longer a forecast. */
    release() {
      listening.abort();
      label.setCustomValidity('');
    },
  };
}
