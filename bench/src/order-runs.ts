/**
 * `node bench/dist/order-runs.js [--mode=full|embedded] [--rounds=4] [--seconds=15] [--warmup=5]
 * [--variant="NAME=VALUE NAME=VALUE"]…`
 * The order-creation phase alone, as `npm run bench` runs it (autocannon, 16 connections, CHECKPOINT before), once per
 * variant per round, variants alternating, each on a fresh app and database, with the pgbench baseline run at the start
 * of every round so that each app run has a baseline measured minutes apart, not a quarter of an hour. Prints each
 * run's orders/s, its ratio to that round's pgbench and the CPU each process group used. How a setting's effect on
 * order creation was told apart from this machine's swings; no file written.
 */
import { parseArgs } from 'node:util';
import { createRawPgbenchDatabase } from './baselines/collect.js';
import { pgbenchThroughput } from './baselines/pgbench.js';
import { measureOrderThroughput } from './measures/order-throughput.js';
import { startModeApp } from './modes/mode-app.js';
import { ModeSession } from './support/mode-session.js';
import { appAndServiceGroups, cpuSecondsByGroup, hostBusyShare, hostCpuSeconds } from './support/process-cpu.js';
import { progress } from './support/progress.js';
import { checkpointBeforePhase, RunResources } from './support/run-resources.js';
import { FULL } from './support/scale.js';
import { requireServices } from './support/services.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'full' },
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: String(FULL.throughputSeconds) },
    warmup: { type: 'string', default: String(FULL.throughputWarmupSeconds) },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);

/** `"A=1 B=2"` → `{ A: '1', B: '2' }`; undefined when a word has no `NAME=`. An empty text is the shipped defaults. */
function parseVariant(text: string): Record<string, string> | undefined {
  const words = text.split(/\s+/).filter((word) => word !== '');
  if (words.some((word) => word.indexOf('=') <= 0)) return undefined;
  return Object.fromEntries(words.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
}

const variants = (values.variant.length === 0 ? [''] : values.variant).map(parseVariant);
if (
  (values.mode !== 'full' && values.mode !== 'embedded') ||
  ![rounds, seconds].every((n) => Number.isInteger(n) && n > 0) ||
  !Number.isInteger(warmup) ||
  warmup < 0 ||
  variants.some((variant) => variant === undefined)
) {
  console.error(
    'usage: node bench/dist/order-runs.js [--mode=full|embedded] [--rounds=N] [--seconds=S] [--warmup=S] [--variant="NAME=VALUE …"]…\n' +
      '  (each --variant is one set of settings; --variant="" is the shipped defaults)',
  );
  process.exit(2);
}
const full = values.mode === 'full';

async function pgbenchRound(resources: RunResources): Promise<string> {
  const target = await createRawPgbenchDatabase(resources);
  await checkpointBeforePhase();
  if (warmup > 0) await pgbenchThroughput(target, FULL.concurrency, warmup);
  const before = await hostCpuSeconds();
  const perSecond = await pgbenchThroughput(target, FULL.concurrency, seconds);
  const share = hostBusyShare(before, await hostCpuSeconds());
  return `${perSecond.toFixed(0)} transactions/s, whole host ${(100 * share).toFixed(0)}% busy`;
}

async function appRun(resources: RunResources, variant: Record<string, string>): Promise<string> {
  const { app } = await startModeApp(full, resources, variant);
  const session = new ModeSession(app);
  try {
    await session.prepare({ ...FULL, owners: 1 });
    await checkpointBeforePhase();
    const groups = appAndServiceGroups(app.pid);
    // The warm-up runs first inside measureOrderThroughput; CPU is read over the whole call and divided by its length.
    const cpuBefore = await cpuSecondsByGroup(groups);
    const hostBefore = await hostCpuSeconds();
    const startedAt = performance.now();
    const result = await measureOrderThroughput(app.baseUrl, session.buyer, FULL.concurrency, seconds, warmup);
    const elapsed = (performance.now() - startedAt) / 1000;
    const cpuAfter = await cpuSecondsByGroup(groups);
    const hostShare = hostBusyShare(hostBefore, await hostCpuSeconds());
    const cpu = Object.keys(groups)
      .map((name) => `${name} ${((100 * ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0))) / elapsed).toFixed(0)}%`)
      .join(' ');
    return (
      `${result.ordersPerSecond.toFixed(0)} orders/s, p99 ${result.latencyP99Ms} ms, ${result.failed} failed, ` +
      `${result.placementsPerStatement.toFixed(1)} per statement; CPU ${cpu}, whole host ${(100 * hostShare).toFixed(0)}% busy`
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
