import { randomUUID } from 'node:crypto';
import { Admin, Consumer, Producer, type Message } from '@platformatic/kafka';
import { waitFor } from './wait-for.js';
import type { KafkaBusConfig } from '../../src/adapters/bus/kafka/kafka-bus-config.js';
import { KafkaTopicNames } from '../../src/adapters/bus/kafka/kafka-topics.js';

/** The broker the Kafka suites use: `node services/services.mjs start kafka` runs one on 127.0.0.1:9092. */
export const TEST_KAFKA_BROKERS = (process.env['TEST_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/** A configuration of its own per call: fresh topic names and group ids, so reruns never read old messages. */
export function isolatedKafkaConfig(overrides: Partial<KafkaBusConfig> = {}): KafkaBusConfig {
  const run = `it-${randomUUID().slice(0, 8)}`;
  return {
    brokers: TEST_KAFKA_BROKERS,
    clientId: 'ordertrack-test',
    partitions: 3,
    replicationFactor: 1,
    groupPrefix: run,
    topicPrefix: `${run}.`,
    ...overrides,
  };
}

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'ordertrack-test-admin', bootstrapBrokers: TEST_KAFKA_BROKERS, retries: 1 });
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/** Fails with the command to run when there is no broker, instead of timing out test by test. */
export async function requireKafka(): Promise<void> {
  try {
    await withAdmin((admin) => admin.metadata({ topics: [] }));
  } catch (error) {
    throw new Error(
      `no Kafka broker at ${TEST_KAFKA_BROKERS.join(',')}: start one with \`node services/services.mjs start kafka\``,
      { cause: error },
    );
  }
}

export async function deleteTopics(config: KafkaBusConfig): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: new KafkaTopicNames(config.topicPrefix).all }));
}

/** Writes raw records, bypassing the adapter's codec: how a misbehaving producer would. */
export async function produceRaw(messages: { topic: string; key: string; value: string }[]): Promise<void> {
  // Idempotent: a plain producer's retry (e.g. while a new topic elects its leaders) can write a record twice.
  const producer = new Producer({
    clientId: 'ordertrack-test-raw',
    bootstrapBrokers: TEST_KAFKA_BROKERS,
    idempotent: true,
  });
  try {
    await producer.send({
      messages: messages.map(({ topic, key, value }) => ({ topic, key: Buffer.from(key), value: Buffer.from(value) })),
    });
  } finally {
    await producer.close();
  }
}

export interface RecordRead {
  partition: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Reads a topic from the start with a throwaway group until at least `count` records that match arrived. */
export async function readTopic(
  topic: string,
  count: number,
  matches: (record: RecordRead) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<RecordRead[]> {
  const consumer = new Consumer({
    clientId: 'ordertrack-test-reader',
    groupId: `reader-${randomUUID()}`,
    bootstrapBrokers: TEST_KAFKA_BROKERS,
    maxWaitTime: 200,
  });
  const records: RecordRead[] = [];
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  stream.on('data', (message: Message) => {
    const record = {
      partition: message.partition,
      key: message.key.toString(),
      value: message.value.toString(),
      headers: Object.fromEntries([...message.headers].map(([name, value]) => [name.toString(), value.toString()])),
    };
    if (matches(record)) records.push(record);
  });
  try {
    await waitFor(`${count} records on ${topic}`, () => (records.length >= count ? true : undefined), timeoutMs);
    return records;
  } finally {
    await stream.close();
    await consumer.close(true);
  }
}
