import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { evolve } from '../../domain/orders/order-decider.js';
import type { OrderState } from '../../domain/orders/order-state.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { OrderStore, type IdempotencyClaim, type OrderChange } from '../ports/order-store.port.js';
import { PlaceOrderService } from './place-order.service.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

class SequentialIds extends IdGenerator {
  private next = 0;
  uuid(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}

/** Records what the service asks of the store; persistence itself is covered by the integration suites. */
class RecordingStore extends OrderStore {
  readonly claims: Array<IdempotencyClaim | undefined> = [];

  create(
    _orderId: string,
    decide: (state: null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
  ): Promise<OrderChange> {
    this.claims.push(idempotency);
    const events = decide(null);
    const order = events.reduce<OrderState | null>(evolve, null);
    if (order === null) throw new Error('no events');
    return Promise.resolve({ order, events, replayed: false });
  }
  execute(): Promise<OrderChange> {
    return Promise.reject(new Error('placing an order never changes an existing one'));
  }
  findById(): Promise<OrderState | null> {
    return Promise.resolve(null);
  }
  listByUser(): Promise<OrderState[]> {
    return Promise.resolve([]);
  }
  eventsAfter(): Promise<OrderLifecycleEvent[]> {
    return Promise.resolve([]);
  }
}

describe('PlaceOrderService', () => {
  const actor = { userId: '00000000-0000-4000-8000-00000000aaaa', role: 'CUSTOMER' as const };

  it('places the order for the caller, at the clock’s time', async () => {
    const service = new PlaceOrderService(new RecordingStore(), new FixedClock(), new SequentialIds());
    const { order } = await service.place(actor, { items: [{ productId: 'A1', qty: 2 }] }, undefined);
    expect(order).toMatchObject({ userId: actor.userId, status: 'CREATED', version: 1, createdAt: NOW.toISOString() });
  });

  it('fingerprints the body so the same key with the same items matches and different items do not', async () => {
    const store = new RecordingStore();
    const service = new PlaceOrderService(store, new FixedClock(), new SequentialIds());
    await service.place(actor, { items: [{ productId: 'A1', qty: 2 }] }, 'key-1');
    await service.place(actor, { items: [{ productId: 'A1', qty: 2 }] }, 'key-1');
    await service.place(actor, { items: [{ productId: 'A1', qty: 3 }] }, 'key-1');
    await service.place(actor, { items: [{ productId: 'A1', qty: 3 }] }, undefined);
    const [first, same, different, none] = store.claims;
    expect(first).toMatchObject({ userId: actor.userId, key: 'key-1' });
    expect(same?.requestHash).toBe(first?.requestHash);
    expect(different?.requestHash).not.toBe(first?.requestHash);
    expect(none).toBeUndefined();
  });
});
