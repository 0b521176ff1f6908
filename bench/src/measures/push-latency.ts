import type { ModeSession } from '../support/mode-session.js';
import type { LoadWindow } from '../support/update-driver.js';

/**
 * PATCH /orders/:id/status at a steady rate while every socket is connected; each update's latency runs from the
 * moment its PATCH is sent to the moment its owner's socket receives the `order.updated` with that version.
 * `warmupSeconds` of the same load first, not recorded, as order creation gets: the phase is the first to change
 * orders after the app started (in 2 of 11 runs on 2026-12-03 its first 5 s had a p99 of 2.4 s; windows as bad also
 * came minutes later on that saturated host, so this treats both phases alike rather than curing a cold start).
 */
export async function measurePushLatency(
  session: ModeSession,
  rate: number,
  seconds: number,
  warmupSeconds: number,
): Promise<LoadWindow> {
  if (warmupSeconds > 0) await session.driver.run(rate, warmupSeconds * 1000, 1000);
  return session.driver.run(rate, seconds * 1000);
}
