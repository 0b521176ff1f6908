import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../domain/orders/order-state.js';
import { RememberedOrders } from './remembered-orders.js';

const at = new Date('2026-12-03T10:00:00Z');
const order = (id: string, version: number): OrderState => ({
  id,
  userId: 'u1',
  status: version === 1 ? 'CREATED' : 'ACCEPTED',
  items: [{ productId: 'p-1', qty: 1 }],
  version,
  createdAt: at,
  updatedAt: at,
});

describe('RememberedOrders', () => {
  it('recalls the state last remembered, and nothing after it is forgotten', () => {
    const remembered = new RememberedOrders(10);
    remembered.remember(order('a', 1));
    remembered.remember(order('a', 2));
    expect(remembered.recall('a')?.version).toBe(2);
    remembered.forget('a');
    expect(remembered.recall('a')).toBeUndefined();
  });

  it('keeps the newer version when an older write reports after a newer one', () => {
    const remembered = new RememberedOrders(10);
    remembered.remember(order('a', 3));
    remembered.remember(order('a', 2));
    expect(remembered.recall('a')?.version).toBe(3);
  });

  it('lets the least recently used order go when full', () => {
    const remembered = new RememberedOrders(2);
    remembered.remember(order('a', 1));
    remembered.remember(order('b', 1));
    remembered.recall('a');
    remembered.remember(order('c', 1));
    expect(remembered.recall('b')).toBeUndefined();
    expect(remembered.recall('a')?.id).toBe('a');
    expect(remembered.recall('c')?.id).toBe('c');
  });
});
