// A workspace's states over time, from its persisted events: one lane per state, one band per
// stretch of time in it, so a death (offline) and the recovery after it (provisioning, then online)
// stand out at a glance.
import {clock, duration} from './dom.js';
import {STATUS_OF_EVENT} from './live.js';

export const COLORS = {
  online: '#2e9d5b',
  degraded: '#d9a21b',
  provisioning: '#3b82c4',
  awaiting_agent: '#7c8aa5',
  offline: '#d64545',
  failed: '#8b1e1e',
  paused: '#9a9a9a',
  hibernated: '#6d5ba8',
  removed: '#444444',
};
const LANES = Object.keys(COLORS);

/** [{state, from, to, event}] in time order; the last band runs to `now` unless it is removal. */
export function bands(events, now = Date.now()) {
  const changes = events
    .map((e) => ({state: STATUS_OF_EVENT[e.event_type], at: Date.parse(e.created_at), event: e}))
    .filter((c) => c.state !== undefined)
    .sort((a, b) => a.at - b.at || a.event.id - b.event.id);
  return changes.map((c, i) => ({
    state: c.state,
    from: c.at,
    to: i + 1 < changes.length ? changes[i + 1].at : c.state === 'removed' ? c.at : Math.max(now, c.at),
    event: c.event,
  }));
}

/** Each death in the bands: when, what noticed it, and how long until online again (null: not yet). */
export function recoveries(list) {
  const out = [];
  list.forEach((band, i) => {
    if (band.state !== 'offline') return;
    const back = list.slice(i + 1).find((b) => b.state === 'online');
    out.push({
      diedAt: band.from,
      detectedBy: band.event.payload?.detected_by ?? 'unknown',
      tookMs: back ? back.from - band.from : null,
    });
  });
  return out;
}

/** One sentence about the latest death, for people and for tests. */
export function summary(list) {
  const deaths = recoveries(list);
  if (list.length === 0) return 'No state changes recorded yet.';
  if (deaths.length === 0) return `No deaths in the recorded history (${list.length} state changes).`;
  const last = deaths[deaths.length - 1];
  const when = `Died at ${clock(last.diedAt)} (detected by ${last.detectedBy.replaceAll('_', ' ')})`;
  const count = deaths.length > 1 ? ` ${deaths.length} deaths recorded.` : '';
  return last.tookMs === null
    ? `${when}; not back online yet.${count}`
    : `${when}; back online ${duration(last.tookMs)} later.${count}`;
}

/** Draws (or redraws) the chart on `canvas`; returns the Chart to pass back next time. */
export function drawTimeline(canvas, list, chart) {
  const lanes = LANES.filter((s) => list.some((b) => b.state === s));
  const data = {
    labels: lanes,
    datasets: [{
      label: 'state',
      data: list.map((b) => ({x: [b.from, Math.max(b.to, b.from + 1)], y: b.state, band: b})),
      backgroundColor: list.map((b) => COLORS[b.state]),
      borderSkipped: false,
      barPercentage: 0.9,
      categoryPercentage: 0.9,
      minBarLength: 3,
    }],
  };
  const start = list.length ? list[0].from : Date.now();
  const end = list.length ? Math.max(...list.map((b) => b.to)) : Date.now();
  if (chart) {
    chart.data = data;
    chart.options.scales.x.min = start;
    chart.options.scales.x.max = end;
    chart.update('none');
    return chart;
  }
  return new window.Chart(canvas, {
    type: 'bar',
    data,
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {label: (item) => describeBand(item.raw.band)}},
      },
      scales: {
        x: {type: 'linear', min: start, max: end, ticks: {callback: (v) => clock(v), maxTicksLimit: 6}},
        y: {type: 'category', grid: {display: false}},
      },
    },
  });
}

function describeBand(b) {
  return `${b.state}: ${clock(b.from)} → ${clock(b.to)} (${duration(b.to - b.from)})`;
}
