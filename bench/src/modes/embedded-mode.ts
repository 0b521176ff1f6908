import { randomBytes } from 'node:crypto';
import type { Baselines } from '../baselines/collect.js';
import { AppInstance } from '../support/app-instance.js';
import { ModeSession } from '../support/mode-session.js';
import { progress } from '../support/progress.js';
import type { MetricInput } from '../support/report.js';
import type { RunResources } from '../support/run-resources.js';
import type { Scale } from '../support/scale.js';
import { runCommonPhases } from './common-phases.js';

/** The embedded app's settings: a temporary data directory and a fresh secret, everything else as shipped. */
export async function embeddedModeEnv(resources: RunResources): Promise<Record<string, string>> {
  return { DATA_DIR: await resources.tempDirectory(), JWT_SECRET: randomBytes(48).toString('base64') };
}

/** `npm start` as shipped: PGlite in-process, in-process bus, PostgreSQL search; data in a temporary directory. */
export async function runEmbeddedMode(
  scale: Scale,
  baselines: Baselines,
  resources: RunResources,
): Promise<MetricInput[]> {
  progress('embedded mode: starting the app (PGlite, in-process bus)');
  const app = await AppInstance.start(await embeddedModeEnv(resources));
  const session = new ModeSession(app);
  try {
    await session.prepare(scale);
    const { metrics } = await runCommonPhases(
      session,
      scale,
      baselines,
      resources,
      [{ kind: 'max', of: 'ratio', limit: 2 }],
      undefined,
    );
    const throughput = metrics.find((metric) => metric.id === 'orders.create.throughput');
    if (throughput !== undefined && baselines.pgliteTps !== undefined) {
      metrics.push({
        id: 'orders.create.vs.pglite',
        label: 'order creation vs its own database',
        unit: 'orders/s',
        value: throughput.value,
        baseline: { value: baselines.pgliteTps, label: 'PGlite, same statement, in-process, no HTTP' },
        note: 'PGlite runs in the app’s process (on its own thread) with one connection: this ratio is what HTTP, auth and JSON cost',
      });
    }
    return metrics;
  } finally {
    await session.close();
  }
}
