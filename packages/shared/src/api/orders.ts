import { z } from 'zod';
import { Order, OrderItems } from '../orders/order.js';
import { OrderStatus } from '../orders/order-status.js';

export const CreateOrderRequest = z.strictObject({ items: OrderItems }).meta({ id: 'CreateOrderRequest' });
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

export const UpdateOrderStatusRequest = z
  .strictObject({ status: OrderStatus })
  .meta({ id: 'UpdateOrderStatusRequest' });
export type UpdateOrderStatusRequest = z.infer<typeof UpdateOrderStatusRequest>;

export const MAX_PAGE_SIZE = 100;

export const ListUserOrdersQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
});
export type ListUserOrdersQuery = z.infer<typeof ListUserOrdersQuery>;

export const OrderPage = z
  .object({
    items: z.array(Order),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'OrderPage' });
export type OrderPage = z.infer<typeof OrderPage>;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
