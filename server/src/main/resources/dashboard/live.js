// The live feed: GET /ws, authenticated by the session cookie the browser sends with the upgrade.
// It reconnects with growing pauses; whoever listens reloads what it shows on each (re)connect,
// since events sent while it was away are lost.

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 10_000;

export class LiveFeed {
  constructor({onEvent, onConnected, onDisconnected}) {
    this.onEvent = onEvent;
    this.onConnected = onConnected;
    this.onDisconnected = onDisconnected;
    this.pause = FIRST_PAUSE_MS;
    this.socket = null;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    this.socket = socket;
    socket.onopen = () => {
      this.pause = FIRST_PAUSE_MS;
      this.onConnected();
    };
    socket.onmessage = (message) => {
      try {
        this.onEvent(JSON.parse(message.data));
      } catch (e) {
        console.warn('unreadable event', e);
      }
    };
    socket.onclose = () => {
      if (this.stopped || this.socket !== socket) return;
      this.onDisconnected();
      setTimeout(() => this.stopped || this.start(), this.pause);
      this.pause = Math.min(this.pause * 2, LONGEST_PAUSE_MS);
    };
  }

  stop() {
    this.stopped = true;
    this.socket?.close();
    this.socket = null;
  }
}

/** The status a lifecycle event moves its workspace to; undefined for other events. */
export const STATUS_OF_EVENT = {
  WORKSPACE_PROVISIONING: 'provisioning',
  WORKSPACE_AWAITING_AGENT: 'awaiting_agent',
  WORKSPACE_ONLINE: 'online',
  WORKSPACE_DEGRADED: 'degraded',
  WORKSPACE_OFFLINE: 'offline',
  WORKSPACE_PROVISION_FAILED: 'failed',
  WORKSPACE_PAUSED: 'paused',
  WORKSPACE_HIBERNATED: 'hibernated',
  WORKSPACE_REMOVED: 'removed',
};
