// The Studio's shell: the datasets list and a hash router (#/, #/runs/{id}, #/datasets/{dataset}[/playground |
// /versions/{version}]). Each view gets an AbortSignal that fires when the person moves on, which stops its polling.
import { h, show, notice, formatNumber } from './dom.js';
import { getJson } from './api.js';
import { uploadView } from './upload.js';
import { runView } from './run.js';
import { modelView } from './model.js';
import { playgroundView } from './playground.js';

const Routes = [
  [/^#\/?$/, 'New model', uploadView],
  [/^#\/runs\/([^/]+)$/, 'Training run', runView],
  [/^#\/datasets\/([a-z0-9-]+)$/, 'Model', modelView],
  [/^#\/datasets\/([a-z0-9-]+)\/versions\/([^/]+)$/, 'Model', modelView],
  [/^#\/datasets\/([a-z0-9-]+)\/playground$/, 'Playground', playgroundView],
];

const main = document.getElementById('main');
const datasetList = document.getElementById('datasets');
let current = null;
let pendingNote = null;

function navigate(hash, note = null) {
  pendingNote = note;
  if (location.hash === hash) route(); else location.hash = hash;
}

async function route() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // in-page anchors such as the skip link
  current?.abort();
  current = new AbortController();
  const found = Routes.map(([pattern, title, view]) => [hash.match(pattern), title, view]).find(([match]) => match);
  const [match, title, view] = found ?? [[], 'Not found', notFound];
  const params = match.slice(1).map(decodeURIComponent);
  document.title = `${params[0] ? `${params[0]} · ` : ''}${title} · Studio`;
  markDataset(params[0]);
  const context = { signal: current.signal, navigate, refreshDatasets, note: pendingNote };
  pendingNote = null;
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  try {
    await view(main, context, ...params);
  } catch (problem) {
    if (!context.signal.aborted) show(main, h('h1', {}, title), notice('error', problem.message));
  }
}

function notFound(target) {
  show(target, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Start from a CSV')));
}

async function refreshDatasets() {
  try {
    const { datasets } = await getJson('/api/datasets');
    show(datasetList, datasets.length === 0
      ? h('li', { class: 'muted' }, 'None yet: upload a CSV.')
      : datasets.map(d => h('li', {}, h('a', { href: `#/datasets/${d.dataset}`, 'data-dataset': d.dataset },
        h('span', { class: 'name' }, d.dataset),
        h('span', { class: 'summary' }, d.lastRun?.status === 'running' ? h('span', { class: 'badge running' }, 'training')
          : d.champion ? `${d.champion.metric} ${formatNumber(d.champion.cvScore, 3)}`
          : d.lastRun ? h('span', { class: `badge ${d.lastRun.status}` }, d.lastRun.status) : 'no model')))));
    markDataset(location.hash.match(/^#\/datasets\/([a-z0-9-]+)/)?.[1]);
  } catch (problem) {
    show(datasetList, h('li', { class: 'error-text' }, problem.message));
  }
}

function markDataset(name) {
  for (const link of datasetList.querySelectorAll('a[data-dataset]'))
    if (link.dataset.dataset === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
}

window.addEventListener('hashchange', route);
refreshDatasets();
route();
