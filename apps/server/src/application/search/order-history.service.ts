import { Injectable } from '@nestjs/common';
import type { OrderHistoryResponse } from '@ordertrack/shared';
import type { Actor } from '../actor.js';
import { assertVisible } from '../orders/order-visibility.js';
import { OrderStore } from '../ports/order-store.port.js';

/**
 * An order's timeline, read from the transactional store rather than the search index: a client that fetches it
 * right after a change must see that change, and Elasticsearch only gets it once the indexer has run.
 */
@Injectable()
export class OrderHistoryService {
  constructor(private readonly orders: OrderStore) {}

  async history(actor: Actor, orderId: string): Promise<OrderHistoryResponse> {
    assertVisible(actor, orderId, await this.orders.findById(orderId));
    return { items: await this.orders.eventsAfter([{ orderId, lastVersion: 0 }]) };
  }
}
