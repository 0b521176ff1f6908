import type { ModeSession } from '../support/mode-session.js';
import type { LoadWindow } from '../support/update-driver.js';

/**
 * PATCH /orders/:id/status at a steady rate while every socket is connected; each update's latency runs from the
 * moment its PATCH is sent to the moment its owner's socket receives the `order.updated` with that version.
 * One second of the same load first, not recorded, so connection pools and JIT are warm.
 */
export async function measurePushLatency(session: ModeSession, rate: number, seconds: number): Promise<LoadWindow> {
  await session.driver.run(rate, 1000, 1000);
  return session.driver.run(rate, seconds * 1000);
}
