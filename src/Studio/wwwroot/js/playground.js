// Try the live model: a form generated from its input schema (GET /api/chain/{dataset}/input_schema) and a question
// box, both answered through POST /api/chain/{dataset}/stream (step events, then output, then end), with the
// contributions as bars and the equivalent curl command. A forecaster gets its own form and answer (forecast-playground.js).
import { h, show, notice, formatNumber, listDetails } from './dom.js';
import { getJson, stream, usesKey, ApiProblem } from './api.js';
import { barChart } from './charts.js';
import { tabs } from './model.js';
import { forecastForm, forecastOutput, ForecastSteps } from './forecast-playground.js';

const Steps = ['parse', 'validate', 'predict', 'explain', 'compose'];
const MaxProbabilityBars = 8;
const AnswerChartWidth = 460;

export async function playgroundView(main, { signal }, dataset) {
  show(main, h('h1', {}, dataset), tabs(dataset, 'playground'), h('p', { class: 'muted' }, 'Loading…'));
  let schema, models;
  try {
    [schema, models] = await Promise.all([getJson(`/api/chain/${dataset}/input_schema`, { signal }), getJson(`/api/models/${dataset}`, { signal })]);
  } catch (problem) {
    if (!signal.aborted) show(main, h('h1', {}, dataset), tabs(dataset, 'playground'), notice('error', problem.message));
    return;
  }
  const record = schema.properties.input.oneOf.find(o => o.type === 'object');
  const forecast = models.versions.find(v => v.version === models.champion?.version)?.forecast;
  const answer = h('section', { class: 'panel answer', 'aria-live': 'polite', 'aria-labelledby': 'answer-heading' });
  const ask = forecast
    ? body => answerWith(answer, dataset, body, signal, ForecastSteps, o => forecastOutput(o, forecast))
    : body => answerWith(answer, dataset, body, signal, Steps, output);
  const forms = forecast
    ? [questionForm(ask, 'How far ahead, and with several series which one: “the next 6 months”, “next quarter for North”.',
      'Known columns take their values one season earlier; give them in the form below.'),
    forecastForm(schema.title, record, forecast, ask)]
    : [questionForm(ask, 'Describe a case in your own words and ask what the model predicts.',
      'Values the question does not mention take their training defaults; the answer lists them.'),
    recordForm(schema.title, record, ask)];
  show(main, h('h1', {}, dataset), tabs(dataset, 'playground'), h('div', { class: 'playground' }, h('div', {}, forms), answer));
}

function questionForm(ask, placeholder, help) {
  const question = h('textarea', { id: 'question', rows: 3, required: true, placeholder });
  const form = h('form', { class: 'panel question', onsubmit: e => { e.preventDefault(); if (form.reportValidity()) ask({ question: question.value }); } },
    h('h2', {}, h('label', { for: 'question' }, 'Ask in plain language')),
    question,
    h('p', { class: 'help' }, help),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Ask')));
  return form;
}

function recordForm(title, record, ask) {
  const fields = Object.entries(record.properties).map(([name, column]) => input(name, column));
  const form = h('form', { class: 'panel record', onsubmit: e => {
    e.preventDefault();
    const record = Object.fromEntries(fields.filter(f => f.control.value !== '').map(f => [f.name, f.value()]));
    ask({ input: record });
  } },
  h('h2', {}, 'Or fill in a record'),
  h('p', { class: 'help' }, `${title}. Leave a field empty to use its training default.`),
  h('div', { class: 'record-fields' }, fields.map(f => f.element)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Predict')));
  return form;
}

/** A form field for one column of the schema: a number, a choice of known values, or text with suggestions. */
function input(name, column) {
  const id = `field-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const placeholder = column.default !== undefined ? String(column.default) : '';
  let control, list = null;
  if (column.enum) {
    control = h('select', { id, name }, h('option', { value: '' }, `default (${placeholder})`), column.enum.map(v => h('option', { value: v }, v)));
  } else if (column.type === 'number') {
    control = h('input', { id, name, type: 'number', step: 'any', placeholder, inputmode: 'decimal' });
  } else {
    list = column.examples?.length ? h('datalist', { id: `${id}-values` }, column.examples.map(v => h('option', { value: v }))) : null;
    control = h('input', { id, name, type: 'text', placeholder, list: list ? `${id}-values` : null, autocomplete: 'off' });
  }
  const element = h('div', { class: 'field' }, h('label', { for: id }, name), control, list,
    h('small', { class: 'help' }, column.description ?? ''));
  return { name, control, element, value: () => column.type === 'number' ? Number(control.value) : control.value };
}

/** Streams the chain's answer into the panel: its steps as they come, then the output as render draws it. */
async function answerWith(panel, dataset, body, signal, names, render) {
  const steps = h('ol', { class: 'steps', 'aria-label': 'Chain steps' }, names.map(s => h('li', { 'data-step': s }, s)));
  const result = h('div', {});
  show(panel, h('h2', { id: 'answer-heading' }, 'Answer'), steps, result, curl(dataset, body));
  try {
    await stream(`/api/chain/${dataset}/stream`, body, (type, data) => {
      if (type === 'step') steps.querySelector(`[data-step="${data.step}"]`)?.classList.add('complete');
      else if (type === 'output') show(result, render(data.output));
      else if (type === 'error') show(result, problemNotice(ApiProblem.fromProblemObject(data)));
    }, signal);
  } catch (problem) {
    if (!signal.aborted) show(result, problemNotice(problem));
  }
}

function output(o) {
  const probabilities = o.probabilities ? Object.entries(o.probabilities).sort((a, b) => b[1] - a[1]).slice(0, MaxProbabilityBars) : [];
  return h('div', { class: 'output' },
    h('p', { class: 'prediction' }, h('span', { class: 'muted' }, 'Prediction '), h('strong', {}, typeof o.prediction === 'number' ? formatNumber(o.prediction, 5) : o.prediction)),
    probabilities.length ? barChart({ width: AnswerChartWidth, label: 'Probability of each class', items: probabilities.map(([c, p]) => ({ label: c, value: p })), format: p => `${formatNumber(100 * p, 3)} %` }) : null,
    h('p', { class: 'answer-text' }, o.answer),
    o.contributions?.factors.length ? why(o.contributions) : null,
    listDetails('Assumed (training defaults)', o.assumed), listDetails('Not used', o.ignored), listDetails('Warnings', o.warnings, 'warning'),
    h('p', { class: 'muted small' }, `Model ${o.modelVersion} · answer written by ${o.llm === 'none' ? 'the template' : o.llm}`));
}

/** Each named column's contribution to the model's raw score, signed; a text column shows its words, not its text. */
function why(c) {
  const label = f => f.words?.length ? `${f.column}: ${f.words.map(w => w.text).join(', ')}` : `${f.column} = ${f.value ?? 'missing'}`;
  return h('div', {}, h('h3', {}, 'Why'),
    barChart({ width: AnswerChartWidth, label: `Contributions to the model's score for ${c.scoreOf}`, items: c.factors.map(f => ({ label: label(f), value: f.contribution })) }),
    h('p', { class: 'help' }, `The model's raw score for ${c.scoreOf} is ${formatNumber(c.rawScore)}: its training average ${formatNumber(c.baseValue)}, `
      + `plus each column's contribution (the other columns together: ${formatNumber(c.otherColumns)}). Positive raises it, negative lowers it.`));
}

function problemNotice(problem) {
  const fields = problem.extra?.fields;
  return notice('error', h('strong', {}, problem.title ?? 'Failed'), problem.detail ? `: ${problem.detail}` : '',
    fields?.length ? ` (${fields.join(', ')})` : '');
}

/** The same request from a terminal: the key, when this host needs one, comes from an environment variable. */
function curl(dataset, body) {
  const quote = text => `'${text.replaceAll("'", "'\\''")}'`;
  const command = [`curl -N ${quote(`${location.origin}/api/chain/${dataset}/stream`)}`, `-H 'content-type: application/json'`,
    usesKey() ? `-H "x-functions-key: $API_KEY"` : null, `-d ${quote(JSON.stringify(body))}`].filter(Boolean).join(' \\\n  ');
  const code = h('code', {}, command);
  return h('details', { class: 'curl', open: true }, h('summary', {}, 'The same request with curl'), h('pre', {}, code),
    h('button', { type: 'button', class: 'small', onclick: e => navigator.clipboard?.writeText(command).then(() => { e.target.textContent = 'Copied'; }) }, 'Copy'));
}
