import WebSocket from 'ws';
import { RawServerProcess } from '../baselines/raw-server-process.js';
import { inParallel } from '../support/api-client.js';
import { LatencyHistogram } from '../support/histogram.js';
import type { ModeSession } from '../support/mode-session.js';
import { closeAll, connectOrdersSocket, type OrdersSocket } from '../support/order-sockets.js';
import type { MemoryReading } from '../support/processes.js';
import { progress, sleep } from '../support/progress.js';
import { ceilingOf, stepPasses, type CeilingStep, type PushCeiling } from './push-ceiling.js';

export interface IdleConnections {
  held: number;
  /** Growth of live memory (V8 heap in use plus the external memory it holds) after a full collection, per socket. */
  bytesPerConnection: number;
  /** Growth of the whole process's resident memory over the same two readings, per socket. */
  residentBytesPerConnection: number;
}

/** V8 heap in use plus the external memory its objects hold. */
export function liveBytes(reading: MemoryReading): number {
  return reading.heapUsed + reading.external;
}

function perConnection(before: MemoryReading, after: MemoryReading, count: number) {
  return {
    bytesPerConnection: (liveBytes(after) - liveBytes(before)) / count,
    residentBytesPerConnection: (after.rss - before.rss) / count,
  };
}

/**
 * Opens `count` idle sockets on the app and divides its memory growth by them; the sockets stay open. Each reading
 * comes right after a full garbage collection; `settleMs` before it lets the sockets settle (buffers allocated,
 * first pings answered).
 */
export async function measureAppIdleConnections(
  session: ModeSession,
  count: number,
  settleMs: number,
): Promise<IdleConnections> {
  await sleep(settleMs);
  const before = await session.app.probeMemory();
  await session.connectIdle(count);
  await sleep(settleMs);
  const after = await session.app.probeMemory();
  return {
    held: session.idleSockets.filter((socket) => socket.connected).length,
    ...perConnection(before, after, count),
  };
}

function openWs(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The same reading for a plain `ws` server: the floor any WebSocket server pays per idle connection. */
export async function measureWsIdleConnections(count: number, settleMs: number): Promise<IdleConnections> {
  const server = await RawServerProcess.start('ws');
  try {
    await sleep(settleMs);
    const before = await server.probeMemory();
    const sockets = await inParallel(Array.from({ length: count }), 50, () => openWs(`ws://127.0.0.1:${server.port}/`));
    await sleep(settleMs);
    const after = await server.probeMemory();
    const held = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
    for (const socket of sockets) socket.close();
    return { held, ...perConnection(before, after, count) };
  } finally {
    await server.stop();
  }
}

/** Raises the update rate step by step until the push p99 passes the limit (or pushes go missing). */
export async function measureAppPushCeiling(
  session: ModeSession,
  rates: readonly number[],
  stepSeconds: number,
  beforeStep: (rate: number) => Promise<void>,
): Promise<PushCeiling> {
  const steps: CeilingStep[] = [];
  for (const rate of rates) {
    await beforeStep(rate);
    const window = await session.driver.run(rate, stepSeconds * 1000);
    const step = {
      rate,
      pushesPerSecond: window.received / window.seconds,
      p99: window.pushLatency.percentileMs(99),
      complete: window.skipped === 0 && window.failed === 0 && window.received >= window.committed,
    };
    steps.push(step);
    progress(
      `  ${rate} updates/s: ${step.pushesPerSecond.toFixed(0)} pushes/s, p99 ${step.p99.toFixed(1)} ms${step.complete ? '' : ' (incomplete: skipped, failed or missing pushes)'}`,
    );
    if (!stepPasses(step)) break;
  }
  return ceilingOf(steps, rates.length);
}

/**
 * The same steps through a plain `ws` server: a control connection sends `<id>|<send time>` and the server forwards
 * it to receiver `<id>`, so each message is one server push, timed from send to receipt like the app's.
 */
export async function measureWsPushCeiling(
  receivers: number,
  rates: readonly number[],
  stepSeconds: number,
): Promise<PushCeiling> {
  const server = await RawServerProcess.start('ws');
  const base = `ws://127.0.0.1:${server.port}/`;
  const control = await openWs(base);
  let histogram = new LatencyHistogram();
  const sockets = await inParallel(Array.from({ length: receivers }), 50, (_, index) => openWs(`${base}?id=${index}`));
  for (const socket of sockets) {
    socket.on('message', (data: Buffer) => histogram.recordMs(performance.now() - Number(data.toString())));
  }
  try {
    const steps: CeilingStep[] = [];
    for (const rate of rates) {
      histogram = new LatencyHistogram();
      const started = performance.now();
      let sent = 0;
      while (performance.now() - started < stepSeconds * 1000) {
        const due = Math.floor(((performance.now() - started) / 1000) * rate);
        for (; sent < due; sent++) control.send(`${sent % receivers}|${performance.now()}`);
        await sleep(2);
      }
      const seconds = (performance.now() - started) / 1000;
      const deadline = performance.now() + 3000;
      while (histogram.count < sent && performance.now() < deadline) await sleep(20);
      const step = {
        rate,
        pushesPerSecond: histogram.count / seconds,
        p99: histogram.percentileMs(99),
        complete: histogram.count >= sent,
      };
      steps.push(step);
      if (!stepPasses(step)) break;
    }
    return ceilingOf(steps, rates.length);
  } finally {
    control.close();
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}

export interface HeldSockets {
  /** Sockets connected and answering at the last step where every one of them was. */
  held: number;
  /** The step size, and the bound the steps went up to. */
  step: number;
  bound: number;
  /** Why the steps stopped before the bound; undefined when every step held. */
  stoppedBecause: string | undefined;
  /** Seconds the last step that held took from its first connect to its last answer. */
  lastStepSeconds: number;
  /** The app's memory with `held` sockets open (after a full collection). */
  memoryAtHeld: MemoryReading | undefined;
}

const ANSWER_TIMEOUT_MS = 10_000;

/** Connects one more idle socket, or says why it could not. */
async function tryConnect(baseUrl: string, token: string): Promise<OrdersSocket | Error> {
  return connectOrdersSocket(baseUrl, token).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
}

/**
 * Whether the socket is still connected and the gateway answers a round trip on it (an empty `orders.resume`).
 * The deadline is raced here because `socket.timeout()` types this event's acknowledgement as `any`.
 */
async function answers(socket: OrdersSocket): Promise<boolean> {
  if (!socket.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
  });
  const answer = socket.emitWithAck('orders.resume', { orders: [] }).then(
    (result) => result.ok,
    () => false,
  );
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How many sockets one instance holds: adds idle sockets up to `bound`, `step` more at a time, and after each step
 * checks that every socket opened so far is still connected and answers a round trip. Stops at the first step where
 * one fails to connect or to answer. The sockets it added are closed before it returns.
 */
export async function measureHeldSockets(session: ModeSession, step: number, bound: number): Promise<HeldSockets> {
  const added: OrdersSocket[] = [];
  const base = [...session.ownerSockets.values(), ...session.idleSockets];
  let held = base.filter((socket) => socket.connected).length;
  let stoppedBecause: string | undefined;
  let lastStepSeconds = 0;
  let memoryAtHeld: MemoryReading | undefined;
  try {
    while (held < bound) {
      const started = performance.now();
      const target = Math.min(held + step, bound);
      const tokens = Array.from({ length: target - held }, () => session.idleCustomer.token);
      const outcomes = await inParallel(tokens, 50, (token) => tryConnect(session.app.baseUrl, token));
      const failures = outcomes.filter((outcome): outcome is Error => outcome instanceof Error);
      added.push(...outcomes.filter((outcome): outcome is OrdersSocket => !(outcome instanceof Error)));
      if (failures.length > 0) {
        stoppedBecause = `${failures.length} of the ${tokens.length} sockets of the step to ${target} did not connect (${failures[0]?.message ?? ''})`;
        break;
      }
      const all = [...base, ...added];
      const answered = (await inParallel(all, 200, answers)).filter(Boolean).length;
      if (answered < all.length) {
        stoppedBecause = `${all.length - answered} of ${all.length} sockets did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`;
        break;
      }
      held = all.length;
      lastStepSeconds = (performance.now() - started) / 1000;
      memoryAtHeld = await session.app.probeMemory();
      progress(`  ${held} sockets held, each answering; the step took ${lastStepSeconds.toFixed(1)} s`);
    }
  } finally {
    closeAll(added);
  }
  return { held, step, bound, stoppedBecause, lastStepSeconds, memoryAtHeld };
}
