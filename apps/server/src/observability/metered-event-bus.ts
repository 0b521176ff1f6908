import type { OrderLifecycleEvent } from '@ordertrack/shared';
import {
  EventPublisher,
  EventSubscriber,
  type EventBatchHandler,
  type Subscription,
  type SubscriptionOptions,
} from '../application/ports/event-bus.port.js';
import { type AppMetrics, topicOf } from './metrics.js';

function countByTopic(events: readonly OrderLifecycleEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(topicOf(event), (counts.get(topicOf(event)) ?? 0) + 1);
  return counts;
}

/** Counts events relayed per topic, once the bus has accepted the batch (a rejected batch is not counted). */
export class MeteredEventPublisher extends EventPublisher {
  constructor(
    private readonly inner: EventPublisher,
    private readonly metrics: AppMetrics,
  ) {
    super();
  }

  async publish(events: readonly OrderLifecycleEvent[]): Promise<void> {
    await this.inner.publish(events);
    for (const [topic, n] of countByTopic(events)) this.metrics.eventsRelayed.inc({ topic }, n);
  }
}

export interface SubscriberMetricsOptions {
  /**
   * Topics whose lag this wrapper reports as 0 for every group: a bus that hands batches to consumers within the
   * publish (the in-process one) has no lag to measure. A Kafka adapter reports real lag through
   * ConsumerLagRecorder instead and passes no topics here.
   */
  zeroLagTopics: readonly string[];
}

/** Counts events each consumer group handled successfully, per topic. */
export class MeteredEventSubscriber extends EventSubscriber {
  constructor(
    private readonly inner: EventSubscriber,
    private readonly metrics: AppMetrics,
    private readonly options: SubscriberMetricsOptions = { zeroLagTopics: [] },
  ) {
    super();
  }

  subscribe(group: string, handler: EventBatchHandler, options?: SubscriptionOptions): Promise<Subscription> {
    for (const topic of this.options.zeroLagTopics) {
      this.metrics.recordConsumerLag({ group, topic, partition: 0, lag: 0 });
    }
    return this.inner.subscribe(
      group,
      async (events) => {
        await handler(events);
        for (const [topic, n] of countByTopic(events)) this.metrics.eventsConsumed.inc({ topic, group }, n);
      },
      options,
    );
  }
}
