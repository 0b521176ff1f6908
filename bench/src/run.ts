/**
 * `npm run bench [-- --quick|--smoke] [-- --mode=embedded|full] [-- --results-dir=dir]`: measures the app against raw baselines taken in the same
 * run, prints a table and writes bench/results/<date>.json. See README, section Benchmarks.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { collectBaselines } from './baselines/collect.js';
import { runEmbeddedMode } from './modes/embedded-mode.js';
import { kafkaConfigFor, runFullMode } from './modes/full-mode.js';
import { warmUpServices } from './modes/service-warmup.js';
import { ManagedProcess } from './support/processes.js';
import { progress } from './support/progress.js';
import { buildMetric, formatTable, type Metric, type Mode } from './support/report.js';
import { machineInfo, RESULTS_DIRECTORY, writeResults } from './support/results-file.js';
import { RunResources } from './support/run-resources.js';
import { FULL, QUICK, SMOKE } from './support/scale.js';
import { requireServices } from './support/services.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    mode: { type: 'string', default: 'all' },
    'results-dir': { type: 'string', default: RESULTS_DIRECTORY },
  },
});
const modeArgument = values.mode;
if (
  (modeArgument !== 'all' && modeArgument !== 'embedded' && modeArgument !== 'full') ||
  (values.quick && values.smoke)
) {
  console.error('usage: npm run bench -- [--quick|--smoke] [--mode=embedded|full|all] [--results-dir=dir]');
  process.exit(2);
}
const modes: Mode[] = modeArgument === 'all' ? ['embedded', 'full'] : [modeArgument];
const scale = values.smoke ? SMOKE : values.quick ? QUICK : FULL;

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadAtStart = loadavg();
  progress(
    `${scale.name} run, modes: ${modes.join(', ')}; load average ${loadAtStart.map((n) => n.toFixed(2)).join(' ')}`,
  );
  const withFull = modes.includes('full');
  await requireServices(withFull);
  const resources = new RunResources();
  // Ctrl-C, or a client library throwing from a callback, must not leave servers running or data behind.
  const abort = (reason: unknown): void => {
    console.error(reason);
    ManagedProcess.killAll();
    void resources.cleanUp().finally(() => process.exit(1));
  };
  process.once('uncaughtException', abort);
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const metrics: Metric[] = [];
  try {
    const serviceWarmup = withFull && scale.serviceWarmupSeconds > 0 ? await warmUpServices(scale, resources) : null;
    const kafka = withFull ? kafkaConfigFor(resources) : undefined;
    const baselines = await collectBaselines(scale, resources, kafka, modes.includes('embedded'));
    if (modes.includes('embedded')) {
      metrics.push(
        ...(await runEmbeddedMode(scale, baselines, resources)).map((input) => buildMetric('embedded', input)),
      );
    }
    if (withFull) {
      metrics.push(...(await runFullMode(scale, baselines, resources)).map((input) => buildMetric('full', input)));
    }
    metrics.push(
      buildMetric(modes[0] ?? 'embedded', {
        id: 'http.adapter.fastify',
        label: 'bare Nest on Fastify, GET /catalog',
        unit: 'requests/s',
        value: baselines.httpAdapters.fastify,
        baseline: { value: baselines.httpAdapters.express, label: 'bare Nest on Express, same route' },
        note: 'the most switching the HTTP adapter could win, before the app’s own per-request work',
      }),
    );
    const failedTargets = metrics.flatMap((metric) => metric.targets).filter((target) => !target.pass).length;
    console.log(`\n${formatTable(metrics)}\n`);
    const file = await writeResults(
      {
        date: startedAt.toISOString().slice(0, 10),
        startedAt: startedAt.toISOString(),
        durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        scale,
        modes,
        machine: machineInfo(loadAtStart),
        baselines,
        serviceWarmup,
        metrics,
        failedTargets,
      },
      values['results-dir'],
    );
    progress(`results written to ${file}; ${failedTargets} target(s) missed`);
    return 0;
  } finally {
    progress('cleaning up the databases, topics, indices and keys this run created');
    for (const problem of await resources.cleanUp()) console.error(`cleanup: ${problem}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
