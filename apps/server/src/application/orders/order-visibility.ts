import { DomainError } from '../../domain/domain-error.js';
import type { OrderState } from '../../domain/orders/order-state.js';
import { isAdmin, type Actor } from '../actor.js';

/** Another customer's order answers exactly like a missing one, so ids cannot be probed. */
export function assertVisible(actor: Actor, orderId: string, order: OrderState | null): OrderState {
  if (order === null || (!isAdmin(actor) && order.userId !== actor.userId)) {
    throw new DomainError('NOT_FOUND', `order ${orderId} not found`);
  }
  return order;
}
