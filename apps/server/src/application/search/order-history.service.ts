import { Injectable } from '@nestjs/common';
import type { OrderHistoryResponse } from '@ordertrack/shared';
import type { Actor } from '../actor.js';
import { assertVisible } from '../orders/order-visibility.js';
import { OrderSearch } from '../ports/order-search.port.js';
import { OrderStore } from '../ports/order-store.port.js';

@Injectable()
export class OrderHistoryService {
  constructor(
    private readonly orders: OrderStore,
    private readonly search: OrderSearch,
  ) {}

  async history(actor: Actor, orderId: string): Promise<OrderHistoryResponse> {
    // Ownership is checked against the transactional store, which is never behind the search index.
    assertVisible(actor, orderId, await this.orders.findById(orderId));
    return { items: await this.search.history(orderId) };
  }
}
