import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useSignedInSession } from '../auth/use-session';
import { applyEventToCache, knownVersions } from '../orders/order-queries';
import { useOrderSocket, type ConnectionState } from './use-order-socket';

export interface LiveOrdersListeners {
  /** Every event after it was applied to the caches. */
  onEvent?: (event: OrderLifecycleEvent) => void;
  /** After a reconnect, when everything shown is being refetched. */
  onReconnected?: () => void;
}

/**
 * Connects the page's order list (the query under `listKey`) to the live socket: events update it in place,
 * and a reconnect refetches every order query and replays what was missed.
 */
export function useLiveOrders(listKey: readonly unknown[], listeners: LiveOrdersListeners = {}): ConnectionState {
  const { session, signOut } = useSignedInSession();
  const queryClient = useQueryClient();
  return useOrderSocket(session.accessToken, {
    onEvent: (event) => {
      applyEventToCache(queryClient, event, listKey);
      listeners.onEvent?.(event);
    },
    onReconnected: () => {
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      listeners.onReconnected?.();
    },
    knownOrders: () => knownVersions(queryClient, listKey),
    onSessionEnded: () => signOut('expired'),
  });
}
