import { randomUUID } from 'node:crypto';
import type { OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';
import { eventTypeForStatus } from '@ordertrack/shared';

const PATH: readonly OrderStatus[] = ['CREATED', 'ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'];

/** An order's first `count` lifecycle events (up to DELIVERED), as the outbox would hold them: versions 1..count. */
export function orderLifecycle(count: number, orderId = randomUUID(), userId = randomUUID()): OrderLifecycleEvent[] {
  return PATH.slice(0, count).map((status, index) => ({
    eventId: randomUUID(),
    orderId,
    userId,
    type: eventTypeForStatus(status),
    status,
    version: index + 1,
    timestamp: new Date(Date.UTC(2026, 0, 10, 9, index)).toISOString(),
    payload: { items: [{ productId: 'ESP-001', qty: 1 }] },
  }));
}

/** Several orders' events interleaved the way concurrent requests fill the outbox: each order in version order. */
export function interleavedLifecycles(orders: number, eventsPerOrder: number): OrderLifecycleEvent[] {
  const lifecycles = Array.from({ length: orders }, () => orderLifecycle(eventsPerOrder));
  const outbox: OrderLifecycleEvent[] = [];
  for (let version = 0; version < eventsPerOrder; version += 1) {
    for (const lifecycle of lifecycles) {
      const event = lifecycle[version];
      if (event !== undefined) outbox.push(event);
    }
  }
  return outbox;
}
