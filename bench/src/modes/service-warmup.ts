import { measureOrderThroughput } from '../measures/order-throughput.js';
import { ApiClient } from '../support/api-client.js';
import { AppInstance } from '../support/app-instance.js';
import { describeCpuPerUnit, orderPhaseGroups, type CpuPerUnit } from '../support/process-cpu.js';
import { progress } from '../support/progress.js';
import type { RunResources } from '../support/run-resources.js';
import type { Scale } from '../support/scale.js';
import { SERVICES } from '../support/services.js';
import { fullModeEnv, fullModeRedisEnv } from './full-mode.js';
import { describeChanges, warmupSettling } from './warmup-settling.js';

/** Long enough for a reading of its own, short enough to watch the cost fall. */
const SLICE_SECONDS = 15;

/**
 * Elasticsearch stops refreshing a shard that has seen no search for 30 s (search-idle), and with the refreshes
 * stops running the refresh and merge code that every measured phase, on indices a few seconds old, runs each
 * second: after 90 s of warm-up on idle indices a fresh round still found Elasticsearch at 0.25 ms per order. A
 * search of the warm-up's indices this often keeps them as the measured phases see theirs.
 */
const SEARCH_EVERY_MS = 5_000;

/** Searches `pattern` every SEARCH_EVERY_MS until stopped; the result counts the searches that failed. */
function keepIndicesSearched(pattern: string): { stop: () => Promise<number> } {
  let failed = 0;
  let pending: Promise<void> = Promise.resolve();
  const search = async (): Promise<void> => {
    const url = `${SERVICES.elasticsearchUrl}/${pattern}/_search?size=0&ignore_unavailable=true&allow_no_indices=true`;
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok !== true) failed += 1;
  };
  const timer = setInterval(() => {
    pending = pending.then(search);
  }, SEARCH_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await pending;
      return failed;
    },
  };
}

export interface WarmupSlice {
  /** Seconds of load from the warm-up's start to this slice's end. */
  endsAtSecond: number;
  ordersPerSecond: number;
  cpuPerOrder: CpuPerUnit;
}

/** What the results file keeps of the warm-up. */
export interface ServiceWarmup {
  minimumSeconds: number;
  maximumSeconds: number;
  /** Whether it ended because the services' CPU per order had stopped falling (warmupSettling), not at the cap. */
  settled: boolean;
  slices: WarmupSlice[];
}

/**
 * Kafka and Elasticsearch are JVMs: for their first minutes under load they run their hot code interpreted or
 * half-compiled and spend several times the CPU per event they spend later. Right after `npm run services` on
 * 2026-12-07 five back-to-back order-creation runs of 20 s (bench:orders, full mode) cost Elasticsearch 1.04, 0.62,
 * 0.19, 0.18 and 0.13 ms per order and Kafka 0.67, 0.38, 0.21, 0.17 and 0.13 ms (0.07-0.09 and 0.10-0.13 once
 * warm), and placed 698 rising to 1,653 orders/s; the first full run on that boot compared its full-mode orders with
 * pgbench while Elasticsearch still took 0.70 ms per order. What the suite compares is the steady state, so before
 * anything is measured (the Kafka baseline included) a full app of its own places orders, nothing counted, for
 * `scale.serviceWarmupSeconds` and then on until the two JVMs' CPU per order stops falling (warmupSettling), at
 * most `scale.serviceWarmupMaxSeconds`: how long that takes depends on the host (within 45 s on one boot that day,
 * past 105 s on a slower one, whose Elasticsearch still cost 0.43 ms per order at 90 s). Each slice's CPU per order
 * is printed and kept in the results file, so the start-up cost stays visible.
 */
export async function warmUpServices(scale: Scale, resources: RunResources): Promise<ServiceWarmup> {
  const bounds = { minimumSeconds: scale.serviceWarmupSeconds, maximumSeconds: scale.serviceWarmupMaxSeconds };
  const own = resources.child('warmup');
  progress(
    `warming up Kafka and Elasticsearch (JVMs compile their hot code under load): a full app placing orders for ` +
      `${bounds.minimumSeconds} s, then until their CPU per order stops falling (at most ` +
      `${bounds.maximumSeconds} s), nothing counted`,
  );
  let app: AppInstance | undefined;
  try {
    const databaseUrl = await own.createDatabase(own.appDatabase, false);
    app = await AppInstance.start({ ...fullModeEnv(own, databaseUrl), ...fullModeRedisEnv(own) });
    return { ...bounds, ...(await placeOrdersInSlices(app, scale.concurrency, bounds, `${own.esPrefix}*`)) };
  } finally {
    await app?.stop();
    for (const problem of await own.cleanUp()) console.error(`cleanup: ${problem}`);
  }
}

/**
 * Orders in slices, the indices matching `indices` kept searched, until the minimum has passed and the services'
 * cost per order has settled, or the maximum has; each slice printed and returned.
 */
async function placeOrdersInSlices(
  app: AppInstance,
  connections: number,
  { minimumSeconds, maximumSeconds }: { minimumSeconds: number; maximumSeconds: number },
  indices: string,
): Promise<{ settled: boolean; slices: WarmupSlice[] }> {
  const api = new ApiClient(app.baseUrl);
  const searches = keepIndicesSearched(indices);
  const slices: WarmupSlice[] = [];
  const maximum = Math.max(minimumSeconds, maximumSeconds);
  try {
    const buyer = await api.registerCustomer();
    for (let done = 0; ;) {
      const length = Math.min(SLICE_SECONDS, (done < minimumSeconds ? minimumSeconds : maximum) - done);
      const run = await measureOrderThroughput(app.baseUrl, buyer, connections, length, 0, orderPhaseGroups(app.pid));
      done += length;
      slices.push({ endsAtSecond: done, ordersPerSecond: run.ordersPerSecond, cpuPerOrder: run.cpuPerOrder });
      progress(
        `  ${done} s: ${run.ordersPerSecond.toFixed(0)} orders/s; CPU per order ` + describeCpuPerUnit(run.cpuPerOrder),
      );
      if (done < minimumSeconds) continue;
      const settling = warmupSettling(slices);
      if (settling === undefined) {
        progress('  (fewer than four slices: too short to tell whether the services settled)');
        return { settled: false, slices };
      }
      if (settling.settled) {
        progress(
          `  settled after ${done} s (the last two slices against the two before): ${describeChanges(settling.changes)}`,
        );
        return { settled: true, slices };
      }
      if (done >= maximum) {
        progress(`  stopped at the ${maximum} s cap, still falling: ${describeChanges(settling.changes)}`);
        return { settled: false, slices };
      }
    }
  } finally {
    const failedSearches = await searches.stop();
    if (failedSearches > 0) progress(`  (${failedSearches} of the searches that keep its indices active failed)`);
    await api.close();
  }
}
