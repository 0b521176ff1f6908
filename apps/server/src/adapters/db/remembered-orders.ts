import type { OrderState } from '../../domain/orders/order-state.js';

/**
 * The order states this process itself last wrote, so a status change can be decided without reading its order
 * first (that read was every other statement under a steady stream of changes). Only where this process is the
 * one writer of the orders table, i.e. the embedded database, whose data dir one process holds at a time.
 * A remembered state is never trusted blindly: the write's version guard still refuses a stale decision, and the
 * store forgets the order then (and when a decision on a remembered state refuses the change) and reads it again.
 * States are immutable values (evolve builds new ones), so handing the same object out again is safe.
 */
export class RememberedOrders {
  private readonly states = new Map<string, OrderState>();

  constructor(private readonly limit: number) {}

  recall(orderId: string): OrderState | undefined {
    const state = this.states.get(orderId);
    if (state !== undefined) {
      this.states.delete(orderId);
      this.states.set(orderId, state);
    }
    return state;
  }

  /** Keeps the newer of this and any remembered state, the least recently used orders making room. */
  remember(state: OrderState): void {
    const known = this.states.get(state.id);
    if (known !== undefined && known.version > state.version) return;
    this.states.delete(state.id);
    this.states.set(state.id, state);
    for (const [orderId] of this.states) {
      if (this.states.size <= this.limit) break;
      this.states.delete(orderId);
    }
  }

  forget(orderId: string): void {
    this.states.delete(orderId);
  }
}
