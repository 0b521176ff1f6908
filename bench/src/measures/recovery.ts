import { MAX_RESUME_ORDERS, type OrderLifecycleEvent } from '@ordertrack/shared';
import type { ModeSession } from '../support/mode-session.js';
import type { OrdersSocket } from '../support/order-sockets.js';
import { sleep } from '../support/progress.js';

export interface Recovery {
  /** Updates committed during the phase whose push reached the owner (live, replayed or resumed) / all committed. */
  recoveredShare: number;
  committed: number;
  missing: number;
  /** Reconnect → the owner holds every update committed before it reconnected; worst socket. */
  catchUpMs: number;
  /** Updates that only the `orders.resume` call returned (Socket.IO's own recovery replays the others). */
  viaResume: number;
  /** `orders.resume` calls that failed or got no answer before the phase ended. */
  resumeFailures: number;
}

/** The last version each order's owner has seen: what a client sends in `orders.resume`. */
class SeenVersions {
  private readonly versions = new Map<string, number>();

  record(event: OrderLifecycleEvent): void {
    this.versions.set(event.orderId, Math.max(event.version, this.versions.get(event.orderId) ?? 0));
  }

  of(orderIds: readonly string[]): { orderId: string; lastVersion: number }[] {
    return orderIds.map((orderId) => ({ orderId, lastVersion: this.versions.get(orderId) ?? 0 }));
  }
}

async function resume(
  socket: OrdersSocket,
  positions: { orderId: string; lastVersion: number }[],
): Promise<OrderLifecycleEvent[]> {
  const events: OrderLifecycleEvent[] = [];
  for (let start = 0; start < positions.length; start += MAX_RESUME_ORDERS) {
    const result = await socket.emitWithAck('orders.resume', {
      orders: positions.slice(start, start + MAX_RESUME_ORDERS),
    });
    if (!result.ok) throw new Error(`orders.resume failed: ${result.error}`);
    events.push(...result.events);
  }
  return events;
}

/**
 * Under steady load, every owner's connection drops (the transport closes, as when a network goes away) and comes
 * back after `dropMs`; on reconnect the client does what the web app does: `orders.resume` with the last version it
 * saw of each of its orders. Every committed update must reach its owner.
 */
export async function measureRecovery(session: ModeSession, rate: number, dropMs: number): Promise<Recovery> {
  const seen = new SeenVersions();
  const reconnectedAt = new Map<string, number>();
  let viaResume = 0;
  let resumeFailures = 0;
  const ordersOf = new Map<string, string[]>(
    session.owners.map((owner) => [owner.userId, session.driver.orderIdsOf(owner.userId)]),
  );
  for (const [userId, socket] of session.ownerSockets) {
    socket.on('order.updated', (event) => seen.record(event));
    socket.io.reconnectionDelay(dropMs).reconnectionDelayMax(dropMs);
    socket.io.once('reconnect', () => {
      reconnectedAt.set(userId, performance.now());
      resume(socket, seen.of(ordersOf.get(userId) ?? [])).then(
        (events) => {
          for (const event of events) {
            if (session.driver.recordPush(event, performance.now())) viaResume += 1;
            seen.record(event);
          }
        },
        // Counted as it should be: whatever this resume would have returned stays missing.
        () => (resumeFailures += 1),
      );
    });
  }
  const load = session.driver.run(rate, dropMs + 4000, 10_000);
  await sleep(1000);
  for (const socket of session.ownerSockets.values()) socket.io.engine.close();
  const window = await load;

  let catchUpMs = 0;
  for (const update of session.driver.updatesIn(window)) {
    const reconnect = reconnectedAt.get(update.ownerId);
    if (reconnect === undefined || update.committedAt === undefined || update.committedAt > reconnect) continue;
    catchUpMs = Math.max(catchUpMs, (update.receivedAt ?? Infinity) - reconnect);
  }
  return {
    recoveredShare: window.committed === 0 ? 0 : Math.min(window.received, window.committed) / window.committed,
    committed: window.committed,
    missing: Math.max(0, window.committed - window.received),
    catchUpMs,
    viaResume,
    resumeFailures,
  };
}
