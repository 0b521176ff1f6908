import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import { kafkaClientOptions, type KafkaBusConfig } from './kafka-bus-config.js';

/**
 * The producer every relay writes with: idempotent (its own retries cannot duplicate a record), acks=all (a record
 * is acknowledged once every in-sync replica has it), and Java's murmur2 partitioner, so a key lands on the same
 * partition as with any other Kafka client.
 */
export function relayProducer(config: KafkaBusConfig, role: string): Producer<string, string, string, string> {
  return new Producer({
    ...kafkaClientOptions(config, role),
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: compatibilityPartitioner,
  });
}
