import {
  ORDERS_NAMESPACE,
  type OrderClientToServerEvents,
  type OrderLifecycleEvent,
  type OrderServerToClientEvents,
} from '@ordertrack/shared';
import { io, type Socket } from 'socket.io-client';
import { inParallel } from './api-client.js';

export type OrdersSocket = Socket<OrderServerToClientEvents, OrderClientToServerEvents>;

/**
 * One customer connection to `/orders`, as the web app opens it but WebSocket-only (no long-polling upgrade dance)
 * and with its own Manager (`forceNew`), so each socket is its own TCP connection like a separate browser.
 */
export function connectOrdersSocket(baseUrl: string, token: string): Promise<OrdersSocket> {
  const socket: OrdersSocket = io(`${baseUrl}${ORDERS_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    // Deterministic reconnection delays: the recovery phase sets them to the length of its drop.
    randomizationFactor: 0,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

export function connectMany(baseUrl: string, tokens: readonly string[], concurrency = 50): Promise<OrdersSocket[]> {
  return inParallel(tokens, concurrency, (token) => connectOrdersSocket(baseUrl, token));
}

export function onPush(sockets: readonly OrdersSocket[], handler: (event: OrderLifecycleEvent) => void): void {
  for (const socket of sockets) socket.on('order.updated', handler);
}

export function closeAll(sockets: readonly OrdersSocket[]): void {
  for (const socket of sockets) socket.disconnect();
}
