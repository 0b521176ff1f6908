import type { ModeSession } from '../support/mode-session.js';
import type { LoadWindow } from '../support/update-driver.js';

/**
 * PATCH /orders/:id/status at a steady rate while every socket is connected; each update's latency runs from the
 * moment its PATCH is sent to the moment its owner's socket receives the `order.updated` with that version.
 * `warmupSeconds` of the same load first, not recorded: the phase is the first to change orders after the app
 * started, and in 2 of 11 runs on 2026-12-03 its first 5 s (statements prepared, code compiled under load) had a
 * p99 of 2.4 s against 38-387 ms in the windows after. Order creation gets the same warm-up.
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
