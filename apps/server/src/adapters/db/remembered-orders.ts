import type { OrderState } from '../../domain/orders/order-state.js';
import { LeastRecentlyUsed } from '../../application/least-recently-used.js';

/**
 * The order states this process itself last wrote, so a status change can be decided without reading its order
 * first (that read was every other statement under a steady stream of changes). Another instance may have changed
 * the order since, so a remembered state is never trusted blindly: the write's version guard refuses a stale
 * decision (writing nothing of that change, the others in its statement commit), and the store forgets the order
 * then (and when a decision on a remembered state refuses the change) and reads it again.
 * States are immutable values (evolve builds new ones), so handing the same object out again is safe.
 */
export class RememberedOrders {
  private readonly states: LeastRecentlyUsed<string, OrderState>;

  constructor(limit: number) {
    this.states = new LeastRecentlyUsed(limit);
  }

  recall(orderId: string): OrderState | undefined {
    return this.states.get(orderId);
  }

  /** Keeps the newer of this and any remembered state, the least recently used orders making room. */
  remember(state: OrderState): void {
    const known = this.states.peek(state.id);
    if (known !== undefined && known.version > state.version) return;
    this.states.set(state.id, state);
  }

  forget(orderId: string): void {
    this.states.delete(orderId);
  }
}
