import { Injectable } from '@nestjs/common';
import type { Order } from '@ordertrack/shared';
import type { Actor } from '../actor.js';
import { OrderStore } from '../ports/order-store.port.js';
import { toOrderDto } from './order-dto.js';
import { assertVisible } from './order-visibility.js';

@Injectable()
export class GetOrderService {
  constructor(private readonly orders: OrderStore) {}

  async get(actor: Actor, orderId: string): Promise<Order> {
    return toOrderDto(assertVisible(actor, orderId, await this.orders.findById(orderId)));
  }
}
