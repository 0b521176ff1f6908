import { Producer, type Message } from '@platformatic/kafka';
import { kafkaClientOptions, type KafkaBusConfig } from './kafka-bus-config.js';
import type { KafkaTopics } from './kafka-topics.js';

export interface UndecodableRecord {
  message: Message;
  error: string;
}

/**
 * Copies records no consumer can decode to the parking topic, unchanged, with where they came from and why they
 * were refused in headers. The group commits past them only after the copy is acknowledged, so nothing vanishes,
 * and one bad record cannot stall a partition forever.
 */
export class KafkaParkingLot {
  private producer: Producer | undefined;

  constructor(
    private readonly config: KafkaBusConfig,
    private readonly topics: KafkaTopics,
    private readonly groupId: string,
  ) {}

  async park(records: readonly UndecodableRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Idempotent (hence acks=all): the client's own retries must not park a record twice.
    this.producer ??= new Producer({ ...kafkaClientOptions(this.config, 'parking'), idempotent: true });
    await this.producer.send({
      messages: records.map(({ message, error }) => {
        const headers = new Map<Buffer, Buffer>(message.headers);
        const add = (name: string, value: string): void => void headers.set(Buffer.from(name), Buffer.from(value));
        add('parked.error', error);
        add('parked.topic', message.topic);
        add('parked.partition', String(message.partition));
        add('parked.offset', String(message.offset));
        add('parked.group', this.groupId);
        return { topic: this.topics.names.parking, key: message.key, value: message.value, headers };
      }),
    });
  }

  async close(): Promise<void> {
    await this.producer?.close();
  }
}
