import { Injectable } from '@nestjs/common';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import {
  EventPublisher,
  EventSubscriber,
  type EventBatchHandler,
  type Subscription,
} from '../../application/ports/event-bus.port.js';

/**
 * The embedded bus: the outbox relay's publish resolves once every consumer group has handled the batch,
 * so a failing consumer makes the relay retry (at least once, like Kafka without its durability).
 */
@Injectable()
export class InProcessEventBus implements EventPublisher, EventSubscriber {
  private readonly groups = new Map<string, EventBatchHandler>();

  async publish(events: readonly OrderLifecycleEvent[]): Promise<void> {
    for (const handler of this.groups.values()) await handler(events);
  }

  subscribe(group: string, handler: EventBatchHandler): Promise<Subscription> {
    if (this.groups.has(group)) throw new Error(`consumer group ${group} already subscribed in this process`);
    this.groups.set(group, handler);
    return Promise.resolve({
      close: () => {
        this.groups.delete(group);
        return Promise.resolve();
      },
    });
  }
}
