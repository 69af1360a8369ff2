// An A2A 1.0 agent built on the server side of the official JavaScript SDK, run by Lifeline's
// process backend as a `node` runtime. It echoes "echo: <text>" as a task (submitted, one artifact,
// completed), serves its card at /.well-known/agent-card.json, registers with Lifeline and
// heartbeats, like any agent Lifeline starts.
//
// Environment (set by Lifeline): PORT, WORKSPACE_ID, PLATFORM_URL, WORKSPACE_AUTH_TOKEN,
// HEARTBEAT_INTERVAL_SECONDS. The token is only ever sent in an Authorization header.

import { randomUUID } from 'node:crypto';
import express from 'express';
import { AGENT_CARD_PATH, Role, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const REGISTRATION_BACKOFF_MS = { initial: 200, max: 5_000 };
const PLATFORM_TIMEOUT_MS = 5_000;
const GIVE_UP_STATUSES = new Set([401, 403, 404]);

const env = readEnv(process.env);
const startedAt = Date.now();
let activeTasks = 0;
let requests = 0;
let failures = 0;

function readEnv(vars) {
  const missing = ['PORT', 'WORKSPACE_ID', 'PLATFORM_URL', 'WORKSPACE_AUTH_TOKEN'].filter((k) => !vars[k]);
  if (missing.length > 0) {
    log(`missing environment: ${missing.join(', ')}`);
    process.exit(2);
  }
  const port = Number.parseInt(vars.PORT, 10);
  const heartbeatSeconds = Number.parseFloat(vars.HEARTBEAT_INTERVAL_SECONDS ?? '30');
  if (!(port > 0 && port < 65536) || !(heartbeatSeconds > 0)) {
    log('PORT must be a TCP port and HEARTBEAT_INTERVAL_SECONDS a positive number');
    process.exit(2);
  }
  return {
    port,
    workspaceId: vars.WORKSPACE_ID,
    platformUrl: vars.PLATFORM_URL.replace(/\/+$/, ''),
    token: vars.WORKSPACE_AUTH_TOKEN,
    heartbeatMs: heartbeatSeconds * 1000,
  };
}

function log(line) {
  console.log(`[sdk-agent] ${line}`);
}

function text(value) {
  return { content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

function textOf(message) {
  return (message?.parts ?? [])
    .filter((p) => p.content?.$case === 'text')
    .map((p) => p.content.value)
    .join('');
}

function agentCard(url) {
  return {
    name: 'lifeline-sdk-echo',
    description: 'An echo agent built with the @a2a-js/sdk server, for Lifeline interop tests.',
    supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: undefined,
    version: '1.0.0',
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: 'echo',
        name: 'Echo',
        description: "Answers 'echo: <your text>'.",
        tags: ['echo', 'testing'],
        examples: ['hello'],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

/**
 * Publishes the echo as a task: submitted, then the echo as an artifact, then completed with the
 * echo as its status message. The request handler settles the event bus when execute() returns.
 */
const echoExecutor = {
  async execute(request, bus) {
    activeTasks++;
    requests++;
    try {
      const { taskId, contextId, userMessage } = request;
      const reply = `echo: ${textOf(userMessage)}`;
      const status = (state, message) => ({ state, message, timestamp: new Date().toISOString() });
      bus.publish(
        AgentEvent.task({
          id: taskId,
          contextId,
          status: status(TaskState.TASK_STATE_SUBMITTED, undefined),
          artifacts: [],
          history: [userMessage],
          metadata: undefined,
        }),
      );
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: {
            artifactId: randomUUID(),
            name: 'echo',
            description: '',
            parts: [text(reply)],
            metadata: undefined,
            extensions: [],
          },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      const answer = {
        messageId: randomUUID(),
        contextId,
        taskId,
        role: Role.ROLE_AGENT,
        parts: [text(reply)],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      };
      bus.publish(
        AgentEvent.statusUpdate({
          taskId,
          contextId,
          status: status(TaskState.TASK_STATE_COMPLETED, answer),
          metadata: undefined,
        }),
      );
    } catch (e) {
      failures++;
      throw e;
    } finally {
      activeTasks--;
    }
  },
  async cancelTask() {
    // Every task completes before execute() returns; there is nothing left to cancel.
  },
};

async function callPlatform(path, body) {
  const response = await fetch(`${env.platformUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env.token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  await response.body?.cancel();
  return response.status;
}

async function register(selfUrl, card) {
  const body = { id: env.workspaceId, url: selfUrl, agent_card: card };
  let delay = REGISTRATION_BACKOFF_MS.initial;
  for (;;) {
    let why;
    try {
      const status = await callPlatform('/registry/register', body);
      if (status >= 200 && status < 300) {
        log(`registered workspace=${env.workspaceId} url=${selfUrl}`);
        return;
      }
      if (GIVE_UP_STATUSES.has(status)) {
        log(`registration rejected with HTTP ${status}; giving up`);
        process.exit(1);
      }
      why = `HTTP ${status}`;
    } catch (e) {
      why = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.name);
    }
    log(`registration failed (${why}); retrying in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, REGISTRATION_BACKOFF_MS.max);
  }
}

function heartbeatEvery(intervalMs) {
  let failing = false;
  let inFlight = false;
  const beat = async () => {
    if (inFlight) return; // a slow platform gets one heartbeat at a time, not a pile of them
    inFlight = true;
    try {
      const status = await callPlatform('/registry/heartbeat', {
        workspace_id: env.workspaceId,
        error_rate: requests === 0 ? 0 : failures / requests,
        active_tasks: activeTasks,
        uptime_seconds: Math.floor((Date.now() - startedAt) / 1000),
      });
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
      if (failing) log('heartbeat accepted again');
      failing = false;
    } catch (e) {
      if (!failing) log(`heartbeat failed (${e.cause?.code ?? e.message}); retrying every ${intervalMs} ms`);
      failing = true;
    } finally {
      inFlight = false;
    }
  };
  return setInterval(beat, intervalMs);
}

async function main() {
  const selfUrl = `http://127.0.0.1:${env.port}`;
  const handler = new DefaultRequestHandler(agentCard(selfUrl), new InMemoryTaskStore(), echoExecutor);
  const app = express();
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler }));
  app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));

  const server = await new Promise((resolve, reject) => {
    const s = app.listen(env.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  log(`serving A2A 1.0 JSON-RPC on ${selfUrl}`);

  // Register the card exactly as the SDK serves it on the wire.
  const served = await fetch(`${selfUrl}/${AGENT_CARD_PATH}`, { headers: { 'A2A-Version': '1.0' } });
  await register(selfUrl, await served.json());
  const heartbeat = heartbeatEvery(env.heartbeatMs);

  const stop = (signal) => {
    log(`${signal}: stopping`);
    clearInterval(heartbeat);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  log(`failed to start: ${e.message}`);
  process.exit(1);
});
