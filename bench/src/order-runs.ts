/**
 * `node bench/dist/order-runs.js [--mode=full|embedded] [--rounds=4] [--seconds=15] [--warmup=5]
 * [--warm-services=0] [--variant="NAME=VALUE NAME=VALUE"]…`
 * The order-creation phase alone, as `npm run bench` runs it (autocannon, 16 connections, CHECKPOINT before), once per
 * variant per round, variants alternating, each on a fresh app and database, with the pgbench baseline run at the start
 * of every round so that each app run has a baseline measured minutes apart, not a quarter of an hour. Prints each
 * run's orders/s and its CPU per order (per transaction for pgbench), the whole host's and each process group's, over
 * the counted seconds. How a setting's effect on order creation was told apart from this machine's swings; no file
 * written. `--warm-services=S` (full mode) first warms Kafka and Elasticsearch up as `npm run bench` does, for at
 * least S seconds and then until their CPU per order stops falling, so that the first round does not pay for their
 * start.
 */
import { parseArgs } from 'node:util';
import { createRawPgbenchDatabase, pgbenchPlaceOrders } from './baselines/collect.js';
import { measureOrderThroughput } from './measures/order-throughput.js';
import { startModeApp } from './modes/mode-app.js';
import { warmUpServices } from './modes/service-warmup.js';
import { ModeSession } from './support/mode-session.js';
import { describeCpuWithTotal, orderPhaseGroups } from './support/process-cpu.js';
import { progress } from './support/progress.js';
import { checkpointBeforePhase, RunResources } from './support/run-resources.js';
import { FULL } from './support/scale.js';
import { parseVariant } from './support/settings.js';
import { requireServices } from './support/services.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'full' },
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: String(FULL.throughputSeconds) },
    warmup: { type: 'string', default: String(FULL.throughputWarmupSeconds) },
    'warm-services': { type: 'string', default: '0' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const warmServices = Number(values['warm-services']);

const variants = (values.variant.length === 0 ? [''] : values.variant).map(parseVariant);
if (
  (values.mode !== 'full' && values.mode !== 'embedded') ||
  ![rounds, seconds].every((n) => Number.isInteger(n) && n > 0) ||
  ![warmup, warmServices].every((n) => Number.isInteger(n) && n >= 0) ||
  (warmServices > 0 && values.mode !== 'full') ||
  variants.some((variant) => variant === undefined)
) {
  console.error(
    'usage: node bench/dist/order-runs.js [--mode=full|embedded] [--rounds=N] [--seconds=S] [--warmup=S] [--warm-services=S] [--variant="NAME=VALUE …"]…\n' +
      '  (each --variant is one set of settings; --variant="" is the shipped defaults; --warm-services: full mode only)',
  );
  process.exit(2);
}
const full = values.mode === 'full';
const scale = {
  ...FULL,
  throughputSeconds: seconds,
  throughputWarmupSeconds: warmup,
  serviceWarmupSeconds: warmServices,
};

async function pgbenchRound(resources: RunResources): Promise<string> {
  const target = await createRawPgbenchDatabase(resources);
  const placing = await pgbenchPlaceOrders(target, scale);
  return `${placing.transactionsPerSecond.toFixed(0)} transactions/s; CPU per transaction ${describeCpuWithTotal(placing.cpuPerTransaction)}`;
}

async function appRun(resources: RunResources, variant: Record<string, string>): Promise<string> {
  const { app } = await startModeApp(full, resources, variant);
  const session = new ModeSession(app);
  try {
    await session.prepare({ ...scale, owners: 1 });
    await checkpointBeforePhase();
    const result = await measureOrderThroughput(
      app.baseUrl,
      session.buyer,
      scale.concurrency,
      scale.throughputSeconds,
      scale.throughputWarmupSeconds,
      orderPhaseGroups(app.pid),
    );
    return (
      `${result.ordersPerSecond.toFixed(0)} orders/s, p99 ${result.latencyP99Ms} ms, ${result.failed} failed, ` +
      `${result.placementsPerStatement.toFixed(1)} per statement; CPU per order ${describeCpuWithTotal(result.cpuPerOrder)}`
    );
  } finally {
    await session.close();
  }
}

async function main(): Promise<void> {
  await requireServices(full);
  progress(
    `${values.mode} mode order creation, ${FULL.concurrency} connections, ${warmup} s not counted then ${seconds} s; ` +
      `${rounds} rounds of pgbench then ${variants.length} variant(s)`,
  );
  if (scale.serviceWarmupSeconds > 0) {
    const warmupResources = new RunResources();
    try {
      await warmUpServices(scale, warmupResources);
    } finally {
      await warmupResources.cleanUp();
    }
  }
  for (let round = 1; round <= rounds; round += 1) {
    const baselineResources = new RunResources();
    try {
      progress(`round ${round}: pgbench ${await pgbenchRound(baselineResources)}`);
    } finally {
      await baselineResources.cleanUp();
    }
    for (const [index, variant] of variants.entries()) {
      const resources = new RunResources();
      try {
        const label = values.variant[index] ?? '';
        progress(`round ${round}: {${label}} ${await appRun(resources, variant ?? {})}`);
      } finally {
        await resources.cleanUp();
      }
    }
  }
}

await main();
