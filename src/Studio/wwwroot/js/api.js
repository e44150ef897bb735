// The public /api routes of the origin the page came from. When a call answers 401 the page asks for the key once
// (kept in sessionStorage for this tab) and sends it as x-functions-key, the header both hosts read.

const KeyStorage = 'studio.apiKey';
const KeyHeader = 'x-functions-key';
let asking = null;

/** fetch against /api with the key when one is kept; asks for a key and retries when the host answers 401. */
export async function call(path, options = {}) {
  let refused = false;
  for (;;) {
    const headers = new Headers(options.headers);
    const key = sessionStorage.getItem(KeyStorage);
    if (key) headers.set(KeyHeader, key);
    const response = await fetch(path, { ...options, headers, credentials: 'same-origin' });
    if (response.status !== 401) return response;
    if (!await askForKey(refused || !!key)) return response;
    refused = true;
  }
}

/** Whether calls carry a key (the playground's curl then shows where it goes). */
export function usesKey() {
  return !!sessionStorage.getItem(KeyStorage);
}

/** GET and parse JSON; a problem answer becomes an ApiProblem. */
export async function getJson(path, options) {
  const response = await call(path, options);
  if (!response.ok) throw await ApiProblem.from(response);
  return response.json();
}

/** send JSON (or any body) and parse the answer; a problem answer becomes an ApiProblem. */
export async function send(method, path, body, contentType = 'application/json') {
  const response = await call(path, {
    method, body: body === undefined || contentType !== 'application/json' ? body : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': contentType },
  });
  if (!response.ok) throw await ApiProblem.from(response);
  return { status: response.status, body: await response.json() };
}

/** An RFC 7807 answer (or any failed response) as a readable error. */
export class ApiProblem extends Error {
  constructor(status, title, detail, extra = {}) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.extra = extra;
  }

  static async from(response) {
    const text = await response.text();
    try {
      const problem = JSON.parse(text);
      if (problem && (problem.title || problem.detail))
        return new ApiProblem(response.status, problem.title ?? response.statusText, problem.detail, problem);
    } catch { /* not JSON: the status line says it */ }
    return ApiProblem.plain(response.status, response.statusText, text);
  }

  static plain(status, statusText, text) {
    const titles = { 401: 'API key required', 403: 'Refused', 404: 'Not found', 413: 'File too large' };
    return new ApiProblem(status, titles[status] ?? `HTTP ${status} ${statusText}`.trim(), text.length < 300 ? text : '');
  }

  static fromProblemObject(problem) {
    return new ApiProblem(problem.status ?? 500, problem.title ?? 'Failed', problem.detail, problem);
  }
}

/**
 * POSTs to an SSE route and calls onEvent(type, data) for each event as it arrives (EventSource only does GET).
 * Resolves when the stream ends.
 */
export async function stream(path, body, onEvent, signal) {
  const response = await call(path, {
    method: 'POST', body: JSON.stringify(body), signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
  });
  if (!response.ok) throw await ApiProblem.from(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replaceAll('\r\n', '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(type, JSON.parse(data.join('\n')));
    }
  }
}

/** Asks for the key in the page's dialog; several calls that hit 401 together share one question. */
function askForKey(refused) {
  asking ??= new Promise(resolve => {
    const dialog = document.getElementById('key-dialog');
    const input = dialog.querySelector('input');
    dialog.querySelector('.refused').hidden = !refused;
    input.value = '';
    dialog.addEventListener('close', () => {
      const key = dialog.returnValue === 'ok' ? input.value.trim() : '';
      if (key) sessionStorage.setItem(KeyStorage, key);
      asking = null;
      resolve(!!key);
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
  return asking;
}
