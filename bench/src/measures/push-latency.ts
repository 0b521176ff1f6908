import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ModeSession } from '../support/mode-session.js';
import type { LoadWindow } from '../support/update-driver.js';

/** How late the bench's own event loop ran its callbacks during the counted stretch, and how large its heap was. */
export interface BenchLoopDelay {
  p99Ms: number;
  maxMs: number;
  heapUsedBytes: number;
}

/**
 * PATCH /orders/:id/status at a steady rate while every socket is connected; each update's latency runs from the
 * moment its PATCH is sent to the moment its owner's socket receives the `order.updated` with that version.
 * `warmupSeconds` of the same load first, not recorded, as order creation gets: the phase is the first to change
 * orders after the app started (in 2 of 11 runs on 2026-12-03 its first 5 s had a p99 of 2.4 s; windows as bad also
 * came minutes later on that saturated host, so this treats both phases alike rather than curing a cold start).
 * The bench's event-loop delay is read beside it: the sockets' receipts are timed in that loop, so a stall of the
 * bench itself would read as push latency.
 */
export async function measurePushLatency(
  session: ModeSession,
  rate: number,
  seconds: number,
  warmupSeconds: number,
): Promise<{ window: LoadWindow; benchLoop: BenchLoopDelay }> {
  if (warmupSeconds > 0) await session.driver.run(rate, warmupSeconds * 1000, 1000);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  try {
    const window = await session.driver.run(rate, seconds * 1000);
    const nanosecondsToMs = (ns: number) => ns / 1e6;
    return {
      window,
      benchLoop: {
        p99Ms: nanosecondsToMs(delay.percentile(99)),
        maxMs: nanosecondsToMs(delay.max),
        heapUsedBytes: process.memoryUsage().heapUsed,
      },
    };
  } finally {
    delay.disable();
  }
}
