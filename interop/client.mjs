// Talks to one Lifeline workspace with the official JavaScript SDK's client: resolves the agent
// card Lifeline serves for the workspace, then sends one SendMessage and one SendStreamingMessage
// to whatever endpoint that card names. Prints one JSON line per step on stdout; exits 1 on any
// error (the reason on stderr as JSON), 2 on bad usage.
//
//   LIFELINE_ADMIN_TOKEN=... node client.mjs <lifeline-base-url> <workspace-id> [text]
//
// The token is read from the environment only (never argv, which other users can see) and is
// sent only in the Authorization header.

import { randomUUID } from 'node:crypto';
import { SendMessageRequest, taskStateToJSON } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';

const CALL_TIMEOUT_MS = 30_000;

const [baseArg, workspaceId, text = 'hello from @a2a-js/sdk'] = process.argv.slice(2);
const token = process.env.LIFELINE_ADMIN_TOKEN;
if (!baseArg || !workspaceId || !token) {
  console.error('usage: LIFELINE_ADMIN_TOKEN=<token> node client.mjs <lifeline-base-url> <workspace-id> [text]');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');

function emit(line) {
  console.log(JSON.stringify(line));
}

/** Every request the SDK makes goes through here: it adds the admin token and records the URL. */
const requested = [];
function authorizedFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  requested.push(String(input instanceof Request ? input.url : input));
  return fetch(input, { ...init, headers });
}

function textOf(message) {
  return (message?.parts ?? [])
    .filter((p) => p.content?.$case === 'text')
    .map((p) => p.content.value)
    .join('');
}

/** The answer's text: a Message's own text, or a Task's final status message (else its artifacts). */
function answerOf(result) {
  if (result.status !== undefined && result.parts === undefined) {
    const fromStatus = textOf(result.status?.message);
    return fromStatus || (result.artifacts ?? []).map(textOf).join('');
  }
  return textOf(result);
}

function request(words) {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: words }] },
  });
}

async function main() {
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl: authorizedFetch })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl: authorizedFetch }),
  });
  // The SDK resolves the card path relative to this URL, so the trailing slash keeps the id.
  const client = await factory.createFromUrl(`${base}/workspaces/${encodeURIComponent(workspaceId)}/`);
  const card = await client.getAgentCard();
  emit({ card: card.name, interfaces: card.supportedInterfaces.map((i) => i.url) });

  const sent = await client.sendMessage(request(text), { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  emit({ send: answerOf(sent) });

  const kinds = [];
  let last;
  for await (const event of client.sendMessageStream(request(text), {
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  })) {
    kinds.push(event.payload?.$case);
    last = event.payload;
  }
  if (last === undefined) throw new Error('the stream ended without any event');
  const finalState = last.value.status?.state;
  emit({
    stream_events: kinds.length,
    kinds,
    final_state: finalState === undefined ? null : taskStateToJSON(finalState),
    final: last.$case === 'artifactUpdate' ? textOf(last.value.artifact) : answerOf(last.value),
  });
  emit({ requests: requested });
}

main().catch((e) => {
  console.error(JSON.stringify({ error: `${e.name}: ${e.message}` }));
  process.exit(1);
});
