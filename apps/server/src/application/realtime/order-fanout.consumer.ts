import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventSubscriber, type Subscription } from '../ports/event-bus.port.js';
import { RealtimeNotifier } from '../ports/realtime.port.js';

export const FANOUT_GROUP = 'websocket-fanout';

/** Consumes every lifecycle event and pushes it to the sockets allowed to see it. */
@Injectable()
export class OrderFanoutConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    private readonly subscriber: EventSubscriber,
    private readonly notifier: RealtimeNotifier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.subscriber.subscribe(FANOUT_GROUP, (events) => {
      for (const event of events) this.notifier.push(event);
      return Promise.resolve();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
