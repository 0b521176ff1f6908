import type { Producer } from '@platformatic/kafka';
import { auditEventHeaders, auditEventKey, type AuditEvent } from '@ordertrack/shared';
import { AuditPublisher } from '../../../application/ports/audit-publisher.port.js';
import type { KafkaBusConfig } from './kafka-bus-config.js';
import type { KafkaTopics } from './kafka-topics.js';
import { relayProducer } from './relay-producer.js';

/** Writes audit events to `audit.events` with the same guarantees as lifecycle events (idempotent, acks=all). */
export class KafkaAuditPublisher extends AuditPublisher {
  private readonly producer: Producer<string, string, string, string>;

  constructor(
    config: KafkaBusConfig,
    private readonly topics: KafkaTopics,
  ) {
    super();
    this.producer = relayProducer(config, 'audit-producer');
  }

  async publish(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.topics.ensure();
    await this.producer.send({
      messages: events.map((event) => ({
        topic: this.topics.names.audit,
        key: auditEventKey(event),
        value: JSON.stringify(event),
        headers: auditEventHeaders(event),
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
