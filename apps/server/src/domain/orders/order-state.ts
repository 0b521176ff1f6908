import type { OrderItem, OrderStatus } from '@ordertrack/shared';

export interface OrderState {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
