import type { OnApplicationShutdown } from '@nestjs/common';
import type { DependencyProbe } from '../../../application/ports/dependency-probe.port.js';
import type { ConsumerLagRecorder } from '../../../observability/metrics.js';
import type { KafkaBusConfig } from './kafka-bus-config.js';
import { KafkaAuditPublisher } from './kafka-audit-publisher.js';
import { KafkaEventPublisher } from './kafka-event-publisher.js';
import { KafkaEventSubscriber } from './kafka-event-subscriber.js';
import { KafkaTopics } from './kafka-topics.js';
import { settleWithin } from '../../../outbox/settle-within.js';

/** A broker that stopped answering must not keep the process from exiting. */
const CLOSE_DEADLINE_MS = 20_000;

/**
 * The Kafka adapters and the clients they share, closed together. Shutdown runs after the outbox relay's final
 * drain (which happens in onModuleDestroy), so the producer is still open for it.
 */
export class KafkaEventBus implements OnApplicationShutdown {
  readonly topics: KafkaTopics;
  readonly publisher: KafkaEventPublisher;
  readonly subscriber: KafkaEventSubscriber;
  readonly auditPublisher: KafkaAuditPublisher;
  readonly probe: DependencyProbe;

  /** `lagRecorder` receives every consumer's per-partition lag, sampled every few seconds. */
  constructor(config: KafkaBusConfig, lagRecorder?: ConsumerLagRecorder) {
    this.topics = new KafkaTopics(config);
    this.publisher = new KafkaEventPublisher(config, this.topics);
    this.subscriber = new KafkaEventSubscriber(config, this.topics, lagRecorder);
    this.auditPublisher = new KafkaAuditPublisher(config, this.topics);
    this.probe = { name: 'bus', adapter: 'kafka', check: () => this.topics.probe() };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await settleWithin(this.subscriber.close(), CLOSE_DEADLINE_MS);
    await settleWithin(this.publisher.close(), CLOSE_DEADLINE_MS);
    await settleWithin(this.auditPublisher.close(), CLOSE_DEADLINE_MS);
    await settleWithin(this.topics.close(), CLOSE_DEADLINE_MS);
  }
}
