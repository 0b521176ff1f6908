import { Injectable } from '@nestjs/common';
import type { Order, OrderStatus } from '@ordertrack/shared';
import { decide } from '../../domain/orders/order-decider.js';
import type { Actor } from '../actor.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { OrderStore } from '../ports/order-store.port.js';
import { toOrderDto } from './order-dto.js';

@Injectable()
export class ChangeOrderStatusService {
  constructor(
    private readonly orders: OrderStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async change(actor: Actor, orderId: string, to: OrderStatus, expectedVersion: number | undefined): Promise<Order> {
    const command = {
      kind: 'ChangeOrderStatus',
      orderId,
      to,
      expectedVersion,
      eventId: this.ids.uuid(),
      at: this.clock.now(),
    } as const;
    const change = await this.orders.execute(orderId, (state) => decide(command, state), actor);
    return toOrderDto(change.order);
  }
}
