import type { Producer } from '@platformatic/kafka';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { EventPublisher } from '../../../application/ports/event-bus.port.js';
import type { KafkaBusConfig } from './kafka-bus-config.js';
import { encodeEvent } from './kafka-message-codec.js';
import type { KafkaTopics } from './kafka-topics.js';
import { relayProducer } from './relay-producer.js';

/**
 * Hands outbox batches to Kafka. `publish` resolves only when the broker acknowledged every record with acks=all;
 * any failure rejects, so the outbox relay keeps the batch unpublished and retries it (a broker outage becomes an
 * outbox backlog, never a loss). The idempotent producer stops its own retries from writing duplicates; a relay
 * retry after a lost acknowledgement can still duplicate, which consumers absorb by eventId.
 */
export class KafkaEventPublisher extends EventPublisher {
  private readonly producer: Producer<string, string, string, string>;

  constructor(
    config: KafkaBusConfig,
    private readonly topics: KafkaTopics,
  ) {
    super();
    this.producer = relayProducer(config, 'producer');
  }

  async publish(events: readonly OrderLifecycleEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.topics.ensure();
    // send() writes immediately (no linger) and calls back once every partition leader answered.
    await this.producer.send({
      messages: events.map((event) => encodeEvent(event, (type) => this.topics.names.forType(type))),
    });
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
