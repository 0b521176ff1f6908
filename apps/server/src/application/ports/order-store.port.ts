import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { OrderState } from '../../domain/orders/order-state.js';
import type { Actor } from '../actor.js';

export interface IdempotencyClaim {
  userId: string;
  key: string;
  /** Fingerprint of the request body: the same key with a different body is refused, not replayed. */
  requestHash: string;
}

export interface OrderChange {
  order: OrderState;
  events: OrderLifecycleEvent[];
  /** True when an idempotency key matched an earlier request and nothing new was written. */
  replayed: boolean;
}

export interface OrderCursor {
  createdAt: Date;
  id: string;
}

export abstract class OrderStore {
  /**
   * Places a new order: `decide` gets no state (the id was just generated), and the order, its events (the
   * history, which is also the outbox), the audit entries for `actor` and the idempotency claim commit together
   * or not at all. When the claim's key was already taken, nothing is written and the order of the request that
   * took it is returned as `replayed`.
   */
  abstract create(
    orderId: string,
    decide: (state: null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange>;

  /**
   * Loads the order, asks `decide` for its events and commits the evolved order together with those events (and,
   * with an `actor`, their audit entries) atomically. When a concurrent change of the same order committed first,
   * nothing is written and `decide` is asked again on the order as that change left it.
   */
  abstract execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    actor?: Actor,
  ): Promise<OrderChange>;

  abstract findById(orderId: string): Promise<OrderState | null>;

  /** Newest first; `after` continues strictly after that position. */
  abstract listByUser(userId: string, after: OrderCursor | undefined, limit: number): Promise<OrderState[]>;

  /** Events of the listed orders with a version above the given one, in version order per order. */
  abstract eventsAfter(
    positions: ReadonlyArray<{ orderId: string; lastVersion: number }>,
  ): Promise<OrderLifecycleEvent[]>;
}
