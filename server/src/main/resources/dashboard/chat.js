// A chat with one workspace through Lifeline's A2A proxy: SendStreamingMessage, with the answer
// shown piece by piece as its events arrive. A 503 (the workspace restarting) is waited out for the
// Retry-After the proxy names and the message sent again: a 503 means the agent never got it.
import {headers, retryAfter, retryNotice} from './api.js';
import {h, sleep, uuid} from './dom.js';

const RETRIES = 5;

export class Chat {
  constructor(workspaceId) {
    this.workspaceId = workspaceId;
    this.log = h('div', {class: 'chat-log', 'aria-live': 'polite'});
    this.input = h('input', {type: 'text', name: 'message', placeholder: 'Message this agent', 'aria-label': 'Message', autocomplete: 'off'});
    this.button = h('button', {type: 'submit'}, 'Send');
    this.element = h('div', {class: 'chat'},
      this.log,
      h('form', {class: 'chat-form', role: 'group', onsubmit: (e) => this.submit(e)}, this.input, this.button));
  }

  submit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.log.append(h('p', {class: 'bubble user'}, text));
    const answer = h('p', {class: 'bubble agent', dataset: {state: 'waiting', chunks: '0'}}, '…');
    this.log.append(answer);
    this.send(text, answer).catch((e) => show(answer, 'error', e.message));
  }

  async send(text, answer) {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: uuid(),
      method: 'SendStreamingMessage',
      params: {message: {role: 'ROLE_USER', messageId: uuid(), parts: [{text}]}},
    });
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`/workspaces/${this.workspaceId}/a2a`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: headers({'Content-Type': 'application/json', Accept: 'text/event-stream'}),
        body,
      });
      if (response.status === 503 && attempt < RETRIES) {
        const seconds = retryAfter(response);
        show(answer, 'retrying', retryNotice(await response.json().catch(() => ({})), seconds));
        await sleep(seconds * 1000);
        continue;
      }
      if ((response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) {
        return this.stream(response, answer);
      }
      const reply = await response.json().catch(() => ({error: `HTTP ${response.status}`}));
      return response.ok && !reply.error ? show(answer, 'done', textOf(reply.result)) : show(answer, 'error', errorOf(reply));
    }
  }

  /** Reads server-sent events as they come and updates the answer with each. */
  async stream(response, answer) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const pieces = new Map(); // artifactId → text so far
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) this.onEvent(JSON.parse(data), answer, pieces);
      }
    }
    if (answer.dataset.state === 'streaming' || answer.dataset.state === 'waiting') {
      show(answer, 'done', answer.textContent);
    }
  }

  onEvent(event, answer, pieces) {
    if (event.error) return show(answer, 'error', errorOf(event));
    const result = event.result ?? {};
    const update = result.artifactUpdate;
    if (update) {
      const id = update.artifact.artifactId;
      const piece = textOf(update.artifact);
      pieces.set(id, update.append ? (pieces.get(id) ?? '') + piece : piece);
      answer.dataset.chunks = String(Number(answer.dataset.chunks) + 1);
      return show(answer, 'streaming', [...pieces.values()].join('\n'));
    }
    const status = result.statusUpdate?.status ?? result.task?.status;
    const final = status?.message ? textOf(status.message) : result.message ? textOf(result.message) : null;
    if (final) show(answer, isFinished(status) ? 'done' : 'streaming', final);
  }
}

function isFinished(status) {
  return !status || /COMPLETED|FAILED|CANCELED|REJECTED|completed|failed|canceled|rejected/.test(status.state ?? '');
}

function textOf(part) {
  const holder = part?.message ?? part;
  return (holder?.parts ?? []).map((p) => p.text ?? '').join('') || JSON.stringify(part ?? {});
}

function errorOf(reply) {
  const e = reply.error;
  if (typeof e === 'string') return reply.hint ? `${e} — ${reply.hint}` : e;
  if (e?.data?.restarting || reply.restarting) return 'the agent stopped mid-answer; it is restarting — send again shortly';
  return e?.message ?? JSON.stringify(reply);
}

function show(answer, state, text) {
  answer.dataset.state = state;
  answer.textContent = text;
}
