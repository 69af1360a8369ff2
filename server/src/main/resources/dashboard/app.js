// The dashboard's entry: sign in (the token is sent once, to POST /session, which answers with an
// HttpOnly cookie that this script never sees), then the fleet, health and the open workspace, kept
// live by the WebSocket feed. The open workspace is in the address: #/workspaces/<id>.
import {ApiError, api, describe, onNotice, onUnauthorized} from './api.js';
import {byId} from './dom.js';
import {Fleet} from './fleet.js';
import {Health} from './health.js';
import {LiveFeed} from './live.js';
import {WorkspaceView} from './workspace.js';

const ROUTE = /^#\/workspaces\/([\w-]+)$/;

const fleet = new Fleet(byId('fleet'), {onSelect: (id) => { location.hash = `#/workspaces/${id}`; }});
const health = new Health(byId('health'));
const workspace = new WorkspaceView(byId('workspace'), {
  onRemoved: () => {
    location.hash = '';
    fleet.load();
  },
});
const live = new LiveFeed({
  onEvent: (event) => {
    fleet.apply(event);
    workspace.apply(event);
    health.apply(event);
  },
  onConnected: () => {
    connection('live');
    fleet.load();
    workspace.load();
  },
  onDisconnected: async () => {
    connection('reconnecting…');
    const session = await api('/session').catch(() => null);
    if (session && !session.signed_in) signedOut('Your session has ended; sign in again.');
  },
});

let running = false;

function connection(text) {
  const el = byId('connection');
  el.hidden = false;
  el.textContent = text;
  el.dataset.state = text === 'live' ? 'live' : 'down';
}

function start() {
  if (running) return;
  running = true;
  byId('sign-in').hidden = true;
  byId('app').hidden = false;
  byId('sign-out').hidden = false;
  live.start();
  health.start();
  fleet.load();
  route();
}

function signedOut(message = '') {
  running = false;
  live.stop();
  health.stop();
  byId('app').hidden = true;
  byId('sign-out').hidden = true;
  byId('connection').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = message;
  byId('token').focus();
}

function route() {
  const match = ROUTE.exec(location.hash);
  if (match) {
    fleet.select(match[1]);
    workspace.open(match[1]);
  } else {
    fleet.select(null);
    workspace.placeholder();
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('token');
  const error = byId('sign-in-error');
  error.textContent = '';
  try {
    await api('/session', {method: 'POST', body: {token: input.value}});
    input.value = '';
    start();
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401
      ? 'That is not the admin token of this server.'
      : describe(e);
  }
}

async function signOut() {
  await api('/session', {method: 'DELETE'}).catch(() => {});
  signedOut('Signed out.');
}

function banner(text) {
  const el = byId('banner');
  el.hidden = !text;
  el.textContent = text ?? '';
}

onUnauthorized(() => running && signedOut('Your session has ended; sign in again.'));
onNotice(banner);
window.addEventListener('hashchange', () => running && route());
byId('sign-in-form').addEventListener('submit', signIn);
byId('sign-out').addEventListener('click', signOut);

api('/session')
  .then((session) => (session.signed_in ? start() : signedOut()))
  .catch((e) => signedOut(describe(e)));
