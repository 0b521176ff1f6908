import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderLifecycleEvent, type OrderStatus } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import type { ChangeOrderStatus, PlaceOrder } from './order-commands.js';
import { decide, evolve } from './order-decider.js';
import type { OrderState } from './order-state.js';

const T0 = new Date('2026-01-01T10:00:00.000Z');
const ORDER_ID = '00000000-0000-4000-8000-000000000001';
const USER_ID = '00000000-0000-4000-8000-000000000002';

const place: PlaceOrder = {
  kind: 'PlaceOrder',
  orderId: ORDER_ID,
  userId: USER_ID,
  items: [{ productId: 'A123', qty: 2 }],
  eventId: '00000000-0000-4000-8000-0000000000e1',
  at: T0,
};

const change = (to: OrderStatus, expectedVersion?: number): ChangeOrderStatus => ({
  kind: 'ChangeOrderStatus',
  orderId: ORDER_ID,
  to,
  expectedVersion,
  eventId: '00000000-0000-4000-8000-0000000000e2',
  at: new Date(T0.getTime() + 60_000),
});

const fold = (events: OrderLifecycleEvent[], state: OrderState | null = null): OrderState | null =>
  events.reduce<OrderState | null>(evolve, state);

function orderIn(status: OrderStatus, version = 3): OrderState {
  return { id: ORDER_ID, userId: USER_ID, status, items: place.items, version, createdAt: T0, updatedAt: T0 };
}

function errorCode(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('placing an order', () => {
  it('creates version 1 in CREATED with a created event in the SDD schema', () => {
    const events = decide(place, null);
    expect(events).toEqual([
      {
        eventId: place.eventId,
        orderId: ORDER_ID,
        userId: USER_ID,
        type: 'created',
        status: 'CREATED',
        version: 1,
        timestamp: T0.toISOString(),
        payload: { items: place.items },
      },
    ]);
    expect(fold(events)).toMatchObject({ status: 'CREATED', version: 1, createdAt: T0, updatedAt: T0 });
  });

  it('refuses to place an order id that already exists', () => {
    expect(errorCode(() => decide(place, orderIn('CREATED', 1)))).toBe('ORDER_EXISTS');
  });
});

describe('changing status', () => {
  it.each(ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const)))(
    '%s -> %s follows the transition table',
    (from, to) => {
      const allowed = ORDER_TRANSITIONS[from].includes(to);
      const code = errorCode(() => decide(change(to), orderIn(from)));
      expect(code).toBe(allowed ? undefined : 'INVALID_TRANSITION');
    },
  );

  it('walks the happy path with one version per change and typed events', () => {
    let state = fold(decide(place, null));
    const types: string[] = [];
    for (const to of ['ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'] as const) {
      const events = decide(change(to), state);
      types.push(...events.map((event) => event.type));
      state = fold(events, state);
      expect(state?.status).toBe(to);
    }
    expect(state?.version).toBe(5);
    expect(types).toEqual(['updated', 'updated', 'updated', 'completed']);
  });

  it('cancels with a canceled event, and nothing follows a terminal status', () => {
    const [event] = decide(change('CANCELED'), orderIn('PREPARED'));
    expect(event).toMatchObject({ type: 'canceled', status: 'CANCELED', version: 4 });
    for (const terminal of ['DELIVERED', 'CANCELED'] as const) {
      for (const to of ORDER_STATUSES)
        expect(errorCode(() => decide(change(to), orderIn(terminal)))).toBe('INVALID_TRANSITION');
    }
  });

  it('names both statuses when a transition is refused', () => {
    expect(() => decide(change('DELIVERED'), orderIn('CREATED'))).toThrow(/CREATED to DELIVERED/);
  });

  it('checks the expected version before the transition', () => {
    expect(errorCode(() => decide(change('ACCEPTED', 2), orderIn('CREATED', 3)))).toBe('VERSION_MISMATCH');
    expect(errorCode(() => decide(change('ACCEPTED', 3), orderIn('CREATED', 3)))).toBeUndefined();
    expect(errorCode(() => decide(change('DELIVERED', 2), orderIn('CREATED', 3)))).toBe('VERSION_MISMATCH');
  });

  it('reports a missing order as NOT_FOUND', () => {
    expect(errorCode(() => decide(change('ACCEPTED'), null))).toBe('NOT_FOUND');
  });

  it('keeps the items and stamps the change time', () => {
    const state = fold(decide(change('ACCEPTED'), orderIn('CREATED', 1)), orderIn('CREATED', 1));
    expect(state).toMatchObject({ items: place.items, createdAt: T0, updatedAt: change('ACCEPTED').at, version: 2 });
  });
});
