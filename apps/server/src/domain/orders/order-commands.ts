import type { OrderItem, OrderStatus } from '@ordertrack/shared';

/** Commands carry everything impure (ids, the time) so that deciding stays a pure function. */
export interface PlaceOrder {
  kind: 'PlaceOrder';
  orderId: string;
  userId: string;
  items: OrderItem[];
  eventId: string;
  at: Date;
}

export interface ChangeOrderStatus {
  kind: 'ChangeOrderStatus';
  orderId: string;
  to: OrderStatus;
  expectedVersion: number | undefined;
  eventId: string;
  at: Date;
}

export type OrderCommand = PlaceOrder | ChangeOrderStatus;
