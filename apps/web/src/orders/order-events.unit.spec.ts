import type { Order, OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { appendHistoryEvent, applyOrderEvent, mergeFetchedOrders, upsertOrder } from './order-events';

const ORDER_ID = '11111111-1111-4111-8111-111111111111';
const USER_ID = '22222222-2222-4222-8222-222222222222';

function order(version: number, status: OrderStatus, id = ORDER_ID, createdAt = '2026-01-01T10:00:00.000Z'): Order {
  return {
    id,
    userId: USER_ID,
    status,
    items: [{ productId: 'ESP-001', qty: 1 }],
    version,
    createdAt,
    updatedAt: createdAt,
  };
}

function event(version: number, status: OrderStatus, orderId = ORDER_ID): OrderLifecycleEvent {
  return {
    eventId: `00000000-0000-4000-8000-00000000000${version}`,
    orderId,
    userId: USER_ID,
    type: 'updated',
    status,
    version,
    timestamp: `2026-01-01T10:0${version}:00.000Z`,
    payload: { items: [{ productId: 'ESP-001', qty: 1 }] },
  };
}

describe('applyOrderEvent', () => {
  it('applies a newer version in place', () => {
    const [updated] = applyOrderEvent([order(1, 'CREATED')], event(2, 'ACCEPTED'));
    expect(updated).toMatchObject({ status: 'ACCEPTED', version: 2, updatedAt: '2026-01-01T10:02:00.000Z' });
  });

  it('ignores duplicates and older versions, returning the same array', () => {
    const orders = [order(3, 'PREPARED')];
    expect(applyOrderEvent(orders, event(3, 'PREPARED'))).toBe(orders);
    expect(applyOrderEvent(orders, event(2, 'ACCEPTED'))).toBe(orders);
  });

  it('adds an order it has not seen at the front', () => {
    const otherId = '33333333-3333-4333-8333-333333333333';
    const orders = applyOrderEvent([order(1, 'CREATED')], event(1, 'CREATED', otherId));
    expect(orders.map((o) => o.id)).toEqual([otherId, ORDER_ID]);
  });
});

describe('mergeFetchedOrders', () => {
  it('keeps the higher version of each order, so a slow fetch cannot roll a status back', () => {
    const merged = mergeFetchedOrders([order(4, 'SHIPPED')], [order(3, 'PREPARED')]);
    expect(merged).toEqual([order(4, 'SHIPPED')]);
  });

  it('keeps local orders newer than the fetched page and drops older ones', () => {
    const newer = order(1, 'CREATED', '44444444-4444-4444-8444-444444444444', '2026-01-02T00:00:00.000Z');
    const older = order(1, 'CREATED', '55555555-5555-4555-8555-555555555555', '2025-12-31T00:00:00.000Z');
    expect(mergeFetchedOrders([newer, older], [order(1, 'CREATED')]).map((o) => o.id)).toEqual([newer.id, ORDER_ID]);
  });
});

describe('upsertOrder', () => {
  it('adds, replaces with a newer version, and keeps a newer shown version', () => {
    expect(upsertOrder([], order(1, 'CREATED'))).toEqual([order(1, 'CREATED')]);
    expect(upsertOrder([order(1, 'CREATED')], order(2, 'ACCEPTED'))).toEqual([order(2, 'ACCEPTED')]);
    const shown = [order(3, 'PREPARED')];
    expect(upsertOrder(shown, order(2, 'ACCEPTED'))).toBe(shown);
  });
});

describe('appendHistoryEvent', () => {
  it('deduplicates by version and keeps version order', () => {
    const history = [event(1, 'CREATED'), event(3, 'PREPARED')];
    expect(appendHistoryEvent(history, event(3, 'PREPARED'))).toBe(history);
    expect(appendHistoryEvent(history, event(2, 'ACCEPTED')).map((e) => e.version)).toEqual([1, 2, 3]);
  });
});
