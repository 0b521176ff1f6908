import {
  EventSubscriber,
  type EventBatchHandler,
  type Subscription,
  type SubscriptionOptions,
} from '../../../application/ports/event-bus.port.js';
import type { ConsumerLagRecorder } from '../../../observability/metrics.js';
import type { KafkaBusConfig } from './kafka-bus-config.js';
import { KafkaGroupConsumer } from './kafka-group-consumer.js';
import type { KafkaTopics } from './kafka-topics.js';

/**
 * Each `subscribe(group, …)` is its own Kafka consumer group, `<KAFKA_GROUP_PREFIX>.<group>`, so every group
 * receives every event, and instances of the service sharing a group split the partitions between them.
 * It resolves as soon as the group's loop is started: the loop joins (and rejoins after outages) on its own.
 */
export class KafkaEventSubscriber extends EventSubscriber {
  private readonly groups = new Map<string, KafkaGroupConsumer>();

  constructor(
    private readonly config: KafkaBusConfig,
    private readonly topics: KafkaTopics,
    private readonly lagRecorder?: ConsumerLagRecorder,
  ) {
    super();
  }

  subscribe(group: string, handler: EventBatchHandler, options: SubscriptionOptions = {}): Promise<Subscription> {
    if (this.groups.has(group)) throw new Error(`consumer group ${group} already subscribed in this process`);
    const groupId = `${this.config.groupPrefix}.${group}`;
    const consumer = new KafkaGroupConsumer(
      this.config,
      this.topics,
      { groupId, group, gatherMs: options.gatherMs ?? 0 },
      handler,
      this.lagRecorder,
    );
    this.groups.set(group, consumer);
    return Promise.resolve({
      close: async () => {
        this.groups.delete(group);
        await consumer.close();
      },
    });
  }

  async close(): Promise<void> {
    const consumers = [...this.groups.values()];
    this.groups.clear();
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }
}
