import { randomUUID } from 'node:crypto';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { inDeliveryOrder } from './delivery-order.js';

const event = (orderId: string, version: number): OrderLifecycleEvent => ({
  eventId: randomUUID(),
  orderId,
  userId: randomUUID(),
  type: version === 1 ? 'created' : 'updated',
  status: version === 1 ? 'CREATED' : 'ACCEPTED',
  version,
  timestamp: '2026-01-10T09:20:00.000Z',
  payload: { items: [] },
});

describe('delivery order within a batch', () => {
  it('puts each order’s events in version order, whatever topic order they arrived in', () => {
    const [a = '', b = ''] = [randomUUID(), randomUUID()].sort();
    const arrived = [event(b, 2), event(a, 3), event(a, 1), event(b, 1), event(a, 2)];
    const sorted = inDeliveryOrder(arrived);
    expect(sorted.map((e) => [e.orderId, e.version])).toEqual([
      [a, 1],
      [a, 2],
      [a, 3],
      [b, 1],
      [b, 2],
    ]);
    expect(arrived.map((e) => e.version)).toEqual([2, 3, 1, 1, 2]);
  });
});
