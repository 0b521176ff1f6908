import { measureOrderThroughput } from '../measures/order-throughput.js';
import { ApiClient } from '../support/api-client.js';
import { AppInstance } from '../support/app-instance.js';
import { describeCpuPerUnit, orderPhaseGroups, type CpuPerUnit } from '../support/process-cpu.js';
import { progress } from '../support/progress.js';
import type { RunResources } from '../support/run-resources.js';
import type { Scale } from '../support/scale.js';
import { fullModeEnv, fullModeRedisEnv } from './full-mode.js';

/** Long enough for a reading of its own, short enough to watch the cost fall. */
const SLICE_SECONDS = 15;

export interface WarmupSlice {
  /** Seconds of load from the warm-up's start to this slice's end. */
  endsAtSecond: number;
  ordersPerSecond: number;
  cpuPerOrder: CpuPerUnit;
}

/**
 * Kafka and Elasticsearch are JVMs: for their first minutes under load they run their hot code interpreted or
 * half-compiled and spend several times the CPU per event they spend later. Right after `npm run services` on
 * 2026-12-07 five back-to-back order-creation runs of 20 s (bench:orders, full mode) cost Elasticsearch 1.04, 0.62,
 * 0.19, 0.18 and 0.13 ms per order and Kafka 0.67, 0.38, 0.21, 0.17 and 0.13 ms (0.07-0.09 and 0.10-0.13 once
 * warm), and placed 698 rising to 1,653 orders/s; the first full run on that boot compared its full-mode orders with
 * pgbench while Elasticsearch still took 0.70 ms per order. What the suite compares is the steady state, so before
 * anything is measured (the Kafka baseline included) a full app of its own places orders for
 * `scale.serviceWarmupSeconds`, nothing counted; each slice's CPU per order is printed and kept in the results file,
 * so the start-up cost stays visible.
 */
export async function warmUpServices(scale: Scale, resources: RunResources): Promise<WarmupSlice[]> {
  const seconds = scale.serviceWarmupSeconds;
  const own = resources.child('warmup');
  progress(
    `warming up Kafka and Elasticsearch (JVMs compile their hot code under load): a full app placing orders for ` +
      `${seconds} s, nothing counted`,
  );
  const databaseUrl = await own.createDatabase(own.appDatabase, false);
  const app = await AppInstance.start({ ...fullModeEnv(own, databaseUrl), ...fullModeRedisEnv(own) });
  const api = new ApiClient(app.baseUrl);
  const slices: WarmupSlice[] = [];
  try {
    const buyer = await api.registerCustomer();
    for (let done = 0; done < seconds;) {
      const length = Math.min(SLICE_SECONDS, seconds - done);
      const run = await measureOrderThroughput(
        app.baseUrl,
        buyer,
        scale.concurrency,
        length,
        0,
        orderPhaseGroups(app.pid),
      );
      done += length;
      slices.push({ endsAtSecond: done, ordersPerSecond: run.ordersPerSecond, cpuPerOrder: run.cpuPerOrder });
      progress(
        `  ${done}/${seconds} s: ${run.ordersPerSecond.toFixed(0)} orders/s; CPU per order ` +
          describeCpuPerUnit(run.cpuPerOrder),
      );
    }
  } finally {
    await api.close();
    await app.stop();
    for (const problem of await own.cleanUp()) console.error(`cleanup: ${problem}`);
  }
  return slices;
}
