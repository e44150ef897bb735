// What the forecast pages share: a series' recent history and its forecast drawn with the 80% and 95% prediction
// intervals as bands, and the forecast as a table (timestamp, forecast, lo80, hi80, lo95, hi95).
import { h, formatNumber } from './dom.js';
import { xyChart, timeTicks, Palette } from './charts.js';

const Months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HistoryColor = Palette[0];
const ForecastColor = Palette[1];
const Band95 = 'rgba(213, 94, 0, 0.14)';
const Band80 = 'rgba(213, 94, 0, 0.30)';

/** A timestamp of the API (UTC, written without an offset) as milliseconds. */
export function parseTime(iso) {
  return Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/** A timestamp as its frequency names it: "Jan 1961" for monthly data, "12 Mar 2024" for daily, with the hour for hourly. */
export function formatTimestamp(iso, frequency) {
  const d = new Date(parseTime(iso));
  const [day, month, year] = [d.getUTCDate(), Months[d.getUTCMonth()], d.getUTCFullYear()];
  switch (frequency) {
    case 'yearly': return String(year);
    case 'quarterly': return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${year}`;
    case 'monthly': return `${month} ${year}`;
    case 'hourly': return `${day} ${month} ${year} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
    default: return `${day} ${month} ${year}`;
  }
}

/**
 * History (points of { timestamp, value }) and the forecast after it as lines, the intervals as bands. The forecast
 * line starts at the last point of history so the two join.
 */
export function forecastChart({ target, series, recent, forecast, frequency, width = 720, height = 320 }) {
  const history = recent.map(p => ({ x: parseTime(p.timestamp), y: p.value }));
  const ahead = forecast.map(p => ({ ...p, x: parseTime(p.timestamp) }));
  const joined = [...history.slice(-1), ...ahead.map(p => ({ x: p.x, y: p.forecast }))];
  const name = series ? `${target} of ${series}` : target;
  const span = ahead.length ? `${formatTimestamp(forecast[0].timestamp, frequency)} to ${formatTimestamp(forecast.at(-1).timestamp, frequency)}` : '';
  return xyChart({
    label: `${name}: the last ${history.length} values and the forecast of ${ahead.length} steps (${span}) with 80% and 95% prediction intervals`,
    xLabel: 'time', yLabel: target, width, height, xTicks: timeTicks,
    bands: [
      { name: '95% interval', color: Band95, points: ahead.map(p => ({ x: p.x, lo: p.lo95, hi: p.hi95 })) },
      { name: '80% interval', color: Band80, points: ahead.map(p => ({ x: p.x, lo: p.lo80, hi: p.hi80 })) },
    ],
    lines: [
      { name: 'history', color: HistoryColor, points: history },
      { color: ForecastColor, dash: '6 3', points: joined },
    ],
    series: [{ name: 'forecast', color: ForecastColor, shape: 'circle',
      points: ahead.map(p => ({ x: p.x, y: p.forecast, title: `${formatTimestamp(p.timestamp, frequency)}: ${formatNumber(p.forecast)} (80%: ${formatNumber(p.lo80)} to ${formatNumber(p.hi80)})` })) }],
  });
}

/** The forecast table, one row per step. */
export function forecastTable(points, frequency, caption) {
  const number = v => h('td', { class: 'number' }, formatNumber(v));
  return h('div', { class: 'table-scroll tall', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: 'forecast-table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ['Time', 'Forecast', '80% from', '80% to', '95% from', '95% to'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, points.map(p => h('tr', {},
        h('th', { scope: 'row' }, formatTimestamp(p.timestamp, frequency)),
        number(p.forecast), number(p.lo80), number(p.hi80), number(p.lo95), number(p.hi95))))));
}
