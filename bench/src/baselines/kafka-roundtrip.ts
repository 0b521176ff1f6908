import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
  type Message,
} from '@platformatic/kafka';
import {
  kafkaClientOptions,
  type KafkaBusConfig,
} from '../../../apps/server/dist/adapters/bus/kafka/kafka-bus-config.js';
import { LatencyHistogram, type LatencySummary } from '../support/histogram.js';
import { sleep, waitUntil } from '../support/progress.js';

export interface KafkaRoundTrip {
  /** send() called → the broker acknowledged (acks=all): the relay's share of its lag. */
  produceAck: LatencySummary;
  /** send() called → the consumer's stream emitted the record: the bus's share of a push. */
  produceToConsume: LatencySummary;
}

/**
 * Kafka alone, with the app's client library and settings: an idempotent acks=all producer with the murmur2
 * partitioner, and a group consumer with the app's fetch settings, on a fresh topic with the app's partition count.
 */
export async function kafkaRoundTripBaseline(
  config: KafkaBusConfig,
  rate: number,
  seconds: number,
): Promise<KafkaRoundTrip> {
  const topic = `${config.topicPrefix}baseline`;
  const admin = new Admin(kafkaClientOptions(config, 'bench-admin'));
  await admin.createTopics({ topics: [topic], partitions: config.partitions, replicas: config.replicationFactor });
  await admin.close();
  const producer = new Producer({
    ...kafkaClientOptions(config, 'bench-producer'),
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: compatibilityPartitioner,
  });
  const consumer = new Consumer({
    ...kafkaClientOptions(config, 'bench-consumer'),
    groupId: `${config.groupPrefix}.baseline`,
    deserializers: stringDeserializers,
    autocommit: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTime: 500,
  });
  const sentAt = new Map<number, number>();
  const produceAck = new LatencyHistogram();
  const produceToConsume = new LatencyHistogram();
  let warmedUp = false;
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  stream.on('data', (message: Message<string, string, string, string>) => {
    const sequence = Number(message.value);
    if (sequence < 0) warmedUp = true;
    const at = sentAt.get(sequence);
    if (at !== undefined) produceToConsume.recordMs(performance.now() - at);
  });
  try {
    await producer.send({ messages: [{ topic, key: 'warm-up', value: '-1' }] });
    await waitUntil('the baseline consumer to receive the warm-up record', () => (warmedUp ? true : undefined), 60_000);
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const sequence = sent;
        const at = performance.now();
        sentAt.set(sequence, at);
        // One record per send(), keyed like an order id: what the relay does at a steady trickle of changes.
        void producer
          .send({ messages: [{ topic, key: `order-${sequence % 997}`, value: String(sequence) }] })
          .then(() => produceAck.recordMs(performance.now() - at));
      }
      await sleep(2);
    }
    const deadline = performance.now() + 5000;
    while (produceToConsume.count < sent && performance.now() < deadline) await sleep(20);
    return { produceAck: produceAck.summary(), produceToConsume: produceToConsume.summary() };
  } finally {
    await stream.close();
    await consumer.close(true);
    await producer.close();
  }
}
