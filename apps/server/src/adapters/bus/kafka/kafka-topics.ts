import { Logger } from '@nestjs/common';
import { Admin, findErrorBy } from '@platformatic/kafka';
import { AUDIT_EVENTS_TOPIC, ORDER_EVENT_TOPICS, OrderEventType } from '@ordertrack/shared';
import { kafkaClientOptions, type KafkaBusConfig } from './kafka-bus-config.js';

/** Where records that no consumer could decode are kept for a human to look at, instead of blocking a group. */
export const PARKING_TOPIC = 'order.events.parked';

export class KafkaTopicNames {
  constructor(private readonly prefix: string) {}

  forType(type: OrderEventType): string {
    return `${this.prefix}${ORDER_EVENT_TOPICS[type]}`;
  }

  /** The four lifecycle topics every consumer group reads. */
  get lifecycle(): string[] {
    return OrderEventType.options.map((type) => this.forType(type));
  }

  get parking(): string {
    return `${this.prefix}${PARKING_TOPIC}`;
  }

  get audit(): string {
    return `${this.prefix}${AUDIT_EVENTS_TOPIC}`;
  }

  get all(): string[] {
    return [...this.lifecycle, this.parking, this.audit];
  }
}

/**
 * Creates the bus's topics when they are missing, once per process (retried after a failure), and answers the
 * health probe. It never changes existing topics: a partition count that differs from the configuration is
 * reported, because re-partitioning would move orders to other partitions and break their ordering.
 */
export class KafkaTopics {
  readonly names: KafkaTopicNames;
  private readonly logger = new Logger(KafkaTopics.name);
  private readonly admin: Admin;
  private ready: Promise<void> | undefined;

  constructor(private readonly config: KafkaBusConfig) {
    this.names = new KafkaTopicNames(config.topicPrefix);
    this.admin = new Admin(kafkaClientOptions(config, 'admin'));
  }

  ensure(): Promise<void> {
    this.ready ??= this.createMissing().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Health: the broker answers a metadata request that names every topic of the bus. */
  async probe(): Promise<void> {
    await this.ensure();
    const metadata = await this.admin.metadata({ topics: this.names.all, forceUpdate: true });
    const missing = this.names.all.filter((topic) => !metadata.topics.has(topic));
    if (missing.length > 0) throw new Error(`topics missing: ${missing.join(', ')}`);
  }

  async close(): Promise<void> {
    await this.admin.close();
  }

  private async createMissing(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = this.names.all.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      try {
        await this.admin.createTopics({
          topics: missing,
          partitions: this.config.partitions,
          replicas: this.config.replicationFactor,
        });
        this.logger.log(`created topics ${missing.join(', ')} with ${this.config.partitions} partitions`);
      } catch (error) {
        // Another instance may have created them between our list and create; that is the outcome we wanted.
        if (!(error instanceof Error) || findErrorBy(error, 'apiId', 'TOPIC_ALREADY_EXISTS') === null) throw error;
      }
    }
    await this.warnAboutPartitionCounts();
  }

  private async warnAboutPartitionCounts(): Promise<void> {
    const metadata = await this.admin.metadata({ topics: this.names.lifecycle, forceUpdate: true });
    const counts = this.names.lifecycle.map((topic) => `${topic}=${metadata.topics.get(topic)?.partitionsCount}`);
    const distinct = new Set(this.names.lifecycle.map((topic) => metadata.topics.get(topic)?.partitionsCount));
    if (distinct.size > 1 || !distinct.has(this.config.partitions)) {
      this.logger.warn(
        `lifecycle topics' partition counts (${counts.join(', ')}) differ from each other or from ` +
          `KAFKA_TOPIC_PARTITIONS=${this.config.partitions}; existing topics are left as they are`,
      );
    }
  }
}
