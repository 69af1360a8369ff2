// Health at a glance: detections by health layer, restarts, how long deaths went unnoticed (all
// from /metrics), and how long recovery took from detection to online (from the persisted events).
import {api, describe} from './api.js';
import {coalesce, duration, h} from './dom.js';
import {bands, recoveries} from './timeline.js';

const REFRESH_MS = 10_000;

export class Health {
  constructor(root) {
    this.root = root;
    this.chart = null;
    this.timer = null;
    this.refreshSoon = coalesce(() => this.load(), 1500);
    this.canvas = h('canvas', {id: 'detections-chart', 'aria-label': 'Detections by layer'});
    this.cards = h('div', {class: 'cards'});
    this.root.replaceChildren(this.cards, h('div', {class: 'detections-box'}, this.canvas));
  }

  start() {
    this.load();
    this.timer ??= setInterval(() => this.load(), REFRESH_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  apply(event) {
    if (event.event === 'WORKSPACE_ONLINE' || event.event === 'WORKSPACE_OFFLINE') this.refreshSoon();
  }

  async load() {
    try {
      const [text, events] = await Promise.all([api('/metrics'), api('/events')]);
      this.show(parseMetrics(text), events);
    } catch (e) {
      this.cards.replaceChildren(h('p', {class: 'error'}, `health: ${describe(e)}`));
    }
  }

  show(samples, events) {
    const detections = sumBy(samples, 'lifeline_deaths_detected_total', 'layer');
    const restarts = sumBy(samples, 'lifeline_restarts_total', 'cause');
    const detectCount = total(sumBy(samples, 'lifeline_deaths_detection_seconds_count', 'layer'));
    const detectSum = total(sumBy(samples, 'lifeline_deaths_detection_seconds_sum', 'layer'));
    const detectMax = Math.max(0, ...Object.values(sumBy(samples, 'lifeline_deaths_detection_seconds_max', 'layer')));
    const took = fleetRecoveries(events);
    this.cards.replaceChildren(
      card('detections', 'Deaths detected', total(detections), breakdown(detections)),
      card('restarts', 'Restarts', total(restarts), breakdown(restarts)),
      card('time-to-detect', 'Unnoticed before detection, at most', detectCount ? duration(1000 * detectSum / detectCount) : '—',
        detectCount ? `mean of ${detectCount}; longest lately ${duration(1000 * detectMax)}` : 'no deaths yet'),
      card('recovery', 'Detection → online', took.length ? duration(median(took)) : '—',
        took.length ? `median of the last ${took.length}; longest ${duration(Math.max(...took))}` : 'no recoveries in recent events'));
    this.drawDetections(detections);
  }

  drawDetections(byLayer) {
    const layers = Object.keys(byLayer).sort();
    const data = {labels: layers.map((l) => l.replaceAll('_', ' ')), datasets: [{label: 'detections', data: layers.map((l) => byLayer[l]), backgroundColor: '#d64545'}]};
    if (this.chart) {
      this.chart.data = data;
      this.chart.update('none');
      return;
    }
    this.chart = new window.Chart(this.canvas, {
      type: 'bar',
      data,
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        plugins: {legend: {display: false}, title: {display: true, text: 'Deaths detected, by health layer'}},
        scales: {x: {beginAtZero: true, ticks: {precision: 0}}},
      },
    });
  }
}

/** Prometheus text → [{name, labels, value}]. */
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({name: m[1], labels, value: Number(m[3])});
  }
  return out;
}

function sumBy(samples, name, label) {
  const by = {};
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = s.labels[label] ?? '';
    by[key] = name.endsWith('_max') ? Math.max(by[key] ?? 0, s.value) : (by[key] ?? 0) + s.value;
  }
  return by;
}

const total = (by) => Object.values(by).reduce((a, b) => a + b, 0);

function breakdown(by) {
  const parts = Object.entries(by).filter(([, n]) => n > 0).map(([k, n]) => `${k.replaceAll('_', ' ')} ${n}`);
  return parts.length ? parts.join(' · ') : 'none';
}

/** Detection-to-online times (ms) over all workspaces in the recent events. */
function fleetRecoveries(events) {
  const byWorkspace = Map.groupBy(events, (e) => e.workspace_id);
  return [...byWorkspace.values()]
    .flatMap((list) => recoveries(bands(list)))
    .filter((r) => r.tookMs !== null)
    .map((r) => r.tookMs);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function card(metric, title, value, note) {
  return h('article', {class: 'metric', dataset: {metric}},
    h('small', {}, title), h('strong', {class: 'value'}, value), h('small', {class: 'note'}, note));
}
