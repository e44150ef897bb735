// Charts as plain SVG built in the page: no library to ship or keep up to date, and they print and scale. Each chart
// is a <figure> with a text summary for screen readers; the numbers behind it are also on the page as tables.
import { h, svg, formatNumber } from './dom.js';

// Okabe-Ito colours (distinguishable with colour-blindness), each series also gets its own shape.
export const Palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const Shapes = ['circle', 'square', 'triangle', 'diamond'];
const Margin = { top: 14, right: 18, bottom: 46, left: 62 };
/** Above this many points markers shrink and turn translucent, so overlaps stay visible. */
const DensePoints = 150;

/**
 * A scatter/line chart. series: [{ name, points: [{x, y, title}], color?, shape? }]; lines: [{ points, color,
 * dash?, step?, name? }]; bands (shaded ranges, drawn first): [{ points: [{x, lo, hi}], color, name? }]. Domains
 * default to the data's range; xTicks(min, max) gives the x axis' [value, text] ticks (default: round numbers).
 */
export function xyChart({ label, xLabel, yLabel, series = [], lines = [], bands = [], xDomain, yDomain, xTicks = ticks, width = 640, height = 300 }) {
  const all = [...series.flatMap(s => s.points), ...lines.flatMap(l => l.points),
    ...bands.flatMap(b => b.points.flatMap(p => [{ x: p.x, y: p.lo }, { x: p.x, y: p.hi }]))].filter(p => Number.isFinite(p.x) && Number.isFinite(p.y));
  const [x0, x1] = xDomain ?? padded(all.map(p => p.x));
  const [y0, y1] = yDomain ?? padded(all.map(p => p.y));
  const plotWidth = width - Margin.left - Margin.right, plotHeight = height - Margin.top - Margin.bottom;
  const sx = x => Margin.left + (x1 === x0 ? plotWidth / 2 : (x - x0) / (x1 - x0) * plotWidth);
  const sy = y => Margin.top + plotHeight - (y1 === y0 ? plotHeight / 2 : (y - y0) / (y1 - y0) * plotHeight);

  const grid = svg('g', { class: 'axis' },
    xTicks(x0, x1).map(([t, text]) => svg('g', {},
      svg('line', { x1: sx(t), x2: sx(t), y1: Margin.top, y2: Margin.top + plotHeight, class: 'grid' }),
      svg('text', { x: sx(t), y: Margin.top + plotHeight + 16, 'text-anchor': 'middle' }, text))),
    ticks(y0, y1).map(([t, text]) => svg('g', {},
      svg('line', { x1: Margin.left, x2: Margin.left + plotWidth, y1: sy(t), y2: sy(t), class: 'grid' }),
      svg('text', { x: Margin.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, text))),
    svg('rect', { x: Margin.left, y: Margin.top, width: plotWidth, height: plotHeight, class: 'frame' }),
    svg('text', { x: Margin.left + plotWidth / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' }, xLabel),
    svg('text', { x: 14, y: Margin.top + plotHeight / 2, 'text-anchor': 'middle', class: 'axis-label',
      transform: `rotate(-90 14 ${Margin.top + plotHeight / 2})` }, yLabel));

  const drawnBands = bands.map(band => svg('path', {
    d: `${path(band.points.map(p => ({ x: p.x, y: p.hi })), sx, sy)}${path([...band.points].reverse().map(p => ({ x: p.x, y: p.lo })), sx, sy).replace(/^M/, 'L')}Z`,
    fill: band.color, class: 'band',
  }));
  const drawnLines = lines.map(line => svg('path', {
    d: path(line.points.filter(p => Number.isFinite(p.y)), sx, sy, line.step), fill: 'none', stroke: line.color ?? '#333',
    'stroke-width': line.width ?? 2, 'stroke-dasharray': line.dash ?? null, class: 'series-line',
  }));
  const dense = series.reduce((n, s) => n + s.points.length, 0) > DensePoints;
  const drawnPoints = series.map((s, i) => svg('g', { class: dense ? 'series dense' : 'series', 'data-series': s.name },
    s.points.filter(p => Number.isFinite(p.x) && Number.isFinite(p.y)).map(p =>
      marker(s.shape ?? Shapes[i % Shapes.length], sx(p.x), sy(p.y), s.color ?? Palette[i % Palette.length], p.title, dense ? 3 : 4.5))));

  const legend = [...series.map((s, i) => ({ drawn: s.points.length > 0, name: s.name, color: s.color ?? Palette[i % Palette.length], shape: s.shape ?? Shapes[i % Shapes.length] })),
    ...lines.filter(l => l.name).map(l => ({ drawn: true, name: l.name, color: l.color ?? '#333', line: true, dash: l.dash })),
    ...bands.filter(b => b.name).map(b => ({ drawn: true, name: b.name, color: b.color, band: true }))]
    .filter(item => item.drawn);
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'xy' },
      svg('title', {}, label), grid, drawnBands, drawnLines, drawnPoints),
    legend.length > 0 ? h('ul', { class: 'legend' }, legend.map(item => h('li', {}, swatch(item), item.name))) : null);
}

/** Horizontal bars, largest first as given. items: [{ label, value }]; signed bars grow left or right of zero. */
export function barChart({ label, items, format = v => formatNumber(v, 3), width = 560, color = Palette[0], negativeColor = Palette[1] }) {
  const labelWidth = Math.min(190, width * 0.38);
  const rowHeight = 24, valueWidth = 64, top = 4;
  const height = top * 2 + items.length * rowHeight;
  const max = Math.max(...items.map(i => Math.abs(i.value)), 1e-12);
  const signed = items.some(i => i.value < 0);
  const span = width - labelWidth - valueWidth;
  const zero = labelWidth + (signed ? span / 2 : 0);
  const scale = (signed ? span / 2 : span) / max;
  return h('figure', { class: 'chart bars' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
      svg('title', {}, label),
      items.map((item, i) => {
        const y = top + i * rowHeight;
        const length = Math.abs(item.value) * scale;
        const x = item.value < 0 ? zero - length : zero;
        return svg('g', { class: 'bar' },
          svg('title', {}, `${item.label}: ${format(item.value)}`),
          svg('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end', class: 'bar-label' }, truncate(item.label, Math.floor(labelWidth / 7.2))),
          svg('rect', { x, y: y + 4, width: Math.max(length, 1), height: rowHeight - 8, fill: item.value < 0 ? negativeColor : color }),
          svg('text', { x: width - valueWidth + 6, y: y + 16, class: 'bar-value' }, format(item.value)));
      }),
      signed ? svg('line', { x1: zero, x2: zero, y1: 0, y2: height, class: 'zero' }) : null));
}

/**
 * A confusion matrix as a table (actual classes down, predicted across), its cells shaded by their share of the row;
 * the darkest shade keeps dark text above 4.5:1 contrast.
 */
export function confusionMatrix(classes, matrix) {
  return h('table', { class: 'matrix' },
    h('caption', {}, 'Rows: actual class · columns: predicted class (out-of-fold)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'actual \\ predicted'), classes.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, matrix.map((row, r) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return h('tr', {}, h('th', { scope: 'row' }, classes[r]), row.map((count, c) => {
        const cell = h('td', { class: r === c ? 'diagonal' : null, title: `${formatNumber(100 * count / total, 3)} % of actual ${classes[r]}` }, count.toLocaleString('en-US'));
        cell.style.backgroundColor = `rgba(0, 114, 178, ${0.05 + 0.55 * count / total})`; // CSSOM: allowed by the page's CSP
        return cell;
      }));
    })));
}

function marker(shape, x, y, color, title, r = 4.5) {
  const attributes = { fill: color, stroke: color, 'stroke-width': 1.5, class: 'point' };
  const tip = title ? svg('title', {}, title) : null;
  switch (shape) {
    case 'square': return svg('rect', { ...attributes, x: x - r, y: y - r, width: 2 * r, height: 2 * r }, tip);
    case 'triangle': return svg('path', { ...attributes, d: `M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z` }, tip);
    case 'diamond': return svg('path', { ...attributes, d: `M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${x - r - 1},${y}Z` }, tip);
    case 'cross': return svg('path', { ...attributes, fill: 'none', 'stroke-width': 2, d: `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}` }, tip);
    default: return svg('circle', { ...attributes, cx: x, cy: y, r }, tip);
  }
}

function swatch(item) {
  return svg('svg', { width: 22, height: 12, 'aria-hidden': 'true', class: 'swatch' },
    item.band ? svg('rect', { x: 1, y: 1, width: 20, height: 10, fill: item.color })
    : item.line
      ? svg('line', { x1: 1, x2: 21, y1: 6, y2: 6, stroke: item.color, 'stroke-width': 2, 'stroke-dasharray': item.dash ?? null })
      : marker(item.shape, 11, 6, item.color));
}

function path(points, sx, sy, step) {
  return points.map((p, i) => {
    if (i === 0) return `M${sx(p.x)},${sy(p.y)}`;
    return step ? `H${sx(p.x)}V${sy(p.y)}` : `L${sx(p.x)},${sy(p.y)}`;
  }).join('');
}

function padded(values) {
  if (values.length === 0) return [0, 1];
  let min = Math.min(...values), max = Math.max(...values);
  if (min === max) { min -= Math.abs(min) * 0.1 || 1; max += Math.abs(max) * 0.1 || 1; }
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** About five round tick values between min and max, each with its label at the step's precision. */
function ticks(min, max, count = 5) {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 2.5, 5, 10].find(m => m * magnitude >= raw) ?? 10;
  const step = multiple * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (multiple === 2.5 ? 1 : 0);
  const result = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    result.push([t, Math.abs(t) >= 1e5 ? formatNumber(t) : t.toFixed(decimals)]);
  return result;
}

const Day = 86400000;
const Months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Ticks for an axis of UTC milliseconds: about six whole years, months, days or hours, as the span needs. */
export function timeTicks(min, max, count = 6) {
  const span = max - min;
  const date = t => new Date(t);
  if (span > 3 * 365 * Day) return every(min, max, [1, 2, 5, 10, 20, 50, 100].map(n => n * 12).find(m => span / (m * 30.4 * Day) <= count) ?? 1200,
    d => String(d.getUTCFullYear()));
  if (span > 90 * Day) return every(min, max, [1, 2, 3, 6, 12].find(m => span / (m * 30.4 * Day) <= count) ?? 12,
    d => `${Months[d.getUTCMonth()]} ${d.getUTCFullYear()}`);
  const step = [1, 2, 7, 14, 28].find(n => span / (n * Day) <= count);
  if (step && span > 3 * Day) {
    const result = [];
    for (let t = Math.ceil(min / Day) * Day; t <= max; t += step * Day) result.push([t, `${date(t).getUTCDate()} ${Months[date(t).getUTCMonth()]}`]);
    return result;
  }
  const hours = [1, 2, 3, 6, 12, 24].find(n => span / (n * 3600000) <= count) ?? 24;
  const result = [];
  for (let t = Math.ceil(min / (hours * 3600000)) * hours * 3600000; t <= max; t += hours * 3600000)
    result.push([t, `${date(t).getUTCDate()} ${Months[date(t).getUTCMonth()]} ${String(date(t).getUTCHours()).padStart(2, '0')}:00`]);
  return result;
}

/** Month starts every `months` months (a multiple of 12 lands on whole years) between min and max. */
function every(min, max, months, text) {
  const start = new Date(min);
  let index = start.getUTCFullYear() * 12 + start.getUTCMonth();
  if (Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1) < min) index++;
  const result = [];
  for (index = Math.ceil(index / months) * months; Date.UTC(Math.floor(index / 12), index % 12, 1) <= max; index += months) {
    const t = Date.UTC(Math.floor(index / 12), index % 12, 1);
    result.push([t, text(new Date(t))]);
  }
  return result;
}

function truncate(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
