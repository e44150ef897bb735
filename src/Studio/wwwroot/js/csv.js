// What the page can tell about a file before uploading it, mirroring the engine's own reading
// (src/AutoMl/Data/DelimitedFile.cs, LabelInference.cs) on the first part of the file: separator, header, columns,
// a sample of rows, and the label and task the engine would infer.

const SampleBytes = 256 * 1024;
const Separators = [',', ';', '\t', '|'];
const MissingTokens = new Set(['', '?', 'na', 'n/a', 'nan', 'null']);
const LabelNames = ['label', 'target', 'class', 'y'];
const MaxIntegerClasses = 20;
const MaxClasses = 200;

/** Reads the start of a File: { separator, hasHeader, names, rows (a sample), truncated }. */
export async function readSample(file) {
  const truncated = file.size > SampleBytes;
  let text = await file.slice(0, SampleBytes).text();
  text = text.replace(/^\uFEFF/, '');
  if (truncated) text = text.slice(0, text.lastIndexOf('\n') + 1); // the last line may be cut
  const lines = text.split(/\r?\n/).filter(l => l.trim().length > 0).slice(0, 30);
  if (lines.length === 0) throw new Error('The file is empty.');
  const separator = sniffSeparator(lines);
  const raw = parse(text, separator).filter(r => r.some(v => v.trim().length > 0));
  const hasHeader = looksLikeHeader(raw);
  const width = raw[0].length;
  const names = hasHeader ? raw[0].map((n, i) => n.trim() || `Column${i + 1}`) : raw[0].map((_, i) => `Column${i + 1}`);
  return { separator, hasHeader, names, rows: raw.slice(hasHeader ? 1 : 0).filter(r => r.length >= width - 1), truncated };
}

/** The label the engine would pick: a column named label/target/class/y, else the last one. */
export function proposeLabel(names) {
  for (const wanted of LabelNames) {
    const found = names.find(n => n.toLowerCase() === wanted);
    if (found) return found;
  }
  return names[names.length - 1];
}

/** The task the engine would infer from the label's values (in the sample): binary, multiclass, regression, or null when none fits. */
export function inferTask(values) {
  const present = values.filter(v => !isMissing(v)).map(v => v.trim());
  const distinct = new Set(present);
  if (distinct.size < 2) return null;
  if (distinct.size === 2) return 'binary';
  if (present.every(isNumber)) {
    const integers = present.every(v => Number.isInteger(toNumber(v)));
    return integers && distinct.size <= MaxIntegerClasses ? 'multiclass' : 'regression';
  }
  // Text with mostly distinct values is an id or free text, not a class: the engine refuses it.
  return distinct.size > MaxClasses || distinct.size > 0.5 * present.length ? null : 'multiclass';
}

/** The metrics the engine offers for a task, the default first (src/AutoMl/MetricCatalog.cs). */
export const Metrics = {
  binary: ['auc', 'accuracy', 'f1', 'logloss'],
  multiclass: ['microAccuracy', 'macroAccuracy', 'logloss'],
  regression: ['rmse', 'mae', 'r2'],
  forecast: ['mase'],
};

/** Share of a column's present values that must parse for the engine to call it dates or numbers (SeriesReader). */
const TypedShare = 0.95;

/** The indexes of the columns whose sampled values are numbers. */
export function numericColumns(names, rows) {
  return names.map((_, c) => c).filter(c => share(rows.map(r => r[c]), isNumber) >= TypedShare);
}

/** The indexes of the columns whose sampled values are dates as the engine reads them (with a date or time separator). */
export function dateColumns(names, rows) {
  return names.map((_, c) => c).filter(c => share(rows.map(r => r[c]), isDate) >= TypedShare);
}

/** The value a forecast would predict: a numeric column named like a label, else the last numeric one (SeriesReader). */
export function proposeForecastTarget(names, numeric) {
  const candidates = numeric.map(c => names[c]);
  return candidates.find(n => ['target', 'y', 'value', 'label'].includes(n.toLowerCase())) ?? candidates.at(-1);
}

/**
 * The series column the engine would infer: when timestamps repeat, the one non-numeric column with a few values
 * that makes (series, time) unique; null otherwise.
 */
export function proposeSeriesColumn(names, rows, time, numeric) {
  const times = rows.map(r => r[time]);
  if (new Set(times).size === times.length) return null;
  const found = names.map((_, c) => c).filter(c => c !== time && !numeric.includes(c)).filter(c => {
    const ids = new Set(rows.map(r => r[c]));
    return ids.size >= 2 && ids.size <= rows.length / 4 && new Set(rows.map(r => `${r[c]}\u0000${r[time]}`)).size >= 0.99 * rows.length;
  });
  return found.length === 1 ? names[found[0]] : null;
}

function share(values, parses) {
  const present = values.filter(v => !isMissing(v));
  return present.length === 0 ? 0 : present.filter(parses).length / present.length;
}

function isDate(value) {
  const text = value.trim();
  return text.length >= 6 && /[-/:]/.test(text) && !Number.isNaN(Date.parse(text));
}

/** A dataset name the API accepts (lowercase letters, digits and '-', at most 63) made from a file name. */
export function datasetNameFor(fileName) {
  const name = fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return name || 'dataset';
}

export function isMissing(value) {
  return value === undefined || MissingTokens.has(value.trim().toLowerCase());
}

function isNumber(value) {
  return !Number.isNaN(toNumber(value));
}

/** A number as the engine reads one, decimal comma included; NaN otherwise. */
function toNumber(value) {
  const text = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?\d+,\d+$/.test(text)) return Number(text.replace(',', '.'));
  return NaN;
}

/** The separator that splits the lines most consistently into the most fields. */
function sniffSeparator(lines) {
  return Separators
    .map(separator => {
      const counts = lines.map(l => countOutsideQuotes(l, separator));
      return { separator, consistent: counts.filter(n => n === counts[0] && n > 0).length, fields: counts[0] };
    })
    .sort((a, b) => b.consistent - a.consistent || b.fields - a.fields)[0].separator;
}

function countOutsideQuotes(line, separator) {
  let count = 0, quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) count++;
  }
  return count;
}

function looksLikeHeader(rows) {
  const first = rows[0];
  if (first.some(v => !isMissing(v) && isNumber(v))) return false;
  const sample = rows.slice(1, 201);
  if (sample.length === 0) return true;
  for (let c = 0; c < first.length; c++) {
    const column = sample.filter(r => c < r.length && !isMissing(r[c])).map(r => r[c]);
    if (column.length > 0 && column.every(isNumber)) return true;
  }
  return first.every((value, c) => sample.every(r => c >= r.length || r[c] !== value));
}

/** RFC 4180 fields: quotes around fields, doubled quotes inside them, new lines inside quotes. */
function parse(text, separator) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') { quoted = true; field = ''; }
    else if (ch === separator) { row.push(field.trim()); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim()); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field.length > 0 || row.length > 0) { row.push(field.trim()); rows.push(row); }
  return rows;
}
