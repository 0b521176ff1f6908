import type { Order } from '@ordertrack/shared';
import type { OrderState } from '../../domain/orders/order-state.js';

export function toOrderDto(state: OrderState): Order {
  return {
    id: state.id,
    userId: state.userId,
    status: state.status,
    items: state.items,
    version: state.version,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
  };
}
