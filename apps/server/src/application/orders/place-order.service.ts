import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CreateOrderRequest, Order } from '@ordertrack/shared';
import { decide } from '../../domain/orders/order-decider.js';
import type { Actor } from '../actor.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { OrderStore } from '../ports/order-store.port.js';
import { toOrderDto } from './order-dto.js';

export interface PlacedOrder {
  order: Order;
  replayed: boolean;
}

@Injectable()
export class PlaceOrderService {
  constructor(
    private readonly orders: OrderStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async place(actor: Actor, request: CreateOrderRequest, idempotencyKey: string | undefined): Promise<PlacedOrder> {
    const command = {
      kind: 'PlaceOrder',
      orderId: this.ids.uuid(),
      userId: actor.userId,
      items: request.items,
      eventId: this.ids.uuid(),
      at: this.clock.now(),
    } as const;
    const claim =
      idempotencyKey === undefined
        ? undefined
        : { userId: actor.userId, key: idempotencyKey, requestHash: fingerprint(request) };
    const change = await this.orders.create(command.orderId, (state) => decide(command, state), claim, actor);
    return { order: toOrderDto(change.order), replayed: change.replayed };
  }
}

function fingerprint(request: CreateOrderRequest): string {
  return createHash('sha256').update(JSON.stringify(request.items)).digest('base64url');
}
