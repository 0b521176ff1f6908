import {
  ORDERS_NAMESPACE,
  type OrderClientToServerEvents,
  OrderLifecycleEvent,
  type OrderServerToClientEvents,
  type ResumeRequest,
  ResumeResult,
} from '@ordertrack/shared';
import { io, type Socket } from 'socket.io-client';

export type OrderSocket = Socket<OrderServerToClientEvents, OrderClientToServerEvents>;

const RESUME_TIMEOUT_MS = 10_000;

/** Opens the `/orders` namespace on the page's own origin, authenticated with the access token. */
export function connectOrderSocket(token: string): OrderSocket {
  return io(ORDERS_NAMESPACE, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}

/**
 * Asks the server for every event after each order's last known version; rejects on timeout, on refusal and on an
 * answer the contract does not allow.
 */
export async function resumeOrders(
  socket: OrderSocket,
  orders: ResumeRequest['orders'],
): Promise<OrderLifecycleEvent[]> {
  if (orders.length === 0) return [];
  // socket.io types the ack of a timed emit as `any`: the shared contract's schema checks what came back.
  const result = ResumeResult.parse(await socket.timeout(RESUME_TIMEOUT_MS).emitWithAck('orders.resume', { orders }));
  if (!result.ok) throw new Error(`resume refused: ${result.error}`);
  return result.events;
}

/** What a page does with what the socket brings. */
export interface PushReceiver {
  /** Every pushed or replayed lifecycle event; the receiver deduplicates by version. */
  onEvent: (event: OrderLifecycleEvent) => void;
  /** After a reconnect (before the resume request) or a push it could not read: refetch whatever the page shows. */
  onStale: () => void;
}

/**
 * Hands a pushed `order.updated` to the page if the shared contract allows it. One it does not allow is not shown,
 * and since it stood for a change the page would otherwise miss, the page refetches instead.
 */
export function receivePush(pushed: unknown, receiver: PushReceiver): void {
  const event = OrderLifecycleEvent.safeParse(pushed);
  if (event.success) {
    receiver.onEvent(event.data);
    return;
  }
  console.warn('an order.updated push the contract does not allow; refetching instead', event.error.issues);
  receiver.onStale();
}
