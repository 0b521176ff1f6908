import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { OrderState } from '../../domain/orders/order-state.js';
import type { Actor } from '../actor.js';
import { OrderStore, type IdempotencyClaim, type OrderChange, type OrderCursor } from '../ports/order-store.port.js';
import type { OrderWriteGate } from './order-write-gate.js';

/** An order store whose writes pass through the gate the outbox relay closes at shutdown; reads pass straight on. */
export class GatedOrderStore extends OrderStore {
  constructor(
    private readonly inner: OrderStore,
    private readonly gate: OrderWriteGate,
  ) {
    super();
  }

  create(
    orderId: string,
    decide: (state: null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.gate.run(() => this.inner.create(orderId, decide, idempotency, actor));
  }

  execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.gate.run(() => this.inner.execute(orderId, decide, actor));
  }

  findById(orderId: string): Promise<OrderState | null> {
    return this.inner.findById(orderId);
  }

  listByUser(userId: string, after: OrderCursor | undefined, limit: number): Promise<OrderState[]> {
    return this.inner.listByUser(userId, after, limit);
  }

  eventsAfter(positions: ReadonlyArray<{ orderId: string; lastVersion: number }>): Promise<OrderLifecycleEvent[]> {
    return this.inner.eventsAfter(positions);
  }
}
