import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { Actor } from '../application/actor.js';
import {
  OrderStore,
  type IdempotencyClaim,
  type OrderChange,
  type OrderCursor,
} from '../application/ports/order-store.port.js';
import type { OrderState } from '../domain/orders/order-state.js';
import type { AppMetrics } from './metrics.js';
import { timed } from './timed.js';

/** Times every order-store call and counts the lifecycle events each committed change wrote, by type. */
export class MeteredOrderStore extends OrderStore {
  constructor(
    private readonly inner: OrderStore,
    private readonly metrics: AppMetrics,
  ) {
    super();
  }

  async execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange> {
    const change = await this.time('execute', () => this.inner.execute(orderId, decide, idempotency, actor));
    for (const event of change.events) this.metrics.eventsWritten.inc({ type: event.type });
    return change;
  }

  findById(orderId: string): Promise<OrderState | null> {
    return this.time('findById', () => this.inner.findById(orderId));
  }

  listByUser(userId: string, after: OrderCursor | undefined, limit: number): Promise<OrderState[]> {
    return this.time('listByUser', () => this.inner.listByUser(userId, after, limit));
  }

  eventsAfter(positions: ReadonlyArray<{ orderId: string; lastVersion: number }>): Promise<OrderLifecycleEvent[]> {
    return this.time('eventsAfter', () => this.inner.eventsAfter(positions));
  }

  private time<T>(method: string, work: () => Promise<T>): Promise<T> {
    return timed(this.metrics.dbQueryDuration, `order_store.${method}`, work);
  }
}
