import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { EventSubscriber, type Subscription } from '../ports/event-bus.port.js';
import { OrderStore } from '../ports/order-store.port.js';
import { RealtimeNotifier } from '../ports/realtime.port.js';
import { PushSequencer } from './push-sequencer.js';

export const FANOUT_GROUP = 'websocket-fanout';

/** Consumes every lifecycle event and pushes it, in version order per order, to the sockets allowed to see it. */
@Injectable()
export class OrderFanoutConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private readonly sequencer = new PushSequencer();

  constructor(
    private readonly subscriber: EventSubscriber,
    private readonly notifier: RealtimeNotifier,
    private readonly orders: OrderStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.subscriber.subscribe(FANOUT_GROUP, (events) => this.handle(events));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(events: readonly OrderLifecycleEvent[]): Promise<void> {
    for (const event of events) {
      const plan = this.sequencer.plan(event);
      switch (plan.kind) {
        case 'duplicate':
          break;
        case 'push':
          this.pushOne(event);
          break;
        case 'fill': {
          const missing = await this.orders.eventsAfter([{ orderId: event.orderId, lastVersion: plan.afterVersion }]);
          for (const earlier of missing) if (earlier.version < event.version) this.pushOne(earlier);
          this.pushOne(event);
          break;
        }
      }
    }
  }

  private pushOne(event: OrderLifecycleEvent): void {
    this.notifier.push(event);
    this.sequencer.markPushed(event.orderId, event.version);
  }
}
