import { z } from 'zod';
import { Uuid } from '../common/ids.js';
import { OrderLifecycleEvent } from '../events/order-lifecycle/order-lifecycle-event.js';

export const ORDERS_NAMESPACE = '/orders';
export const MAX_RESUME_ORDERS = 500;

export const ResumeRequest = z
  .strictObject({
    orders: z.array(z.strictObject({ orderId: Uuid, lastVersion: z.int().min(0) })).max(MAX_RESUME_ORDERS),
  })
  .meta({ id: 'ResumeRequest' });
export type ResumeRequest = z.infer<typeof ResumeRequest>;

export const ResumeResult = z
  .discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), events: z.array(OrderLifecycleEvent) }),
    z.strictObject({ ok: z.literal(false), error: z.string() }),
  ])
  .meta({ id: 'ResumeResult' });
export type ResumeResult = z.infer<typeof ResumeResult>;

/** Reason the server gives when it ends a session itself; clients decide whether to reconnect. */
export const SessionEnded = z
  .object({ reason: z.enum(['token-expired', 'server-shutdown']) })
  .meta({ id: 'SessionEnded' });
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

/**
 * Each event's schema, by name, for what is written from the contract above (the AsyncAPI document): the compiler
 * holds both to the same names and payloads.
 */
export const ORDER_SOCKET_SERVER_MESSAGES = {
  'order.updated': OrderLifecycleEvent,
  'session.ended': SessionEnded,
} as const satisfies {
  [Name in keyof OrderServerToClientEvents]: z.ZodType<Parameters<OrderServerToClientEvents[Name]>[0]>;
};

export const ORDER_SOCKET_CLIENT_REQUESTS = {
  'orders.resume': { request: ResumeRequest, reply: ResumeResult },
} as const satisfies {
  [Name in keyof OrderClientToServerEvents]: {
    request: z.ZodType<Parameters<OrderClientToServerEvents[Name]>[0]>;
    reply: z.ZodType<Parameters<Parameters<OrderClientToServerEvents[Name]>[1]>[0]>;
  };
};
