import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useSignedInSession } from '../auth/use-session';
import { applyEventToCache, knownVersions } from '../orders/order-queries';
import { useOrderSocket, type ConnectionState } from './use-order-socket';

export interface LiveOrdersListeners {
  /** Every event after it was applied to the caches. */
  onEvent?: (event: OrderLifecycleEvent) => void;
  /** When everything shown is being refetched (after a reconnect, or a push that could not be read). */
  onStale?: () => void;
}

/**
 * Connects the page's order list (the query under `listKey`) to the live socket: events update it in place,
 * and a reconnect (or a push that could not be read) refetches every order query; a reconnect also replays what
 * was missed.
 */
export function useLiveOrders(listKey: readonly unknown[], listeners: LiveOrdersListeners = {}): ConnectionState {
  const { session, signOut } = useSignedInSession();
  const queryClient = useQueryClient();
  return useOrderSocket(session.accessToken, {
    onEvent: (event) => {
      applyEventToCache(queryClient, event, listKey);
      listeners.onEvent?.(event);
    },
    onStale: () => {
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      listeners.onStale?.();
    },
    knownOrders: () => knownVersions(queryClient, listKey),
    onSessionEnded: () => signOut('expired'),
  });
}
