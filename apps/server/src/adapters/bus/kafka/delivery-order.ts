import type { OrderLifecycleEvent } from '@ordertrack/shared';

/**
 * An order's events travel on up to four topics, so a fetch can return them out of version order. Within one
 * batch this restores it: events grouped by order, each order's events by ascending version. Across batches
 * there is no such guarantee; consumers compare versions.
 */
export function inDeliveryOrder(events: readonly OrderLifecycleEvent[]): OrderLifecycleEvent[] {
  return [...events].sort((a, b) => (a.orderId === b.orderId ? a.version - b.version : a.orderId < b.orderId ? -1 : 1));
}
