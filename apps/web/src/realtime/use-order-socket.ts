import { MAX_RESUME_ORDERS, type ResumeRequest } from '@ordertrack/shared';
import { useEffect, useRef, useState } from 'react';
import { connectOrderSocket, receivePush, resumeOrders, type PushReceiver } from './order-socket';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface OrderSocketHandlers extends PushReceiver {
  /** The orders the page knows, with the version it shows, for `orders.resume`. */
  knownOrders: () => ResumeRequest['orders'];
  onSessionEnded: () => void;
}

/**
 * Keeps one socket open for the signed-in user while the page is mounted, reports its state, and after every
 * reconnect refetches and replays what was missed so the page never silently falls behind.
 */
export function useOrderSocket(token: string, handlers: OrderSocketHandlers): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    const socket = connectOrderSocket(token);
    let everConnected = false;

    const stateWhileDown = (): ConnectionState => (navigator.onLine ? 'reconnecting' : 'offline');

    socket.on('connect', () => {
      setState('connected');
      const isReconnect = everConnected;
      everConnected = true;
      if (!isReconnect) return;
      handlersRef.current.onStale();
      const known = handlersRef.current.knownOrders().slice(0, MAX_RESUME_ORDERS);
      resumeOrders(socket, known).then(
        (events) => events.forEach((event) => handlersRef.current.onEvent(event)),
        (error: unknown) => console.warn('orders.resume failed; the refetch still brings the page up to date', error),
      );
    });
    socket.on('disconnect', () => setState(stateWhileDown()));
    socket.on('connect_error', (error) => {
      // The server refused the token (expired while we were away, or revoked): reconnecting cannot help.
      if (!socket.active && error.message.startsWith('unauthorized')) {
        handlersRef.current.onSessionEnded();
        return;
      }
      setState(everConnected ? stateWhileDown() : navigator.onLine ? 'connecting' : 'offline');
    });
    socket.on('order.updated', (pushed) => receivePush(pushed, handlersRef.current));
    socket.on('session.ended', () => handlersRef.current.onSessionEnded());

    const goneOffline = () => setState('offline');
    const backOnline = () => {
      if (!socket.connected) {
        setState('reconnecting');
        socket.connect();
      }
    };
    window.addEventListener('offline', goneOffline);
    window.addEventListener('online', backOnline);
    return () => {
      window.removeEventListener('offline', goneOffline);
      window.removeEventListener('online', backOnline);
      socket.disconnect();
    };
  }, [token]);

  return state;
}
