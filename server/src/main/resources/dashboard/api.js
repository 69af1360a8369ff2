// The dashboard's only way to the API. The session cookie goes along by itself (same origin); every
// request carries X-Lifeline-Dashboard, without which the server refuses a cookie on a request that
// changes state. A 503 with Retry-After (a workspace restarting, the datastore away) is retried after
// the time the server asks for, and said so; a 401 means the session is over.
import {sleep} from './dom.js';

export const CSRF_HEADER = 'X-Lifeline-Dashboard';
const RETRIES = 5;

/** An error answer: the server's {error, hint}, or what went wrong on the way. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || body?.message || `request failed (${status})`);
    this.status = status;
    this.body = body ?? {};
    this.hint = body?.hint;
  }
}

const hooks = {unauthorized: () => {}, notice: () => {}};

/** fn() when the server says the session is over; fn(text or null) for retry notices. */
export function onUnauthorized(fn) { hooks.unauthorized = fn; }
export function onNotice(fn) { hooks.notice = fn; }

export function headers(extra = {}) {
  return {[CSRF_HEADER]: '1', ...extra};
}

/** The seconds to wait that a 503 names, between 1 and 30. */
export function retryAfter(response) {
  const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return Math.min(Math.max(Number.isFinite(seconds) ? seconds : 2, 1), 30);
}

/** The text to show while waiting out a 503. */
export function retryNotice(body, seconds) {
  const what = body?.restarting ? 'restarting' : body?.waking ? 'waking from hibernation'
    : body?.busy ? 'busy' : 'unavailable';
  return `${what}, retrying in ${seconds} s…`;
}

/**
 * Sends a request and returns the parsed answer (JSON, else text).
 * `onRetry(text)` is told about each wait; the global notice is used when it is absent.
 */
export async function api(path, {method = 'GET', body, onRetry} = {}) {
  const notice = onRetry ?? hooks.notice;
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'}),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, {error: 'Lifeline cannot be reached', hint: 'is the server running?'});
    }
    const answer = await parse(response);
    if (response.status === 503 && attempt < RETRIES) {
      const seconds = retryAfter(response);
      notice(retryNotice(answer, seconds));
      await sleep(seconds * 1000);
      continue;
    }
    if (attempt > 0) notice(null);
    if (response.status === 401) hooks.unauthorized();
    if (!response.ok) throw new ApiError(response.status, typeof answer === 'object' ? answer : {error: answer});
    return answer;
  }
}

async function parse(response) {
  const text = await response.text();
  if ((response.headers.get('Content-Type') ?? '').includes('json') && text) {
    try { return JSON.parse(text); } catch { return {error: text}; }
  }
  return text;
}

/** "error — hint" for a person. */
export function describe(error) {
  return error instanceof ApiError && error.hint ? `${error.message} — ${error.hint}` : error.message;
}
