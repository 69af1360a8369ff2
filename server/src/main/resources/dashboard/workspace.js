// One workspace: its state timeline, lifecycle buttons, chat, events, activity, console and card.
import {api, ApiError, describe} from './api.js';
import {Chat} from './chat.js';
import {byId, clock, coalesce, h, statusBadge} from './dom.js';
import {bands, drawTimeline, summary} from './timeline.js';

export class WorkspaceView {
  constructor(root, {onRemoved}) {
    this.root = root;
    this.onRemoved = onRemoved;
    this.id = null;
    this.chart = null;
    this.reloadSoon = coalesce(() => this.load(), 700);
    this.activitySoon = coalesce(() => this.loadActivity(), 700);
    this.placeholder();
    setInterval(() => this.redraw(), 5000); // the current state's band grows until the next event
  }

  placeholder() {
    this.id = null;
    this.events = null;
    this.chart?.destroy();
    this.chart = null;
    this.root.replaceChildren(h('p', {class: 'muted placeholder'}, 'Select a workspace in the fleet to see its history, talk to it and act on it.'));
  }

  async open(id) {
    if (this.id !== id) this.build(id);
    await this.load();
  }

  /** The live feed's events for the open workspace. */
  apply(event) {
    if (event.workspace_id !== this.id) return;
    if (event.event === 'ACTIVITY_LOGGED') this.activitySoon();
    else if (event.event !== 'WORKSPACE_HEARTBEAT' && event.event !== 'A2A_RESPONSE') this.reloadSoon();
  }

  build(id) {
    this.chart?.destroy();
    this.chart = null;
    this.events = null;
    this.id = id;
    this.chat = new Chat(id);
    this.parts = {
      title: h('h3', {id: 'workspace-name'}),
      status: h('span', {id: 'workspace-status'}),
      meta: h('p', {class: 'meta', id: 'workspace-meta'}),
      actions: h('div', {class: 'actions'}),
      notice: h('p', {class: 'notice', id: 'workspace-notice', role: 'status'}),
      canvas: h('canvas', {id: 'timeline', 'aria-label': 'State timeline'}),
      summary: h('p', {id: 'timeline-summary', class: 'summary'}),
      events: h('tbody', {id: 'events'}),
      activity: h('tbody', {id: 'activity'}),
      console: h('pre', {id: 'console', class: 'console'}),
      card: h('pre', {id: 'agent-card', class: 'card'}),
    };
    const p = this.parts;
    this.root.replaceChildren(h('article', {id: 'workspace-view', dataset: {id}},
      h('header', {class: 'section-head'}, p.title, p.status, p.actions),
      p.meta, p.notice,
      h('section', {}, h('h4', {}, 'State timeline'), h('div', {class: 'timeline-box'}, p.canvas), p.summary),
      h('div', {class: 'two'},
        h('section', {}, h('h4', {}, 'Chat'), this.chat.element),
        h('section', {}, h('h4', {}, 'Events'), table(['Time', 'Event', 'Detail'], p.events))),
      h('details', {}, h('summary', {}, 'Activity'), table(['Time', 'Method', 'Status', 'ms', 'Summary'], p.activity)),
      h('details', {ontoggle: (e) => e.target.open && this.loadConsole()}, h('summary', {}, 'Console'), p.console),
      h('details', {}, h('summary', {}, 'Agent card'), p.card)));
  }

  async load() {
    const id = this.id;
    if (!id) return;
    try {
      const [w, events] = await Promise.all([api(`/workspaces/${id}`), api(`/events/${id}`)]);
      if (id !== this.id) return;
      this.showWorkspace(w);
      this.showEvents(events);
      this.loadActivity();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return this.onRemoved(id);
      this.parts.notice.textContent = describe(e);
    }
  }

  showWorkspace(w) {
    const p = this.parts;
    p.title.textContent = w.name;
    p.status.replaceChildren(statusBadge(w.status));
    p.meta.textContent = [`id ${w.id}`, `runtime ${w.runtime}`, `backend ${w.backend}`, `generation ${w.generation}`,
      w.url ? `url ${w.url}` : null, w.failure_reason ? `failure: ${w.failure_reason}` : null].filter(Boolean).join(' · ');
    p.meta.dataset.generation = String(w.generation);
    p.card.textContent = w.agent_card ? JSON.stringify(w.agent_card, null, 2) : 'No agent card yet.';
    p.actions.replaceChildren(...this.buttons(w));
  }

  buttons(w) {
    const paused = w.status === 'paused';
    return [
      button('Restart', 'restart', () => this.act('restart', 'POST', `/workspaces/${w.id}/restart`)),
      paused
        ? button('Resume', 'resume', () => this.act('resume', 'POST', `/workspaces/${w.id}/resume`))
        : button('Pause', 'pause', () => this.act('pause', 'POST', `/workspaces/${w.id}/pause`)),
      button('Hibernate', 'hibernate', () => this.act('hibernate', 'POST', `/workspaces/${w.id}/hibernate`), paused),
      button('Delete', 'delete', () => this.remove(w), false, 'danger'),
    ];
  }

  async act(what, method, path) {
    const notice = this.parts.notice;
    notice.textContent = `${what}…`;
    try {
      await api(path, {method, onRetry: (text) => { notice.textContent = text ?? `${what}…`; }});
      notice.textContent = `${what}: done`;
    } catch (e) {
      notice.textContent = `${what} failed: ${describe(e)}`;
    }
    this.reloadSoon();
  }

  /** DELETE; when the API asks to confirm a cascade, shows what would go and asks the person. */
  async remove(w) {
    try {
      await api(`/workspaces/${w.id}`, {method: 'DELETE'});
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409 && e.body.status === 'confirmation_required')) {
        this.parts.notice.textContent = `delete failed: ${describe(e)}`;
        return;
      }
      if (!(await confirmCascade(w, e.body))) return;
      try {
        await api(`/workspaces/${w.id}?confirm=true`, {method: 'DELETE'});
      } catch (again) {
        this.parts.notice.textContent = `delete failed: ${describe(again)}`;
        return;
      }
    }
    this.onRemoved(w.id);
  }

  showEvents(events) {
    this.events = events;
    this.redraw();
    this.parts.events.replaceChildren(...events.map((e) => h('tr', {dataset: {event: e.event_type}},
      h('td', {}, clock(Date.parse(e.created_at))),
      h('td', {}, e.event_type.replace('WORKSPACE_', '').toLowerCase()),
      h('td', {class: 'detail'}, detail(e.payload)))));
  }

  redraw() {
    if (!this.id || !this.events) return;
    const list = bands(this.events);
    this.parts.summary.textContent = summary(list);
    this.chart = drawTimeline(this.parts.canvas, list, this.chart);
  }

  async loadActivity() {
    const id = this.id;
    try {
      const rows = await api(`/workspaces/${id}/activity`);
      if (id !== this.id) return;
      this.parts.activity.replaceChildren(...rows.slice(0, 50).map((a) => h('tr', {},
        h('td', {}, clock(Date.parse(a.created_at))),
        h('td', {}, a.method ?? a.activity_type),
        h('td', {}, a.status ?? ''),
        h('td', {class: 'num'}, a.duration_ms ?? ''),
        h('td', {class: 'detail'}, a.summary ?? a.error_detail ?? ''))));
    } catch (e) {
      this.parts.activity.replaceChildren(h('tr', {}, h('td', {colspan: '5'}, describe(e))));
    }
  }

  async loadConsole() {
    try {
      const {output} = await api(`/workspaces/${this.id}/console`);
      this.parts.console.textContent = output || 'The backend has no console output for this instance.';
    } catch (e) {
      this.parts.console.textContent = describe(e);
    }
  }
}

function button(label, action, onclick, disabled = false, cls = 'outline') {
  return h('button', {class: `${cls} small`, dataset: {action}, disabled, onclick}, label);
}

function table(columns, body) {
  return h('div', {class: 'scroll'}, h('table', {class: 'compact'},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))), body));
}

function detail(payload) {
  if (!payload || Object.keys(payload).length === 0) return '';
  const {agent_card: card, ...rest} = payload;
  return Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')
    + (card ? (Object.keys(rest).length ? ', ' : '') + 'agent card' : '');
}

/** Shows the children the API listed and resolves true when the person confirms. */
function confirmCascade(w, body) {
  const dialog = byId('confirm');
  byId('confirm-title').textContent = `Remove ${w.name} and its ${body.children_count} child workspace(s)?`;
  byId('confirm-body').replaceChildren(
    h('p', {}, body.message),
    h('ul', {}, (body.children ?? []).map((c) => h('li', {}, `${c.name} (${c.id})`))));
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.close();
      byId('confirm-ok').onclick = null;
      byId('confirm-cancel').onclick = null;
      resolve(answer);
    };
    byId('confirm-ok').onclick = () => done(true);
    byId('confirm-cancel').onclick = () => done(false);
    dialog.oncancel = () => done(false);
    dialog.showModal();
  });
}
