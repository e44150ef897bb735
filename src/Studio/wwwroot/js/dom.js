// Building the page from data without innerHTML: every value becomes text, so no file or answer can inject markup.

/** An element with attributes (on* keys become listeners, false/null leave an attribute out) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false).map(c => c instanceof Node ? c : String(c)));
  return element;
}

const SvgNamespace = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes as for h. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SvgNamespace, tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false).map(c => c instanceof Node ? c : String(c)));
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** Replaces an element's content. */
export function show(element, ...children) {
  element.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return element;
}

/** A number as people read it: counts with thousands separators, other values to a few significant digits. */
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (Number.isInteger(value) || Math.abs(value) >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(digits);
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function formatTime(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A message region: role=alert for problems so screen readers announce them, status for the rest. */
export function notice(kind, ...children) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** A labelled form field: the control (which has an id), then its help. */
export function field(text, control, ...help) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control, ...help);
}

/** What the chain assumed, left out or warned about, as a collapsible list. */
export function listDetails(title, items, kind) {
  if (!items?.length) return null;
  return h('details', { class: kind ?? null, open: kind === 'warning' }, h('summary', {}, `${title} (${items.length})`),
    h('ul', {}, items.map(i => h('li', {}, i))));
}
