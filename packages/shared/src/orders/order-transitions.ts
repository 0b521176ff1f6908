import type { OrderStatus } from './order-status.js';

/**
 * The order lifecycle as data: the only place that says which status may follow which.
 * The server enforces it and the admin dashboard offers exactly these buttons.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: ['ACCEPTED', 'CANCELED'],
  ACCEPTED: ['PREPARED', 'CANCELED'],
  PREPARED: ['SHIPPED', 'CANCELED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}
