import { z } from 'zod';
import { Uuid } from '../common/ids.js';
import { OrderLifecycleEvent } from '../events/order-lifecycle/order-lifecycle-event.js';

export const ORDERS_NAMESPACE = '/orders';
export const MAX_RESUME_ORDERS = 500;

export const ResumeRequest = z.strictObject({
  orders: z.array(z.strictObject({ orderId: Uuid, lastVersion: z.int().min(0) })).max(MAX_RESUME_ORDERS),
});
export type ResumeRequest = z.infer<typeof ResumeRequest>;

export type ResumeResult = { ok: true; events: OrderLifecycleEvent[] } | { ok: false; error: string };

/** Reason the server gives when it ends a session itself; clients decide whether to reconnect. */
export const SessionEnded = z.object({ reason: z.enum(['token-expired', 'server-shutdown']) });
export type SessionEnded = z.infer<typeof SessionEnded>;

/** The typed socket contract shared by the gateway and every client. */
export interface OrderServerToClientEvents {
  'order.updated': (event: OrderLifecycleEvent) => void;
  'session.ended': (info: SessionEnded) => void;
}

export interface OrderClientToServerEvents {
  /** Replays, from the order history, every event after `lastVersion` of each listed order the caller may see. */
  'orders.resume': (request: ResumeRequest, ack: (result: ResumeResult) => void) => void;
}
