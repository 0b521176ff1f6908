import type { KafkaBusConfig } from '../../../apps/server/dist/adapters/bus/kafka/kafka-bus-config.js';
import type { LatencySummary } from '../support/histogram.js';
import {
  cpuDuring,
  cpuPerUnit,
  describeCpuWithTotal,
  isPostgres,
  pgbenchGroups,
  thenReaped,
  type CpuPerUnit,
} from '../support/process-cpu.js';
import { progress } from '../support/progress.js';
import { checkpointBeforePhase, queryDatabase, type RunResources } from '../support/run-resources.js';
import type { Scale } from '../support/scale.js';
import { measureWsIdleConnections, measureWsPushCeiling, type IdleConnections } from '../measures/fanout.js';
import type { PushCeiling } from '../measures/push-ceiling.js';
import { httpAdapterBaselines, type HttpAdapters } from './http-adapters.js';
import { kafkaRoundTripBaseline, type KafkaRoundTrip } from './kafka-roundtrip.js';
import { pgbenchLatency, pgbenchThroughput, type PgbenchTarget } from './pgbench.js';
import { pgliteStatementsPerSecond } from './pglite-statement.js';
import { socketIoEchoBaseline } from './socketio-echo.js';

/** pgbench placing orders: how fast, and the CPU each transaction cost (the whole host's, pgbench's included). */
export interface PgbenchPlacing {
  transactionsPerSecond: number;
  cpuPerTransaction: CpuPerUnit;
}

/** Every raw figure the app is compared with, measured once per run on this machine. */
export interface Baselines {
  /** At the start of the run; each mode's order creation is compared with a pgbench run just before it instead. */
  pgbench: PgbenchPlacing;
  /** The same statement on PGlite in-process, one at a time: embedded mode's own ceiling (measured with that mode). */
  pgliteTps?: number;
  pgCommit: LatencySummary;
  httpAdapters: HttpAdapters;
  socketIoEcho: LatencySummary;
  kafka?: KafkaRoundTrip;
  wsIdle: IdleConnections;
  wsPushCeiling: PushCeiling;
}

const BENCH_USER_ID = '00000000-0000-4000-8000-00000000b0b0';

/** The raw database (the app's schema, no app) that collectBaselines creates and pgbench writes to. */
export function rawPgbenchTarget(resources: RunResources): PgbenchTarget {
  return { databaseUrl: resources.databaseUrl(resources.rawDatabase), userId: BENCH_USER_ID };
}

/** Creates the raw database pgbench writes to, with the one user its orders belong to. */
export async function createRawPgbenchDatabase(resources: RunResources): Promise<PgbenchTarget> {
  await resources.createDatabase(resources.rawDatabase, true);
  const target = rawPgbenchTarget(resources);
  await queryDatabase(
    target.databaseUrl,
    // Only the orders the baseline writes matter; the user row just satisfies their foreign key.
    `INSERT INTO users (id, name, email, email_index, role, password_hash, created_at)
     VALUES ($1, 'pgbench', 'pgbench@example.com', 'pgbench-index', 'CUSTOMER', 'none', now())`,
    [target.userId],
  );
  return target;
}

/** pgbench placing orders at the order phase's concurrency, after the same warm-up the app gets, CHECKPOINT first. */
export async function pgbenchPlaceOrders(target: PgbenchTarget, scale: Scale): Promise<PgbenchPlacing> {
  progress(
    `baseline: pgbench, place-order transaction, ${scale.concurrency} clients, ${scale.throughputWarmupSeconds} s not counted (as the app gets), then ${scale.throughputSeconds} s`,
  );
  await checkpointBeforePhase();
  if (scale.throughputWarmupSeconds > 0) {
    await thenReaped(isPostgres, () => pgbenchThroughput(target, scale.concurrency, scale.throughputWarmupSeconds));
  }
  const { result, cpu } = await cpuDuring(pgbenchGroups(), () =>
    thenReaped(isPostgres, () => pgbenchThroughput(target, scale.concurrency, scale.throughputSeconds)),
  );
  const placing = {
    transactionsPerSecond: result.perSecond,
    cpuPerTransaction: cpuPerUnit(cpu, result.transactions),
  };
  progress(
    `  ${result.perSecond.toFixed(0)} transactions/s; CPU per transaction ${describeCpuWithTotal(placing.cpuPerTransaction)}`,
  );
  return placing;
}

export async function collectBaselines(
  scale: Scale,
  resources: RunResources,
  kafka: KafkaBusConfig | undefined,
  withEmbedded: boolean,
): Promise<Baselines> {
  const target = await createRawPgbenchDatabase(resources);
  const pgbench = await pgbenchPlaceOrders(target, scale);
  let pgliteTps: number | undefined;
  if (withEmbedded) {
    progress(`baseline: the same statement on PGlite in this process, ${scale.throughputSeconds} s`);
    pgliteTps = await pgliteStatementsPerSecond(
      await resources.tempDirectory(),
      BENCH_USER_ID,
      scale.throughputSeconds,
    );
    progress(`  ${pgliteTps.toFixed(0)} statements/s`);
  }
  progress(`baseline: pgbench commit latency at ${scale.updateRate}/s`);
  await checkpointBeforePhase();
  const pgCommit = await pgbenchLatency(target, scale.updateRate, scale.latencySeconds, scale.concurrency);
  progress(`  p50 ${pgCommit.p50.toFixed(2)} ms, p99 ${pgCommit.p99.toFixed(2)} ms`);
  progress(`baseline: GET /catalog on a bare Nest app, Express then Fastify, ${scale.concurrency} connections`);
  const httpAdapters = await httpAdapterBaselines(scale.concurrency, scale.throughputSeconds);
  progress(`  Express ${httpAdapters.express.toFixed(0)}/s, Fastify ${httpAdapters.fastify.toFixed(0)}/s`);
  progress(`baseline: Socket.IO echo round trip at ${scale.updateRate}/s over ${scale.owners} sockets`);
  const socketIoEcho = await socketIoEchoBaseline(scale.owners, scale.updateRate, scale.latencySeconds);
  progress(`  p50 ${socketIoEcho.p50.toFixed(2)} ms, p99 ${socketIoEcho.p99.toFixed(2)} ms`);
  let kafkaRoundTrip: KafkaRoundTrip | undefined;
  if (kafka !== undefined) {
    progress(`baseline: Kafka produce → consume at ${scale.updateRate}/s (app's client and settings)`);
    kafkaRoundTrip = await kafkaRoundTripBaseline(kafka, scale.updateRate, scale.latencySeconds);
    progress(
      `  produce→ack p99 ${kafkaRoundTrip.produceAck.p99.toFixed(2)} ms, produce→consume p99 ${kafkaRoundTrip.produceToConsume.p99.toFixed(2)} ms`,
    );
  }
  progress(`baseline: plain ws, ${scale.sockets} idle connections`);
  const wsIdle = await measureWsIdleConnections(scale.sockets, scale.memorySettleMs);
  progress(`  ${(wsIdle.bytesPerConnection / 1024).toFixed(1)} KiB per connection`);
  progress(`baseline: plain ws push ceiling (p99 < 100 ms)`);
  const wsPushCeiling = await measureWsPushCeiling(scale.owners, scale.fanoutRates, scale.fanoutStepSeconds);
  progress(
    `  ${wsPushCeiling.pushesPerSecond.toFixed(0)} pushes/s${wsPushCeiling.capped ? ' (highest step tried)' : ''}`,
  );
  return {
    pgbench,
    ...(pgliteTps === undefined ? {} : { pgliteTps }),
    pgCommit,
    httpAdapters,
    socketIoEcho,
    ...(kafkaRoundTrip === undefined ? {} : { kafka: kafkaRoundTrip }),
    wsIdle,
    wsPushCeiling,
  };
}
