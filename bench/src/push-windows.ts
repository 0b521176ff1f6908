/**
 * `node bench/dist/push-windows.js [--mode=full|embedded] [--windows=6] [--seconds=5] [--rate=500] [--trace]
 * [--warm-services=0] [--env=NAME=VALUE]…`
 * The push-latency phase alone (2,000 sockets, 20 of them owners of the updated orders), after the same warm-up,
 * cut into windows, with the CPU each process group used per window. How the README's before/after comparisons of a
 * setting (`--env`) or a build (run it from each build's checkout, alternating) were measured; no baseline, no file.
 * `--warm-services=S` (full mode) first warms Kafka and Elasticsearch up as `npm run bench` does, for at least S
 * seconds and then until their CPU per order stops falling.
 * `--trace` (full mode) adds each window's stage breakdown: where the typical push and the slowest 1% spent their time.
 */
import { parseArgs } from 'node:util';
import { measurePushStages } from './measures/push-stages.js';
import { startModeApp } from './modes/mode-app.js';
import { warmUpServices } from './modes/service-warmup.js';
import { ModeSession } from './support/mode-session.js';
import { appAndServiceGroups, cpuDuring, type ProcessGroups } from './support/process-cpu.js';
import { progress } from './support/progress.js';
import { describeStages } from './support/stage-breakdown.js';
import { RunResources } from './support/run-resources.js';
import { FULL } from './support/scale.js';
import { requireServices } from './support/services.js';
import { parseSettings } from './support/settings.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'full' },
    windows: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '5' },
    rate: { type: 'string', default: String(FULL.updateRate) },
    env: { type: 'string', multiple: true, default: [] },
    'warm-services': { type: 'string', default: '0' },
    trace: { type: 'boolean', default: false },
  },
});
const windows = Number(values.windows);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const warmServices = Number(values['warm-services']);
const overrides = parseSettings(values.env);
if (
  (values.mode !== 'full' && values.mode !== 'embedded') ||
  ![windows, seconds, rate].every((n) => Number.isInteger(n) && n > 0) ||
  !(Number.isInteger(warmServices) && warmServices >= 0) ||
  overrides === undefined ||
  (warmServices > 0 && values.mode !== 'full') ||
  (values.trace && values.mode !== 'full')
) {
  console.error(
    'usage: node bench/dist/push-windows.js [--mode=full|embedded] [--windows=N] [--seconds=S] [--rate=R] [--trace] [--warm-services=S] [--env=NAME=VALUE]…\n' +
      '  (--trace reads the outbox table and --warm-services warms Kafka and Elasticsearch: full mode only)',
  );
  process.exit(2);
}
const full = values.mode === 'full';

async function main(): Promise<void> {
  await requireServices(full);
  const resources = new RunResources();
  let opened: ModeSession | undefined;
  try {
    if (warmServices > 0) await warmUpServices({ ...FULL, serviceWarmupSeconds: warmServices }, resources);
    const { app, databaseUrl } = await startModeApp(full, resources, overrides ?? {});
    const session = new ModeSession(app);
    opened = session;
    const groups: ProcessGroups = { ...appAndServiceGroups(app.pid), bench: ({ pid }) => pid === process.pid };
    await session.prepare(FULL);
    await session.connectIdle(FULL.sockets - FULL.owners);
    await session.ensureUpdates(Math.ceil(rate * seconds * (windows + 1) * 1.1));
    progress(`${values.mode} mode, ${rate} updates/s, ${session.connectedSockets} sockets; ${seconds} s not counted`);
    await session.driver.run(rate, seconds * 1000, 1000);
    for (let index = 0; index < windows; index += 1) {
      const startedAt = performance.now();
      const { result: window, cpu: used } = await cpuDuring(groups, () => session.driver.run(rate, seconds * 1000));
      const elapsed = (performance.now() - startedAt) / 1000;
      const cpu = Object.entries(used.secondsByGroup)
        .map(([name, groupSeconds]) => `${name} ${((100 * groupSeconds) / elapsed).toFixed(0)}%`)
        .join(' ');
      const push = window.pushLatency;
      const patch = window.requestLatency;
      progress(
        `window ${index + 1}: push p50 ${push.percentileMs(50).toFixed(1)} p99 ${push.percentileMs(99).toFixed(1)} ms, ` +
          `PATCH p50 ${patch.percentileMs(50).toFixed(1)} p99 ${patch.percentileMs(99).toFixed(1)} ms, ` +
          `${window.received}/${window.committed} pushes; CPU ${cpu}`,
      );
      if (values.trace && databaseUrl !== undefined) {
        progress(`  ${describeStages(await measurePushStages(databaseUrl, session.driver, window))}`);
      }
    }
  } finally {
    await opened?.close();
    await resources.cleanUp();
  }
}

await main();
