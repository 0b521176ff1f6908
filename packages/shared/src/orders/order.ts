import { z } from 'zod';
import { IsoTimestamp, Uuid } from '../common/ids.js';
import { OrderStatus } from './order-status.js';

export const MAX_ITEMS_PER_ORDER = 50;
export const MAX_QTY_PER_ITEM = 10_000;

export const ProductId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"');

export const OrderItem = z.strictObject({
  productId: ProductId,
  qty: z.int().min(1, 'must be at least 1').max(MAX_QTY_PER_ITEM, `must be at most ${MAX_QTY_PER_ITEM}`),
});
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderItems = z
  .array(OrderItem)
  .min(1, 'an order needs at least one item')
  .max(MAX_ITEMS_PER_ORDER, `an order holds at most ${MAX_ITEMS_PER_ORDER} items`)
  .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
    error: 'each productId may appear only once; sum the quantities instead',
  });

export const Order = z
  .object({
    id: Uuid,
    userId: Uuid,
    status: OrderStatus,
    items: z.array(OrderItem),
    version: z.int().min(1),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;
