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
  /** Record ready → the broker acknowledged it (acks=all), sent as the relay sends: the relay's share of its lag. */
  produceAck: LatencySummary;
  /** Record ready → the consumer's stream emitted it: the bus's share of a push. */
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
    // Like the outbox relay: one send() in flight; records that arrive meanwhile go out together in the next one.
    const pending: { sequence: number; at: number }[] = [];
    let sending: Promise<void> | undefined;
    const flush = async (): Promise<void> => {
      while (pending.length > 0) {
        const batch = pending.splice(0);
        await producer.send({
          messages: batch.map(({ sequence }) => ({ topic, key: `order-${sequence % 997}`, value: String(sequence) })),
        });
        const now = performance.now();
        for (const record of batch) produceAck.recordMs(now - record.at);
      }
    };
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const at = performance.now();
        sentAt.set(sent, at);
        pending.push({ sequence: sent, at });
      }
      if (sending === undefined && pending.length > 0) {
        sending = flush().finally(() => {
          sending = undefined;
        });
      }
      await sleep(2);
    }
    await sending;
    const deadline = performance.now() + 5000;
    while (produceToConsume.count < sent && performance.now() < deadline) await sleep(20);
    return { produceAck: produceAck.summary(), produceToConsume: produceToConsume.summary() };
  } finally {
    await stream.close();
    await consumer.close(true);
    await producer.close();
  }
}
