import { z } from 'zod';
import { IsoTimestamp, Uuid } from '../../common/ids.js';
import { OrderItem } from '../../orders/order.js';
import { OrderStatus } from '../../orders/order-status.js';

export const OrderEventType = z.enum(['created', 'updated', 'completed', 'canceled']);
export type OrderEventType = z.infer<typeof OrderEventType>;

/** The SDD's event schema plus what consumers need to deduplicate (eventId) and order (version). */
export const OrderLifecycleEvent = z
  .object({
    eventId: Uuid,
    orderId: Uuid,
    userId: Uuid,
    type: OrderEventType,
    status: OrderStatus,
    version: z.int().min(1),
    timestamp: IsoTimestamp,
    payload: z.object({ items: z.array(OrderItem) }),
  })
  .meta({ id: 'OrderLifecycleEvent' });
export type OrderLifecycleEvent = z.infer<typeof OrderLifecycleEvent>;

export function eventTypeForStatus(status: OrderStatus): OrderEventType {
  switch (status) {
    case 'CREATED':
      return 'created';
    case 'DELIVERED':
      return 'completed';
    case 'CANCELED':
      return 'canceled';
    case 'ACCEPTED':
    case 'PREPARED':
    case 'SHIPPED':
      return 'updated';
  }
}

export const ORDER_EVENT_TOPICS: Readonly<Record<OrderEventType, string>> = {
  created: 'order.created',
  updated: 'order.updated',
  completed: 'order.completed',
  canceled: 'order.canceled',
};

/** Every event record's value is JSON. */
export const EVENT_CONTENT_TYPE = 'application/json';

/** The headers of each lifecycle record, so that tools can route or deduplicate without parsing its value. */
export const OrderEventHeaders = z
  .strictObject({
    eventId: Uuid,
    type: OrderEventType,
    orderId: Uuid,
    version: z.string().regex(/^[1-9][0-9]*$/),
    'content-type': z.literal(EVENT_CONTENT_TYPE),
  })
  .meta({ id: 'OrderEventHeaders' });
export type OrderEventHeaders = z.infer<typeof OrderEventHeaders>;

export function orderEventHeaders(event: OrderLifecycleEvent): OrderEventHeaders {
  return {
    eventId: event.eventId,
    type: event.type,
    orderId: event.orderId,
    version: String(event.version),
    'content-type': EVENT_CONTENT_TYPE,
  };
}
