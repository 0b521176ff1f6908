import { pgbenchPlaceOrders, rawPgbenchTarget, type Baselines } from '../baselines/collect.js';
import {
  liveBytes,
  measureAppIdleConnections,
  measureAppPushCeiling,
  measureHeldSockets,
  measureWsIdleConnections,
} from '../measures/fanout.js';
import { describeCeiling, PUSH_P99_LIMIT_MS } from '../measures/push-ceiling.js';
import { autocannon, measureOrderThroughput } from '../measures/order-throughput.js';
import { measurePushLatency, type BenchLoopDelay } from '../measures/push-latency.js';
import { measureRecovery } from '../measures/recovery.js';
import type { LatencySummary } from '../support/histogram.js';
import type { ModeSession } from '../support/mode-session.js';
import type { LoadWindow } from '../support/update-driver.js';
import { describeCpuPerUnit, describeCpuWithTotal, orderPhaseGroups } from '../support/process-cpu.js';
import { progress } from '../support/progress.js';
import { checkpointBeforePhase, type RunResources } from '../support/run-resources.js';
import type { MetricInput, Target } from '../support/report.js';
import type { Scale } from '../support/scale.js';
import { describeSpread, windowP99Spread } from '../support/window-percentiles.js';

const KIB = 1024;
const MIB = 1024 * KIB;
/** The stretch whose push p99s are spread out beside the phase's own (2,500 pushes at 500/s). */
const SPREAD_WINDOW_MS = 5_000;

export interface CommonPhaseResults {
  metrics: MetricInput[];
  /** The steady push-latency window (full mode reads the relay lag over its span and splits its pushes into stages). */
  pushWindow: LoadWindow;
}

function sumOf(summaries: readonly LatencySummary[], pick: (summary: LatencySummary) => number): number {
  return summaries.reduce((sum, summary) => sum + pick(summary), 0);
}

/**
 * Updates a phase can consume: its schedule, but no more than twice what the app just showed it can write per
 * second (an overloaded app commits far fewer than scheduled, and each order placed beforehand costs a write).
 */
export function updatesFor(rate: number, seconds: number, ordersPerSecond: number): number {
  return Math.ceil(Math.min(rate, 2 * ordersPerSecond) * seconds * 1.2) + 20;
}

/** Phases 1, 2, 4 and 7 of the issue, the same in both modes. */
export async function runCommonPhases(
  session: ModeSession,
  scale: Scale,
  baselines: Baselines,
  resources: RunResources,
  pushTargets: readonly Target[],
  /** The bus's share of the push baseline: Kafka produce → consume in full mode, none for the in-process bus. */
  busBaseline: LatencySummary | undefined,
): Promise<CommonPhaseResults> {
  const metrics: MetricInput[] = [];

  // First, while the app has done nothing but start, so the sockets are all its heap gained in between.
  const idleCount = scale.sockets - scale.owners;
  progress(`fan-out: ${idleCount} idle sockets`);
  const idle = await measureAppIdleConnections(session, idleCount, scale.memorySettleMs);
  progress(
    `  ${session.connectedSockets} sockets held, ${(idle.bytesPerConnection / KIB).toFixed(1)} KiB per idle connection`,
  );
  metrics.push({
    id: 'fanout.memory.per.idle.connection',
    label: 'memory per idle connection (live, after GC)',
    unit: 'KiB',
    value: idle.bytesPerConnection / KIB,
    baseline: { value: baselines.wsIdle.bytesPerConnection / KIB, label: 'plain ws server' },
    note:
      `V8 heap in use plus external memory, each reading right after a full collection; resident memory grew ` +
      `${(idle.residentBytesPerConnection / KIB).toFixed(1)} KiB per socket over the same readings ` +
      `(plain ws ${(baselines.wsIdle.residentBytesPerConnection / KIB).toFixed(1)})`,
  });

  // pgbench once more, just before the app's order phase: the host's speed swings within minutes (pgbench 3,085 and
  // 5,122/s in two runs of one evening), and the run-start figure was taken up to ten minutes before the full mode's.
  const pgbench = scale.pgbenchBeforeOrders
    ? await pgbenchPlaceOrders(rawPgbenchTarget(resources), scale)
    : baselines.pgbench;
  const pgbenchWhen = scale.pgbenchBeforeOrders
    ? `pgbench ${pgbench.transactionsPerSecond.toFixed(0)}/s just before, ${baselines.pgbench.transactionsPerSecond.toFixed(0)}/s at the run's start`
    : `pgbench at the run's start`;
  progress(
    `order creation: autocannon, ${scale.concurrency} connections, ${scale.throughputWarmupSeconds} s not counted, then ${scale.throughputSeconds} s`,
  );
  await checkpointBeforePhase();
  const throughput = await measureOrderThroughput(
    session.app.baseUrl,
    session.buyer,
    scale.concurrency,
    scale.throughputSeconds,
    scale.throughputWarmupSeconds,
    orderPhaseGroups(session.app.pid),
  );
  progress(
    `  ${throughput.ordersPerSecond.toFixed(0)} orders/s, p99 ${throughput.latencyP99Ms} ms, ${throughput.failed} failed, ${throughput.placementsPerStatement.toFixed(1)} placements per statement`,
  );
  progress(`  CPU per order ${describeCpuWithTotal(throughput.cpuPerOrder)}`);
  metrics.push({
    id: 'orders.create.throughput',
    label: `order creation at ${scale.concurrency} connections`,
    unit: 'orders/s',
    value: throughput.ordersPerSecond,
    baseline: {
      value: pgbench.transactionsPerSecond,
      label: `pgbench, same transaction${scale.pgbenchBeforeOrders ? ', run just before' : ''}`,
    },
    targets: [{ kind: 'min', of: 'ratio', limit: 0.5 }],
    note: `${pgbenchWhen}; after ${scale.throughputWarmupSeconds} s of the same load, not counted; HTTP p50 ${throughput.latencyP50Ms} ms, p99 ${throughput.latencyP99Ms} ms; ${throughput.failed} non-2xx or errors; ${throughput.placementsPerStatement.toFixed(1)} placements per statement (group commit; pgbench: 1)`,
  });
  // Why the ratio above is what it is: on the same cores, throughput is busy share × cores / CPU per unit, so the
  // throughput ratio is this ratio's inverse times the ratio of the two runs' busy shares.
  metrics.push({
    id: 'orders.create.cpu',
    label: 'CPU per order, all processes on the host',
    unit: 'ms',
    value: throughput.cpuPerOrder.hostMs,
    baseline: { value: pgbench.cpuPerTransaction.hostMs, label: 'pgbench, per transaction, same run' },
    note: `by process: ${describeCpuPerUnit(throughput.cpuPerOrder)}; pgbench: ${describeCpuPerUnit(pgbench.cpuPerTransaction)} (bench+load is the benchmark process with autocannon or pgbench)`,
  });

  progress(`GET /catalog (no database): autocannon, ${scale.concurrency} connections, ${scale.throughputSeconds} s`);
  const catalog = await autocannon(`${session.app.baseUrl}/catalog`, scale.concurrency, scale.throughputSeconds);
  progress(`  ${catalog.perSecond.toFixed(0)} requests/s, ${catalog.failed} failed`);
  metrics.push({
    id: 'http.catalog.throughput',
    label: `GET /catalog at ${scale.concurrency} connections`,
    unit: 'requests/s',
    value: catalog.perSecond,
    baseline: { value: baselines.httpAdapters.express, label: 'bare Nest + Express, same route' },
    note: 'what the app’s middleware, guards and logging cost per request, with no database',
  });

  const capacity = throughput.ordersPerSecond;
  await session.ensureUpdates(
    updatesFor(scale.updateRate, scale.latencyWarmupSeconds + scale.latencySeconds, capacity),
  );

  progress(
    `push latency: ${scale.updateRate} updates/s, ${scale.latencyWarmupSeconds} s not counted, then ${scale.latencySeconds} s, ${session.connectedSockets} sockets`,
  );
  await checkpointBeforePhase();
  const { window, benchLoop } = await measurePushLatency(
    session,
    scale.updateRate,
    scale.latencySeconds,
    scale.latencyWarmupSeconds,
  );
  const push = window.pushLatency.summary();
  const spread = `${describeSpread(
    windowP99Spread(session.driver.updatesIn(window), window.startedAt, SPREAD_WINDOW_MS),
    SPREAD_WINDOW_MS,
  )}; ${describeBenchLoop(benchLoop)}`;
  progress(
    `  p50 ${push.p50.toFixed(1)} ms, p99 ${push.p99.toFixed(1)} ms, p99.9 ${push.p999.toFixed(1)} ms; ${window.received}/${window.committed} pushes, ${window.failed} failed, ${window.skipped} skipped`,
  );
  progress(`  ${spread}`);
  const parts = [baselines.socketIoEcho, baselines.pgCommit, ...(busBaseline === undefined ? [] : [busBaseline])];
  const baselineLabel = busBaseline === undefined ? 'echo + PG commit' : 'echo + PG commit + Kafka';
  const percentiles = [
    { key: 'p50', label: 'p50', pick: (s: LatencySummary) => s.p50, targets: [] },
    { key: 'p99', label: 'p99', pick: (s: LatencySummary) => s.p99, targets: pushTargets },
    { key: 'p999', label: 'p99.9', pick: (s: LatencySummary) => s.p999, targets: [] },
  ] as const;
  for (const percentile of percentiles) {
    metrics.push({
      id: `push.latency.${percentile.key}`,
      label: `push latency ${percentile.label} (PATCH → socket)`,
      unit: 'ms',
      value: percentile.pick(push),
      baseline: { value: sumOf(parts, percentile.pick), label: baselineLabel },
      targets: percentile.targets,
      ...(percentile.key === 'p99' ? { note: spread } : {}),
    });
  }
  metrics.push({
    id: 'push.delivered',
    label: 'pushes received / updates committed',
    unit: '%',
    value: window.committed === 0 ? 0 : (100 * window.received) / window.committed,
    targets: [{ kind: 'min', of: 'value', limit: 100 }],
    note: `${window.committed} updates, PATCH p99 ${window.requestLatency.percentileMs(99).toFixed(1)} ms`,
  });

  progress(`fan-out ceiling: update rates ${scale.fanoutRates.join(', ')}/s, ${scale.fanoutStepSeconds} s each`);
  const ceiling = await measureAppPushCeiling(session, scale.fanoutRates, scale.fanoutStepSeconds, (rate) =>
    session.ensureUpdates(updatesFor(rate, scale.fanoutStepSeconds, capacity)),
  );
  metrics.push({
    id: 'fanout.pushes.per.second',
    label: `pushes/s with p99 < ${PUSH_P99_LIMIT_MS} ms`,
    unit: 'pushes/s',
    value: ceiling.pushesPerSecond,
    baseline: { value: baselines.wsPushCeiling.pushesPerSecond, label: 'plain ws forward' },
    note: describeCeiling(ceiling),
  });

  progress(`recovery: ${scale.recoveryRate} updates/s, every owner socket dropped for ${scale.recoveryDropMs} ms`);
  await session.ensureUpdates(
    updatesFor(scale.recoveryRate, scale.recoveryDropMs / 1000 + 4, capacity) + scale.searchableSamples,
  );
  const recovery = await measureRecovery(session, scale.recoveryRate, scale.recoveryDropMs);
  progress(
    `  ${(recovery.recoveredShare * 100).toFixed(2)}% of ${recovery.committed} updates received, caught up ${recovery.catchUpMs.toFixed(0)} ms after reconnect, ${recovery.viaResume} via orders.resume`,
  );
  metrics.push(
    {
      id: 'recovery.share',
      label: `updates received after a ${scale.recoveryDropMs / 1000} s drop`,
      unit: '%',
      value: recovery.recoveredShare * 100,
      targets: [{ kind: 'min', of: 'value', limit: 100 }],
      note: `${recovery.committed} committed, ${recovery.missing} missing, ${recovery.viaResume} only through orders.resume, ${recovery.resumeFailures} resume calls failed`,
    },
    {
      id: 'recovery.catch.up',
      label: 'reconnect → caught up (worst socket)',
      unit: 'ms',
      value: recovery.catchUpMs,
    },
  );
  metrics.push(await heldSocketsFigure(session, scale));
  return { metrics, pushWindow: window };
}

/** Figure 4's sockets held: stepped up on the app, then the same count on a plain `ws` server. */
async function heldSocketsFigure(session: ModeSession, scale: Scale): Promise<MetricInput> {
  progress(
    `sockets held: up to ${scale.heldSocketsBound}, ${scale.heldSocketsStep} more at a time, every socket answering a round trip`,
  );
  const held = await measureHeldSockets(session, scale.heldSocketsStep, scale.heldSocketsBound);
  if (held.stoppedBecause !== undefined) progress(`  stopped: ${held.stoppedBecause}`);
  const plain = await measureWsIdleConnections(held.held, scale.memorySettleMs);
  progress(`  plain ws: ${plain.held} of ${held.held} held`);
  const memory =
    held.memoryAtHeld === undefined
      ? ''
      : `; the app's live memory then ${(liveBytes(held.memoryAtHeld) / MIB).toFixed(0)} MiB, resident ${(held.memoryAtHeld.rss / MIB).toFixed(0)} MiB`;
  return {
    id: 'fanout.connections.held',
    label: 'sockets held by one instance',
    unit: 'sockets',
    value: held.held,
    baseline: { value: plain.held, label: 'plain ws, same count' },
    note:
      (held.stoppedBecause ??
        `every step held: ${held.bound} is this run's bound (one client process opens them all), not the app's ceiling`) +
      `; ${held.step} more at a time, each step's sockets connected and every socket answering a round trip; the last step held took ${held.lastStepSeconds.toFixed(1)} s${memory}`,
  };
}

/** What the bench's own event loop did while it timed pushes: its delays would read as push latency. */
function describeBenchLoop(loop: BenchLoopDelay): string {
  return `the bench's own event loop ran late by p99 ${loop.p99Ms.toFixed(1)} ms, at most ${loop.maxMs.toFixed(0)} ms (its heap ${(loop.heapUsedBytes / MIB).toFixed(0)} MiB)`;
}
