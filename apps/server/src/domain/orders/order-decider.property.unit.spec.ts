import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderLifecycleEvent, type OrderStatus } from '@ordertrack/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { decide, evolve } from './order-decider.js';
import type { OrderState } from './order-state.js';

const ORDER_ID = '00000000-0000-4000-8000-000000000001';
const USER_ID = '00000000-0000-4000-8000-000000000002';
const T0 = Date.parse('2026-01-01T00:00:00Z');

const status = fc.constantFrom(...ORDER_STATUSES);
const attempt = fc.record({
  to: status,
  expectedVersion: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
});

describe('order state machine, for any sequence of commands', () => {
  it('only ever moves along the transition table, one version per accepted change, never out of a final status', () => {
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 30 }), (attempts) => {
        const placed = decide(
          {
            kind: 'PlaceOrder',
            orderId: ORDER_ID,
            userId: USER_ID,
            items: [{ productId: 'A1', qty: 1 }],
            eventId: 'e0',
            at: new Date(T0),
          },
          null,
        );
        let state: OrderState = evolve(null, placed[0] as OrderLifecycleEvent);
        const history: OrderStatus[] = [state.status];
        attempts.forEach(({ to, expectedVersion }, index) => {
          const before = state;
          try {
            const events = decide(
              {
                kind: 'ChangeOrderStatus',
                orderId: ORDER_ID,
                to,
                expectedVersion,
                eventId: `e${index + 1}`,
                at: new Date(T0 + index + 1),
              },
              state,
            );
            expect(ORDER_TRANSITIONS[before.status]).toContain(to);
            expect(expectedVersion === undefined || expectedVersion === before.version).toBe(true);
            expect(events).toHaveLength(1);
            state = events.reduce<OrderState>((current, event) => evolve(current, event), state);
            expect(state.version).toBe(before.version + 1);
            history.push(state.status);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            const code = (error as DomainError).code;
            expect(code === 'VERSION_MISMATCH' || code === 'INVALID_TRANSITION').toBe(true);
            expect(state).toBe(before);
          }
        });
        expect(state.version).toBe(history.length);
        for (let i = 1; i < history.length; i += 1) {
          expect(ORDER_TRANSITIONS[history[i - 1] as OrderStatus]).toContain(history[i]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
