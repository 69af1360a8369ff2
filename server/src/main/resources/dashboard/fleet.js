// The fleet: every workspace in its place under its parent, kept current by the live feed.
import {api, describe} from './api.js';
import {ago, coalesce, duration, h, statusBadge} from './dom.js';
import {STATUS_OF_EVENT} from './live.js';

const STATUSES = ['online', 'degraded', 'provisioning', 'awaiting_agent', 'offline', 'failed', 'paused', 'hibernated'];

export class Fleet {
  constructor(root, {onSelect}) {
    this.root = root;
    this.onSelect = onSelect;
    this.workspaces = new Map();
    this.filter = 'all';
    this.selected = null;
    this.error = null;
    this.reloadSoon = coalesce(() => this.load(), 1000);
    setInterval(() => this.render(), 5000); // ages and uptimes move on between events
  }

  async load() {
    try {
      const list = await api('/workspaces');
      this.workspaces = new Map(list.map((w) => [w.id, w]));
      this.error = null;
    } catch (e) {
      this.error = describe(e);
    }
    this.render();
  }

  select(id) {
    this.selected = id;
    this.render();
  }

  /** Applies one event of the live feed at once; fields the event lacks are reloaded shortly. */
  apply(event) {
    const w = this.workspaces.get(event.workspace_id);
    if (event.event === 'WORKSPACE_HEARTBEAT') {
      if (!w) return;
      w.last_heartbeat_at = event.timestamp;
      w.uptime_seconds = event.payload.uptime_seconds;
      w.active_tasks = event.payload.active_tasks;
      return;
    }
    const status = STATUS_OF_EVENT[event.event];
    if (status === undefined) return;
    if (status === 'removed') this.workspaces.delete(event.workspace_id);
    else if (w) w.status = status;
    this.render();
    this.reloadSoon();
  }

  get(id) {
    return this.workspaces.get(id);
  }

  render() {
    if (!this.body) this.build();
    const rows = ordered([...this.workspaces.values()]);
    const shown = rows.filter(({w}) => this.filter === 'all' || w.status === this.filter);
    this.counts.textContent = counts(rows);
    this.errorLine.textContent = this.error ?? '';
    this.errorLine.hidden = !this.error;
    this.empty.hidden = rows.length > 0;
    this.body.replaceChildren(...shown.map(({w, depth}) => this.row(w, depth)));
  }

  build() {
    this.counts = h('span', {class: 'counts'});
    this.errorLine = h('p', {class: 'error', role: 'alert'});
    this.empty = h('p', {class: 'muted'}, 'No workspaces yet: create one with POST /workspaces.');
    this.body = h('tbody');
    this.root.replaceChildren(
      h('header', {class: 'section-head'}, h('h3', {}, 'Fleet'), this.counts, this.filterControl()),
      this.errorLine,
      h('table', {class: 'fleet-table striped'},
        h('thead', {}, h('tr', {},
          ['Workspace', 'Status', 'Runtime', 'Backend', 'Gen.', 'Uptime', 'Last heartbeat', 'Restarts']
            .map((c) => h('th', {scope: 'col'}, c)))),
        this.body),
      this.empty);
  }

  row(w, depth) {
    return h('tr', {
      class: w.id === this.selected ? 'selected' : '',
      dataset: {id: w.id, status: w.status, depth: String(depth)},
      tabindex: '0',
      onclick: () => this.onSelect(w.id),
      onkeydown: (e) => e.key === 'Enter' && this.onSelect(w.id),
    },
    h('td', {class: 'name'},
      h('span', {class: 'indent', dataset: {depth: String(Math.min(depth, 6))}}, depth > 0 ? '└ ' : ''),
      w.name),
    h('td', {}, statusBadge(w.status)),
    h('td', {}, w.runtime),
    h('td', {}, w.backend),
    h('td', {class: 'num'}, w.generation),
    h('td', {class: 'num'}, w.uptime_seconds > 0 ? duration(w.uptime_seconds * 1000) : '—'),
    h('td', {}, ago(w.last_heartbeat_at)),
    h('td', {class: 'num', title: 'starts after the first (each is a new generation); attempts of a restart streak in progress'},
      restarts(w)));
  }

  filterControl() {
    return h('select', {
      id: 'status-filter',
      'aria-label': 'Show workspaces by status',
      onchange: (e) => {
        this.filter = e.target.value;
        this.render();
      },
    }, ['all', ...STATUSES].map((s) => h('option', {value: s, selected: s === this.filter}, s === 'all' ? 'all statuses' : s)));
  }
}

/** Depth-first under each parent, by name; a workspace whose parent is gone is a root. */
function ordered(all) {
  const ids = new Set(all.map((w) => w.id));
  const children = new Map();
  for (const w of all) {
    const parent = w.parent_id && ids.has(w.parent_id) ? w.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(w);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const w of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({w, depth});
      walk(w.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function restarts(w) {
  const since = Math.max(0, w.generation - 1);
  return w.restart_attempts > 0 ? `${since} (retry ${w.restart_attempts})` : String(since);
}

function counts(rows) {
  const by = {};
  for (const {w} of rows) by[w.status] = (by[w.status] ?? 0) + 1;
  const parts = Object.entries(by).map(([s, n]) => `${n} ${s}`);
  return `${rows.length} workspace${rows.length === 1 ? '' : 's'}${parts.length ? ' · ' + parts.join(' · ') : ''}`;
}
