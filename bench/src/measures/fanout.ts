import WebSocket from 'ws';
import { RawServerProcess } from '../baselines/raw-server-process.js';
import { inParallel } from '../support/api-client.js';
import { LatencyHistogram } from '../support/histogram.js';
import type { ModeSession } from '../support/mode-session.js';
import type { MemoryReading } from '../support/processes.js';
import { progress, sleep } from '../support/progress.js';

/** The fan-out target of the issue: a push rate counts only while its p99 stays under this. */
export const PUSH_P99_LIMIT_MS = 100;

export interface IdleConnections {
  held: number;
  /** Growth of live memory (V8 heap in use plus the external memory it holds) after a full collection, per socket. */
  bytesPerConnection: number;
  /** Growth of the whole process's resident memory over the same two readings, per socket. */
  residentBytesPerConnection: number;
}

function perConnection(before: MemoryReading, after: MemoryReading, count: number) {
  const live = (reading: MemoryReading): number => reading.heapUsed + reading.external;
  return {
    bytesPerConnection: (live(after) - live(before)) / count,
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

export interface PushCeiling {
  /** Highest push rate measured with p99 under the limit; 0 if even the first step missed it. */
  pushesPerSecond: number;
  p99AtCeilingMs: number;
  /** Whether the last (highest) step still passed: then the ceiling is at least this, not exactly this. */
  capped: boolean;
}

interface Step {
  pushesPerSecond: number;
  p99: number;
  complete: boolean;
}

function ceilingOf(steps: readonly Step[], tried: number): PushCeiling {
  const passing = steps.filter((step) => step.complete && step.p99 < PUSH_P99_LIMIT_MS);
  const best = passing.at(-1);
  return {
    pushesPerSecond: best?.pushesPerSecond ?? 0,
    p99AtCeilingMs: best?.p99 ?? 0,
    capped: passing.length === tried,
  };
}

/** Raises the update rate step by step until the push p99 passes the limit (or pushes go missing). */
export async function measureAppPushCeiling(
  session: ModeSession,
  rates: readonly number[],
  stepSeconds: number,
  beforeStep: (rate: number) => Promise<void>,
): Promise<PushCeiling> {
  const steps: Step[] = [];
  for (const rate of rates) {
    await beforeStep(rate);
    const window = await session.driver.run(rate, stepSeconds * 1000);
    const step = {
      pushesPerSecond: window.received / window.seconds,
      p99: window.pushLatency.percentileMs(99),
      complete: window.skipped === 0 && window.failed === 0 && window.received >= window.committed,
    };
    steps.push(step);
    progress(
      `  ${rate} updates/s: ${step.pushesPerSecond.toFixed(0)} pushes/s, p99 ${step.p99.toFixed(1)} ms${step.complete ? '' : ' (incomplete: skipped, failed or missing pushes)'}`,
    );
    if (!step.complete || step.p99 >= PUSH_P99_LIMIT_MS) break;
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
    const steps: Step[] = [];
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
        pushesPerSecond: histogram.count / seconds,
        p99: histogram.percentileMs(99),
        complete: histogram.count >= sent,
      };
      steps.push(step);
      if (!step.complete || step.p99 >= PUSH_P99_LIMIT_MS) break;
    }
    return ceilingOf(steps, rates.length);
  } finally {
    control.close();
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}
