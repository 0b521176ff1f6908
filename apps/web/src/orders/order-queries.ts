import type { Order, OrderLifecycleEvent, SearchOrdersResponse } from '@ordertrack/shared';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useSignedInSession } from '../auth/use-session';
import { appendHistoryEvent, applyOrderEvent, byLastActivity, mergeFetchedOrders } from './order-events';

export const MY_ORDERS_LIMIT = 50;
export const ADMIN_FEED_SIZE = 30;
/**
 * How often views answered by search refetch. Pushes update them at once, but with Elasticsearch they are read from
 * an index fed by its own consumer, which can trail the push (an order placed before the admin's socket connected
 * may not be indexed yet when the feed first loads); polling lets them settle.
 */
export const SEARCH_BACKED_POLL_MS = 5000;

export const orderKeys = {
  mine: (userId: string) => ['orders', 'mine', userId] as const,
  adminFeed: ['orders', 'admin-feed'] as const,
  history: (orderId: string) => ['orders', 'history', orderId] as const,
  order: (orderId: string) => ['orders', 'one', orderId] as const,
  search: ['orders', 'search'] as const,
  stats: ['orders', 'stats'] as const,
};

/** The customer's own orders, newest first; live events are merged into the same cache entry. */
export function useMyOrders() {
  const { api, session } = useSignedInSession();
  return useQuery({
    queryKey: orderKeys.mine(session.user.id),
    queryFn: async ({ client }) => {
      const page = await api.listUserOrders(session.user.id, { limit: MY_ORDERS_LIMIT });
      const shown = client.getQueryData<readonly Order[]>(orderKeys.mine(session.user.id)) ?? [];
      return mergeFetchedOrders(shown, page.items);
    },
  });
}

/** Every order with the latest activity first, for the admin's live feed. */
export function useAdminFeed() {
  const { api } = useSignedInSession();
  return useQuery({
    queryKey: orderKeys.adminFeed,
    queryFn: async ({ client }) => {
      const page = await api.searchOrders({ size: ADMIN_FEED_SIZE });
      const shown = client.getQueryData<readonly Order[]>(orderKeys.adminFeed) ?? [];
      return byLastActivity(mergeFetchedOrders(shown, page.items)).slice(0, ADMIN_FEED_SIZE);
    },
    refetchInterval: SEARCH_BACKED_POLL_MS,
  });
}

export function useOrderHistory(orderId: string) {
  const { api } = useSignedInSession();
  return useQuery({
    queryKey: orderKeys.history(orderId),
    queryFn: async ({ client }) => {
      const { items } = await api.orderHistory(orderId);
      const shown = client.getQueryData<readonly OrderLifecycleEvent[]>(orderKeys.history(orderId)) ?? [];
      return shown.reduce(appendHistoryEvent, items);
    },
  });
}

/** Puts a pushed or replayed event everywhere the page shows that order. */
export function applyEventToCache(client: QueryClient, event: OrderLifecycleEvent, ownerKey: readonly unknown[]): void {
  client.setQueryData<readonly Order[]>(ownerKey, (orders) =>
    orders === undefined ? orders : applyOrderEvent(orders, event),
  );
  client.setQueryData<readonly OrderLifecycleEvent[]>(orderKeys.history(event.orderId), (history) =>
    history === undefined ? history : appendHistoryEvent(history, event),
  );
  client.setQueryData<Order>(orderKeys.order(event.orderId), (order) =>
    order === undefined || order.version >= event.version ? order : applyOrderEvent([order], event)[0],
  );
  // Search results keep their membership (that is the query's business) but show the live status.
  client.setQueriesData<SearchOrdersResponse>({ queryKey: orderKeys.search }, (result) => {
    if (result === undefined || !result.items.some((order) => order.id === event.orderId)) return result;
    const items = applyOrderEvent(result.items, event);
    return items === result.items ? result : { ...result, items: [...items] };
  });
}

/** Orders shown on the page with the version shown, for `orders.resume` after a reconnect. */
export function knownVersions(
  client: QueryClient,
  ownerKey: readonly unknown[],
): { orderId: string; lastVersion: number }[] {
  const orders = client.getQueryData<readonly Order[]>(ownerKey) ?? [];
  return orders.map((order) => ({ orderId: order.id, lastVersion: order.version }));
}
