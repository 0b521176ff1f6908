import { z } from 'zod';

export const ORDER_STATUSES = ['CREATED', 'ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED', 'CANCELED'] as const;

export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;
