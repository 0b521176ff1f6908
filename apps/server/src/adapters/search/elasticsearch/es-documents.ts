import type { Order, OrderEventType, OrderItem, OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';

/** One lifecycle event as stored in a monthly history index (SDD section 5: items at the top level). */
export interface HistoryDocument {
  eventId: string;
  orderId: string;
  userId: string;
  type: OrderEventType;
  status: OrderStatus;
  version: number;
  timestamp: string;
  items: OrderItem[];
}

/** An order's current state: the latest event applied, plus when the order was created. */
export interface CurrentOrderDocument {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toHistoryDocument(event: OrderLifecycleEvent): HistoryDocument {
  return {
    eventId: event.eventId,
    orderId: event.orderId,
    userId: event.userId,
    type: event.type,
    status: event.status,
    version: event.version,
    timestamp: canonicalTimestamp(event.timestamp),
    items: event.payload.items.map(copyItem),
  };
}

/** Events carry the full item list, so the latest event alone describes the order; only createdAt comes from elsewhere. */
export function toCurrentOrderDocument(latest: OrderLifecycleEvent, createdAt: Date): CurrentOrderDocument {
  return {
    id: latest.orderId,
    userId: latest.userId,
    status: latest.status,
    items: latest.payload.items.map(copyItem),
    version: latest.version,
    createdAt: createdAt.toISOString(),
    updatedAt: canonicalTimestamp(latest.timestamp),
  };
}

export function fromCurrentOrderDocument(doc: CurrentOrderDocument): Order {
  return {
    id: doc.id,
    userId: doc.userId,
    status: doc.status,
    items: doc.items.map(copyItem),
    version: doc.version,
    createdAt: canonicalTimestamp(doc.createdAt),
    updatedAt: canonicalTimestamp(doc.updatedAt),
  };
}

/** Only the declared fields: the mappings are strict, and responses must not leak stored extras. */
function copyItem(item: OrderItem): OrderItem {
  return { productId: item.productId, qty: item.qty };
}

/** `2026-01-10T09:05:00Z` and `2026-01-10T10:05:00+01:00` are one instant; the API always answers in UTC with ms. */
function canonicalTimestamp(timestamp: string): string {
  return new Date(timestamp).toISOString();
}
