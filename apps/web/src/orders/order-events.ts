import type { Order, OrderLifecycleEvent } from '@ordertrack/shared';

/** The order an event describes, for orders the page has not seen before (e.g. placed in another tab). */
export function orderFromEvent(event: OrderLifecycleEvent): Order {
  return {
    id: event.orderId,
    userId: event.userId,
    status: event.status,
    items: event.payload.items,
    version: event.version,
    createdAt: event.timestamp,
    updatedAt: event.timestamp,
  };
}

/**
 * Applies a lifecycle event to a list of orders: a newer version replaces the shown state, an equal or older one
 * (a duplicate, or a replay of something already seen) changes nothing. Unknown orders are added at the front.
 * Returns the same array when nothing changed, so React skips the render.
 */
export function applyOrderEvent(orders: readonly Order[], event: OrderLifecycleEvent): readonly Order[] {
  const index = orders.findIndex((order) => order.id === event.orderId);
  if (index === -1) {
    // Only a creation tells the real createdAt; any other first sighting still shows the current state.
    return [orderFromEvent(event), ...orders];
  }
  const current = orders[index];
  if (current === undefined || event.version <= current.version) return orders;
  const updated: Order = {
    ...current,
    status: event.status,
    items: event.payload.items,
    version: event.version,
    updatedAt: event.timestamp,
  };
  return orders.map((order, i) => (i === index ? updated : order));
}

/**
 * Merges a freshly fetched page with what the page already shows: per order the higher version wins, so a fetch
 * that started before a pushed event cannot roll the status back. Orders known only locally and newer than the
 * fetched page (placed while the fetch was under way) stay in front.
 */
export function mergeFetchedOrders(shown: readonly Order[], fetched: readonly Order[]): readonly Order[] {
  const shownById = new Map(shown.map((order) => [order.id, order]));
  const fetchedIds = new Set(fetched.map((order) => order.id));
  const merged = fetched.map((order) => {
    const local = shownById.get(order.id);
    return local !== undefined && local.version > order.version ? local : order;
  });
  const newestFetched = merged[0] === undefined ? undefined : Date.parse(merged[0].createdAt);
  const newerLocalOnly = shown.filter(
    (order) =>
      !fetchedIds.has(order.id) && (newestFetched === undefined || Date.parse(order.createdAt) > newestFetched),
  );
  return [...newerLocalOnly, ...merged];
}

/** Newest activity first: how the admin feed orders its rows. */
export function byLastActivity(orders: readonly Order[]): readonly Order[] {
  return [...orders].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

/** The history timeline with an event added, deduplicated by version and kept in version order. */
export function appendHistoryEvent(
  history: readonly OrderLifecycleEvent[],
  event: OrderLifecycleEvent,
): readonly OrderLifecycleEvent[] {
  if (history.some((known) => known.version === event.version)) return history;
  return [...history, event].sort((a, b) => a.version - b.version);
}

/** Adds an order (e.g. the answer to placing it) unless the list already shows that version or a newer one. */
export function upsertOrder(orders: readonly Order[], order: Order): readonly Order[] {
  const current = orders.find((known) => known.id === order.id);
  if (current === undefined) return [order, ...orders];
  if (current.version >= order.version) return orders;
  return orders.map((known) => (known.id === order.id ? order : known));
}
