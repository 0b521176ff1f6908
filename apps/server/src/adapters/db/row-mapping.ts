import type { OrderEventType, OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';
import type { OrderState } from '../../domain/orders/order-state.js';
import type { OutboxEntry } from '../../outbox/outbox-store.port.js';
import type { orderEvents, orders } from './schema.js';

export type OrderRow = typeof orders.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;

export function toOrderState(row: OrderRow): OrderState {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status as OrderStatus,
    items: row.items,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toOrderRow(state: OrderState): OrderRow {
  return { ...state };
}

export function toLifecycleEvent(row: OrderEventRow): OrderLifecycleEvent {
  return {
    eventId: row.eventId,
    orderId: row.orderId,
    userId: row.userId,
    type: row.type as OrderEventType,
    status: row.status as OrderStatus,
    version: row.version,
    timestamp: row.occurredAt.toISOString(),
    payload: row.payload,
  };
}

export function toEventRow(event: OrderLifecycleEvent): typeof orderEvents.$inferInsert {
  return {
    eventId: event.eventId,
    orderId: event.orderId,
    userId: event.userId,
    type: event.type,
    status: event.status,
    version: event.version,
    occurredAt: new Date(event.timestamp),
    payload: event.payload,
  };
}

/** The events of a statement that committed, as the relay would read them, for those it reported a position for. */
export function committedEntries(
  rows: readonly (typeof orderEvents.$inferInsert)[],
  positions: ReadonlyMap<string, number>,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const row of rows) {
    const position = positions.get(row.eventId);
    if (position !== undefined)
      entries.push({ position, event: toLifecycleEvent({ ...row, position, publishedAt: null }) });
  }
  return entries;
}
