import { Injectable } from '@nestjs/common';
import type { OrderLifecycleEvent, ResumeRequest } from '@ordertrack/shared';
import { isAdmin, type Actor } from '../actor.js';
import { OrderStore } from '../ports/order-store.port.js';

@Injectable()
export class ResumeOrdersService {
  constructor(private readonly orders: OrderStore) {}

  /** What the caller missed on each listed order; orders it may not see are left out as if they did not exist. */
  async resume(actor: Actor, request: ResumeRequest): Promise<OrderLifecycleEvent[]> {
    const events = await this.orders.eventsAfter(request.orders);
    return isAdmin(actor) ? events : events.filter((event) => event.userId === actor.userId);
  }
}
