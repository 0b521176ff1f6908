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

  create(
    orderId: string,
    decide: (state: null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.counted(this.time('create', () => this.inner.create(orderId, decide, idempotency, actor)));
  }

  execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.counted(this.time('execute', () => this.inner.execute(orderId, decide, actor)));
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

  private async counted(committed: Promise<OrderChange>): Promise<OrderChange> {
    const change = await committed;
    for (const event of change.events) this.metrics.eventsWritten.inc({ type: event.type });
    return change;
  }

  private time<T>(method: string, work: () => Promise<T>): Promise<T> {
    return timed(this.metrics.dbQueryDuration, `order_store.${method}`, work);
  }
}
